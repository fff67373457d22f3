//! The seeded Drive: folders, Docs Editors files, uploads, a trashed file, a file shared
//! with the user and one on a shared drive.

use chrono::{DateTime, Duration, Utc};

use super::model::{FOLDER, File, Person};
use crate::seed::USER_EMAIL;
use crate::seed::drive::*;

const DOC: &str = "application/vnd.google-apps.document";
const SHEET: &str = "application/vnd.google-apps.spreadsheet";
const SLIDES: &str = "application/vnd.google-apps.presentation";
const PDF: &str = "application/pdf";

fn me() -> Option<Person> {
    Some(Person {
        name: "Example User",
        email: USER_EMAIL,
    })
}

/// A file owned by the user, modified `days_ago` days (and `hours` hours) before the base.
fn file(
    base: DateTime<Utc>,
    id: &'static str,
    name: &'static str,
    mime_type: &'static str,
    parent: &'static str,
    days_ago: i64,
) -> File {
    let modified = base - Duration::days(days_ago) + Duration::hours(9);
    File {
        id,
        name,
        mime_type,
        parents: vec![parent],
        created: modified - Duration::days(30),
        modified,
        viewed: Some(modified + Duration::hours(2)),
        size: None,
        owner: me(),
        shared_with: Vec::new(),
        starred: false,
        trashed: false,
        description: None,
        content: "",
        drive_id: None,
    }
}

/// Every seed file.
pub(crate) fn files(base: DateTime<Utc>) -> Vec<File> {
    vec![
        file(base, PROJECTS_FOLDER, "Projects", FOLDER, ROOT_FOLDER, 3),
        file(base, INVOICES_FOLDER, "Invoices", FOLDER, ROOT_FOLDER, 12),
        file(
            base,
            Q3_PLANNING_FOLDER,
            "Q3 Planning",
            FOLDER,
            PROJECTS_FOLDER,
            2,
        ),
        File {
            description: Some("Goals, milestones and owners for Q3"),
            content: "Q3 plan\nGoals for Q3\nShip the Google sandbox and the catalogue.\nOwners: Alice, Bob\n",
            shared_with: vec!["alice@example.com"],
            ..file(base, Q3_PLAN_DOC, "Q3 plan", DOC, Q3_PLANNING_FOLDER, 1)
        },
        File {
            content: "item,amount\nhardware,12000\ntravel,4500\nsoftware,3000\n",
            ..file(
                base,
                BUDGET_SHEET,
                "Budget 2026",
                SHEET,
                Q3_PLANNING_FOLDER,
                4,
            )
        },
        File {
            content: "Kickoff\nGoals for Q3\n",
            ..file(
                base,
                KICKOFF_DECK,
                "Kickoff deck",
                SLIDES,
                PROJECTS_FOLDER,
                6,
            )
        },
        File {
            size: Some(182_344),
            ..file(
                base,
                CONTRACT_PDF,
                "Contract signed.pdf",
                PDF,
                ROOT_FOLDER,
                30,
            )
        },
        File {
            size: Some(48_213),
            ..file(base, INVOICE_01, "invoice-01.pdf", PDF, INVOICES_FOLDER, 70)
        },
        File {
            size: Some(48_731),
            ..file(base, INVOICE_02, "invoice-02.pdf", PDF, INVOICES_FOLDER, 40)
        },
        File {
            size: Some(49_002),
            ..file(base, INVOICE_03, "invoice-03.pdf", PDF, INVOICES_FOLDER, 10)
        },
        File {
            content: "Draft by Jon for the Q3 plan.\n",
            ..file(base, JONS_DRAFT, JONS_DRAFT_NAME, DOC, ROOT_FOLDER, 8)
        },
        File {
            trashed: true,
            content: "Old notes from last year's planning.\n",
            ..file(base, OLD_NOTES_TRASHED, "Old notes", DOC, ROOT_FOLDER, 90)
        },
        File {
            starred: true,
            size: Some(2_457_600),
            ..file(
                base,
                TEAM_PHOTO,
                "team-photo.jpg",
                "image/jpeg",
                ROOT_FOLDER,
                20,
            )
        },
        File {
            parents: Vec::new(),
            owner: Some(Person {
                name: "Vendor Sales",
                email: "sales@vendor.example.net",
            }),
            shared_with: vec![USER_EMAIL],
            content: "product,price\nwidget,9.90\ngadget,24.50\n",
            ..file(
                base,
                VENDOR_PRICES,
                "Vendor price list",
                SHEET,
                ROOT_FOLDER,
                15,
            )
        },
        File {
            starred: true,
            content: "Meeting notes\nDecisions: adopt the sandbox for CI.\n",
            ..file(
                base,
                MEETING_NOTES,
                "Meeting notes",
                DOC,
                PROJECTS_FOLDER,
                1,
            )
        },
        File {
            size: Some(57),
            content: "- review Q3 plan\n- pay invoice 0142\n- book offsite hotel\n",
            ..file(base, TODO_TXT, "todo.txt", "text/plain", ROOT_FOLDER, 5)
        },
        File {
            owner: None,
            drive_id: Some(SHARED_DRIVE),
            content: "Roadmap 2026\nH1: sandbox, catalogue\nH2: batch, uploads\n",
            ..file(base, SHARED_ROADMAP, "Roadmap 2026", DOC, SHARED_DRIVE, 7)
        },
    ]
}
