//! Field mapping: where a log's events keep their type, stream, time, id and data (and their
//! correlation and causation ids, which go into the meta), for logs that name them otherwise than
//! Rewind does — `Event.EventType` with the data in `Event.EventData` and
//! the stream in `AggregateId` (.NET stores), or `name`, `userId` and `at` (JSON Lines dumps).
//!
//! A path is dotted (`Event.EventType`); each step matches a key exactly, else in any case. One
//! `Mapping` is applied the same way on every load path, sliced or whole.
use super::common::{id, join_object, object_or_wrapped, timestamp, FieldProblem, Fields, Parts};
use crate::event::Event;
use crate::fields::{object_fields, JsonKind};
use crate::log::Log;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::collections::BTreeSet;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Where each part of an event is; only the type is required.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    #[serde(rename = "type")]
    pub type_path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `None`: every top-level field the mapping does not name is data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
    /// Read into the meta's `correlation_id`, where causation chains look for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation: Option<String>,
    /// Read into the meta's `causation_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub causation: Option<String>,
}

/// The names Rewind looks for, best first, for each part (compared in lower case, at any of the
/// first two levels of an event).
const TYPE_NAMES: &[&str] =
    &["type", "eventtype", "event_type", "event", "name", "eventname", "event_name", "action", "verb", "kind"];
const STREAM_NAMES: &[&str] = &[
    "stream",
    "streamid",
    "stream_id",
    "streamname",
    "aggregateid",
    "aggregate_id",
    "entityid",
    "entity_id",
    "subject",
    "userid",
    "user_id",
    "accountid",
    "account_id",
    "orderid",
    "order_id",
    "sessionid",
    "session_id",
    "repository",
];
const TIME_NAMES: &[&str] = &[
    "recorded_at",
    "time",
    "timestamp",
    "at",
    "storedat",
    "stored_at",
    "createdat",
    "created_at",
    "created",
    "occurredat",
    "occurred_at",
    "date",
];
const ID_NAMES: &[&str] = &["id", "eventid", "event_id", "messageid", "message_id"];
const DATA_NAMES: &[&str] = &["data", "payload", "eventdata", "event_data", "body"];
const CORRELATION_NAMES: &[&str] = &["correlation_id", "correlationid", "$correlationid"];
const CAUSATION_NAMES: &[&str] = &["causation_id", "causationid", "$causationid"];

impl Mapping {
    /// One line a person reads: "type ← Event.EventType, stream ← AggregateId, data ←
    /// Event.EventData".
    pub fn describe(&self) -> String {
        let mut parts = vec![format!("type ← {}", self.type_path)];
        let optional = [
            ("stream", &self.stream),
            ("time", &self.time),
            ("id", &self.id),
            ("data", &self.data),
            ("correlation", &self.correlation),
            ("causation", &self.causation),
        ];
        for (name, path) in optional {
            if let Some(path) = path {
                parts.push(format!("{name} ← {path}"));
            }
        }
        parts.join(", ")
    }

