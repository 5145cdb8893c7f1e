//! CloudEvents 1.0 in structured JSON (a single event, or a batch array), recognised by
//! `specversion`.
//!
//! `type` → type, `id` → id, `subject` → stream, `time` → recorded_at, `data` → data (any other
//! value than an object is kept as `{"value": …}`). Every other attribute — `specversion`,
//! `source`, `datacontenttype`, `dataschema`, `data_base64` and extension attributes — is kept
//! in meta under its own name, so nothing is lost. An optional attribute that is `null` is
//! absent, as the specification says. `data_base64` is decoded into data when `datacontenttype`
//! says JSON; otherwise the event replays with empty data and meta says what the bytes are.
use super::common::{
    id, join_object, non_empty_string, object_or_wrapped, string_value, timestamp, FieldProblem, Fields, Parts,
};
use crate::event::Event;
use crate::fields::JsonKind;
use crate::log::Log;
use serde_json::value::RawValue;
use std::borrow::Cow;

/// Attributes every CloudEvent has: `null` is no value for them.
const REQUIRED: &[&str] = &["specversion", "type", "id", "source"];

pub(super) fn read_event(log: &mut Log, fields: Fields) -> Result<Event, FieldProblem> {
    let mut parts = Parts::default();
    let mut meta = Vec::new();
    let mut base64 = None;
    let mut content_type = None;
    for (key, value) in fields {
        if JsonKind::of(value) == JsonKind::Null && !REQUIRED.contains(&&*key) {
            continue;
        }
        match &*key {
            "specversion" => {
                spec_version(value)?;
                meta.push((key, value));
            }
            "type" => parts.type_name = Some(non_empty_string("type", value)?),
            "id" => parts.id = Some(id("id", value)?),
            "subject" => parts.stream = Some(non_empty_string("subject", value)?),
            "time" => parts.recorded_at = Some(timestamp("time", value)?),
            "data" => parts.data = object_or_wrapped(value),
            "data_base64" => {
                base64 = Some(value);
                meta.push((key, value));
            }
            "datacontenttype" => {
                content_type = string_value("datacontenttype", value).ok();
                meta.push((key, value));
            }
            _ => meta.push((key, value)),
        }
    }
    let note = match (base64, parts.data.is_none()) {
        (Some(encoded), true) => match decode_base64(encoded, content_type.as_deref()) {
            Ok(data) => {
                parts.data = Some(Cow::Owned(data));
                None
            }
            Err(note) => Some(RawValue::from_string(serde_json::to_string(&note).expect("a string")).expect("JSON")),
        },
        _ => None,
    };
    if let Some(note) = &note {
        meta.push((Cow::Borrowed("rewind_note"), note));
    }
    parts.meta = join_object(&meta);
    parts.into_event(log, "type")
}

/// `data_base64` as data: the decoded JSON object (or `{"value": …}`) when the content type says
/// JSON and the bytes are; otherwise why not, with the size, for meta.
fn decode_base64(encoded: &RawValue, content_type: Option<&str>) -> Result<String, String> {
    use base64::Engine;
    let text = serde_json::from_str::<String>(encoded.get()).map_err(|_| "data_base64 is not a string".to_string())?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .map_err(|_| "data_base64 is not valid base64: this event replays with empty data".to_string())?;
    let kind = content_type.unwrap_or("no content type");
    let is_json = content_type.is_some_and(|t| {
        let t = t.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        t == "application/json" || t.ends_with("+json") || t == "text/json"
    });
    let size = bytes.len();
    let binary =
        || format!("data_base64 holds {size} bytes of {kind}: kept in meta; this event replays with empty data");
    if !is_json {
        return Err(binary());
    }
    let json = String::from_utf8(bytes).map_err(|_| binary())?;
    let value: &RawValue = serde_json::from_str(&json).map_err(|_| binary())?;
    Ok(object_or_wrapped(value).map(Cow::into_owned).unwrap_or_else(|| "{}".into()))
}

fn spec_version(value: &RawValue) -> Result<(), FieldProblem> {
    match JsonKind::of(value) {
        JsonKind::String if string_value("specversion", value)? == "1.0" => Ok(()),
        JsonKind::String => {
            Err((Some("specversion"), format!("must be \"1.0\" (CloudEvents 1.0), found {}", value.get())))
        }
        kind => Err((Some("specversion"), format!("must be \"1.0\" (CloudEvents 1.0), found {}", kind.with_article()))),
    }
}

