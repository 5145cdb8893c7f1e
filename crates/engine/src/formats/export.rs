//! Writing a log back out: Rewind JSON (the envelope, pretty-printed) and JSON Lines (one compact
//! event per line). Importing either gives back the same log: every event field, the data and
//! meta as written (numbers keep their exact text), the unknown fields, and — Rewind JSON only,
//! since JSON Lines has no envelope — the declared domain and unknown envelope fields.
use crate::event::Event;
use crate::log::Log;

/// The log as Rewind JSON: `{"domain", …unknown envelope fields, "events": [...]}`, every event
/// enveloped (`data` as an object, unknown fields beside it), two-space indent.
pub fn to_rewind_json(log: &Log) -> String {
    to_rewind_json_declaring(log, log.declared_domain())
}

/// `to_rewind_json`, the envelope declaring `domain` (the person's choice) instead of what the
/// log declared.
pub fn to_rewind_json_declaring(log: &Log, domain: Option<&str>) -> String {
    let mut pieces = RewindJsonPieces::new(log).declaring(domain);
    let mut text = String::with_capacity(256 + log.len() * 160);
    while let Some(piece) = pieces.next_piece(usize::MAX) {
        text.push_str(&piece);
    }
    text
}

/// `to_rewind_json` written a piece at a time, so a large log can be saved without holding the
/// page (or a second copy of the whole text): the pieces, joined, are exactly that text.
pub struct RewindJsonPieces<'l> {
    log: &'l Log,
    domain: Option<&'l str>,
    /// Events written so far; `None` before the head is.
    next: Option<usize>,
    done: bool,
}

impl<'l> RewindJsonPieces<'l> {
    pub fn new(log: &'l Log) -> Self {
        RewindJsonPieces { log, domain: log.declared_domain(), next: None, done: false }
    }

    /// The envelope declares `domain` instead of what the log declared.
    pub fn declaring(self, domain: Option<&'l str>) -> Self {
        RewindJsonPieces { domain, ..self }
    }

    /// The next piece, with up to `events` events in it; `None` once the whole log is written.
    pub fn next_piece(&mut self, events: usize) -> Option<String> {
        if self.done {
            return None;
        }
        let log = self.log;
        let mut out = Writer { text: String::new(), pretty: true };
        let start = match self.next {
            Some(next) => next,
            None => {
                out.text.push('{');
                let mut first = true;
                if let Some(domain) = self.domain {
                    out.member(&mut first, 1, "domain");
                    out.string(domain);
                }
                if let Some((mapping, _)) = log.mapping() {
                    out.member(&mut first, 1, "mapping");
                    out.raw(&serde_json::to_string(mapping).expect("a mapping serializes"), 1);
                }
                if let Some(reducer) = log.reducer() {
                    out.member(&mut first, 1, "reducer");
                    out.raw(&serde_json::to_string(reducer).expect("a script serializes"), 1);
                }
                if let Some(state) = log.initial_state() {
                    out.member(&mut first, 1, "initial_state");
                    out.raw(state.get(), 1);
                }
                if let Some(extra) = &log.envelope_extra {
                    out.members_of(&mut first, 1, extra.get());
                }
                out.member(&mut first, 1, "events");
                out.text.push('[');
                0
            }
        };
        let end = start.saturating_add(events).min(log.len());
        for (i, event) in log.events()[start..end].iter().enumerate() {
            if start + i > 0 {
                out.text.push(',');
            }
            out.newline(2);
            out.event_at(log, start + i, event, 2);
        }
        self.next = Some(end);
        if end == log.len() {
            if !log.is_empty() {
                out.newline(1);
            }
            out.text.push(']');
            out.newline(0);
            out.text.push_str("}\n");
            self.done = true;
        }
        Some(out.text)
    }
}

