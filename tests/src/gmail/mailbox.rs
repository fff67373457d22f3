//! The user's mailbox: stored messages, labels, filters and settings, id and history
//! counters, listing.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::labels::{self, Label};
use super::model::Message;
use super::query::Query;
use super::search;
use super::seed;
use super::{filters, send_as};

/// All messages of the user, their labels and settings, plus the counters new ids draw from.
pub(crate) struct Mailbox {
    messages: Vec<Message>,
    labels: Vec<Label>,
    filters: Vec<Value>,
    send_as: Vec<Value>,
    /// Draft ids and the ids of their messages.
    drafts: Vec<(String, String)>,
    last_id: u64,
    last_history_id: u64,
    last_label: u64,
    last_filter: u64,
}

impl Mailbox {
    /// The seeded mailbox, with dates relative to `base`.
    pub(crate) fn seeded(base: DateTime<Utc>) -> Mailbox {
        let messages = seed::messages(base);
        let last_id = messages
            .iter()
            .filter_map(|m| u64::from_str_radix(&m.id, 16).ok())
            .max();
        let last_history_id = messages.iter().map(|m| m.history_id).max().unwrap_or(1);

        Mailbox {
            messages,
            labels: labels::seeded(),
            filters: filters::seeded(),
            send_as: send_as::seeded(),
            drafts: Vec::new(),
            last_id: last_id.unwrap_or(0),
            last_history_id,
            last_label: 2,
            last_filter: 1,
        }
    }

    /// A message by id.
    pub(crate) fn get(&self, id: &str) -> Option<&Message> {
        self.messages.iter().find(|message| message.id == id)
    }

    /// Whether any message belongs to that thread.
    pub(crate) fn has_thread(&self, thread_id: &str) -> bool {
        self.messages
            .iter()
            .any(|message| message.thread_id == thread_id)
    }

    /// The messages matching a search, newest first.
    ///
    /// Spam and trash stay hidden unless `include_spam_trash` is set or the query asks
    /// for them (`in:spam`, `label:trash`, `in:anywhere`); every `label_ids` entry must
    /// be on the message.
    pub(crate) fn search(
        &self,
        query: &Query,
        label_ids: &[&str],
        include_spam_trash: bool,
        now: DateTime<Utc>,
    ) -> Vec<&Message> {
        let show_hidden = include_spam_trash || query.reaches_spam_or_trash();
        let mut found: Vec<&Message> = self
            .messages
            .iter()
            .filter(|m| show_hidden || !m.label_ids.iter().any(|l| l == "SPAM" || l == "TRASH"))
            .filter(|m| {
                label_ids
                    .iter()
                    .all(|wanted| m.label_ids.iter().any(|l| l == wanted))
            })
            .filter(|m| search::matches(query, m, &self.labels, now))
            .collect();

        found.sort_by(|a, b| b.internal_date.cmp(&a.internal_date).then(b.id.cmp(&a.id)));
        found
    }

    /// A fresh message id: 16 hex digits, increasing. Like Gmail's, it starts with the
    /// time in milliseconds shifted left by 20 bits.
    pub(crate) fn next_id(&mut self, now: DateTime<Utc>) -> String {
        let from_clock = (now.timestamp_millis().max(0) as u64) << 20;
        self.last_id = from_clock.max(self.last_id + 1);
        format!("{:016x}", self.last_id)
    }

    /// A fresh history id.
    pub(crate) fn next_history_id(&mut self) -> u64 {
        self.last_history_id += 1;
        self.last_history_id
    }

    /// Stores a new message.
    pub(crate) fn add(&mut self, message: Message) {
        self.messages.push(message);
    }

    /// The total number of messages and of distinct threads.
    pub(crate) fn totals(&self) -> (usize, usize) {
        let mut threads: Vec<&str> = self.messages.iter().map(|m| m.thread_id.as_str()).collect();
        threads.sort_unstable();
        threads.dedup();
        (self.messages.len(), threads.len())
    }

    /// The current history id.
    pub(crate) fn history_id(&self) -> u64 {
        self.last_history_id
    }

    /// A message by id, to change it.
    pub(crate) fn get_mut(&mut self, id: &str) -> Option<&mut Message> {
        self.messages.iter_mut().find(|message| message.id == id)
    }

    /// The messages of a thread, oldest first.
    pub(crate) fn thread(&self, thread_id: &str) -> Vec<&Message> {
        let mut found: Vec<&Message> = self
            .messages
            .iter()
            .filter(|m| m.thread_id == thread_id)
            .collect();
        found.sort_by(|a, b| a.internal_date.cmp(&b.internal_date).then(a.id.cmp(&b.id)));
        found
    }

    /// Every label, system labels first.
    pub(crate) fn labels(&self) -> &[Label] {
        &self.labels
    }

    /// The labels, to add or change one.
    pub(crate) fn labels_mut(&mut self) -> &mut Vec<Label> {
        &mut self.labels
    }

    /// A fresh user label id, `Label_N`.
    pub(crate) fn next_label_id(&mut self) -> String {
        self.last_label += 1;
        format!("Label_{}", self.last_label)
    }

