//! Redux DevTools exports, the files Redux users already have, in both shapes:
//! - the lifted state the extension exports: `{"actionsById": {"0": {"type": "PERFORM_ACTION",
//!   "action": {...}, "timestamp": ...}}, "stagedActionIds": [...], "computedStates": [...]}`;
//! - a report or import: `{"payload": "<the actions, or a lifted state, as a JSON string>",
//!   "preloadedState": "<the state, as a JSON string>"}`.
//!
//! The actions become events in the order they were staged (each read like any Redux action:
//! `payload` is data). The state before the first action — the first computed state, or the
//! preloaded state — is kept with the log, to be shown at position 0.
use super::common::{FieldProblem, Fields};
use super::{read_event, EventProblem, LoadError, LoadOptions, Problems, ShapeError};
use crate::fields::{object_fields, JsonKind};
use crate::log::{Log, LogFormat};
use serde_json::value::RawValue;
use time::OffsetDateTime;

/// True for an object that is a Redux DevTools export rather than one event. An object with
/// `data` is an event: every event Rewind exports has it, and a log of one, exported as one line
/// of JSON Lines, must not read back as an export for the unknown fields beside it.
pub(super) fn is_export(fields: &Fields) -> bool {
    let get = |name: &str| fields.iter().find(|(key, _)| key == name).map(|(_, value)| *value);
    let lifted = get("actionsById").is_some() && get("stagedActionIds").is_some();
    let report = get("payload").is_some_and(|p| JsonKind::of(p) == JsonKind::String)
        && (get("preloadedState").is_some()
            || get("type").is_some_and(|t| matches!(t.get(), "\"ACTIONS\"" | "\"STATE\"")));
    get("data").is_none() && (lifted || report)
}

/// Reads an export (see the module) into a log.
pub(super) fn parse_export(fields: Fields, options: &LoadOptions) -> Result<Log, LoadError> {
    let get = |name: &str| fields.iter().find(|(key, _)| key == name).map(|(_, value)| *value);
    let mut log = Log::new(LogFormat::ReduxDevTools);
    let mut problems = Problems::new(options.strict);
    let initial = match get("payload") {
        // A report: the payload is JSON in a string.
        Some(payload) if get("actionsById").is_none() => {
            let payload = decoded("payload", payload)?;
            let inner: &RawValue = parse("payload", &payload)?;
            let initial = match JsonKind::of(inner) {
                JsonKind::Array => {
                    let actions: Vec<&RawValue> = serde_json::from_str(inner.get()).expect("an array");
                    for (index, action) in actions.iter().enumerate() {
                        read_action(&mut log, &mut problems, options, action.get(), None, format!("payload[{index}]"));
                    }
                    None
                }
                JsonKind::Object => {
                    let lifted =
                        object_fields(inner.get()).map_err(|e| LoadError::envelope("payload", e.to_string()))?;
                    read_lifted(&mut log, &mut problems, options, &lifted)?
                }
                kind => {
                    return Err(LoadError::envelope(
                        "payload",
                        format!("must hold the actions (an array) or a lifted state, found {}", kind.with_article()),
                    ))
                }
            };
            let preloaded = match get("preloadedState") {
                Some(state) if JsonKind::of(state) == JsonKind::String => Some(decoded("preloadedState", state)?),
                Some(state) if JsonKind::of(state) != JsonKind::Null => Some(state.get().to_string()),
                _ => None,
            };
            preloaded.or(initial)
        }
        _ => read_lifted(&mut log, &mut problems, options, &fields)?,
    };
    if let Some(state) = initial {
        log.initial_state =
            Some(RawValue::from_string(state).map_err(|e| LoadError::envelope("the state", e.to_string()))?);
    }
    problems.finish(&log)?;
    Ok(log)
}

/// The actions of a lifted state in staged order; the state before the first, if there is one.
fn read_lifted(
    log: &mut Log,
    problems: &mut Problems,
    options: &LoadOptions,
    fields: &Fields,
) -> Result<Option<String>, LoadError> {
    let get = |name: &str| fields.iter().find(|(key, _)| key == name).map(|(_, value)| *value);
    let by_id = get("actionsById").ok_or_else(|| LoadError::envelope("actionsById", "is missing".into()))?;
    let by_id =
        object_fields(by_id.get()).map_err(|_| LoadError::envelope("actionsById", "must be an object".into()))?;
    let staged: Vec<serde_json::Value> = match get("stagedActionIds") {
        Some(ids) => serde_json::from_str(ids.get())
            .map_err(|_| LoadError::envelope("stagedActionIds", "must be an array of action ids".into()))?,
        // Without the staged list, every action in id order.
        None => by_id.iter().map(|(key, _)| serde_json::Value::from(key.to_string())).collect(),
    };
    for id in staged {
        let key = match &id {
            serde_json::Value::String(key) => key.clone(),
            other => other.to_string(),
        };
        let path = format!("actionsById.{key}");
        let Some((_, lifted)) = by_id.iter().find(|(k, _)| *k == key) else {
            let index = log.len();
            problems.add(log, &id.to_string(), || ShapeError {
                index: Some(index),
                line: None,
                path: path.clone(),
                problem: "is missing: stagedActionIds names an action the export does not have".into(),
            });
            continue;
        };
        let lifted_fields = object_fields(lifted.get()).unwrap_or_default();
        let field = |name: &str| lifted_fields.iter().find(|(k, _)| k == name).map(|(_, v)| *v);
        let action = field("action").map_or(lifted.get(), |a| a.get());
        let recorded_at = field("timestamp").and_then(|t| t.get().parse::<i64>().ok()).and_then(millis_to_rfc3339);
        read_action(log, problems, options, action, recorded_at.as_deref(), format!("{path}.action"));
    }
    let first_state = get("computedStates")
        .and_then(|states| serde_json::from_str::<Vec<&RawValue>>(states.get()).ok())
        .and_then(|states| states.first().copied())
        .and_then(|first| object_fields(first.get()).ok()?.into_iter().find(|(k, _)| k == "state"))
        .map(|(_, state)| state.get().to_string());
    Ok(first_state)
}