/// The log as JSON Lines: each event enveloped and compact on its own line. The declared domain
/// and envelope fields have no place here; use `to_rewind_json` to keep them.
pub fn to_ndjson(log: &Log) -> String {
    let mut out = Writer { text: String::with_capacity(log.len() * 120), pretty: false };
    for (position, event) in log.events().iter().enumerate() {
        match log.unreadable_at(position) {
            Some(unreadable) if must_stay_unreadable(log, &unreadable.raw) || no_line_of_its_own(&unreadable.raw) => {
                out.string(&unreadable.raw)
            }
            // As written, even a line that is not JSON: JSON Lines has room for it.
            Some(unreadable) if !unreadable.raw.contains('\n') => out.text.push_str(&unreadable.raw),
            // An event written over several lines (in an array) on one: JSON has no line break
            // inside a string, so each is space between tokens. Anything else, as a JSON string.
            Some(unreadable) if serde_json::from_str::<serde::de::IgnoredAny>(&unreadable.raw).is_ok() => {
                out.text.extend(unreadable.raw.chars().map(|c| if c == '\n' || c == '\r' { ' ' } else { c }))
            }
            Some(unreadable) => out.string(&unreadable.raw),
            None => out.event(log, event, 0),
        }
        out.text.push('\n');
    }
    out.text
}

/// Whether an unreadable event, written as it was, could read as an event when imported again:
/// the export's events need no mapping, so an object the log's mapping could not read may read
/// without it (`{"type": "A"}` where the mapping takes the type from `kind`). Written as a JSON
/// string, it stays what it was, an event that could not be read, and keeps its text.
fn must_stay_unreadable(log: &Log, raw: &str) -> bool {
    log.mapping().is_some()
        && crate::fields::JsonKind::of_text(raw) == crate::fields::JsonKind::Object
        && serde_json::from_str::<serde::de::IgnoredAny>(raw).is_ok()
}

/// Whether an unreadable event that is JSON but neither an object nor a string (`[1]`, `5`) would,
/// as a line of its own, stop JSON Lines from reading as such (they start with `{` or `"`).
fn no_line_of_its_own(raw: &str) -> bool {
    !matches!(crate::fields::JsonKind::of_text(raw), crate::fields::JsonKind::Object | crate::fields::JsonKind::String)
        && serde_json::from_str::<serde::de::IgnoredAny>(raw).is_ok()
}

/// A download's file name from what was loaded (a sample's id or a file's name):
/// `export_file_name("orders.ndjson", "json")` is `orders-rewind.json`.
pub fn export_file_name(source: &str, extension: &str) -> String {
    let name = source.rsplit(['/', '\\']).next().unwrap_or(source);
    let stem = match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => name,
    };
    let mut clean = String::new();
    for c in stem.chars() {
        if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
            clean.push(c);
        } else if !clean.ends_with('-') {
            clean.push('-');
        }
    }
    let clean = clean.trim_matches(['-', '.']);
    // A file Rewind exported and the person re-opened keeps one suffix, not two.
    let clean = clean.strip_suffix("-rewind").unwrap_or(clean);
    let clean = if clean.is_empty() { "log" } else { clean };
    format!("{clean}-rewind.{extension}")
}

/// Writes JSON text, pretty (newlines, two-space indent, `": "`) or compact. Raw values are
/// re-indented token by token, never rebuilt: numbers, escapes and repeated keys stay as written.
struct Writer {
    text: String,
    pretty: bool,
}

impl Writer {
    fn newline(&mut self, depth: usize) {
        if self.pretty {
            self.text.push('\n');
            self.text.extend(std::iter::repeat_n("  ", depth));
        }
    }

    fn string(&mut self, value: &str) {
        self.text.push_str(&serde_json::to_string(value).expect("a string serializes"));
    }

    /// Starts an object member: the comma before it (unless first), its line and key.
    fn member(&mut self, first: &mut bool, depth: usize, key: &str) {
        if !std::mem::take(first) {
            self.text.push(',');
        }
        self.newline(depth);
        self.string(key);
        self.text.push_str(if self.pretty { ": " } else { ":" });
    }

    /// The members of the raw JSON object `object`, as members of the object being written.
    fn members_of(&mut self, first: &mut bool, depth: usize, object: &str) {
        let inner = object.trim();
        let inner = inner.strip_prefix('{').and_then(|s| s.strip_suffix('}')).unwrap_or("").trim();
        if inner.is_empty() {
            return;
        }
        if !std::mem::take(first) {
            self.text.push(',');
        }
        self.newline(depth);
        self.raw(inner, depth);
    }

