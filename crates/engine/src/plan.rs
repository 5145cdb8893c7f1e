//! Which events a timeline replays, and in what order: a view over the log, never a change to it.
//!
//! Skipping an event replays as if it were missing (it stays on the timeline as a no-op, so
//! positions line up with the list); the effective order replays events in the order they
//! happened (`effective_at`) rather than the order the system learned them (log order).
use crate::event::Event;
use crate::log::Log;
use std::sync::Arc;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub enum TimelineOrder {
    /// What the system knew, in the order it learned it: log order.
    #[default]
    AsRecorded,
    /// What was true, in the order it happened: by `effective_at` (else `recorded_at`).
    AsEffective,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    /// Log position of each timeline position; `None` means the two are equal (log order), which
    /// costs nothing for the common case.
    order: Option<Arc<[u32]>>,
    /// Timeline position of each log position (the inverse of `order`).
    inverse: Option<Arc<[u32]>>,
    /// Log positions replayed as if missing, as a bit set.
    skipped: Arc<[u64]>,
}

impl Plan {
    pub fn new(log: &Log, order: TimelineOrder, skipped: impl IntoIterator<Item = usize>) -> Plan {
        let mut bits = vec![0u64; log.len().div_ceil(64)];
        for position in skipped.into_iter().filter(|&p| p < log.len()) {
            bits[position / 64] |= 1 << (position % 64);
        }
        let (order, inverse) = match order {
            TimelineOrder::AsRecorded => (None, None),
            TimelineOrder::AsEffective => {
                let order = effective_order(log);
                let mut inverse = vec![0u32; order.len()];
                for (timeline, &log_position) in order.iter().enumerate() {
                    inverse[log_position as usize] = timeline as u32;
                }
                (Some(order.into()), Some(inverse.into()))
            }
        };
        Plan { order, inverse, skipped: bits.into() }
    }

    /// The log position replayed at timeline position `position`.
    pub fn log_position(&self, position: usize) -> usize {
        self.order.as_ref().map_or(position, |order| order[position] as usize)
    }

    /// The timeline position at which log position `position` is replayed.
    pub fn timeline_position(&self, position: usize) -> usize {
        self.inverse.as_ref().map_or(position, |inverse| inverse[position] as usize)
    }

    pub fn is_skipped(&self, log_position: usize) -> bool {
        self.skipped.get(log_position / 64).is_some_and(|bits| bits & (1 << (log_position % 64)) != 0)
    }

    pub fn is_log_order(&self) -> bool {
        self.order.is_none()
    }
}

/// Log positions sorted by when each event took effect: `effective_at`, else `recorded_at`, else
/// the time of the event before it (so an event without times stays beside its neighbour). The
/// sort is stable: events with equal times keep their log order.
fn effective_order(log: &Log) -> Vec<u32> {
    let mut previous = i128::MIN;
    let keys: Vec<i128> = log
        .events()
        .iter()
        .map(|event| {
            if let Some(at) = effective_time(event) {
                previous = at;
            }
            previous
        })
        .collect();
    let mut order: Vec<u32> = (0..log.len() as u32).collect();
    order.sort_by_key(|&p| keys[p as usize]);
    order
}

fn effective_time(event: &Event) -> Option<i128> {
    let text = event.effective_at().or(event.recorded_at())?;
    OffsetDateTime::parse(text, &Rfc3339).ok().map(|t| t.unix_timestamp_nanos())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::parse_log;

    fn types_in_order(text: &str) -> Vec<String> {
        let log = parse_log(text).unwrap();
        let plan = Plan::new(&log, TimelineOrder::AsEffective, []);
        (0..log.len()).map(|p| log.type_name(&log.events()[plan.log_position(p)]).to_string()).collect()
    }

    #[test]
    fn times_with_offsets_and_nanoseconds_order_by_the_instant_not_the_text() {
        let text = r#"[
            {"type":"A","effective_at":"2024-03-01T09:00:00+01:00"},
            {"type":"B","effective_at":"2024-03-01T07:30:00.000000001Z"},
            {"type":"C","effective_at":"2024-03-01T08:30:00Z"},
            {"type":"D","effective_at":"2024-03-01T07:30:00Z"}
        ]"#;
        // 07:30, 07:30 and a nanosecond, 08:00 (09:00+01:00), 08:30.
        assert_eq!(types_in_order(text), ["D", "B", "A", "C"]);
        assert_eq!(parse_log(text).unwrap().events()[0].effective_at(), Some("2024-03-01T09:00:00+01:00"));
    }

    #[test]
    fn a_retroactive_event_moves_to_when_it_took_effect() {
        let text = r#"[
            {"type":"A","recorded_at":"2024-03-01T00:00:00Z"},
            {"type":"B","recorded_at":"2024-03-05T00:00:00Z"},
            {"type":"Late","recorded_at":"2024-03-10T00:00:00Z","effective_at":"2024-03-03T00:00:00Z"}
        ]"#;
        assert_eq!(types_in_order(text), ["A", "Late", "B"]);
    }

    #[test]
    fn equal_times_keep_log_order() {
        let text = r#"[
            {"type":"A","effective_at":"2024-03-01T00:00:00Z"},
            {"type":"B","effective_at":"2024-03-01T00:00:00Z"},
            {"type":"C","effective_at":"2024-03-01T00:00:00+00:00"}
        ]"#;
        assert_eq!(types_in_order(text), ["A", "B", "C"]);
    }

    #[test]
    fn events_without_times_stay_beside_the_event_before_them() {
        let text = r#"[
            {"type":"A","recorded_at":"2024-03-05T00:00:00Z"},
            {"type":"A2"},
            {"type":"B","recorded_at":"2024-03-06T00:00:00Z","effective_at":"2024-03-01T00:00:00Z"}
        ]"#;
        assert_eq!(types_in_order(text), ["B", "A", "A2"]);
    }

    #[test]
    fn timeline_and_log_positions_are_inverse() {
        let text = r#"[
            {"type":"A","effective_at":"2024-03-03T00:00:00Z"},
            {"type":"B","effective_at":"2024-03-01T00:00:00Z"},
            {"type":"C","effective_at":"2024-03-02T00:00:00Z"}
        ]"#;
        let log = parse_log(text).unwrap();
        let plan = Plan::new(&log, TimelineOrder::AsEffective, []);
        for p in 0..3 {
            assert_eq!(plan.timeline_position(plan.log_position(p)), p);
        }
    }

    #[test]
    fn skips_are_by_log_position_and_out_of_range_ones_are_ignored() {
        let log = parse_log(&format!("[{}]", vec![r#"{"type":"A"}"#; 70].join(","))).unwrap();
        let plan = Plan::new(&log, TimelineOrder::AsRecorded, [1, 65, 500]);
        assert!(plan.is_skipped(1) && plan.is_skipped(65));
        assert!(!plan.is_skipped(0) && !plan.is_skipped(64) && !plan.is_skipped(500));
    }
}
