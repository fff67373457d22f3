//! Ids and names in the seed data that tests can rely on.
//!
//! Dates are relative to the sandbox's base (the UTC midnight starting the clock's current
//! day) unless a constant's doc says the date is fixed by a case in CASES.md.

/// The signed-in user: the primary calendar id, the owner of Drive files, Gmail's `me`.
pub const USER_EMAIL: &str = "user@example.com";

/// Gmail message and thread ids.
pub mod gmail {
    /// Case 4: a `text/html`-only message from Carol, subject "Q3" (6 days ago).
    pub const HTML_ONLY: &str = "18f0000000000a01";
    /// Case 4 variant B: `multipart/mixed` with the same HTML and a list-footer text part.
    pub const MAILING_LIST: &str = "18f0000000000a02";
    /// Case 6: mixed → related → alternative, with inline `logo.png` and `agenda.pdf`.
    pub const NESTED_AGENDA: &str = "18f0000000000a03";
    /// Case 7: a `text/plain` part whose data is unpadded base64url with `-` and `_`.
    pub const UNPADDED_PRICES: &str = "18f0000000000a04";
    /// Case 9: the "Budget" thread id (also the id of its first message).
    pub const BUDGET_THREAD: &str = "18f0000000000b00";
    /// Case 9: the first reply in the "Budget" thread, Message-ID `<CAB1abc@mail.example.com>`.
    pub const BUDGET_FIRST_REPLY: &str = "18f0000000000b01";
    /// Case 9: Dave's "Re: Budget", header `Message-Id: <CAB2xyz@mail.example.com>`.
    pub const BUDGET_LAST_REPLY: &str = "18f0000000000b02";
    /// The 2017 capture (`multipart/alternative`, German account notice), dated as captured.
    pub const CAPTURE_ALTERNATIVE: &str = "15d75516a21136c3";
    /// The 2025 capture (`multipart/mixed` with a PDF attachment), dated as captured.
    pub const CAPTURE_ATTACHMENT: &str = "196f373962a23259";
    /// Unread, important: Alice's "Q3 plan review" (yesterday).
    pub const Q3_PLAN_REVIEW: &str = "18f0000000000c01";
    /// From billing@example.com with `invoice-0142.pdf`, label "Receipts" (2 days ago).
    pub const INVOICE_READY: &str = "18f0000000000c02";
    /// Bob's "Lunch on Thursday?", starred (3 days ago).
    pub const LUNCH: &str = "18f0000000000c03";
    /// Sent by the user to Alice: "Draft agenda for the offsite" (4 days ago).
    pub const SENT_AGENDA: &str = "18f0000000000c04";
    /// CI notification, unread (1 day ago).
    pub const CI_FAILED: &str = "18f0000000000c05";
    /// Hotel booking confirmation, unread, category updates (5 days ago).
    pub const HOTEL_BOOKING: &str = "18f0000000000c06";
    /// Spam: hidden unless `includeSpamTrash=true` or `in:spam` (2 days ago).
    pub const SPAM: &str = "18f0000000000c07";
    /// In the trash: hidden unless `includeSpamTrash=true` or `in:trash` (10 days ago).
    pub const TRASHED: &str = "18f0000000000c08";
    /// Erik's "Invoice question", with a Cc (9 days ago).
    pub const INVOICE_QUESTION: &str = "18f0000000000c09";
    /// From billing@example.com, "Payment received" (20 days ago).
    pub const PAYMENT_RECEIVED: &str = "18f0000000000c10";
}

/// Calendar and event ids.
pub mod calendar {
    /// The primary calendar's id; `primary` aliases it. Time zone Europe/Berlin.
    pub const PRIMARY: &str = super::USER_EMAIL;
    /// A team calendar the user can write to.
    pub const TEAM: &str = "c_8f2d7e0a61b34c59@group.calendar.google.com";
    /// The US holidays calendar (read-only); its id must be percent-encoded in paths.
    pub const HOLIDAYS: &str = "en.usa#holiday@group.v.calendar.google.com";
    /// Case 16: "Design review", fixed at 2026-04-14T15:00Z, on the primary calendar.
    pub const DESIGN_REVIEW: &str = "evt0100";
    /// Case 17: "Planning" on 2026-05-05 09:00 Europe/Berlin, with two attendees.
    pub const PLANNING: &str = "evt0200";
    /// Case 16: "Grandpa's birthday", all-day 1937-05-02, `RRULE:FREQ=YEARLY`.
    pub const BIRTHDAY: &str = "bday1";
    /// "Team standup", weekdays 09:30 Europe/Berlin, from 21 days before the base.
    pub const STANDUP: &str = "evt0301";
    /// "1:1 with Alice", 14:00–14:30 Europe/Berlin on the first workday after the base.
    pub const ONE_ON_ONE: &str = "evt0302";
    /// "Company offsite", all-day, base+5 to base+7 inclusive (end date base+8).
    pub const OFFSITE: &str = "evt0303";
    /// "Lunch with Bob", yesterday 12:00 Europe/Berlin, with a location.
    pub const LUNCH: &str = "evt0304";
    /// Christmas Day 2026 on the holidays calendar (all-day, fixed date).
    pub const CHRISTMAS_2026: &str = "20261225_christmas";
}

