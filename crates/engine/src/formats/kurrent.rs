//! KurrentDB / EventStoreDB event JSON, a single event or an array, recognised by `eventType`
//! (and no `type`).
//!
//! `eventType` → type, `eventId` → id, `streamId` → stream, `eventNumber` → seq, `created` →
//! recorded_at, `data` → data (any other value than an object is kept as `{"value": …}`),
//! `metadata` → meta with `$correlationId` / `$causationId` renamed to Rewind's `correlation_id` /
//! `causation_id` (the rest kept as written). Other fields are kept as unknown fields — except
//! those named like Rewind's own event fields (the HTTP API's `id`, say), which go to meta so an
//! export cannot confuse them with Rewind's.
use super::common::{
    id, join_object, non_empty_string, object_or_wrapped, seq, timestamp, unreadable, FieldProblem, Fields, Parts,
};
use super::rewind_json::clashes_on_import;
use crate::event::Event;
use crate::fields::{object_fields, JsonKind};
use crate::log::Log;
use serde_json::value::RawValue;
use std::borrow::Cow;

pub(super) fn read_event(log: &mut Log, fields: Fields) -> Result<Event, FieldProblem> {
    let mut parts = Parts::default();
    let mut metadata = None;
    let mut rest = Vec::new();
    let mut clashing = Vec::new();
    for (key, value) in fields {
        match &*key {
            "eventType" => parts.type_name = Some(non_empty_string("eventType", value)?),
            "eventId" => parts.id = Some(id("eventId", value)?),
            "streamId" => parts.stream = Some(non_empty_string("streamId", value)?),
            "eventNumber" => parts.seq = Some(seq("eventNumber", value)?),
            "created" => parts.recorded_at = Some(timestamp("created", value)?),
            "data" => parts.data = object_or_wrapped(value),
            "metadata" => metadata = Some(value),
            name if clashes_on_import(name) => clashing.push((key, value)),
            _ => rest.push((key, value)),
        }
    }
    parts.meta = meta(metadata, &clashing)?;
    parts.extra = join_object(&rest);
    parts.into_event(log, "eventType")
}

/// Rewind's meta from KurrentDB's metadata, plus the top-level fields whose names clash with
/// Rewind's event fields.
fn meta(
    metadata: Option<&RawValue>,
    clashing: &[(Cow<str>, &RawValue)],
) -> Result<Option<Cow<'static, str>>, FieldProblem> {
    let mut fields = match metadata {
        None => Vec::new(),
        Some(value) if JsonKind::of(value) == JsonKind::Object => {
            let fields = object_fields(value.get()).map_err(|e| (Some("metadata"), unreadable(&e)))?;
            let has = |name: &str| fields.iter().any(|(key, _)| key == name);
            let (correlation, causation) = (!has("correlation_id"), !has("causation_id"));
            fields
                .into_iter()
                .map(|(key, value)| match &*key {
                    "$correlationId" if correlation => (Cow::Borrowed("correlation_id"), value),
                    "$causationId" if causation => (Cow::Borrowed("causation_id"), value),
                    _ => (key, value),
                })
                .collect()
        }
        Some(value) => match object_or_wrapped(value) {
            // Not an object: `null` is no metadata; anything else is kept whole.
            None => Vec::new(),
            Some(_) => vec![(Cow::Borrowed("metadata"), value)],
        },
    };
    fields.extend(clashing.iter().cloned());
    Ok(join_object(&fields))
}

#[cfg(test)]
mod tests {
    use crate::formats::parse_log;
    use crate::log::LogFormat;

    const DEPOSITED: &str = r#"{
        "eventId": "fbf4a1a1-b4a3-4dfe-a01f-ec52c34e16e4",
        "eventType": "Deposited",
        "streamId": "account-1",
        "eventNumber": 1,
        "created": "2024-03-01T09:00:00.1234567Z",
        "isJson": true,
        "data": {"amount": 100},
        "metadata": {"$correlationId": "c-1", "$causationId": "c-0", "user": "ada"}
    }"#;

    #[test]
    fn a_kurrent_event_maps_its_fields_and_renames_correlation_ids() {
        let log = parse_log(DEPOSITED).unwrap();
        assert_eq!(log.format, LogFormat::KurrentEvent);
        let event = &log.events()[0];
        assert_eq!(log.type_name(event), "Deposited");
        assert_eq!(log.stream_name(event.stream), "account-1");
        assert_eq!(event.id(), Some("fbf4a1a1-b4a3-4dfe-a01f-ec52c34e16e4"));
        assert_eq!(event.seq, Some(1));
        assert_eq!(event.recorded_at(), Some("2024-03-01T09:00:00.1234567Z"));
        assert_eq!(event.data(), r#"{"amount": 100}"#);
        assert_eq!(event.meta().unwrap(), r#"{"correlation_id":"c-1","causation_id":"c-0","user":"ada"}"#);
        assert_eq!(event.extra().unwrap(), r#"{"isJson":true}"#);
    }

    #[test]
    fn an_array_of_kurrent_events_is_named_so() {
        let log = parse_log(&format!("[{DEPOSITED},\n{DEPOSITED}]")).unwrap();
        assert_eq!((log.len(), log.format), (2, LogFormat::KurrentEvents));
    }

    #[test]
    fn fields_named_like_rewinds_go_to_meta() {
        let log = parse_log(r#"{"eventType":"A","id":"http://localhost:2113/streams/s/0","metadata":null}"#).unwrap();
        let event = &log.events()[0];
        assert_eq!(event.id(), None);
        assert_eq!(event.meta().unwrap(), r#"{"id":"http://localhost:2113/streams/s/0"}"#);
    }

    #[test]
    fn metadata_that_is_not_an_object_is_kept_whole() {
        let log = parse_log(r#"{"eventType":"A","data":"raw text","metadata":"v1"}"#).unwrap();
        let event = &log.events()[0];
        assert_eq!(event.data(), r#"{"value":"raw text"}"#);
        assert_eq!(event.meta().unwrap(), r#"{"metadata":"v1"}"#);
    }

    #[test]
    fn a_bad_event_number_names_the_kurrent_field() {
        let error = parse_log(r#"[{"eventType":"A","eventNumber":"one"}]"#).unwrap_err();
        assert_eq!(
            error.to_string(),
            "Not a log of events (1 problem):\n• event 1 (line 1): [0].eventNumber must be a whole number, found a string"
        );
    }
}
