//! What every format reader shares: reading one field with a precise problem ("must be a string,
//! found a number"), assembling an `Event`, and writing fields back as a JSON object.
use crate::event::{Event, EventText};
use crate::fields::JsonKind;
use crate::log::Log;
use serde_json::value::RawValue;
use std::borrow::Cow;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// The fields of one JSON object in written order, values as raw text.
pub(super) type Fields<'a> = Vec<(Cow<'a, str>, &'a RawValue)>;

/// The offending field (None: the event itself) and what is wrong with it.
pub(super) type FieldProblem = (Option<&'static str>, String);

/// An event's parts as a reader finds them; `into_event` checks that the type is there.
#[derive(Default)]
pub(super) struct Parts<'a> {
    pub type_name: Option<Cow<'a, str>>,
    pub stream: Option<Cow<'a, str>>,
    pub id: Option<Cow<'a, str>>,
    pub seq: Option<u64>,
    pub recorded_at: Option<Cow<'a, str>>,
    pub effective_at: Option<Cow<'a, str>>,
    /// JSON objects' text: borrowed from the log as written, or joined from some of its fields.
    pub data: Option<Cow<'a, str>>,
    pub meta: Option<Cow<'a, str>>,
    pub extra: Option<Cow<'a, str>>,
}

impl Parts<'_> {
    /// The event, interning its type and stream; `type_field` names the type in this format.
    pub fn into_event(self, log: &mut Log, type_field: &'static str) -> Result<Event, FieldProblem> {
        let type_name = self.type_name.ok_or((Some(type_field), "is missing".to_string()))?;
        let text = EventText {
            id: self.id.as_deref(),
            recorded_at: self.recorded_at.as_deref(),
            effective_at: self.effective_at.as_deref(),
            data: self.data.as_deref(),
            meta: self.meta.as_deref(),
            extra: self.extra.as_deref(),
        };
        Ok(Event::new(log.intern_type(&type_name), log.intern_stream(self.stream.as_deref()), self.seq, text))
    }
}

pub(super) fn must_be(expected: &str, found: JsonKind) -> String {
    format!("must be {expected}, found {}", found.with_article())
}

/// A JSON string's text: borrowed from the log when it has no escapes (almost always: names,
/// ids and timestamps), decoded otherwise. Valid JSON may still hold an escape that is no text (a
/// lone surrogate, `"\ud800"`), so this can fail.
pub(super) fn string_value<'a>(field: &'static str, value: &'a RawValue) -> Result<Cow<'a, str>, FieldProblem> {
    let quoted = value.get();
    if JsonKind::of(value) != JsonKind::String {
        return Err((Some(field), must_be("a string", JsonKind::of(value))));
    }
    if !quoted.contains('\\') {
        // Validated JSON: a string without escapes is its text between the quotes.
        return Ok(Cow::Borrowed(&quoted[1..quoted.len() - 1]));
    }
    serde_json::from_str::<String>(quoted).map(Cow::Owned).map_err(|e| (Some(field), unreadable(&e)))
}

/// serde_json's message without its position, which is relative to the piece being read.
pub(super) fn unreadable(error: &serde_json::Error) -> String {
    let full = error.to_string();
    let message = full.rfind(" at line ").map_or(&*full, |cut| &full[..cut]);
    format!("cannot be read: {message}")
}

pub(super) fn non_empty_string<'a>(field: &'static str, value: &'a RawValue) -> Result<Cow<'a, str>, FieldProblem> {
    match JsonKind::of(value) {
        JsonKind::String => {
            let text = string_value(field, value)?;
            if text.trim().is_empty() {
                Err((Some(field), "must not be empty".into()))
            } else {
                Ok(text)
            }
        }
        kind => Err((Some(field), must_be("a string", kind))),
    }
}

pub(super) fn object<'a>(field: &'static str, value: &'a RawValue) -> Result<&'a RawValue, FieldProblem> {
    match JsonKind::of(value) {
        JsonKind::Object => Ok(value),
        kind => Err((Some(field), must_be("an object", kind))),
    }
}

/// Formats whose data may be any JSON value: an object is the data, `null` is no data, anything
/// else is kept as `{"value": …}` so reducers still get an object.
pub(super) fn object_or_wrapped(value: &RawValue) -> Option<Cow<'_, str>> {
    match JsonKind::of(value) {
        JsonKind::Object => Some(Cow::Borrowed(value.get())),
        JsonKind::Null => None,
        _ => join_object(&[(Cow::Borrowed("value"), value)]),
    }
}

pub(super) fn id<'a>(field: &'static str, value: &'a RawValue) -> Result<Cow<'a, str>, FieldProblem> {
    match JsonKind::of(value) {
        JsonKind::String => non_empty_string(field, value),
        JsonKind::Number => Ok(Cow::Borrowed(value.get())),
        kind => Err((Some(field), must_be("a string or a number", kind))),
    }
}

pub(super) fn seq(field: &'static str, value: &RawValue) -> Result<u64, FieldProblem> {
    match JsonKind::of(value) {
        JsonKind::Number => value
            .get()
            .parse()
            .map_err(|_| (Some(field), format!("must be a whole number of at least 0, found {}", value.get()))),
        kind => Err((Some(field), must_be("a whole number", kind))),
    }
}

pub(super) fn timestamp<'a>(field: &'static str, value: &'a RawValue) -> Result<Cow<'a, str>, FieldProblem> {
    let text = non_empty_string(field, value)?;
    match OffsetDateTime::parse(&text, &Rfc3339) {
        Ok(_) => Ok(text),
        Err(_) => {
            Err((Some(field), format!("must be an RFC 3339 timestamp such as 2024-03-01T12:00:00Z, found \"{text}\"")))
        }
    }
}

/// Writes fields back as one JSON object; `None` when there are none.
pub(super) fn join_object(fields: &[(Cow<str>, &RawValue)]) -> Option<Cow<'static, str>> {
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
    Some(Cow::Owned(text))
}
