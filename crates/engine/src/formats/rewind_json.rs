//! Rewind's own JSON: the envelope `{"domain": "bank", "events": [...]}`, and its events. An event
//! is either enveloped (`{"type", "data": {...}, ...}`) or flat (every field but the envelope ones
//! is data).
use super::common::{join_object, must_be, non_empty_string, object, timestamp, FieldProblem, Fields, Parts};
use super::{read_events, Container, LoadError, LoadOptions};
use crate::event::Event;
use crate::fields::JsonKind;
use crate::log::{Log, LogFormat};
use serde_json::value::RawValue;
use std::borrow::Cow;

/// The top-level fields Rewind reads from an event. An export writes exactly these, then the
/// unknown ones, so no other reader may leave one of these names among the unknown fields.
const EVENT_FIELDS: &[&str] = &["type", "stream", "id", "seq", "recorded_at", "effective_at", "data", "meta"];

/// Whether an unknown field named `name`, exported beside an event, would be read back as
/// something else: one of Rewind's own fields; `specversion`, which makes the event a CloudEvent;
/// or `events`, which makes a log of one event (in JSON Lines, one line) an envelope.
pub(super) fn clashes_on_import(name: &str) -> bool {
    EVENT_FIELDS.contains(&name) || name == "specversion" || name == "events"
}

/// An unknown field's name as it is kept beside an event: `_` in front of one that clashes.
pub(super) fn kept_apart(name: Cow<'_, str>) -> Cow<'_, str> {
    match clashes_on_import(&name) {
        true => Cow::Owned(format!("_{name}")),
        false => name,
    }
}

pub(super) fn parse_envelope(text: &str, fields: Fields, options: &LoadOptions) -> Result<Log, LoadError> {
    let (events, head): (Vec<_>, Vec<_>) = fields.into_iter().partition(|(key, _)| key == "events");
    let mut head = envelope_head(head)?;
    if events.len() > 1 {
        head.duplicate.get_or_insert_with(|| "events".into());
    }
    // The last `events` wins, as in JavaScript.
    let Some((_, events)) = events.into_iter().last() else {
        return Err(LoadError::envelope(
            "events",
            "is missing: a log is an object with an \"events\" array, an array of events, one JSON event per \
             line, a CloudEvent or a KurrentDB event"
                .into(),
        ));
    };
    let events: Vec<&RawValue> = match JsonKind::of(events) {
        JsonKind::Array => serde_json::from_str(events.get()).expect("an array already validated"),
        kind => return Err(LoadError::envelope("events", must_be("an array", kind))),
    };
    let mut log = Log::with_capacity(LogFormat::Envelope, events.len());
    head.apply_to(&mut log);
    read_events(text, &mut log, &events, Container::Array("events"), options)?;
    Ok(log)
}

/// What an envelope says besides its events.
pub(super) struct EnvelopeHead {
    pub domain: Option<String>,
    /// The mapping the events were read with before they were exported (they need none now).
    pub mapping: Option<super::Mapping>,
    /// The state before the first event, when the log carries one.
    pub initial_state: Option<Box<RawValue>>,
    /// The reducer script the log carries.
    pub reducer: Option<crate::log::ReducerScript>,
    /// Its fields Rewind does not know, kept for export.
    pub extra: Option<Box<RawValue>>,
    /// A key the envelope has twice (the last one read), flagged at the first event.
    pub duplicate: Option<String>,
}

impl EnvelopeHead {
    pub(super) fn apply_to(self, log: &mut Log) {
        log.declared_domain = self.domain;
        log.envelope_extra = self.extra;
        log.mapping = self.mapping;
        log.initial_state = self.initial_state;
        log.reducer = self.reducer;
        if let Some(key) = self.duplicate {
            if log.duplicate_keys.first().is_none_or(|first| first.position > 0) {
                let path = "the log's envelope".into();
                log.duplicate_keys.insert(0, super::DuplicateKey { position: 0, path, key });
            }
        }
    }
}

/// Reads the envelope's fields other than `events`.
pub(super) fn envelope_head(fields: Fields) -> Result<EnvelopeHead, LoadError> {
    let mut domain = None;
    let mut mapping = None;
    let mut initial_state = None;
    let mut reducer = None;
    let mut extra = Vec::new();
    let mut seen = rustc_hash::FxHashSet::default();
    let duplicate = fields.iter().find(|(key, _)| !seen.insert(&**key)).map(|(key, _)| key.to_string());
    for (key, value) in fields {
        match &*key {
            "mapping" if JsonKind::of(value) != JsonKind::Null => {
                mapping = Some(
                    serde_json::from_str(value.get())
                        .map_err(|e| LoadError::envelope("mapping", format!("is not a field mapping: {e}")))?,
                )
            }
            "initial_state" => initial_state = Some(value.to_owned()),
            "reducer" if JsonKind::of(value) != JsonKind::Null => {
                reducer = Some(serde_json::from_str(value.get()).map_err(|e| {
                    LoadError::envelope("reducer", format!("must be {{\"language\": …, \"source\": …}}: {e}"))
                })?)
            }
            "domain" => match JsonKind::of(value) {
                JsonKind::String => match super::common::string_value("domain", value) {
                    Ok(name) => domain = Some(name.into_owned()),
                    Err((_, problem)) => return Err(LoadError::envelope("domain", problem)),
                },
                JsonKind::Null => {}
                kind => return Err(LoadError::envelope("domain", must_be("a string", kind))),
            },
            _ => extra.push((key, value)),
        }
    }
    let extra = join_object(&extra)
        .map(|text| RawValue::from_string(text.into_owned()).expect("joined from valid JSON values"));
    Ok(EnvelopeHead { domain, mapping, initial_state, reducer, extra, duplicate })
}

/// Reads a Rewind event's envelope field into `parts`; false when `key` is not one (Redux
/// actions share these).
pub(super) fn envelope_field<'a>(parts: &mut Parts<'a>, key: &str, value: &'a RawValue) -> Result<bool, FieldProblem> {
    match key {
        "type" => parts.type_name = Some(non_empty_string("type", value)?),
        "stream" => parts.stream = Some(non_empty_string("stream", value)?),
        "id" => parts.id = Some(super::common::id("id", value)?),
        "seq" => parts.seq = Some(super::common::seq("seq", value)?),
        "recorded_at" => parts.recorded_at = Some(timestamp("recorded_at", value)?),
        "effective_at" => parts.effective_at = Some(timestamp("effective_at", value)?),
        _ => return Ok(false),
    }
    Ok(true)
}

