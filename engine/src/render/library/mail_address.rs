//! Reading and writing mail addresses for the `From`, `To`, `Cc` and `Bcc` header fields.
//!
//! Accepted input: a comma- (or semicolon-) separated list whose entries are a bare address
//! (`bob@example.com`) or a display name and an address in angle brackets
//! (`Bob Smith <bob@example.com>`, `"Smith, Bob" <bob@example.com>`). Addresses must be ASCII
//! dot-atoms: quoted local parts, domain literals, groups and internationalized addresses are
//! rejected (an internationalized domain can be given in its `xn--` form).

use minijinja::Error;

use super::args::invalid;
use super::mime_header::{HeaderWriter, needs_encoding};

/// One mailbox: an optional display name and an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mailbox {
    /// The display name, unquoted; `None` when there is none.
    pub name: Option<String>,
    /// The address, `local@domain`.
    pub address: String,
}

/// Parses an address list given as argument `field`; an invalid entry is an error naming it.
pub fn parse_list(field: &str, text: &str) -> Result<Vec<Mailbox>, Error> {
    let mailboxes = split_entries(text)
        .into_iter()
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| parse_entry(field, entry))
        .collect::<Result<Vec<_>, _>>()?;
    if mailboxes.is_empty() {
        return Err(invalid(format!("`{field}` holds no address")));
    }
    Ok(mailboxes)
}

/// Splits at commas and semicolons that are outside quotes and angle brackets.
fn split_entries(text: &str) -> Vec<&str> {
    let mut entries = Vec::new();
    let (mut quoted, mut escaped, mut angle, mut start) = (false, false, false, 0);
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '<' if !quoted => angle = true,
            '>' if !quoted => angle = false,
            ',' | ';' if !quoted && !angle => {
                entries.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    entries.push(&text[start..]);
    entries
}

/// Parses one trimmed, non-empty entry.
fn parse_entry(field: &str, entry: &str) -> Result<Mailbox, Error> {
    let Some(inner) = entry.strip_suffix('>') else {
        if entry.contains(['<', '>']) {
            return Err(invalid(format!(
                "`{field}` has an unbalanced angle bracket in `{entry}`"
            )));
        }
        check_address(field, entry)?;
        return Ok(Mailbox {
            name: None,
            address: entry.to_string(),
        });
    };
    let Some(open) = inner.rfind('<') else {
        return Err(invalid(format!(
            "`{field}` has an unbalanced angle bracket in `{entry}`"
        )));
    };
    let address = inner[open + 1..].trim();
    check_address(field, address)?;
    let name = unquote(inner[..open].trim());
    Ok(Mailbox {
        name: (!name.is_empty()).then_some(name),
        address: address.to_string(),
    })
}

/// Removes one level of double quotes and backslash escapes from a display name.
fn unquote(name: &str) -> String {
    let Some(inner) = name.strip_prefix('"').and_then(|n| n.strip_suffix('"')) else {
        return name.to_string();
    };
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        out.push(if c == '\\' {
            chars.next().unwrap_or('\\')
        } else {
            c
        });
    }
    out
}

/// Checks that `address` is an ASCII `local@domain` address.
pub fn check_address(field: &str, address: &str) -> Result<(), Error> {
    address_problem(address).map_or(Ok(()), |why| {
        Err(invalid(format!(
            "`{field}` has an invalid address `{address}`: {why}"
        )))
    })
}

/// What is wrong with an address, if anything.
fn address_problem(address: &str) -> Option<&'static str> {
    if !address.is_ascii() {
        return Some("it must be ASCII (write an internationalized domain in its xn-- form)");
    }
    if address.len() > 254 {
        return Some("it is longer than 254 characters");
    }
    let Some((local, domain)) = address.split_once('@') else {
        return Some("it has no `@`");
    };
    if domain.contains('@') {
        return Some("it has more than one `@`");
    }
    let atext = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c);
    if local.is_empty() || local.len() > 64 {
        return Some("the part before `@` must have 1 to 64 characters");
    }
    if local
        .split('.')
        .any(|atom| atom.is_empty() || !atom.chars().all(atext))
    {
        return Some("the part before `@` has a character or dot that is not allowed");
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return Some("the domain needs at least one dot");
    }
    let label_ok = |l: &&str| {
        (1..=63).contains(&l.len())
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    if !labels.iter().all(label_ok) {
        return Some("the domain has an empty or invalid label");
    }
    None
}

/// Writes a display name as atoms, a quoted string, or encoded-words, whichever it needs.
pub fn write_display_name(writer: &mut HeaderWriter, name: &str) {
    let atext = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c);
    if needs_encoding(name) {
        writer.encoded(name);
    } else if name
        .split(' ')
        .all(|w| !w.is_empty() && w.chars().all(atext))
    {
        writer.literal(name);
    } else {
        let escaped = name.replace('\\', "\\\\").replace('"', "\\\"");
        writer.token(&format!("\"{escaped}\""));
    }
}

/// Writes a list of mailboxes separated by commas.
pub fn write_mailboxes(writer: &mut HeaderWriter, mailboxes: &[Mailbox]) {
    for (i, mailbox) in mailboxes.iter().enumerate() {
        let comma = if i + 1 < mailboxes.len() { "," } else { "" };
        match &mailbox.name {
            Some(name) => {
                write_display_name(writer, name);
                writer.token(&format!("<{}>{comma}", mailbox.address));
            }
            None => writer.token(&format!("{}{comma}", mailbox.address)),
        }
    }
}

#[cfg(test)]
mod tests;
