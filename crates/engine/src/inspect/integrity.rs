//! Signs that a log is not what it claims to be: `seq` gaps, repeats and steps back within a
//! stream, an `id` used twice, `recorded_at` going back in time. Warnings only: the log still
//! loads and replays as written.
use crate::log::Log;
use rustc_hash::{FxBuildHasher, FxHashMap};
use std::collections::hash_map::Entry;
use std::hash::BuildHasher;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IntegrityWarning {
    /// 0-based position of the event the warning is about.
    pub position: usize,
    pub kind: IntegrityKind,
    /// For people; events are numbered from 1.
    pub message: String,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum IntegrityKind {
    SeqGap,
    SeqBackwards,
    DuplicateSeq,
    DuplicateId,
    RecordedAtBackwards,
    /// A key written twice in one of the event's objects: the last one is read, as in JavaScript.
    DuplicateKey,
    /// A string that is no text (a lone surrogate): kept as written.
    NoText,
}

/// Where a stream's explicit `seq`s have got to.
#[derive(Default)]
struct StreamSeq {
    /// The last `seq` that was not a repeat.
    last: u64,
    /// The highest `seq` so far: a gap is a jump past it, so each missing number is reported once.
    highest: u64,
    /// Every `seq` seen, sorted, with its first position and how often it came. Logs almost always
    /// count up, so this is a push per event; only a step back pays for a search.
    seen: Vec<SeenSeq>,
}

struct SeenSeq {
    seq: u64,
    first: usize,
    times: u64,
}

/// Every warning for `log`, by position (at one event: seq, then id, then recorded_at, then a
/// duplicate key, then a string that is no text).
///
/// Only events with an explicit `seq` take part in the seq checks, each stream on its own; the
/// first `seq` of a stream may be any number. A `seq` already used in the stream is a repeat (and
/// only that, even if it is also lower than the one before). Otherwise a `seq` lower than the
/// stream's last is a step back, and one more than one past the stream's highest is a gap. Ids are
/// checked across the whole log; `recorded_at` is compared, as an instant, with the last event
/// before it that has one.
pub fn check(log: &Log) -> Vec<IntegrityWarning> {
    let mut check = IntegrityCheck::<FxBuildHasher>::default();
    check.step(log, usize::MAX);
    check.finish()
}

/// `check` a slice of events at a time. Holds no borrow of the log between slices, so a loading
/// page can check the log it is about to show while staying responsive.
#[derive(Default)]
pub struct IntegrityCheck<IdHash = FxBuildHasher> {
    warnings: Vec<IntegrityWarning>,
    /// By stream `Sym`.
    streams: Vec<StreamSeq>,
    /// Each id's first position, keyed by the id's hash; an id whose hash an earlier, different
    /// id already has goes to `colliding`.
    ids: FxHashMap<u64, usize>,
    colliding: FxHashMap<Box<str>, usize>,
    id_hash: IdHash,
    /// The position of the last event with a `recorded_at`.
    last_recorded: Option<usize>,
    next: usize,
}

impl<IdHash: BuildHasher> IntegrityCheck<IdHash> {
    /// Checks up to `events` more events of `log`; true once every event is checked.
    pub fn step(&mut self, log: &Log, events: usize) -> bool {
        if self.next == 0 {
            // One table for every id at once, rather than growing by doubling.
            self.ids.reserve(log.events().iter().filter(|e| e.id().is_some()).count());
        }
        let end = self.next.saturating_add(events).min(log.len());
        for position in self.next..end {
            self.check_event(log, position);
        }
        self.next = end;
        end == log.len()
    }

    /// Events checked so far.
    pub fn checked(&self) -> usize {
        self.next
    }

    pub fn finish(mut self) -> Vec<IntegrityWarning> {
        // Already in position order (one pass over the log); the sort is stable, so this only guards it.
        self.warnings.sort_by_key(|w| w.position);
        self.warnings
    }

    fn check_event(&mut self, log: &Log, position: usize) {
        let event = &log.events()[position];
        let warnings = &mut self.warnings;
        let mut warn = |kind, message| warnings.push(IntegrityWarning { position, kind, message });
        if let Some(seq) = event.seq {
            // Named only in a warning: most events have none.
            let stream = || shortened(log.stream_name(event.stream));
            if self.streams.len() <= event.stream.index() {
                self.streams.resize_with(event.stream.index() + 1, StreamSeq::default);
            }
            let state = &mut self.streams[event.stream.index()];
            let first_in_stream = state.seen.is_empty();
            let repeat = if first_in_stream || seq > state.highest {
                state.seen.push(SeenSeq { seq, first: position, times: 1 });
                None
            } else {
                match state.seen.binary_search_by_key(&seq, |s| s.seq) {
                    Ok(at) => {
                        state.seen[at].times += 1;
                        Some((state.seen[at].first, state.seen[at].times))
                    }
                    Err(at) => {
                        state.seen.insert(at, SeenSeq { seq, first: position, times: 1 });
                        None
                    }
                }
            };
            if let Some((first, times)) = repeat {
                let message = if times == 2 {
                    format!(
                        "seq {seq} appears twice in stream {} (events {} and {})",
                        stream(),
                        first + 1,
                        position + 1
                    )
                } else {
                    format!(
                        "seq {seq} appears {times} times in stream {} (first at event {}, again at event {})",
                        stream(),
                        first + 1,
                        position + 1
                    )
                };
                warn(IntegrityKind::DuplicateSeq, message);
            } else if first_in_stream {
                (state.last, state.highest) = (seq, seq);
            } else {
                if seq < state.last {
                    warn(
                        IntegrityKind::SeqBackwards,
                        format!("seq goes back from {} to {seq} in stream {}", state.last, stream()),
                    );
                } else if seq > state.highest && seq - state.highest > 1 {
                    let (from, to) = (state.highest + 1, seq - 1);
                    let missing = if from == to {
                        format!("1 event missing ({from})")
                    } else {
                        format!("{} events missing ({from}–{to})", to - from + 1)
                    };
                    warn(
                        IntegrityKind::SeqGap,
                        format!("seq jumps from {} to {seq} in stream {}: {missing}", state.highest, stream()),
                    );
                }
                state.last = seq;
                state.highest = state.highest.max(seq);
            }
        }
        if let Some(id) = event.id() {
            let first = match self.ids.entry(self.id_hash.hash_one(id)) {
                Entry::Vacant(entry) => {
                    entry.insert(position);
                    None
                }
                Entry::Occupied(entry) if log.events()[*entry.get()].id() == Some(id) => Some(*entry.get()),
                Entry::Occupied(_) => match self.colliding.get(id) {
                    Some(&first) => Some(first),
                    None => {
                        self.colliding.insert(id.into(), position);
                        None
                    }
                },
            };
            if let Some(first) = first {
                warn(IntegrityKind::DuplicateId, format!("id {} is also used by event {}", shortened(id), first + 1));
            }
        }
        if let Some(text) = event.recorded_at() {
            if let Some(previous) = self.last_recorded.and_then(|p| log.events()[p].recorded_at()) {
                if earlier(text, previous) {
                    warn(
                        IntegrityKind::RecordedAtBackwards,
                        format!("recorded_at goes back from {previous} to {text}"),
                    );
                }
            }
            self.last_recorded = Some(position);
        }
        if let Some(duplicate) = log.duplicate_key_at(position) {
            warn(IntegrityKind::DuplicateKey, duplicate.message());
        }
        if let Some(no_text) = log.no_text_at(position) {
            warn(IntegrityKind::NoText, no_text.message());
        }
    }
}

/// A name or id as a warning shows it: whole up to `SHOWN_CHARS` characters, else its start and
/// its length (a 100 KB id would otherwise make a 100 KB message).
pub fn shortened(text: &str) -> std::borrow::Cow<'_, str> {
    const SHOWN_CHARS: usize = 80;
    match text.char_indices().nth(SHOWN_CHARS) {
        None => text.into(),
        Some((end, _)) => format!("{}… ({} characters)", &text[..end], text.chars().count()).into(),
    }
}