    /// Reads one event object by this mapping.
    pub(super) fn read_event(&self, log: &mut Log, fields: Fields) -> Result<Event, FieldProblem> {
        let missing = |part: &str, path: &str| (None, format!("has no {part} field {path}"));
        let mut parts = Parts::default();
        let type_value = lookup(&fields, &self.type_path).ok_or_else(|| missing("type", &self.type_path))?;
        parts.type_name = Some(text_of(type_value).ok_or_else(|| {
            (None, format!("type field {} must be a non-empty string, found {}", self.type_path, kind_of(type_value)))
        })?);
        if let Some(path) = &self.stream {
            // No stream (null) is the default stream, as for an event that names none.
            if let Some(value) = lookup(&fields, path).filter(|v| JsonKind::of(v) != JsonKind::Null) {
                parts.stream = Some(text_of(value).ok_or_else(|| {
                    (None, format!("stream field {path} must be a string or a number, found {}", kind_of(value)))
                })?);
            }
        }
        if let Some(path) = &self.id {
            if let Some(value) = lookup(&fields, path).filter(|v| JsonKind::of(v) != JsonKind::Null) {
                parts.id = Some(id("id", value).map_err(|(_, problem)| (None, format!("id field {path} {problem}")))?);
            }
        }
        if let Some(path) = &self.time {
            if let Some(value) = lookup(&fields, path).filter(|v| JsonKind::of(v) != JsonKind::Null) {
                let at =
                    timestamp("time", value).map_err(|(_, problem)| (None, format!("time field {path} {problem}")))?;
                parts.recorded_at = Some(at);
            }
        }
        let meta = self.read_meta(&fields)?;
        parts.meta = meta.map(Cow::Owned);
        // The top-level fields the mapping names directly are not data.
        let named: BTreeSet<&str> = [
            Some(&self.type_path),
            self.stream.as_ref(),
            self.time.as_ref(),
            self.id.as_ref(),
            self.correlation.as_ref(),
            self.causation.as_ref(),
        ]
        .into_iter()
        .flatten()
        .filter(|path| !path.contains('.'))
        .map(String::as_str)
        .collect();
        let rest: Vec<(Cow<str>, &RawValue)> = fields
            .iter()
            .filter(|(key, _)| !named.iter().any(|n| n.eq_ignore_ascii_case(key)))
            .filter(|(key, _)| self.data.as_deref().is_none_or(|d| !d.eq_ignore_ascii_case(key)))
            .cloned()
            .collect();
        match &self.data {
            Some(path) => {
                parts.data = lookup(&fields, path).and_then(object_or_wrapped);
                // Kept beside the data, so an export loses nothing.
                parts.extra = join_object(&rest).map(|extra| Cow::Owned(rename_envelope_fields(&extra)));
            }
            None => parts.data = join_object(&rest),
        }
        parts.into_event(log, "type")
    }

    /// The meta object holding the mapped correlation and causation ids (each a string or a
    /// number, as an id is); `None` when the mapping names neither or the event has neither.
    fn read_meta(&self, fields: &Fields) -> Result<Option<String>, FieldProblem> {
        let mut meta: Vec<(Cow<str>, &RawValue)> = Vec::new();
        for (key, path) in [("correlation_id", &self.correlation), ("causation_id", &self.causation)] {
            let Some(path) = path else { continue };
            let Some(value) = lookup(fields, path).filter(|v| JsonKind::of(v) != JsonKind::Null) else { continue };
            let name = key.replace('_', " ");
            id(key, value).map_err(|(_, problem)| (None, format!("{name} field {path} {problem}")))?;
            meta.push((Cow::Borrowed(key), value));
        }
        Ok(join_object(&meta).map(Cow::into_owned))
    }

    /// A mapping for events Rewind's own rules cannot read, from a sample of them (objects as
    /// written); `None` when those rules read most of them, or no type field is found.
    pub fn guess(samples: &[&str]) -> Option<Mapping> {
        let objects: Vec<Fields> = samples.iter().filter_map(|text| object_fields(text).ok()).collect();
        if objects.is_empty() {
            return None;
        }
        let readable = objects.iter().filter(|fields| own_rules_read(fields)).count();
        if readable * 2 >= objects.len() {
            return None;
        }
        let type_path = best_path(&objects, TYPE_NAMES, |v| text_of(v).is_some())?;
        let time = best_path(&objects, TIME_NAMES, |v| {
            text_of(v).is_some_and(|t| OffsetDateTime::parse(&t, &Rfc3339).is_ok())
        });
        let id = best_path(&objects, ID_NAMES, |v| matches!(JsonKind::of(v), JsonKind::String | JsonKind::Number));
        let stream = best_path(&objects, STREAM_NAMES, |v| text_of(v).is_some());
        let data = best_path(&objects, DATA_NAMES, |v| JsonKind::of(v) == JsonKind::Object);
        let is_id = |v: &RawValue| matches!(JsonKind::of(v), JsonKind::String | JsonKind::Number);
        let correlation = best_path(&objects, CORRELATION_NAMES, is_id);
        let causation = best_path(&objects, CAUSATION_NAMES, is_id);
        // One field is one part: what the type (or time, or id) took, the stream cannot take.
        let taken = [Some(&type_path), time.as_ref(), id.as_ref()];
        let stream = stream.filter(|s| !taken.contains(&Some(s)));
        Some(Mapping { type_path, stream, time, id, data, correlation, causation })
    }
}