    /// Messages, unread messages, threads and unread threads carrying a label.
    pub(crate) fn label_counts(&self, label_id: &str) -> (usize, usize, usize, usize) {
        let has = |m: &&Message, label: &str| m.label_ids.iter().any(|l| l == label);
        let labelled: Vec<&Message> = self.messages.iter().filter(|m| has(m, label_id)).collect();
        let unread: Vec<&&Message> = labelled.iter().filter(|m| has(m, "UNREAD")).collect();
        let threads = |list: Vec<&str>| {
            let mut ids = list;
            ids.sort_unstable();
            ids.dedup();
            ids.len()
        };
        (
            labelled.len(),
            unread.len(),
            threads(labelled.iter().map(|m| m.thread_id.as_str()).collect()),
            threads(unread.iter().map(|m| m.thread_id.as_str()).collect()),
        )
    }

    /// Deletes a label and takes it off every message.
    pub(crate) fn remove_label(&mut self, label_id: &str) {
        self.labels.retain(|label| label.id != label_id);
        for message in &mut self.messages {
            message.label_ids.retain(|l| l != label_id);
        }
    }

    /// The filters, in creation order.
    pub(crate) fn filters(&self) -> &[Value] {
        &self.filters
    }

    /// The filters, to add or remove one.
    pub(crate) fn filters_mut(&mut self) -> &mut Vec<Value> {
        &mut self.filters
    }

    /// A fresh filter id.
    pub(crate) fn next_filter_id(&mut self) -> String {
        self.last_filter += 1;
        format!("ANe1Bmj{:010}", self.last_filter)
    }

    /// The send-as addresses, the primary one first.
    pub(crate) fn send_as(&self) -> &[Value] {
        &self.send_as
    }

    /// Records a draft and the message it holds; the draft id is returned.
    pub(crate) fn add_draft(&mut self, message_id: &str) -> String {
        let id = format!(
            "r{}",
            8_000_000_000_000_000_000_u64 + self.drafts.len() as u64 + 1
        );
        self.drafts.push((id.clone(), message_id.to_string()));
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::gmail::*;

    fn mailbox() -> Mailbox {
        Mailbox::seeded(
            DateTime::parse_from_rfc3339("2026-05-12T00:00:00Z")
                .unwrap()
                .to_utc(),
        )
    }

    fn ids(mailbox: &Mailbox, q: &str) -> Vec<String> {
        let now = DateTime::parse_from_rfc3339("2026-05-12T10:00:00Z")
            .unwrap()
            .to_utc();
        mailbox
            .search(&Query::parse(q), &[], false, now)
            .iter()
            .map(|m| m.id.clone())
            .collect()
    }

    #[test]
    fn billing_mail_of_the_last_week_is_only_the_new_invoice() {
        assert_eq!(
            ids(&mailbox(), "from:billing@example.com newer_than:7d"),
            [INVOICE_READY]
        );
        assert_eq!(
            ids(&mailbox(), "from:billing older_than:7d"),
            [PAYMENT_RECEIVED]
        );
    }

    #[test]
    fn results_are_newest_first_and_hide_spam_and_trash() {
        let all = ids(&mailbox(), "");

        assert_eq!(all.first().map(String::as_str), Some(Q3_PLAN_REVIEW));
        assert_eq!(all.last().map(String::as_str), Some(CAPTURE_ALTERNATIVE));
        assert!(!all.iter().any(|id| id == SPAM || id == TRASHED));
        assert_eq!(ids(&mailbox(), "in:trash"), [TRASHED]);
    }

    #[test]
    fn free_words_search_subject_body_and_html_text() {
        assert_eq!(
            ids(&mailbox(), "monday quarterly"),
            [MAILING_LIST, HTML_ONLY]
        );
        assert_eq!(ids(&mailbox(), r#"subject:"Q3 plan""#), [Q3_PLAN_REVIEW]);
        assert_eq!(ids(&mailbox(), "bestätigt"), [HOTEL_BOOKING]);
    }

    #[test]
    fn label_and_flag_terms_use_the_message_labels() {
        assert_eq!(ids(&mailbox(), "is:starred"), [LUNCH]);
        assert_eq!(
            ids(&mailbox(), "label:receipts has:attachment"),
            [INVOICE_READY]
        );
        assert_eq!(
            ids(&mailbox(), "in:sent"),
            [SENT_AGENDA, BUDGET_FIRST_REPLY]
        );
        assert_eq!(ids(&mailbox(), "is:unread from:dave"), [BUDGET_LAST_REPLY]);
    }

    #[test]
    fn date_bounds_and_or_combine() {
        let window = ids(&mailbox(), "after:2026/05/08 before:2026-05-10");
        assert_eq!(window, [UNPADDED_PRICES, LUNCH, SENT_AGENDA, NESTED_AGENDA]);

        assert_eq!(
            ids(&mailbox(), "from:bob OR from:erik"),
            [LUNCH, INVOICE_QUESTION]
        );
    }

    #[test]
    fn new_ids_increase_and_are_sixteen_hex_digits() {
        let mut mailbox = mailbox();
        let now = DateTime::parse_from_rfc3339("2026-05-12T10:00:00Z")
            .unwrap()
            .to_utc();
        let first = mailbox.next_id(now);
        let second = mailbox.next_id(now);

        assert_eq!(first.len(), 16);
        assert!(second > first);
    }
}
