//! The generic domain, for any log without a built-in reducer: per stream, the data fields merged
//! (last write wins per top-level key), the event count and the last event type.
use super::keyed::KeyedMap;
use super::{replay_with, DataError, Domain, EventRef, Reducer, Step};
use crate::log::Log;
use crate::plan::Plan;
use crate::timeline::ReplayBuild;
use serde_json::{Map, Value};
use std::sync::Arc;

#[derive(Copy, Clone, Debug, Default)]
pub struct Generic;

/// One merged field: its latest raw JSON text, and when its key was first seen (for display order).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    pub first_seen: usize,
    pub raw: Arc<str>,
}

/// The state of one stream.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GenericStream {
    pub data: KeyedMap<Field>,
    pub event_count: u64,
    pub last_event_type: Option<Arc<str>>,
}

impl GenericStream {
    /// The merged fields in the order their keys first appeared.
    pub fn fields(&self) -> Vec<(&str, &str)> {
        let mut fields: Vec<_> = self.data.iter().collect();
        fields.sort_unstable_by_key(|(_, field)| field.first_seen);
        fields.into_iter().map(|(key, field)| (&**key, &*field.raw)).collect()
    }
}

impl Domain for Generic {
    fn name(&self) -> &str {
        "generic"
    }

    fn event_types(&self) -> &[&str] {
        &[]
    }

    fn fold(&self) -> Box<dyn crate::fold::Fold> {
        Box::new(crate::fold::ReducerFold::new(*self))
    }

    fn replay(&self, log: &Log, plan: Plan, interval: usize) -> Box<dyn ReplayBuild> {
        replay_with(self, log, plan, interval)
    }
}

impl Reducer for Generic {
    type Stream = GenericStream;
    type Kind = ();

    fn kind(&self, _type_name: &str) -> Option<()> {
        Some(())
    }

    fn apply(&self, stream: &GenericStream, _kind: (), event: &EventRef) -> Result<Step<GenericStream>, DataError> {
        let fields = event.fields()?;
        let mut next = stream.clone();
        for (key, raw) in fields.iter() {
            // Keys are never removed, so the map's size is a fresh first-seen index.
            let first_seen = next.data.get(key).map_or(next.data.len(), |field| field.first_seen);
            next.data.insert(key.into(), Field { first_seen, raw: raw.get().into() });
        }
        next.event_count = next.event_count.saturating_add(1);
        if next.last_event_type.as_deref() != Some(event.type_name) {
            next.last_event_type = Some(event.type_name.into());
        }
        Ok(Step::ok(next))
    }

    fn to_json(&self, stream: &GenericStream) -> Value {
        let data: Map<String, Value> = stream
            .fields()
            .into_iter()
            // The text came from a parsed log, so it parses; keep it as a string if it somehow does not.
            .map(|(key, raw)| (key.to_string(), serde_json::from_str(raw).unwrap_or_else(|_| raw.into())))
            .collect();
        let mut object = Map::new();
        object.insert("data".into(), Value::Object(data));
        object.insert("event_count".into(), stream.event_count.into());
        object.insert("last_event_type".into(), stream.last_event_type.as_deref().map_or(Value::Null, Value::from));
        Value::Object(object)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testing;
    use serde_json::json;

    fn apply(stream: &GenericStream, type_name: &str, data: &str) -> Result<Step<GenericStream>, DataError> {
        testing::apply(&Generic, stream, type_name, "s-1", data)
    }

    fn given(events: &[(&str, &str)]) -> GenericStream {
        testing::given(&Generic, "s-1", events)
    }

    #[test]
    fn every_type_name_is_accepted_and_none_are_listed() {
        assert_eq!(Generic.kind("Anything"), Some(()));
        assert_eq!(Generic.kind(""), Some(()));
        assert!(Generic.event_types().is_empty());
    }

    #[test]
    fn fields_merge_last_write_wins_in_first_seen_order() {
        let stream = given(&[
            ("UserRegistered", r#"{"name":"Ada","email":"ada@example.com"}"#),
            ("EmailChanged", r#"{"email":"ada@math.org","verified":false}"#),
            ("Tagged", r#"{"tags":["a","b"],"name":"Ada L."}"#),
        ]);
        assert_eq!(
            Generic.to_json(&stream).to_string(),
            json!({
                "data": {"name": "Ada L.", "email": "ada@math.org", "verified": false, "tags": ["a", "b"]},
                "event_count": 3,
                "last_event_type": "Tagged"
            })
            .to_string()
        );
    }

    #[test]
    fn nested_objects_are_replaced_whole_not_merged() {
        let stream =
            given(&[("A", r#"{"address":{"city":"Paris","zip":"75001"}}"#), ("B", r#"{"address":{"city":"Lyon"}}"#)]);
        assert_eq!(Generic.to_json(&stream)["data"]["address"], json!({"city": "Lyon"}));
    }

    #[test]
    fn numbers_keep_their_exact_text() {
        let stream = given(&[("A", r#"{"amount":0.10,"big":12345678901234567890123}"#)]);
        assert_eq!(stream.fields(), [("amount", "0.10"), ("big", "12345678901234567890123")]);
        assert_eq!(Generic.to_json(&stream)["data"].to_string(), r#"{"amount":0.10,"big":12345678901234567890123}"#);
    }

    #[test]
    fn null_is_a_write_like_any_other() {
        let stream = given(&[("A", r#"{"x":1}"#), ("B", r#"{"x":null}"#)]);
        assert_eq!(Generic.to_json(&stream)["data"], json!({"x": null}));
    }

    #[test]
    fn an_event_with_empty_data_still_counts() {
        let stream = given(&[("A", r#"{"x":1}"#), ("Ping", "{}")]);
        assert_eq!(stream.event_count, 2);
        assert_eq!(stream.last_event_type.as_deref(), Some("Ping"));
        assert_eq!(stream.fields(), [("x", "1")]);
    }

    #[test]
    fn data_that_is_not_an_object_is_a_data_error_not_a_panic() {
        let err = apply(&GenericStream::default(), "A", "[1,2]").unwrap_err();
        assert_eq!(err.to_string(), "data must be an object, found an array");
    }

    #[test]
    fn an_empty_stream_shows_no_data_and_no_last_type() {
        assert_eq!(
            Generic.to_json(&GenericStream::default()),
            json!({"data": {}, "event_count": 0, "last_event_type": null})
        );
    }

    #[test]
    fn earlier_states_are_untouched_by_later_events() {
        let first = given(&[("A", r#"{"x":1}"#)]);
        let second = apply(&first, "B", r#"{"x":2}"#).unwrap().state;
        assert_eq!(first.fields(), [("x", "1")]);
        assert_eq!(second.fields(), [("x", "2")]);
    }
}