/// Whether RFC 3339 time `a` is an earlier instant than `b`. Two UTC times written alike
/// (`…T…Z`, the same length, so the same fraction digits) compare as text, which spares parsing
/// a million timestamps; any other pair is compared as instants. Both were validated at load.
fn earlier(a: &str, b: &str) -> bool {
    let plain_utc = |t: &str| t.ends_with('Z') && t.as_bytes().get(10) == Some(&b'T');
    if a.len() == b.len() && plain_utc(a) && plain_utc(b) {
        return a < b;
    }
    match (OffsetDateTime::parse(a, &Rfc3339), OffsetDateTime::parse(b, &Rfc3339)) {
        (Ok(a), Ok(b)) => a < b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::parse_log;

    fn warnings(json: &str) -> Vec<(usize, IntegrityKind, String)> {
        let log = parse_log(json).expect("a valid test log");
        check(&log).into_iter().map(|w| (w.position, w.kind, w.message)).collect()
    }

    fn seq_log(stream_seqs: &[(&str, u64)]) -> String {
        let events: Vec<String> = stream_seqs
            .iter()
            .map(|(stream, seq)| format!(r#"{{"type":"Deposit","stream":"{stream}","seq":{seq},"amount":1}}"#))
            .collect();
        format!("[{}]", events.join(","))
    }

    #[test]
    fn a_clean_log_with_seqs_ids_and_timestamps_has_no_warnings() {
        let log = r#"[
            {"type":"AccountOpened","stream":"acc-1","seq":1,"id":"e1","recorded_at":"2024-05-01T09:00:00Z"},
            {"type":"Deposit","stream":"acc-2","seq":1,"id":"e2","recorded_at":"2024-05-01T09:00:00Z","amount":5},
            {"type":"Deposit","stream":"acc-1","seq":2,"id":"e3","recorded_at":"2024-05-02T10:00:00+02:00","amount":5},
            {"type":"Deposit","stream":"acc-1","seq":3,"id":3,"recorded_at":"2024-05-03T14:05:00Z","amount":5}
        ]"#;
        assert_eq!(warnings(log), []);
    }

    #[test]
    fn a_log_without_seqs_ids_or_timestamps_has_no_warnings() {
        assert_eq!(warnings(r#"[{"type":"Deposit","amount":100},{"type":"Withdraw","amount":30}]"#), []);
        assert_eq!(warnings("[]"), []);
    }

    #[test]
    fn a_seq_gap_names_the_missing_range() {
        assert_eq!(
            warnings(&seq_log(&[("acc-1", 3), ("acc-1", 4), ("acc-1", 7)])),
            [(2, IntegrityKind::SeqGap, "seq jumps from 4 to 7 in stream acc-1: 2 events missing (5–6)".into())]
        );
    }

    #[test]
    fn a_gap_of_one_names_the_single_missing_seq() {
        assert_eq!(
            warnings(&seq_log(&[("acc-1", 4), ("acc-1", 6)])),
            [(1, IntegrityKind::SeqGap, "seq jumps from 4 to 6 in stream acc-1: 1 event missing (5)".into())]
        );
    }

    #[test]
    fn seqs_are_counted_per_stream() {
        assert_eq!(warnings(&seq_log(&[("acc-1", 1), ("acc-2", 1), ("acc-1", 2), ("acc-2", 2), ("acc-2", 3)])), []);
    }

    #[test]
    fn a_first_seq_above_one_is_not_a_gap() {
        assert_eq!(warnings(&seq_log(&[("acc-1", 40), ("acc-1", 41)])), []);
    }

    #[test]
    fn a_repeated_seq_names_both_events_one_based() {
        assert_eq!(
            warnings(&seq_log(&[("acc-1", 2), ("acc-1", 3), ("acc-1", 4), ("acc-2", 4), ("acc-1", 4)])),
            [(4, IntegrityKind::DuplicateSeq, "seq 4 appears twice in stream acc-1 (events 3 and 5)".into())]
        );
    }

    #[test]
    fn a_seq_seen_a_third_time_says_how_many_times() {
        assert_eq!(
            warnings(&seq_log(&[("acc-1", 1), ("acc-1", 1), ("acc-1", 1)])),
            [
                (1, IntegrityKind::DuplicateSeq, "seq 1 appears twice in stream acc-1 (events 1 and 2)".into()),
                (
                    2,
                    IntegrityKind::DuplicateSeq,
                    "seq 1 appears 3 times in stream acc-1 (first at event 1, again at event 3)".into()
                ),
            ]
        );
    }

    #[test]
    fn a_repeat_is_not_also_a_gap_or_a_step_back() {
        assert_eq!(
            warnings(&seq_log(&[("acc-1", 1), ("acc-1", 2), ("acc-1", 3), ("acc-1", 2), ("acc-1", 4)])),
            [(3, IntegrityKind::DuplicateSeq, "seq 2 appears twice in stream acc-1 (events 2 and 4)".into())]
        );
    }

    #[test]
    fn a_seq_going_back_is_reported_once_and_the_stream_goes_on_from_there() {
        assert_eq!(
            warnings(&seq_log(&[("acc-1", 1), ("acc-1", 2), ("acc-1", 9), ("acc-1", 3), ("acc-1", 4)])),
            [
                (2, IntegrityKind::SeqGap, "seq jumps from 2 to 9 in stream acc-1: 6 events missing (3–8)".into()),
                (3, IntegrityKind::SeqBackwards, "seq goes back from 9 to 3 in stream acc-1".into()),
            ]
        );
    }

    #[test]
    fn events_without_seq_do_not_take_part_in_seq_checks() {
        let log = r#"[
            {"type":"Deposit","stream":"acc-1","seq":4,"amount":1},
            {"type":"Deposit","stream":"acc-1","amount":1},
            {"type":"Deposit","stream":"acc-1","seq":5,"amount":1}
        ]"#;
        assert_eq!(warnings(log), []);
    }

    #[test]
    fn huge_seqs_do_not_overflow() {
        let max = u64::MAX;
        assert_eq!(
            warnings(&seq_log(&[("s", 0), ("s", max)])),
            [(
                1,
                IntegrityKind::SeqGap,
                format!("seq jumps from 0 to {max} in stream s: {} events missing (1–{})", max - 1, max - 1)
            )]
        );
    }

    #[test]
    fn a_duplicate_id_anywhere_names_the_first_event_using_it() {
        let log = r#"[
            {"type":"Deposit","stream":"acc-1","id":"e1","amount":1},
            {"type":"Deposit","stream":"acc-2","id":"e7","amount":1},
            {"type":"Deposit","stream":"acc-3","id":"e3","amount":1},
            {"type":"Deposit","stream":"acc-1","id":"e7","amount":1}
        ]"#;
        assert_eq!(warnings(log), [(3, IntegrityKind::DuplicateId, "id e7 is also used by event 2".into())]);
    }

    /// Every id hashes alike, so every id after the first takes the colliding path.
    #[derive(Default)]
    struct OneHash;

    impl BuildHasher for OneHash {
        type Hasher = ConstantHasher;
        fn build_hasher(&self) -> ConstantHasher {
            ConstantHasher
        }
    }

    struct ConstantHasher;

    impl std::hash::Hasher for ConstantHasher {
        fn finish(&self) -> u64 {
            7
        }
        fn write(&mut self, _: &[u8]) {}
    }

    #[test]
    fn ids_whose_hashes_collide_are_still_told_apart() {
        let log = parse_log(
            r#"[{"type":"A","id":"a"},{"type":"A","id":"b"},{"type":"A","id":"a"},{"type":"A","id":"c"},
                {"type":"A","id":"b"},{"type":"A","id":"b"}]"#,
        )
        .unwrap();
        let mut colliding = IntegrityCheck::<OneHash>::default();
        for _ in 0..log.len() {
            colliding.step(&log, 1);
        }
        let messages: Vec<String> = colliding.finish().into_iter().map(|w| w.message).collect();
        assert_eq!(
            messages,
            ["id a is also used by event 1", "id b is also used by event 2", "id b is also used by event 2"]
        );
        assert_eq!(check(&log).into_iter().map(|w| w.message).collect::<Vec<_>>(), messages);
    }

    #[test]
    fn a_numeric_id_and_a_string_id_with_the_same_text_are_the_same_id() {
        let log = r#"[{"type":"A","id":7},{"type":"A","id":7},{"type":"A","id":"7"}]"#;
        assert_eq!(
            warnings(log),
            [
                (1, IntegrityKind::DuplicateId, "id 7 is also used by event 1".into()),
                (2, IntegrityKind::DuplicateId, "id 7 is also used by event 1".into()),
            ]
        );
    }

    #[test]
    fn recorded_at_going_back_names_both_timestamps_as_written() {
        let log = r#"[
            {"type":"A","stream":"acc-1","recorded_at":"2024-05-01T08:00:00Z"},
            {"type":"A","stream":"acc-2","recorded_at":"2024-05-03T14:05:00Z"},
            {"type":"A","stream":"acc-1","recorded_at":"2024-05-01T09:00:00Z"},
            {"type":"A","stream":"acc-1","recorded_at":"2024-05-04T00:00:00Z"}
        ]"#;
        assert_eq!(
            warnings(log),
            [(
                2,
                IntegrityKind::RecordedAtBackwards,
                "recorded_at goes back from 2024-05-03T14:05:00Z to 2024-05-01T09:00:00Z".into()
            )]
        );
    }

    #[test]
    fn recorded_at_is_compared_as_instants_not_text() {
        // 10:00+02:00 is 08:00Z: earlier than 09:00Z although its text sorts later.
        let later_text_earlier_instant = r#"[
            {"type":"A","recorded_at":"2024-05-01T09:00:00Z"},
            {"type":"A","recorded_at":"2024-05-01T10:00:00+02:00"}
        ]"#;
        assert_eq!(
            warnings(later_text_earlier_instant),
            [(
                1,
                IntegrityKind::RecordedAtBackwards,
                "recorded_at goes back from 2024-05-01T09:00:00Z to 2024-05-01T10:00:00+02:00".into()
            )]
        );
        // 08:00-03:00 is 11:00Z: later than 09:00Z although its text sorts earlier.
        let earlier_text_later_instant = r#"[
            {"type":"A","recorded_at":"2024-05-01T09:00:00Z"},
            {"type":"A","recorded_at":"2024-05-01T08:00:00-03:00"}
        ]"#;
        assert_eq!(warnings(earlier_text_later_instant), []);
    }

    #[test]
    fn recorded_at_written_differently_is_still_compared_as_instants() {
        let lower_case_separators = r#"[
            {"type":"A","recorded_at":"2024-05-01T09:00:00Z"},
            {"type":"B","recorded_at":"2024-05-01t08:00:00z"},
            {"type":"C","recorded_at":"2024-05-01T08:30:00.5Z"}]"#;
        let kinds: Vec<_> = warnings(lower_case_separators).into_iter().map(|(p, k, _)| (p, k)).collect();
        assert_eq!(kinds, [(1, IntegrityKind::RecordedAtBackwards)]);
    }

    #[test]
    fn equal_recorded_at_is_not_going_back() {
        let log =
            r#"[{"type":"A","recorded_at":"2024-05-01T09:00:00Z"},{"type":"A","recorded_at":"2024-05-01T09:00:00Z"}]"#;
        assert_eq!(warnings(log), []);
    }

    #[test]
    fn several_warnings_at_one_event_come_in_kind_order_and_all_by_position() {
        let log = r#"[
            {"type":"A","stream":"s","seq":1,"id":"x","recorded_at":"2024-05-02T00:00:00Z"},
            {"type":"A","stream":"s","seq":5,"id":"x","recorded_at":"2024-05-01T00:00:00Z"},
            {"type":"A","stream":"s","seq":5}
        ]"#;
        let kinds: Vec<(usize, IntegrityKind)> = warnings(log).into_iter().map(|(p, k, _)| (p, k)).collect();
        assert_eq!(
            kinds,
            [
                (1, IntegrityKind::SeqGap),
                (1, IntegrityKind::DuplicateId),
                (1, IntegrityKind::RecordedAtBackwards),
                (2, IntegrityKind::DuplicateSeq),
            ]
        );
    }

    #[test]
    fn a_key_written_twice_is_flagged_at_its_event_not_read_silently() {
        let log = r#"[
            {"type":"Deposit","amount":1},
            {"type":"Deposit","amount":1,"amount":1000},
            {"type":"Deposit","data":{"amount":5,"note":{"a":1,"a":2}}},
            {"type":"Deposit","type":"Withdraw","amount":1}
        ]"#;
        assert_eq!(
            warnings(log),
            [
                (
                    1,
                    IntegrityKind::DuplicateKey,
                    "key \"amount\" appears twice in the event: the last one is read".into()
                ),
                (2, IntegrityKind::DuplicateKey, "key \"a\" appears twice in data.note: the last one is read".into()),
                (
                    3,
                    IntegrityKind::DuplicateKey,
                    "key \"type\" appears twice in the event: the last one is read".into()
                ),
            ]
        );
    }

    #[test]
    fn an_envelope_key_written_twice_is_flagged_at_the_first_event_read_either_way() {
        for log in [
            r#"{"domain":"bank","domain":"store","events":[{"type":"A"},{"type":"B"}]}"#,
            r#"{"events":[{"type":"X"}],"events":[{"type":"A"},{"type":"B"}]}"#,
        ] {
            let key = if log.contains(r#""domain":"store""#) { "domain" } else { "events" };
            let expected = [(
                0,
                IntegrityKind::DuplicateKey,
                format!("key \"{key}\" appears twice in the log's envelope: the last one is read"),
            )];
            assert_eq!(warnings(log), expected, "{log}");
            let mut reader = crate::formats::LogReader::new(log).unwrap();
            while !reader.step(1) {}
            let sliced = reader.finish().unwrap();
            let found: Vec<_> = check(&sliced).into_iter().map(|w| (w.position, w.kind, w.message)).collect();
            assert_eq!(found, expected, "in slices: {log}");
        }
    }

    #[test]
    fn duplicate_keys_are_flagged_on_every_path_and_format() {
        let lines = "{\"type\":\"A\"}\n{\"type\":\"B\",\"x\":1,\"x\":2}\n";
        assert_eq!(warnings(lines).len(), 1, "JSON Lines");
        let cloud = r#"[{"specversion":"1.0","type":"A","source":"/s","id":"1","data":{"k":1,"k":2}}]"#;
        assert_eq!(warnings(cloud)[0].0, 0, "CloudEvents");
        let mapped = crate::formats::read_log(
            r#"[{"name":"A","who":"u1","who":"u2"}]"#,
            &crate::formats::LoadOptions {
                strict: true,
                mapping: Some(crate::formats::Mapping { type_path: "name".into(), ..Default::default() }),
            },
        )
        .unwrap();
        assert_eq!(check(&mapped).len(), 1, "with a mapping");
    }

    #[test]
    fn a_long_id_or_stream_is_shortened_in_its_warning() {
        let id = "i".repeat(100 * 1024);
        let stream = "s".repeat(500);
        let log = format!(
            r#"[{{"type":"A","id":"{id}","stream":"{stream}","seq":1}},{{"type":"A","id":"{id}","stream":"{stream}","seq":3}}]"#
        );
        let found = warnings(&log);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found.iter().all(|(_, _, message)| message.len() < 400), "{found:?}");
        assert!(found[0].2.contains("… (500 characters)"), "{}", found[0].2);
        assert!(found[1].2.contains("… (102400 characters)"), "{}", found[1].2);
    }

    #[test]
    fn a_string_that_is_no_text_is_flagged_at_its_event() {
        let log = r#"[{"type":"Note","text":"fine"},{"type":"Note","data":{"text":"\ud800"}}]"#;
        assert_eq!(
            warnings(log),
            [(
                1,
                IntegrityKind::NoText,
                "data.text holds a lone surrogate (an escape such as \\ud800 that is no text): it is kept as written"
                    .into()
            )]
        );
    }
}