    /// The event at `position`; one that could not be read is written as it was: its JSON as is,
    /// text that is not JSON as a JSON string (an array has no room for it otherwise).
    fn event_at(&mut self, log: &Log, position: usize, event: &Event, depth: usize) {
        match log.unreadable_at(position) {
            Some(unreadable) if must_stay_unreadable(log, &unreadable.raw) => self.string(&unreadable.raw),
            Some(unreadable) if serde_json::from_str::<serde::de::IgnoredAny>(&unreadable.raw).is_ok() => {
                self.text.push_str(&unreadable.raw)
            }
            Some(unreadable) => self.string(&unreadable.raw),
            None => self.event(log, event, depth),
        }
    }

    fn event(&mut self, log: &Log, event: &Event, depth: usize) {
        let inner = depth + 1;
        let mut first = true;
        self.text.push('{');
        if let Some(id) = event.id() {
            self.member(&mut first, inner, "id");
            self.string(id);
        }
        if let Some(seq) = event.seq {
            self.member(&mut first, inner, "seq");
            self.text.push_str(&seq.to_string());
        }
        self.member(&mut first, inner, "type");
        self.string(log.type_name(event));
        // The default stream is where an event without a stream goes: writing it adds nothing.
        if !log.is_default_stream(event.stream) {
            self.member(&mut first, inner, "stream");
            self.string(log.stream_name(event.stream));
        }
        for (key, at) in [("recorded_at", event.recorded_at()), ("effective_at", event.effective_at())] {
            if let Some(at) = at {
                self.member(&mut first, inner, key);
                self.string(at);
            }
        }
        self.member(&mut first, inner, "data");
        self.raw(event.data(), inner);
        if let Some(meta) = event.meta() {
            self.member(&mut first, inner, "meta");
            self.raw(meta, inner);
        }
        if let Some(extra) = event.extra() {
            self.members_of(&mut first, inner, extra);
        }
        self.newline(depth);
        self.text.push('}');
    }