/// One action as the next event, or a place-holder saying why it could not be read.
fn read_action(
    log: &mut Log,
    problems: &mut Problems,
    options: &LoadOptions,
    action: &str,
    recorded_at: Option<&str>,
    path: String,
) {
    // The lifted action's time goes in beside the action's own fields.
    let with_time;
    let text = match (recorded_at, action.trim_start().strip_prefix('{')) {
        (Some(at), Some(rest)) if !action.contains("\"recorded_at\"") => {
            let separator = if rest.trim_start().starts_with('}') { "" } else { "," };
            with_time = format!("{{\"recorded_at\":\"{at}\"{separator}{rest}");
            with_time.as_str()
        }
        _ => action,
    };
    let index = log.len();
    match read_event(log, text, options.mapping.as_ref()) {
        Ok((event, _)) => log.append(event),
        Err(problem) => {
            let (field, problem): FieldProblem = match problem {
                EventProblem::Shape(problem) => problem,
                EventProblem::Unreadable(error) => (None, super::common::unreadable(&error)),
            };
            let path = match field {
                Some(field) => format!("{path}.{field}"),
                None => path,
            };
            problems.add(log, action, || ShapeError { index: Some(index), line: None, path, problem });
        }
    }
}

/// A JSON string field's text.
fn decoded(field: &str, value: &RawValue) -> Result<String, LoadError> {
    serde_json::from_str::<String>(value.get()).map_err(|e| LoadError::envelope(field, e.to_string()))
}

fn parse<'a>(field: &str, text: &'a str) -> Result<&'a RawValue, LoadError> {
    serde_json::from_str(text).map_err(|e| LoadError::envelope(field, format!("must hold JSON: {e}")))
}

/// Milliseconds since 1970 (what Redux DevTools records) as RFC 3339.
fn millis_to_rfc3339(millis: i64) -> Option<String> {
    let at = OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000).ok()?;
    at.format(&time::format_description::well_known::Rfc3339).ok()
}

#[cfg(test)]
mod tests {
    use crate::formats::{parse_log, read_log, LoadOptions};
    use crate::log::LogFormat;

    #[test]
    fn a_lifted_state_gives_its_staged_actions_in_order_and_the_first_state() {
        let log = parse_log(
            r#"{"actionsById":{"1":{"type":"PERFORM_ACTION","action":{"type":"ADD","payload":{"n":2}},"timestamp":1700000000000},
                "0":{"type":"PERFORM_ACTION","action":{"type":"@@INIT"},"timestamp":1699999999000}},
               "stagedActionIds":[0,1],"skippedActionIds":[],"computedStates":[{"state":{"n":0}},{"state":{"n":2}}]}"#,
        )
        .unwrap();
        assert_eq!(log.format, LogFormat::ReduxDevTools);
        let types: Vec<&str> = log.events().iter().map(|e| log.type_name(e)).collect();
        assert_eq!(types, ["@@INIT", "ADD"]);
        assert_eq!(log.events()[1].data(), r#"{"n":2}"#);
        assert_eq!(log.events()[1].recorded_at(), Some("2023-11-14T22:13:20Z"));
        assert_eq!(log.initial_state().map(|s| s.get()), Some(r#"{"n":0}"#));
    }

    #[test]
    fn a_report_reads_its_payload_and_preloaded_state_from_strings() {
        let log = parse_log(
            r#"{"type":"ACTIONS","payload":"[{\"type\":\"ADD_TODO\",\"text\":\"hi\"},{\"type\":\"DONE\"}]",
               "preloadedState":"{\"todos\":[]}"}"#,
        )
        .unwrap();
        let types: Vec<&str> = log.events().iter().map(|e| log.type_name(e)).collect();
        assert_eq!(types, ["ADD_TODO", "DONE"], "the actions, not one event of type ACTIONS");
        assert_eq!(log.events()[0].data(), r#"{"text":"hi"}"#);
        assert_eq!(log.initial_state().map(|s| s.get()), Some(r#"{"todos":[]}"#));
    }

    #[test]
    fn an_action_without_a_type_holds_its_place_unless_loading_strictly() {
        let text = r#"{"payload":"[{\"type\":\"A\"},{\"n\":1}]","preloadedState":"null"}"#;
        let log = read_log(text, &LoadOptions::default()).unwrap();
        assert_eq!(log.unreadable().len(), 1);
        assert_eq!(log.unreadable()[0].error.path, "payload[1].type");
        assert!(parse_log(text).is_err());
    }
}
