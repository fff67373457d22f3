//! The seeded mailbox: two real captures, the CASES.md fixtures and ordinary mail.

use chrono::{DateTime, Duration, FixedOffset, Utc};
use serde_json::Value;

use super::build::{FileMeta, Mail, Node, attachment, html, multipart, plain};
use super::model::{Message, Part};
use super::raw;
use crate::fixtures::GMAIL_CAPTURES;
use crate::seed::gmail::*;

/// The user as a sender.
const ME: &str = "Example User <user@example.com>";

/// Case 4's HTML body: "Quarterly numbers attached &amp; ready." / "See you Monday".
const Q3_HTML: &str = "PGh0bWw-PGJvZHk-PHA-UXVhcnRlcmx5IG51bWJlcnMgYXR0YWNoZWQgJmFtcDsgcmVhZHkuPC9wPjxwPlNlZSB5b3UgTW9uZGF5PC9wPjwvYm9keT48L2h0bWw-";

/// Case 4's snippet, HTML-escaped the way Gmail sends snippets.
const Q3_SNIPPET: &str = "Quarterly numbers attached &amp; ready. See you Monday";

/// Case 6's HTML leaf, unpadded as the case gives it.
const AGENDA_HTML: &str = "PGRpdj5IaSB0ZWFtLDxicj50aGUgYWdlbmRhIGlzIGJlbG93LjwvZGl2Pg";

/// Every seed message, in no particular order.
pub(crate) fn messages(base: DateTime<Utc>) -> Vec<Message> {
    let mut all: Vec<Message> = GMAIL_CAPTURES.iter().map(|text| capture(text)).collect();
    let built = case_fixtures(base)
        .into_iter()
        .chain(budget_thread(base))
        .chain(everyday(base));

    all.extend(
        built
            .enumerate()
            .map(|(index, mail)| mail.build(1000 + index as u64)),
    );
    all
}