    /// Copies valid JSON text (a value, or an object's members) at `depth`, changing only the
    /// white space between tokens.
    fn raw(&mut self, json: &str, mut depth: usize) {
        let bytes = json.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b' ' | b'\t' | b'\n' | b'\r' => i += 1,
                b'"' => {
                    let mut end = i + 1;
                    while end < bytes.len() && bytes[end] != b'"' {
                        end += if bytes[end] == b'\\' { 2 } else { 1 };
                    }
                    let end = (end + 1).min(bytes.len());
                    self.text.push_str(&json[i..end]);
                    i = end;
                }
                open @ (b'{' | b'[') => {
                    let close = if open == b'{' { b'}' } else { b']' };
                    let next = i + 1 + bytes[i + 1..].iter().take_while(|b| b.is_ascii_whitespace()).count();
                    if bytes.get(next) == Some(&close) {
                        self.text.push_str(if open == b'{' { "{}" } else { "[]" });
                        i = next + 1;
                    } else {
                        self.text.push(open as char);
                        depth += 1;
                        self.newline(depth);
                        i += 1;
                    }
                }
                close @ (b'}' | b']') => {
                    depth = depth.saturating_sub(1);
                    self.newline(depth);
                    self.text.push(close as char);
                    i += 1;
                }
                b',' => {
                    self.text.push(',');
                    self.newline(depth);
                    i += 1;
                }
                b':' => {
                    self.text.push_str(if self.pretty { ": " } else { ":" });
                    i += 1;
                }
                _ => {
                    // A number or a literal: everything up to the next delimiter, as written.
                    let end = i + bytes[i..]
                        .iter()
                        .take_while(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b',' | b':' | b']' | b'}'))
                        .count();
                    self.text.push_str(&json[i..end]);
                    i = end;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::parse_log;

    fn reindent(json: &str, pretty: bool) -> String {
        let mut out = Writer { text: String::new(), pretty };
        out.raw(json, 0);
        out.text
    }

    #[test]
    fn pieces_of_any_size_join_to_the_whole_export() {
        for text in [
            r#"{"domain":"bank","by":"ops","events":[{"type":"Deposit","amount":1},{"type":"Withdraw","amount":2},
               {"type":"Deposit","amount":3,"id":"x"}]}"#,
            r#"{"domain":"bank","events":[]}"#,
            r#"[{"type":"A"}]"#,
        ] {
            let log = parse_log(text).unwrap();
            let whole = to_rewind_json(&log);
            for size in [1, 2, 5] {
                let mut pieces = RewindJsonPieces::new(&log);
                let mut joined = Vec::new();
                while let Some(piece) = pieces.next_piece(size) {
                    joined.push(piece);
                }
                assert_eq!(joined.len(), log.len().div_ceil(size).max(1), "{text}");
                assert_eq!(joined.concat(), whole, "{text} in pieces of {size}");
            }
        }
    }

    #[test]
    fn raw_json_is_reindented_with_numbers_and_escapes_as_written() {
        let json = "{ \"a\" :1.50,\"b\":[ 1E3 ,-0, {} , [ ] ],\"c\\\"\":\"x, y: \\u00e9 ]\",\"d\":{\"e\":null}}";
        assert_eq!(
            reindent(json, true),
            "{\n  \"a\": 1.50,\n  \"b\": [\n    1E3,\n    -0,\n    {},\n    []\n  ],\n  \"c\\\"\": \"x, y: \\u00e9 ]\",\n  \
             \"d\": {\n    \"e\": null\n  }\n}"
        );
        assert_eq!(
            reindent(json, false),
            "{\"a\":1.50,\"b\":[1E3,-0,{},[]],\"c\\\"\":\"x, y: \\u00e9 ]\",\"d\":{\"e\":null}}"
        );
    }

    #[test]
    fn rewind_json_is_the_envelope_with_every_field() {
        let log = parse_log(
            r#"{"domain":"bank","exported_by":"ops","events":[
                {"id":"e1","seq":7,"type":"Deposit","stream":"acc-1","recorded_at":"2024-03-01T09:00:00Z",
                 "effective_at":"2024-02-29T23:00:00Z","data":{"amount":100.10},"meta":{"reason":"typo"},"source":"teller"},
                {"type":"Withdraw","amount":30}]}"#,
        )
        .unwrap();
        assert_eq!(
            to_rewind_json(&log),
            r#"{
  "domain": "bank",
  "exported_by": "ops",
  "events": [
    {
      "id": "e1",
      "seq": 7,
      "type": "Deposit",
      "stream": "acc-1",
      "recorded_at": "2024-03-01T09:00:00Z",
      "effective_at": "2024-02-29T23:00:00Z",
      "data": {
        "amount": 100.10
      },
      "meta": {
        "reason": "typo"
      },
      "source": "teller"
    },
    {
      "type": "Withdraw",
      "data": {
        "amount": 30
      }
    }
  ]
}
"#
        );
    }

    #[test]
    fn ndjson_is_one_compact_event_per_line() {
        let log = parse_log("[{\"type\":\"Deposit\",\"stream\":\"acc-1\",\"amount\": 100},\n{\"type\":\"X\",\"data\":{},\"tag\":[1, 2]}]")
            .unwrap();
        assert_eq!(
            to_ndjson(&log),
            "{\"type\":\"Deposit\",\"stream\":\"acc-1\",\"data\":{\"amount\":100}}\n{\"type\":\"X\",\"data\":{},\"tag\":[1,2]}\n"
        );
    }

    #[test]
    fn an_empty_log_exports_an_empty_events_array() {
        let log = parse_log("[]").unwrap();
        assert_eq!(to_rewind_json(&log), "{\n  \"events\": []\n}\n");
        assert_eq!(to_ndjson(&log), "");
    }

    #[test]
    fn file_names_come_from_the_source() {
        assert_eq!(export_file_name("bank", "json"), "bank-rewind.json");
        assert_eq!(export_file_name("C:\\logs\\orders.ndjson", "json"), "orders-rewind.json");
        assert_eq!(export_file_name("pasted log", "ndjson"), "pasted-log-rewind.ndjson");
        assert_eq!(export_file_name("../..", "json"), "log-rewind.json");
        assert_eq!(export_file_name(".hidden", "json"), "hidden-rewind.json");
        assert_eq!(export_file_name("orders-rewind.json", "ndjson"), "orders-rewind.ndjson", "re-exported once");
    }

    /// Found by fuzzing (fuzz/ roundtrip): an unreadable event written over several lines in an
    /// array was exported to JSON Lines as written, line breaks and all, and read back as several.
    #[test]
    fn an_unreadable_event_written_over_several_lines_is_one_json_line() {
        let text =
            "[{\"type\":\"A\"},\n{\n  \"type\": \"B\",\r\n  \"recorded_at\": \"not a time\"\n},\n{\"type\":\"C\"}]";
        let log = crate::formats::read_log(text, &crate::formats::LoadOptions::default()).unwrap();
        assert_eq!(log.unreadable().len(), 1);
        let lines = to_ndjson(&log);
        assert_eq!(lines.lines().count(), 3, "{lines}");
        let again = crate::formats::read_log(&lines, &crate::formats::LoadOptions::default()).unwrap();
        assert_eq!((again.len(), again.unreadable().len()), (3, 1));
        assert_eq!(to_ndjson(&again), lines);
    }

    /// Found by fuzzing (fuzz/ roundtrip, fuzz/regressions/roundtrip-one-event-with-an-events-field.json):
    /// a log of one event with an unknown field `events` was, as one line of JSON Lines, read
    /// back as an envelope. Such a field is kept apart: in meta (KurrentDB) or as `_events`.
    #[test]
    fn a_lone_event_with_an_events_field_reads_back_as_an_event() {
        let kurrent = include_str!("../../../../fuzz/regressions/roundtrip-one-event-with-an-events-field.json");
        let enveloped = r#"[{"type":"A","data":{},"events":[1]}]"#;
        for text in [kurrent, enveloped] {
            let log = crate::formats::read_log(text, &crate::formats::LoadOptions::default()).unwrap();
            assert_eq!(log.len(), 1);
            let lines = to_ndjson(&log);
            let again = crate::formats::read_log(&lines, &crate::formats::LoadOptions::default())
                .unwrap_or_else(|e| panic!("{e}\n{lines}"));
            assert_eq!(to_ndjson(&again), lines);
        }
        let log = crate::formats::read_log(enveloped, &crate::formats::LoadOptions::default()).unwrap();
        assert_eq!(log.events()[0].extra(), Some(r#"{"_events":[1]}"#));
    }

    /// Found by fuzzing (fuzz/ roundtrip, fuzz/regressions/roundtrip-one-event-like-a-devtools-export.json):
    /// a log of one event with unknown `payload` and `preloadedState` fields beside its data
    /// was, as one line of JSON Lines, read back as a Redux DevTools export.
    #[test]
    fn a_lone_event_with_devtools_fields_reads_back_as_an_event() {
        let text = r#"[{"type":"A","data":{"n":1},"payload":"[]","preloadedState":"{}"}]"#;
        let log = crate::formats::read_log(text, &crate::formats::LoadOptions::default()).unwrap();
        let lines = to_ndjson(&log);
        let again = crate::formats::read_log(&lines, &crate::formats::LoadOptions::default()).unwrap();
        assert_eq!((again.len(), again.format()), (1, crate::log::LogFormat::Event));
        assert_eq!(to_ndjson(&again), lines);
        let file = include_str!("../../../../fuzz/regressions/roundtrip-one-event-like-a-devtools-export.json");
        let log = crate::formats::read_log(file, &crate::formats::LoadOptions::default()).unwrap();
        let lines = to_ndjson(&log);
        let again = crate::formats::read_log(&lines, &crate::formats::LoadOptions::default()).unwrap();
        assert_eq!(to_ndjson(&again), lines);
    }

    /// An event that could not be read and is JSON but no object (`[1]`, `5`) is a JSON string in
    /// JSON Lines: as written, the first line `[1]` made the export read as a broken array.
    #[test]
    fn unreadable_events_that_are_no_objects_are_lines_of_text() {
        let log = crate::formats::read_log(r#"[[1], {"type":"A"}, 5, "x", null]"#, &Default::default()).unwrap();
        let lines = to_ndjson(&log);
        assert_eq!(lines, "\"[1]\"\n{\"type\":\"A\",\"data\":{}}\n\"5\"\n\"x\"\n\"null\"\n");
        let again = crate::formats::read_log(&lines, &Default::default()).unwrap();
        assert_eq!((again.len(), again.unreadable().len()), (5, 4));
        assert_eq!(to_ndjson(&again), lines);
    }

    /// Found by fuzzing (fuzz/ roundtrip): a stream named with many DELs, which JSON strings hold
    /// as they are, made the compact JSON Lines export "mostly control characters", refused.
    #[test]
    fn a_name_full_of_del_characters_reads_back_from_json_lines() {
        let name = format!("acc {}", "\u{7f}".repeat(200));
        let text = format!("[{{\"type\":\"A\",\"stream\":\"{name}\"}},{{\"type\":\"B\"}}]");
        let log = crate::formats::read_log(&text, &crate::formats::LoadOptions::default()).unwrap();
        let lines = to_ndjson(&log);
        let again = crate::formats::read_log(&lines, &crate::formats::LoadOptions::default()).unwrap();
        assert_eq!(again.stream_name(again.events()[0].stream), name);
        assert_eq!(to_ndjson(&again), lines);
    }

    /// Found by fuzzing (fuzz/ roundtrip, fuzz/regressions/roundtrip-guessed-mapping-unreadable.json):
    /// read with a guessed mapping, an event's unknown `specversion` was exported beside it and
    /// made it a CloudEvent on import (refused for its `time`), and an event the mapping could not
    /// read was exported as written, to be read without the mapping.
    #[test]
    fn a_mapped_log_with_an_unreadable_event_reads_back_the_same() {
        let text = include_str!("../../../../fuzz/regressions/roundtrip-guessed-mapping-unreadable.json");
        let options = crate::formats::LoadOptions::default();
        let log = crate::formats::read_log(text, &options).unwrap();
        assert!(log.mapping().is_some_and(|(_, guessed)| guessed));
        assert_eq!((log.len(), log.unreadable().len()), (2, 1));
        assert!(log.events()[0].extra().unwrap().contains("\"_specversion\":\"1.0\""));
        let exported = to_rewind_json(&log);
        let again = crate::formats::read_log(&exported, &options).unwrap_or_else(|e| panic!("{e}\n{exported}"));
        assert_eq!((again.len(), again.unreadable().len()), (2, 1));
        assert_eq!(to_rewind_json(&again), exported);
        let lines = to_ndjson(&log);
        let from_lines = crate::formats::read_log(&lines, &options).unwrap();
        assert_eq!((from_lines.len(), from_lines.unreadable().len()), (2, 1));
        assert_eq!(to_ndjson(&from_lines), lines);
    }

    /// An event the mapping could not read stays unreadable in the export, even where Rewind's
    /// own rules would read it.
    #[test]
    fn an_event_the_mapping_could_not_read_is_not_read_without_it() {
        let mapping: crate::formats::Mapping =
            serde_json::from_str(r#"{"type": "kind", "stream": "account"}"#).unwrap();
        let options = crate::formats::LoadOptions { strict: false, mapping: Some(mapping) };
        let text = "[{\"kind\":\"Deposit\",\"account\":\"a\"},{\"type\":\"Withdraw\"}]";
        let log = crate::formats::read_log(text, &options).unwrap();
        assert_eq!(log.unreadable().len(), 1);
        for export in [to_rewind_json(&log), to_ndjson(&log)] {
            let again = crate::formats::read_log(&export, &crate::formats::LoadOptions::default()).unwrap();
            assert_eq!((again.len(), again.unreadable().len()), (2, 1), "{export}");
            assert_eq!(&*again.unreadable()[0].raw, "\"{\\\"type\\\":\\\"Withdraw\\\"}\"");
        }
    }

    /// Found by fuzzing (fuzz/ roundtrip), after the fix above: a JSON Lines line that is not JSON
    /// and holds carriage returns (not line ends in JSON Lines) must stay as written, not become
    /// a JSON string, which changed how the export was read back.
    #[test]
    fn a_line_that_is_not_json_with_carriage_returns_in_it_stays_as_written() {
        let text = "{\"type\":\"A\"}\n{\"type\": \"B\r\r\": x}\n{\"type\":\"C\"}\n";
        let log = crate::formats::read_log(text, &crate::formats::LoadOptions::default()).unwrap();
        assert_eq!(log.unreadable().len(), 1);
        let lines = to_ndjson(&log);
        assert!(lines.contains("{\"type\": \"B\r\r\": x}\n"), "{lines:?}");
        let again = crate::formats::read_log(&lines, &crate::formats::LoadOptions::default()).unwrap();
        assert_eq!(to_ndjson(&again), lines);
    }
}
