//! Real error bodies from `fixtures/samples/errors`, embedded so the binary stands alone.

/// 401 with `status: UNAUTHENTICATED`, as current Google front ends send it.
pub(crate) const UNAUTHENTICATED: &str =
    include_str!("../fixtures/samples/errors/401-modern-UNAUTHENTICATED.json");

/// Gmail's 404 for an unknown message id.
pub(crate) const GMAIL_NOT_FOUND: &str =
    include_str!("../fixtures/samples/errors/404-gmail-notFound.json");

/// Calendar's 404 for an unknown calendar or event.
pub(crate) const CALENDAR_NOT_FOUND: &str =
    include_str!("../fixtures/samples/errors/404-calendar-notFound.json");

/// Calendar's 400 for `timeMin` not before `timeMax`.
pub(crate) const CALENDAR_TIME_RANGE_EMPTY: &str =
    include_str!("../fixtures/samples/errors/400-calendar-timeRangeEmpty.json");

/// Calendar's 409 for an event id that is already taken.
pub(crate) const CALENDAR_DUPLICATE: &str =
    include_str!("../fixtures/samples/errors/409-calendar-duplicate.json");

/// The 400 Drive (and Gmail) give for `orderBy` combined with a `fullText` query.
pub(crate) const SORTING_WITH_FULL_TEXT: &str =
    include_str!("../fixtures/samples/errors/400-gmail-badRequest.json");

/// The real Gmail captures served as seed messages.
pub(crate) const GMAIL_CAPTURES: [&str; 2] = [
    include_str!("../fixtures/samples/gmail.users.messages.get.full.multipart-alternative.json"),
    include_str!(
        "../fixtures/samples/gmail.users.messages.get.full.multipart-mixed-attachment.json"
    ),
];