#[cfg(test)]
mod tests {
    use crate::formats::parse_log;
    use crate::log::LogFormat;

    /// Found by fuzzing (fuzz/ roundtrip, fuzz/regressions/load-cloudevent-content-type-not-a-string.json):
    /// a `datacontenttype` that is not a string was read as one, and a one-character value panicked.
    #[test]
    fn a_content_type_that_is_not_a_string_is_kept_in_meta_not_read() {
        let log = parse_log(r#"{"specversion":"1.0","type":"A","id":"1","source":"s","datacontenttype":0}"#).unwrap();
        assert_eq!(log.events()[0].meta(), Some(r#"{"specversion":"1.0","source":"s","datacontenttype":0}"#));
        let text = include_str!("../../../../fuzz/regressions/load-cloudevent-content-type-not-a-string.json");
        let _ = crate::formats::read_log(text, &Default::default());
    }

    const DEPOSIT: &str = r#"{
        "specversion": "1.0",
        "type": "Deposit",
        "source": "/bank/teller-3",
        "id": "a1b2",
        "subject": "acc-1",
        "time": "2024-03-01T09:00:00Z",
        "datacontenttype": "application/json",
        "traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        "data": {"amount": 100}
    }"#;

    #[test]
    fn a_single_cloudevent_maps_its_attributes_and_keeps_the_rest_in_meta() {
        let log = parse_log(DEPOSIT).unwrap();
        assert_eq!(log.format, LogFormat::CloudEvent);
        let event = &log.events()[0];
        assert_eq!(log.type_name(event), "Deposit");
        assert_eq!(log.stream_name(event.stream), "acc-1");
        assert_eq!(event.id(), Some("a1b2"));
        assert_eq!(event.recorded_at(), Some("2024-03-01T09:00:00Z"));
        assert_eq!(event.data(), r#"{"amount": 100}"#);
        assert_eq!(
            event.meta().unwrap(),
            r#"{"specversion":"1.0","source":"/bank/teller-3","datacontenttype":"application/json","traceparent":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}"#
        );
        assert!(event.extra().is_none());
    }

    #[test]
    fn a_batch_is_an_array_of_cloudevents() {
        let log = parse_log(&format!("[{DEPOSIT}, {DEPOSIT}]")).unwrap();
        assert_eq!((log.len(), log.format), (2, LogFormat::CloudEventsBatch));
    }

    #[test]
    fn data_that_is_not_an_object_is_kept_as_value() {
        let log = parse_log(r#"{"specversion":"1.0","type":"Note","source":"/s","id":"1","data":"hello"}"#).unwrap();
        assert_eq!(log.events()[0].data(), r#"{"value":"hello"}"#);
    }

    #[test]
    fn base64_data_is_kept_in_meta_with_a_note() {
        let log =
            parse_log(r#"{"specversion":"1.0","type":"Blob","source":"/s","id":"1","data_base64":"AAEC"}"#).unwrap();
        let event = &log.events()[0];
        assert_eq!(event.data(), "{}");
        let meta: serde_json::Value = serde_json::from_str(event.meta().unwrap()).unwrap();
        assert_eq!(meta["data_base64"], "AAEC");
        assert!(meta["rewind_note"].as_str().unwrap().contains("empty data"));
    }

    #[test]
    fn another_spec_version_is_refused_by_name() {
        let error = parse_log(r#"[{"specversion":"0.3","type":"A","source":"/s","id":"1"}]"#).unwrap_err();
        assert_eq!(
            error.to_string(),
            "Not a log of events (1 problem):\n• event 1 (line 1): [0].specversion must be \"1.0\" (CloudEvents 1.0), found \"0.3\""
        );
    }

    #[test]
    fn a_bad_time_names_the_cloudevents_attribute() {
        let error = parse_log(r#"{"specversion":"1.0","type":"A","source":"/s","id":"1","time":"noon"}"#).unwrap_err();
        assert_eq!(
            error.to_string(),
            "Not a log of events (1 problem):\n• event 1 (line 1): time must be an RFC 3339 timestamp such as \
             2024-03-01T12:00:00Z, found \"noon\""
        );
    }

    #[test]
    fn a_cloudevent_without_a_type_is_named() {
        let error = parse_log(r#"{"specversion":"1.0","source":"/s","id":"1"}"#).unwrap_err();
        assert_eq!(error.to_string(), "Not a log of events (1 problem):\n• event 1 (line 1): type is missing");
    }
}