pub(super) fn read_event(log: &mut Log, fields: Fields) -> Result<Event, FieldProblem> {
    let mut parts = Parts::default();
    let mut rest = Vec::new();
    for (key, value) in fields {
        match &*key {
            "data" => parts.data = Some(object("data", value)?.get().into()),
            "meta" => parts.meta = Some(object("meta", value)?.get().into()),
            _ if envelope_field(&mut parts, &key, value)? => {}
            _ => rest.push((key, value)),
        }
    }
    // With `data` present, the other fields are unknown envelope fields; without it, the event is
    // flat and they are the data.
    if parts.data.is_some() {
        let rest: Vec<_> = rest.into_iter().map(|(key, value)| (kept_apart(key), value)).collect();
        parts.extra = join_object(&rest);
    } else {
        parts.data = join_object(&rest);
    }
    parts.into_event(log, "type")
}

#[cfg(test)]
mod tests {
    use crate::formats::{parse_log, LoadError};
    use crate::log::LogFormat;

    fn shape_messages(text: &str) -> Vec<String> {
        match parse_log(text) {
            Err(LoadError::Shape { errors, .. }) => errors.iter().map(|e| e.to_string()).collect(),
            other => panic!("expected a shape error, got {other:?}"),
        }
    }

    #[test]
    fn flat_events_put_every_non_envelope_field_in_data() {
        let log = parse_log(r#"[{"type":"Deposit","amount":100,"stream":"acc-1"}]"#).unwrap();
        let event = &log.events()[0];
        assert_eq!(event.data(), r#"{"amount":100}"#);
        assert_eq!(log.stream_name(event.stream), "acc-1");
        assert_eq!(log.format, LogFormat::Array);
    }

    #[test]
    fn unknown_fields_beside_data_are_kept() {
        let log = parse_log(r#"[{"type":"X","data":{},"source":"erp","tags":[1]}]"#).unwrap();
        assert_eq!(log.events()[0].extra().unwrap(), r#"{"source":"erp","tags":[1]}"#);
    }

    #[test]
    fn the_envelope_keeps_its_domain_and_unknown_fields() {
        let log =
            parse_log(r#"{"domain":"bank","exported_by":"ops","events":[{"type":"Deposit","amount":1}]}"#).unwrap();
        assert_eq!(log.format, LogFormat::Envelope);
        assert_eq!(log.declared_domain.as_deref(), Some("bank"));
        assert_eq!(log.envelope_extra.as_ref().unwrap().get(), r#"{"exported_by":"ops"}"#);
    }

    #[test]
    fn a_single_event_object_is_a_log_of_one() {
        let log = parse_log(r#"{"type":"Deposit","stream":"acc-1","amount":100}"#).unwrap();
        assert_eq!((log.len(), log.format), (1, LogFormat::Event));
        assert_eq!(log.events()[0].data(), r#"{"amount":100}"#);
    }

    #[test]
    fn missing_type_names_the_event_index_and_path() {
        assert_eq!(shape_messages("[\n{\"type\":\"A\"},\n{\"amount\":5}]"), ["event 2 (line 3): [1].type is missing"]);
    }

    #[test]
    fn data_that_is_not_an_object_is_a_shape_error() {
        assert_eq!(
            shape_messages(r#"{"events":[{"type":"A","data":[1]}]}"#),
            ["event 1 (line 1): events[0].data must be an object, found an array"]
        );
    }

    #[test]
    fn an_event_that_is_not_an_object_is_named() {
        assert_eq!(
            shape_messages("[{\"type\":\"A\"}, 5]"),
            ["event 2 (line 1): [1] must be an event object, found a number"]
        );
    }

    #[test]
    fn a_bad_timestamp_is_refused_with_an_example() {
        assert_eq!(
            shape_messages(r#"[{"type":"A","recorded_at":"yesterday"}]"#),
            ["event 1 (line 1): [0].recorded_at must be an RFC 3339 timestamp such as 2024-03-01T12:00:00Z, found \
                 \"yesterday\""]
        );
    }

    #[test]
    fn a_negative_seq_says_what_a_seq_is() {
        assert_eq!(
            shape_messages(r#"[{"type":"A","seq":-1}]"#),
            ["event 1 (line 1): [0].seq must be a whole number of at least 0, found -1"]
        );
    }

    #[test]
    fn more_than_twenty_shape_errors_are_counted() {
        let text = format!("[{}]", vec!["{}"; 25].join(","));
        let error = parse_log(&text).unwrap_err();
        match &error {
            LoadError::Shape { errors, total } => assert_eq!((errors.len(), *total), (20, 25)),
            other => panic!("{other:?}"),
        }
        assert!(error
            .to_string()
            .starts_with("Not a log of events (25 problems):\n• event 1 (line 1): [0].type is missing"));
        assert!(error.to_string().ends_with("\n• event 20 (line 1): [19].type is missing\n… and 5 more"), "{error}");
    }

    #[test]
    fn an_envelope_without_events_says_what_a_log_looks_like() {
        assert_eq!(
            parse_log(r#"{"domain":"bank"}"#).unwrap_err().to_string(),
            "Not a log of events (1 problem):\n• line 1: events is missing: a log is an object with an \"events\" \
             array, an array of events, one JSON event per line, a CloudEvent or a KurrentDB event"
        );
    }

    #[test]
    fn a_domain_that_is_not_a_string_is_named() {
        assert!(parse_log(r#"{"domain":5,"events":[]}"#)
            .unwrap_err()
            .to_string()
            .contains("domain must be a string, found a number"));
    }
}