/// True when Rewind's own rules find a type: `type` or a KurrentDB `eventType`, as a string.
fn own_rules_read(fields: &Fields) -> bool {
    fields.iter().any(|(key, value)| (key == "type" || key == "eventType") && text_of(value).is_some())
}

/// The most common path among `objects` whose last step is one of `names` (earlier names win a
/// tie) and whose value `fits`; present in at least half of them.
fn best_path(objects: &[Fields], names: &[&str], fits: impl Fn(&RawValue) -> bool) -> Option<String> {
    let mut found: Vec<(usize, String, usize)> = Vec::new();
    for fields in objects {
        for (path, value) in paths_of(fields, 2) {
            let last = path.rsplit('.').next().unwrap_or(&path).to_ascii_lowercase();
            let Some(rank) = names.iter().position(|n| *n == last) else { continue };
            if !fits(value) {
                continue;
            }
            match found.iter_mut().find(|(_, p, _)| *p == path) {
                Some((_, _, count)) => *count += 1,
                None => found.push((rank, path, 1)),
            }
        }
    }
    found.retain(|(_, _, count)| count * 2 >= objects.len());
    // Top-level first, then the better name, then the more common.
    found.sort_by_key(|(rank, path, count)| (path.matches('.').count(), *rank, usize::MAX - count));
    found.into_iter().next().map(|(_, path, _)| path)
}

/// Every path in an object down to `depth` levels, with its value.
fn paths_of<'a>(fields: &Fields<'a>, depth: usize) -> Vec<(String, &'a RawValue)> {
    let mut out = Vec::new();
    for (key, value) in fields {
        out.push((key.to_string(), *value));
        if depth > 1 && JsonKind::of(value) == JsonKind::Object {
            if let Ok(inner) = object_fields(value.get()) {
                for (path, v) in paths_of(&inner, depth - 1) {
                    out.push((format!("{key}.{path}"), v));
                }
            }
        }
    }
    out
}

/// The field paths the sample events have, in first-seen order, for the mapping's selects.
pub fn field_paths(samples: &[&str]) -> Vec<String> {
    const MAX_PATHS: usize = 200;
    let mut paths: Vec<String> = Vec::new();
    for text in samples {
        let Ok(fields) = object_fields(text) else { continue };
        for (path, _) in paths_of(&fields, 3) {
            if !paths.contains(&path) && paths.len() < MAX_PATHS {
                paths.push(path);
            }
        }
    }
    paths
}

/// The value at a dotted `path`: each step a key, matched exactly, else in any case.
fn lookup<'a>(fields: &Fields<'a>, path: &str) -> Option<&'a RawValue> {
    let (first, rest) = match path.split_once('.') {
        Some((first, rest)) => (first, Some(rest)),
        None => (path, None),
    };
    let value = fields
        .iter()
        .find(|(key, _)| key == first)
        .or_else(|| fields.iter().find(|(key, _)| key.eq_ignore_ascii_case(first)))
        .map(|(_, value)| *value)?;
    match rest {
        None => Some(value),
        Some(rest) => {
            let inner = object_fields(value.get()).ok()?;
            lookup(&inner, rest)
        }
    }
}

/// A name's text: a non-empty string, or a number as written.
fn text_of(value: &RawValue) -> Option<Cow<'_, str>> {
    match JsonKind::of(value) {
        JsonKind::String => serde_json::from_str::<String>(value.get())
            .ok()
            .filter(|text| !text.trim().is_empty())
            .map(|text| match value.get()[1..value.get().len() - 1] == text {
                true => Cow::Borrowed(&value.get()[1..value.get().len() - 1]),
                false => Cow::Owned(text),
            }),
        JsonKind::Number => Some(Cow::Borrowed(value.get())),
        _ => None,
    }
}