/// A captured `users.messages.get` reply, kept as captured.
fn capture(text: &str) -> Message {
    let value: Value = serde_json::from_str(text).expect("embedded captures are JSON");
    let string = |key: &str| value[key].as_str().unwrap_or_default().to_string();
    let payload = Part::from_json(&value["payload"]);

    Message {
        id: string("id"),
        thread_id: string("threadId"),
        label_ids: value["labelIds"]
            .as_array()
            .map(|ids| {
                ids.iter()
                    .filter_map(|id| id.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
        snippet: string("snippet"),
        history_id: string("historyId").parse().unwrap_or(1),
        internal_date: string("internalDate").parse().unwrap_or(0),
        size_estimate: value["sizeEstimate"].as_u64().unwrap_or(0),
        raw: raw::render(&payload),
        payload,
    }
}

/// `days_ago` days before the base at `hour:minute` UTC, shown in the sender's offset.
fn at(
    base: DateTime<Utc>,
    days_ago: i64,
    hour: i64,
    minute: i64,
    offset: i32,
) -> DateTime<FixedOffset> {
    let instant =
        base - Duration::days(days_ago) + Duration::hours(hour) + Duration::minutes(minute);
    let zone = FixedOffset::east_opt(offset * 3600).unwrap_or(FixedOffset::east_opt(0).unwrap());
    instant.with_timezone(&zone)
}

fn verbatim(mime: &'static str, data: &'static str, size: u64) -> Node {
    Node::Verbatim { mime, data, size }
}

fn q3_html() -> Node {
    verbatim("text/html", Q3_HTML, 93)
}

/// Case 6's tree: mixed → related → alternative, with an inline logo and a PDF.
fn nested_agenda_body() -> Node {
    let text = verbatim("text/plain", "SGkgdGVhbSwKdGhlIGFnZW5kYSBpcyBiZWxvdy4K", 30);
    let html = verbatim("text/html", AGENDA_HTML, 43);
    let logo = FileMeta {
        id: Some("ANGjdJ-logo"),
        content_id: Some("<logo@example.com>"),
    };
    let logo = Node::Attachment {
        mime: "image/png",
        filename: "logo.png",
        size: 2048,
        file: logo,
    };
    let pdf = FileMeta {
        id: Some("ANGjdJ-agenda"),
        content_id: None,
    };
    let pdf = Node::Attachment {
        mime: "application/pdf",
        filename: "agenda.pdf",
        size: 48_213,
        file: pdf,
    };

    let alternative = multipart("alternative", vec![text, html]);
    let related = multipart("related", vec![alternative, logo]);
    multipart("mixed", vec![related, pdf])
}

/// Cases 4, 6 and 7: the bodies a reader must find.
fn case_fixtures(base: DateTime<Utc>) -> Vec<Mail> {
    let carol = "Carol <carol@example.com>";
    let footer = plain("_____\nPilots list\nlist@example.org\n");

    vec![
        Mail::new(HTML_ONLY, at(base, 6, 15, 20, 1), carol, "Q3", q3_html())
            .labels(&["INBOX", "CATEGORY_PERSONAL"])
            .snippet(Q3_SNIPPET),
        Mail::new(
            MAILING_LIST,
            at(base, 6, 15, 24, 1),
            carol,
            "[Pilots] Q3",
            multipart("mixed", vec![q3_html(), footer]),
        )
        .to("Pilots <list@example.org>")
        .header("List-Id", "Pilots list <pilots.list.example.org>")
        .header("List-Unsubscribe", "<mailto:list-unsubscribe@example.org>")
        .labels(&["INBOX", "CATEGORY_FORUMS"])
        .snippet(Q3_SNIPPET),
        Mail::new(
            NESTED_AGENDA,
            at(base, 4, 7, 45, 1),
            "Frank Okafor <frank@example.com>",
            "Agenda for Monday",
            nested_agenda_body(),
        )
        .labels(&["INBOX", "IMPORTANT", "CATEGORY_PERSONAL"]),
        Mail::new(
            UNPADDED_PRICES,
            at(base, 3, 11, 0, 1),
            "Shop <deals@shop.example.com>",
            "Flash sale: 10% off",
            verbatim("text/plain", "UHJpY2VzID4-PiAxMCUgb2ZmPz8_IMOpdMOpCg", 28),
        )
        .labels(&["INBOX", "CATEGORY_PROMOTIONS"]),
    ]
}

/// Case 9: a three-message thread whose last reply spells its header `Message-Id`.
fn budget_thread(base: DateTime<Utc>) -> Vec<Mail> {
    let root = "<CAB0root@mail.example.com>";
    let first = "<CAB1abc@mail.example.com>";

    vec![
        Mail::new(
            BUDGET_THREAD,
            at(base, 12, 8, 10, 1),
            "Erin Vogel <erin@example.com>",
            "Budget",
            plain("Hi,\nthe 2026 budget draft is in the shared sheet. Comments by Friday please.\nErin\n"),
        )
        .header("Cc", "Dave <dave@example.com>")
        .message_id("Message-ID", root)
        .labels(&["INBOX", "CATEGORY_PERSONAL"]),
        Mail::new(
            BUDGET_FIRST_REPLY,
            at(base, 12, 9, 30, 1),
            ME,
            "Re: Budget",
            plain("Thanks Erin, I added two comments on travel costs.\n"),
        )
        .thread(BUDGET_THREAD)
        .to("Erin Vogel <erin@example.com>, Dave <dave@example.com>")
        .header("In-Reply-To", root)
        .header("References", root)
        .message_id("Message-ID", first)
        .labels(&["SENT"]),
        Mail::new(
            BUDGET_LAST_REPLY,
            at(base, 11, 14, 5, 1),
            "Dave <dave@example.com>",
            "Re: Budget",
            plain("Looks good to me. Can we cut the hardware line by 10%?\nDave\n"),
        )
        .thread(BUDGET_THREAD)
        .to(ME)
        .header("Cc", "Erin Vogel <erin@example.com>")
        .header("Reply-To", "Dave Finance <dave.finance@example.com>")
        .header("In-Reply-To", first)
        .header("References", &format!("{root} {first}"))
        .message_id("Message-Id", "<CAB2xyz@mail.example.com>")
        .labels(&["INBOX", "UNREAD", "CATEGORY_PERSONAL"]),
    ]
}

/// Ordinary mail from several senders over the last three weeks.
fn everyday(base: DateTime<Utc>) -> Vec<Mail> {
    let alice = "Alice Martin <alice@example.com>";
    let billing = "Example Billing <billing@example.com>";

    vec![
        Mail::new(
            Q3_PLAN_REVIEW,
            at(base, 1, 8, 12, 1),
            alice,
            "Q3 plan review",
            multipart(
                "alternative",
                vec![
                    plain("Hi,\ncould you review the Q3 plan before Thursday? The doc is in Projects/Q3 Planning.\nThanks,\nAlice\n"),
                    html("<div>Hi,<br>could you review the <b>Q3 plan</b> before Thursday? The doc is in Projects/Q3 Planning.</div><div>Thanks,<br>Alice</div>"),
                ],
            ),
        )
        .labels(&["INBOX", "UNREAD", "IMPORTANT", "CATEGORY_PERSONAL", "Label_2"]),
        Mail::new(
            INVOICE_READY,
            at(base, 2, 7, 30, 0),
            billing,
            "Your invoice INV-2026-0142 is ready",
            multipart(
                "mixed",
                vec![
                    plain("Hello,\nyour invoice INV-2026-0142 for 249.00 EUR is attached.\nIt is due in 14 days.\n"),
                    attachment("application/pdf", "invoice-0142.pdf", 48731),
                ],
            ),
        )
        .labels(&["INBOX", "CATEGORY_UPDATES", "Label_1"]),
        Mail::new(
            LUNCH,
            at(base, 3, 10, 2, 1),
            "Bob Schneider <bob@example.com>",
            "Lunch on Thursday?",
            plain("Hey, lunch on Thursday at 12:30? The new place near the station.\nBob\n"),
        )
        .labels(&["INBOX", "STARRED", "CATEGORY_PERSONAL"]),
        Mail::new(
            SENT_AGENDA,
            at(base, 4, 16, 40, 1),
            ME,
            "Draft agenda for the offsite",
            plain("Alice,\nhere is a first draft: goals, roadmap, team dinner. Edits welcome.\n"),
        )
        .to(alice)
        .labels(&["SENT"]),
        Mail::new(
            CI_FAILED,
            at(base, 1, 5, 40, 0),
            "Build bot <ci@builds.example.net>",
            "[gws-engine] CI failed on main",
            plain("The pipeline for commit 3f2c9a1 failed in the test stage.\n"),
        )
        .labels(&["INBOX", "UNREAD", "CATEGORY_UPDATES"]),
        Mail::new(
            HOTEL_BOOKING,
            at(base, 5, 18, 15, 1),
            "Hotel Alpenblick <reservations@hotel.example.de>",
            "Ihre Buchung ist bestätigt",
            plain("Guten Tag,\nIhre Buchung für zwei Nächte ist bestätigt. Wir freuen uns auf Sie!\nFreundliche Grüße\n"),
        )
        .labels(&["INBOX", "UNREAD", "CATEGORY_UPDATES"]),
        Mail::new(
            SPAM,
            at(base, 2, 3, 3, -5),
            "Prize Desk <winner@promo.example.net>",
            "Congratulations, you won!",
            plain("Claim your prize now by sending your bank details.\n"),
        )
        .labels(&["SPAM", "UNREAD"]),
        Mail::new(
            TRASHED,
            at(base, 10, 6, 0, 0),
            "Example Weekly <news@example.org>",
            "Weekly digest",
            plain("This week: five tips for better meetings.\n"),
        )
        .labels(&["TRASH", "CATEGORY_PROMOTIONS"]),
        Mail::new(
            INVOICE_QUESTION,
            at(base, 9, 13, 25, 1),
            "Erik Lund <erik@example.com>",
            "Invoice question",
            plain("Hi, invoice INV-2026-0117 lists two licences, we ordered one. Can you check?\nErik\n"),
        )
        .header("Cc", billing)
        .labels(&["INBOX", "CATEGORY_PERSONAL"]),
        Mail::new(
            PAYMENT_RECEIVED,
            at(base, 20, 7, 30, 0),
            billing,
            "Payment received",
            plain("We received your payment of 249.00 EUR. Thank you.\n"),
        )
        .labels(&["INBOX", "CATEGORY_UPDATES", "Label_1"]),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gmail::codec;

    fn seeded() -> Vec<Message> {
        messages(
            DateTime::parse_from_rfc3339("2026-05-12T00:00:00Z")
                .unwrap()
                .to_utc(),
        )
    }

    fn find(id: &str) -> Message {
        seeded().into_iter().find(|m| m.id == id).unwrap()
    }

    #[test]
    fn the_nested_fixture_has_case_six_part_ids_and_attachments() {
        let message = find(NESTED_AGENDA);
        let parts: Vec<(String, String)> = message
            .payload
            .walk()
            .iter()
            .map(|p| (p.part_id.clone(), p.mime_type.clone()))
            .collect();

        assert_eq!(parts[3], ("0.0.0".into(), "text/plain".into()));
        assert_eq!(parts[5], ("0.1".into(), "image/png".into()));
        assert_eq!(parts[6], ("1".into(), "application/pdf".into()));
        assert_eq!(
            message.payload.walk()[6].body.attachment_id.as_deref(),
            Some("ANGjdJ-agenda")
        );
        assert_eq!(message.body_text(), "Hi team,\nthe agenda is below.\n");
    }

    #[test]
    fn the_unpadded_fixture_keeps_its_data_verbatim() {
        let message = find(UNPADDED_PRICES);

        assert_eq!(
            message.payload.body.data.as_deref(),
            Some("UHJpY2VzID4-PiAxMCUgb2ZmPz8_IMOpdMOpCg")
        );
        assert_eq!(message.payload.body.size, 28);
    }

    #[test]
    fn captures_keep_their_ids_dates_and_bodies() {
        let message = find(CAPTURE_ATTACHMENT);

        assert_eq!(message.internal_date, 1_747_841_147_000);
        assert_eq!(message.size_estimate, 575_278);
        assert!(
            message
                .body_text()
                .starts_with("can you create a task for this rfq?")
        );
        assert!(message.has_attachment());
    }

    #[test]
    fn every_seed_has_the_headers_a_reader_needs() {
        for message in seeded() {
            for name in [
                "From",
                "To",
                "Subject",
                "Date",
                "Message-ID",
                "Content-Type",
            ] {
                assert!(
                    message.header(name).is_some(),
                    "{} lacks {name}",
                    message.id
                );
            }
            assert!(!message.snippet.is_empty(), "{} has no snippet", message.id);
        }
    }

    #[test]
    fn raw_of_a_seed_decodes_to_its_headers_and_text() {
        let message = find(HOTEL_BOOKING);
        let raw = String::from_utf8(message.raw.clone()).unwrap();

        assert!(raw.contains("Message-ID: <18f0000000000c06.sandbox@mail.example.com>\r\n"));
        assert!(raw.contains("Subject: =?UTF-8?B?"));
        assert!(codec::base64url(&message.raw).len() > raw.len());
    }
}
