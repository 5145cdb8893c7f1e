//! A loaded log with its chosen domain and timeline: what the UI holds and asks questions of.
use crate::engine::domain::{choose_domain, DomainChoice};
use crate::engine::fields::Fields;
use crate::engine::formats::{parse_log, LoadError};
use crate::engine::log::Log;
use crate::engine::timeline::{build_timeline, Problem, Replay, DEFAULT_SNAPSHOT_INTERVAL};
use serde_json::Value;

pub struct Session {
    /// What the person loaded: a sample's name or "pasted log".
    pub source: String,
    pub log: Log,
    pub choice: DomainChoice,
    timeline: Box<dyn Replay>,
}

impl Session {
    pub fn load(source: impl Into<String>, text: &str) -> Result<Session, LoadError> {
        let log = parse_log(text)?;
        let choice = choose_domain(
            log.declared_domain.as_deref(),
            log.events().iter().map(|e| log.type_name(e)),
        );
        let timeline = build_timeline(choice.domain, &log, DEFAULT_SNAPSHOT_INTERVAL);
        Ok(Session { source: source.into(), log, choice, timeline })
    }

    pub fn len(&self) -> usize {
        self.log.len()
    }

    pub fn is_empty(&self) -> bool {
        self.log.is_empty()
    }

    pub fn snapshot_interval(&self) -> usize {
        self.timeline.interval()
    }

    /// The state after the first `position` events, and how many events the seek replayed.
    pub fn state_at(&self, position: usize) -> (Value, usize) {
        self.timeline.seek_json(&self.log, position)
    }

    pub fn problems(&self) -> &[Problem] {
        self.timeline.problems()
    }

    /// Problems found at the event at `position` (0-based).
    pub fn problems_at(&self, position: usize) -> &[Problem] {
        let problems = self.timeline.problems();
        let start = problems.partition_point(|p| p.position < position);
        let end = problems.partition_point(|p| p.position <= position);
        &problems[start..end]
    }

    /// One line of the event's data for a list row: `amount: 100, sku: "A-1"`.
    pub fn data_summary(&self, position: usize) -> String {
        const MAX_CHARS: usize = 80;
        let event = &self.log.events()[position];
        let Ok(fields) = Fields::parse(&event.data) else { return String::new() };
        let mut summary = String::new();
        for (i, (key, value)) in fields.iter().enumerate() {
            if i > 0 {
                summary.push_str(", ");
            }
            summary.push_str(key);
            summary.push_str(": ");
            summary.push_str(value.get());
            if summary.chars().count() > MAX_CHARS {
                let cut: String = summary.chars().take(MAX_CHARS - 1).collect();
                return cut + "…";
            }
        }
        summary
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_summary_lists_fields_in_written_order() {
        let session = Session::load("t", r#"[{"type":"Deposit","amount":100,"note":"rent"}]"#).unwrap();
        assert_eq!(session.data_summary(0), r#"amount: 100, note: "rent""#);
    }

    #[test]
    fn long_summaries_are_cut_with_an_ellipsis() {
        let long = "x".repeat(200);
        let session = Session::load("t", &format!(r#"[{{"type":"Note","text":"{long}"}}]"#)).unwrap();
        let summary = session.data_summary(0);
        assert_eq!(summary.chars().count(), 80);
        assert!(summary.ends_with('…'));
    }
}
