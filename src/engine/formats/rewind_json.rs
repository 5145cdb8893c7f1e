//! Rewind's own JSON: the envelope `{"domain": "bank", "events": [...]}` and a bare array of
//! events. An event is either enveloped (`{"type", "data": {...}, ...}`) or flat (every field but
//! the envelope ones is data).
use super::{line_of, LoadError, ShapeError, MAX_LISTED_ERRORS};
use crate::engine::event::Event;
use crate::engine::fields::{object_fields, JsonKind};
use crate::engine::log::{Log, LogFormat};
use serde::de::IgnoredAny;
use serde_json::value::RawValue;
use std::borrow::Cow;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

pub(super) fn syntax_error(text: &str) -> LoadError {
    match serde_json::from_str::<IgnoredAny>(text) {
        Err(error) => LoadError::from_json(&error),
        Ok(_) => LoadError::Shape {
            errors: vec![ShapeError {
                index: None,
                line: Some(1),
                path: "the log".into(),
                problem: "must be an array of events or an object with an \"events\" array".into(),
            }],
            total: 1,
        },
    }
}

pub(super) fn parse_array(text: &str) -> Result<Log, LoadError> {
    let events: Vec<&RawValue> = serde_json::from_str(text).map_err(|e| LoadError::from_json(&e))?;
    let log = Log::with_capacity(LogFormat::Array, events.len());
    read_events(text, log, &events, "")
}

pub(super) fn parse_envelope(text: &str) -> Result<Log, LoadError> {
    let fields = object_fields(text).map_err(|e| LoadError::from_json(&e))?;
    let envelope_error = |path: &str, problem: String| LoadError::Shape {
        errors: vec![ShapeError { index: None, line: Some(1), path: path.into(), problem }],
        total: 1,
    };
    let mut events = None;
    let mut domain = None;
    let mut extra = Vec::new();
    for (key, value) in fields {
        match &*key {
            "events" => events = Some(value),
            "domain" => match JsonKind::of(value) {
                JsonKind::String => domain = Some(serde_json::from_str::<String>(value.get()).expect("a string")),
                JsonKind::Null => {}
                kind => return Err(envelope_error("domain", must_be("a string", kind))),
            },
            _ => extra.push((key, value)),
        }
    }
    let Some(events) = events else {
        return Err(envelope_error(
            "events",
            "is missing: a log is an array of events, or an object with an \"events\" array".into(),
        ));
    };
    let events: Vec<&RawValue> = match JsonKind::of(events) {
        JsonKind::Array => serde_json::from_str(events.get()).expect("an array already validated"),
        kind => return Err(envelope_error("events", must_be("an array", kind))),
    };
    let mut log = Log::with_capacity(LogFormat::Envelope, events.len());
    log.declared_domain = domain;
    log.envelope_extra = join_object(&extra);
    read_events(text, log, &events, "events")
}

fn must_be(expected: &str, found: JsonKind) -> String {
    format!("must be {expected}, found {}", found.with_article())
}

fn read_events(text: &str, mut log: Log, events: &[&RawValue], path_prefix: &str) -> Result<Log, LoadError> {
    let mut errors = Vec::new();
    let mut total = 0;
    for (index, raw) in events.iter().enumerate() {
        match read_event(&mut log, raw) {
            Ok(event) => log.append(event),
            Err((field, problem)) => {
                total += 1;
                if errors.len() < MAX_LISTED_ERRORS {
                    let offset = raw.get().as_ptr() as usize - text.as_ptr() as usize;
                    let path = match field {
                        Some(field) => format!("{path_prefix}[{index}].{field}"),
                        None => format!("{path_prefix}[{index}]"),
                    };
                    errors.push(ShapeError { index: Some(index), line: Some(line_of(text, offset)), path, problem });
                }
            }
        }
    }
    if total > 0 {
        return Err(LoadError::Shape { errors, total });
    }
    Ok(log)
}