/// Drive file and folder ids.
pub mod drive {
    /// The user's "My Drive" root; `root` aliases it in `'root' in parents`.
    pub const ROOT_FOLDER: &str = "0AHs5bX1dZq8sUk9PVA";
    /// Folder "Projects" in the root.
    pub const PROJECTS_FOLDER: &str = "1-bTkAwmAVwQcVjVxWb7ZzaLIu_fzkcHy";
    /// Folder "Invoices" in the root, holding `invoice-01.pdf` to `invoice-03.pdf`.
    pub const INVOICES_FOLDER: &str = "1XzCqbig5ED9J-uaDTxQxEpemTrg8NEdJ";
    /// Folder "Q3 Planning" inside "Projects".
    pub const Q3_PLANNING_FOLDER: &str = "1DA0IF0JFvxg1oXRNK6jm0WT3G142Sj_P";
    /// Google Doc "Q3 plan" in "Q3 Planning".
    pub const Q3_PLAN_DOC: &str = "11bOisNCv5cB_TBj0RbX7yuofD2O_dlhp";
    /// Google Sheet "Budget 2026" in "Q3 Planning".
    pub const BUDGET_SHEET: &str = "1CMeHW598McjHnglHCQTtwId2W8Ge9zfJ";
    /// Google Slides "Kickoff deck" in "Projects".
    pub const KICKOFF_DECK: &str = "1ifgkNiatTJ77Y0TfOiQkZZhS8dVVIfzE";
    /// PDF "Contract signed.pdf" in the root.
    pub const CONTRACT_PDF: &str = "1ABqrRSkqLeGUh7WopjGgUE5hKvH6XMOT";
    /// `invoice-01.pdf` in "Invoices".
    pub const INVOICE_01: &str = "1dkfLBQUMekwukDZ-qGtwjyclvwp95YQh";
    /// `invoice-02.pdf` in "Invoices".
    pub const INVOICE_02: &str = "1Lf35w0e0t0ctqOYqlNUBlU13K4TkFPfR";
    /// `invoice-03.pdf` in "Invoices".
    pub const INVOICE_03: &str = "1FXzw3994mbGsRfoJYKZUr_nooN736W8n";
    /// Case 20: a Doc named `Jon's "Q3" plan\draft` (a backslash, not a path).
    pub const JONS_DRAFT: &str = "1PQ4mopuJnuMS_3XoWnfaemwMgsZCI-9l";
    /// The Doc named in [`JONS_DRAFT`].
    pub const JONS_DRAFT_NAME: &str = r#"Jon's "Q3" plan\draft"#;
    /// Doc "Old notes", in the trash.
    pub const OLD_NOTES_TRASHED: &str = "1hrtKyx2k3S5Fa8Ia4UnsphTd1XPosN1L";
    /// JPEG "team-photo.jpg" in the root, starred.
    pub const TEAM_PHOTO: &str = "1wjb5TtJcDg_oyeS275PHGsw09B4CJCSm";
    /// Sheet "Vendor price list", owned by someone else and shared with the user.
    pub const VENDOR_PRICES: &str = "1ANksuTrmBdHU20aSGLrJGaNaM5MpRvR5";
    /// Doc "Meeting notes", starred, in "Projects".
    pub const MEETING_NOTES: &str = "1Kw4gRXXuJn079ywSzOWF4buuSFW_XuIC";
    /// Plain text "todo.txt" in the root.
    pub const TODO_TXT: &str = "1OvzbgfqIFxq9nAaUdFk0fNWoe9fLX6Hi";
    /// Case 19: Doc "Roadmap 2026" on a shared drive; listed only with both all-drives flags.
    pub const SHARED_ROADMAP: &str = "1SharedRoadmapDoc";
    /// The shared drive holding [`SHARED_ROADMAP`].
    pub const SHARED_DRIVE: &str = "0AFakeSharedDrive";
}
