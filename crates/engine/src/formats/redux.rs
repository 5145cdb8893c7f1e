//! Redux-style actions (Flux Standard Actions): `{"type": "deposit", "payload": {...}, "meta": {...}}`.
//!
//! `payload` is the data (any other value than an object is kept as `{"value": …}`), `meta` the
//! meta (likewise); Rewind's envelope fields (`stream`, `id`, `seq`, `recorded_at`,
//! `effective_at`) are read as usual and anything else (`error`, …) is kept as unknown fields.
use super::common::{join_object, object_or_wrapped, FieldProblem, Fields, Parts};
use super::rewind_json::envelope_field;
use crate::event::Event;
use crate::log::Log;

pub(super) fn read_action(log: &mut Log, fields: Fields) -> Result<Event, FieldProblem> {
    let mut parts = Parts::default();
    let mut rest = Vec::new();
    for (key, value) in fields {
        match &*key {
            "payload" => parts.data = object_or_wrapped(value),
            "meta" => parts.meta = object_or_wrapped(value),
            _ if envelope_field(&mut parts, &key, value)? => {}
            _ => rest.push((key, value)),
        }
    }
    parts.extra = join_object(&rest);
    parts.into_event(log, "type")
}

#[cfg(test)]
mod tests {
    use crate::formats::parse_log;
    use crate::log::LogFormat;

    #[test]
    fn payload_becomes_data_and_the_rest_is_kept() {
        let log = parse_log(
            r#"[{"type":"Deposit","payload":{"amount":100},"meta":{"user":"ada"},"error":false},
                {"type":"Withdraw","payload":{"amount":30}}]"#,
        )
        .unwrap();
        assert_eq!(log.format, LogFormat::ReduxActions);
        let first = &log.events()[0];
        assert_eq!(log.type_name(first), "Deposit");
        assert_eq!(first.data(), r#"{"amount":100}"#);
        assert_eq!(first.meta().unwrap(), r#"{"user":"ada"}"#);
        assert_eq!(first.extra().unwrap(), r#"{"error":false}"#);
    }

    #[test]
    fn a_payload_that_is_not_an_object_is_kept_as_value() {
        let log = parse_log(r#"[{"type":"counter/add","payload":5},{"type":"counter/reset","payload":null}]"#).unwrap();
        assert_eq!(log.events()[0].data(), r#"{"value":5}"#);
        assert_eq!(log.events()[1].data(), "{}");
    }

    #[test]
    fn a_single_action_is_a_log_of_one() {
        let log = parse_log(r#"{"type":"Deposit","payload":{"amount":1},"stream":"acc-1"}"#).unwrap();
        assert_eq!((log.len(), log.format), (1, LogFormat::ReduxActions));
        assert_eq!(log.stream_name(log.events()[0].stream), "acc-1");
    }

    #[test]
    fn with_data_beside_it_payload_is_an_unknown_field() {
        let log = parse_log(r#"[{"type":"A","data":{"n":1},"payload":{"n":2}}]"#).unwrap();
        assert_eq!(log.format, LogFormat::Array);
        assert_eq!(log.events()[0].extra().unwrap(), r#"{"payload":{"n":2}}"#);
    }

    #[test]
    fn an_action_without_a_type_is_named() {
        let error = parse_log(r#"[{"payload":{"amount":1}}]"#).unwrap_err();
        assert_eq!(error.to_string(), "Not a log of events (1 problem):\n• event 1 (line 1): [0].type is missing");
    }
}