fn kind_of(value: &RawValue) -> &'static str {
    JsonKind::of(value).with_article()
}

/// Fields kept beside the data must not take the names Rewind's events use for their own parts,
/// or a re-import would read them as those: `type` becomes `_type`, `specversion` (which would
/// make the export a CloudEvent) `_specversion`.
fn rename_envelope_fields(extra: &str) -> String {
    let Ok(fields) = object_fields(extra) else { return extra.to_string() };
    let renamed: Vec<(Cow<str>, &RawValue)> =
        fields.into_iter().map(|(key, value)| (super::rewind_json::kept_apart(key), value)).collect();
    join_object(&renamed).map(Cow::into_owned).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::{read_log, LoadOptions};

    const DOTNET: &str = r#"[
        {"Event": {"EventType": "AccountOpened", "EventData": {"Owner": "Ada"}}, "AggregateId": "acc-1", "StoredAt": "2024-03-01T09:00:00+01:00", "Id": "e1"},
        {"Event": {"EventType": "Deposited", "EventData": {"Amount": 100}}, "AggregateId": "acc-1", "StoredAt": "2024-03-01T09:05:00.123456789+01:00", "Id": "e2"},
        {"Event": {"EventType": "Deposited", "EventData": {"Amount": 5}}, "AggregateId": "acc-2", "StoredAt": "2024-03-01T10:00:00Z", "Id": "e3"}
    ]"#;

    fn samples(text: &str) -> Vec<String> {
        let values: Vec<serde_json::Value> = match text.trim_start().starts_with('[') {
            true => serde_json::from_str(text).unwrap(),
            false => text.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).unwrap()).collect(),
        };
        values.iter().map(|v| v.to_string()).collect()
    }

    fn guess(text: &str) -> Option<Mapping> {
        let samples = samples(text);
        Mapping::guess(&samples.iter().map(String::as_str).collect::<Vec<_>>())
    }

    #[test]
    fn nested_pascal_case_events_are_guessed_and_read() {
        let mapping = guess(DOTNET).expect("a mapping");
        assert_eq!(
            mapping.describe(),
            "type ← Event.EventType, stream ← AggregateId, time ← StoredAt, id ← Id, data ← Event.EventData"
        );
        let log = read_log(DOTNET, &LoadOptions { strict: true, mapping: Some(mapping) }).unwrap();
        let events = log.events();
        assert_eq!(log.type_name(&events[1]), "Deposited");
        assert_eq!(log.stream_name(events[2].stream), "acc-2");
        assert_eq!(events[1].data(), r#"{"Amount": 100}"#);
        assert_eq!(events[1].recorded_at(), Some("2024-03-01T09:05:00.123456789+01:00"), "the text is kept");
        assert_eq!(events[0].id(), Some("e1"));
    }

    #[test]
    fn json_lines_with_name_user_id_and_at_are_guessed_and_the_rest_is_data() {
        let text = "{\"name\":\"signup\",\"userId\":\"u1\",\"at\":\"2024-01-01T00:00:00Z\",\"plan\":\"pro\"}\n\
                    {\"name\":\"upgrade\",\"userId\":7,\"at\":\"2024-01-02T00:00:00Z\",\"plan\":\"team\"}\n";
        let mapping = guess(text).expect("a mapping");
        assert_eq!(mapping.describe(), "type ← name, stream ← userId, time ← at");
        let log = read_log(text, &LoadOptions { strict: true, mapping: Some(mapping) }).unwrap();
        assert_eq!(log.stream_name(log.events()[1].stream), "7");
        assert_eq!(log.events()[1].data(), r#"{"plan":"team"}"#);
    }

    #[test]
    fn logs_rewind_reads_itself_need_no_mapping() {
        assert_eq!(guess(r#"[{"type":"Deposit","amount":1},{"type":"Withdraw","amount":1}]"#), None);
        assert_eq!(guess(r#"[{"eventType":"Deposit","data":{}}]"#), None);
        assert_eq!(guess(r#"[{"amount":1},{"amount":2}]"#), None, "nothing names a type");
    }

    #[test]
    fn an_event_without_the_mapped_type_says_which_field_is_missing() {
        let mapping = Mapping { type_path: "Event.EventType".into(), ..Mapping::default() };
        let error = read_log(r#"[{"Event":{}}]"#, &LoadOptions { strict: true, mapping: Some(mapping) }).unwrap_err();
        assert!(error.to_string().contains("has no type field Event.EventType"), "{error}");
    }

    #[test]
    fn keys_match_in_any_case_when_no_key_matches_exactly() {
        let fields = object_fields(r#"{"event":{"eventtype":"A"},"Event":{"EventType":"B"}}"#).unwrap();
        assert_eq!(lookup(&fields, "Event.EventType").map(|v| v.get()), Some(r#""B""#));
        assert_eq!(lookup(&fields, "EVENT.EVENTTYPE").map(|v| v.get()), Some(r#""A""#));
    }

    #[test]
    fn kept_fields_never_take_the_names_of_an_events_parts() {
        let mapping = Mapping { type_path: "kind".into(), data: Some("body".into()), ..Mapping::default() };
        let log = read_log(
            r#"[{"kind":"A","body":{"x":1},"type":"old","seq":3}]"#,
            &LoadOptions { strict: true, mapping: Some(mapping) },
        )
        .unwrap();
        assert_eq!(log.events()[0].extra(), Some(r#"{"_type":"old","_seq":3}"#));
    }

    #[test]
    fn correlation_and_causation_ids_are_guessed_and_read_into_the_meta() {
        let text = "{\"name\":\"OrderPlaced\",\"messageId\":\"m1\",\"correlationId\":\"c-9\",\"causationId\":\"cmd-1\",\"total\":5}\n\
                    {\"name\":\"OrderPaid\",\"messageId\":\"m2\",\"correlationId\":\"c-9\",\"causationId\":\"m1\"}\n";
        let mapping = guess(text).expect("a mapping");
        assert_eq!(
            mapping.describe(),
            "type ← name, id ← messageId, correlation ← correlationId, causation ← causationId"
        );
        let log = read_log(text, &LoadOptions { strict: true, mapping: Some(mapping) }).unwrap();
        let first = &log.events()[0];
        assert_eq!(first.meta(), Some(r#"{"correlation_id":"c-9","causation_id":"cmd-1"}"#));
        assert_eq!(first.data(), r#"{"total":5}"#, "the ids are not data");
        let index = crate::inspect::CausationIndex::build(&log);
        assert_eq!(index.causation(&log, 1).causes, [0], "the chain follows the mapped ids");
    }

    #[test]
    fn a_nested_causation_field_is_read_into_the_meta_and_a_bad_one_is_named() {
        let mapping = Mapping {
            type_path: "kind".into(),
            data: Some("body".into()),
            causation: Some("headers.$causationId".into()),
            ..Mapping::default()
        };
        let options = LoadOptions { strict: true, mapping: Some(mapping) };
        let log =
            read_log(r#"[{"kind":"A","body":{},"headers":{"$causationId":42}},{"kind":"B","body":{}}]"#, &options)
                .unwrap();
        assert_eq!(log.events()[0].meta(), Some(r#"{"causation_id":42}"#));
        assert_eq!(log.events()[1].meta(), None, "no id, no meta");
        let error = read_log(r#"[{"kind":"A","headers":{"$causationId":{"x":1}}}]"#, &options).unwrap_err();
        assert!(
            error.to_string().contains("causation id field headers.$causationId must be a string or a number"),
            "{error}"
        );
    }

    #[test]
    fn the_field_paths_of_the_first_events_are_listed_once_each() {
        let samples = samples(DOTNET);
        let paths = field_paths(&samples.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(paths[..4], ["Event", "Event.EventType", "Event.EventData", "Event.EventData.Owner"]);
        assert!(paths.contains(&"AggregateId".to_string()) && paths.contains(&"Event.EventData.Amount".to_string()));
    }
}