/// The offending field (None: the event itself) and what is wrong with it.
type FieldProblem = (Option<&'static str>, String);

fn read_event(log: &mut Log, raw: &RawValue) -> Result<Event, FieldProblem> {
    let kind = JsonKind::of(raw);
    if kind != JsonKind::Object {
        return Err((None, must_be("an event object", kind)));
    }
    let fields = object_fields(raw.get()).map_err(|e| (None, e.to_string()))?;
    let (mut type_name, mut stream, mut data, mut meta) = (None, None, None, None);
    let (mut id_text, mut seq_number, mut recorded_at, mut effective_at) = (None, None, None, None);
    let mut rest = Vec::new();
    for (key, value) in fields {
        match &*key {
            "type" => type_name = Some(non_empty_string("type", value)?),
            "stream" => stream = Some(non_empty_string("stream", value)?),
            "data" => data = Some(object("data", value)?),
            "meta" => meta = Some(object("meta", value)?.to_owned()),
            "id" => id_text = Some(id(value)?),
            "seq" => seq_number = Some(seq(value)?),
            "recorded_at" => recorded_at = Some(timestamp("recorded_at", value)?),
            "effective_at" => effective_at = Some(timestamp("effective_at", value)?),
            _ => rest.push((key, value)),
        }
    }
    let type_name = type_name.ok_or((Some("type"), "is missing".to_string()))?;
    // With `data` present, the other fields are unknown envelope fields; without it, the event is
    // flat and they are the data.
    let (data, extra) = match data {
        Some(data) => (data.to_owned(), join_object(&rest)),
        None => (join_object(&rest).unwrap_or_else(empty_object), None),
    };
    Ok(Event {
        kind: log.intern_type(&type_name),
        stream: log.intern_stream(stream.as_deref()),
        seq: seq_number,
        id: id_text,
        recorded_at,
        effective_at,
        data,
        meta,
        extra,
    })
}

fn empty_object() -> Box<RawValue> {
    RawValue::from_string("{}".into()).expect("valid JSON")
}

fn non_empty_string(field: &'static str, value: &RawValue) -> Result<String, FieldProblem> {
    match JsonKind::of(value) {
        JsonKind::String => {
            let text: String = serde_json::from_str(value.get()).expect("a JSON string");
            if text.trim().is_empty() {
                Err((Some(field), "must not be empty".into()))
            } else {
                Ok(text)
            }
        }
        kind => Err((Some(field), must_be("a string", kind))),
    }
}

fn object<'a>(field: &'static str, value: &'a RawValue) -> Result<&'a RawValue, FieldProblem> {
    match JsonKind::of(value) {
        JsonKind::Object => Ok(value),
        kind => Err((Some(field), must_be("an object", kind))),
    }
}

fn id(value: &RawValue) -> Result<Box<str>, FieldProblem> {
    match JsonKind::of(value) {
        JsonKind::String => non_empty_string("id", value).map(String::into_boxed_str),
        JsonKind::Number => Ok(value.get().into()),
        kind => Err((Some("id"), must_be("a string or a number", kind))),
    }
}

fn seq(value: &RawValue) -> Result<u64, FieldProblem> {
    match JsonKind::of(value) {
        JsonKind::Number => value
            .get()
            .parse()
            .map_err(|_| (Some("seq"), format!("must be a whole number of at least 0, found {}", value.get()))),
        kind => Err((Some("seq"), must_be("a whole number", kind))),
    }
}

fn timestamp(field: &'static str, value: &RawValue) -> Result<Box<str>, FieldProblem> {
    let text = non_empty_string(field, value)?;
    match OffsetDateTime::parse(&text, &Rfc3339) {
        Ok(_) => Ok(text.into_boxed_str()),
        Err(_) => Err((
            Some(field),
            format!("must be an RFC 3339 timestamp such as 2024-03-01T12:00:00Z, found \"{text}\""),
        )),
    }
}

/// Writes fields back as one JSON object; `None` when there are none.
fn join_object(fields: &[(Cow<str>, &RawValue)]) -> Option<Box<RawValue>> {
    if fields.is_empty() {
        return None;
    }
    let mut text = String::from("{");
    for (i, (key, value)) in fields.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&serde_json::to_string(&**key).expect("a string serializes"));
        text.push(':');
        text.push_str(value.get());
    }
    text.push('}');
    Some(RawValue::from_string(text).expect("joined from valid JSON values"))
}

#[cfg(test)]
mod tests {
    use crate::engine::formats::{parse_log, LoadError};

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
        assert_eq!(event.data.get(), r#"{"amount":100}"#);
        assert_eq!(log.stream_name(event.stream), "acc-1");
    }

    #[test]
    fn unknown_fields_beside_data_are_kept() {
        let log = parse_log(r#"[{"type":"X","data":{},"source":"erp","tags":[1]}]"#).unwrap();
        assert_eq!(log.events()[0].extra.as_ref().unwrap().get(), r#"{"source":"erp","tags":[1]}"#);
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
    fn a_bad_timestamp_is_refused_with_an_example() {
        let messages = shape_messages(r#"[{"type":"A","recorded_at":"yesterday"}]"#);
        assert!(messages[0].contains("recorded_at must be an RFC 3339 timestamp"), "{messages:?}");
    }

    #[test]
    fn syntax_errors_give_line_and_column() {
        let err = parse_log("[{\"type\":\"A\"},\n  {\"type\" 1}]").unwrap_err();
        match err {
            LoadError::Syntax { line, column, message } => {
                assert_eq!((line, column), (2, 11));
                assert_eq!(message, "expected `:`");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn truncated_json_says_it_ends_too_early() {
        let err = parse_log(r#"[{"type":"Deposit","amount":100},"#).unwrap_err();
        assert!(err.to_string().contains("ends too early"), "{err}");
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        assert_eq!(parse_log("\u{feff}[{\"type\":\"A\"}]").unwrap().len(), 1);
    }

    #[test]
    fn empty_input_is_its_own_error() {
        assert!(matches!(parse_log("  \n"), Err(LoadError::Empty)));
    }

    #[test]
    fn more_than_twenty_shape_errors_are_counted() {
        let text = format!("[{}]", vec!["{}"; 25].join(","));
        match parse_log(&text).unwrap_err() {
            LoadError::Shape { errors, total } => assert_eq!((errors.len(), total), (20, 25)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_envelope_without_events_says_what_a_log_looks_like() {
        let err = parse_log(r#"{"domain":"bank"}"#).unwrap_err();
        assert!(err.to_string().contains("events is missing"), "{err}");
    }

    #[test]
    fn plain_text_is_a_syntax_error() {
        assert!(matches!(parse_log("hello"), Err(LoadError::Syntax { line: 1, column: 1, .. })));
    }
}
