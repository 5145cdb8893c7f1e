//! Reading the fields of a JSON object without building a `Value` tree, with errors that name the
//! field path and what was found ("data.amount must be a number, found a string").
use crate::money;
use rust_decimal::Decimal;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::fmt;

/// The JSON type of a raw value, in words.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum JsonKind {
    Object,
    Array,
    String,
    Number,
    Boolean,
    Null,
}

impl JsonKind {
    pub fn of(raw: &RawValue) -> JsonKind {
        JsonKind::of_text(raw.get())
    }

    /// The kind of the JSON value `text`, which starts with it (no leading space).
    pub fn of_text(text: &str) -> JsonKind {
        match text.as_bytes().first() {
            Some(b'{') => JsonKind::Object,
            Some(b'[') => JsonKind::Array,
            Some(b'"') => JsonKind::String,
            Some(b't' | b'f') => JsonKind::Boolean,
            Some(b'n') => JsonKind::Null,
            _ => JsonKind::Number,
        }
    }

    /// "a string", "an object": ready for "found …".
    pub fn with_article(self) -> &'static str {
        match self {
            JsonKind::Object => "an object",
            JsonKind::Array => "an array",
            JsonKind::String => "a string",
            JsonKind::Number => "a number",
            JsonKind::Boolean => "a boolean",
            JsonKind::Null => "null",
        }
    }
}

/// The problem of a field that is not there.
const MISSING: &str = "is missing";

/// A field of an event's data that could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataError {
    pub path: String,
    pub problem: String,
}

impl DataError {
    pub fn missing(path: &str) -> Self {
        DataError { path: path.into(), problem: MISSING.into() }
    }

    /// A problem said in full (a script's error), with no path of its own.
    pub fn said(message: impl Into<String>) -> Self {
        DataError { path: String::new(), problem: message.into() }
    }

    /// True when the field is not there at all (rather than there but unreadable).
    pub fn is_missing(&self) -> bool {
        self.problem == MISSING
    }

    pub fn wrong_kind(path: &str, expected: &str, found: JsonKind) -> Self {
        DataError { path: path.into(), problem: format!("must be {expected}, found {}", found.with_article()) }
    }
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.problem)
        } else {
            write!(f, "{} {}", self.path, self.problem)
        }
    }
}

impl std::error::Error for DataError {}

/// The fields of one JSON object, in written order, values left as raw text.
#[derive(Debug, Default)]
pub struct Fields<'a> {
    entries: Vec<(Cow<'a, str>, &'a RawValue)>,
    /// Path prefix used in error messages ("data").
    prefix: &'static str,
}

impl<'a> Fields<'a> {
    /// Reads an event's `data` object.
    pub fn parse(data: &'a str) -> Result<Fields<'a>, DataError> {
        Self::parse_with_prefix(data, "data")
    }

    /// Reads the JSON object `object`, naming its fields `prefix.field` in errors.
    pub fn parse_with_prefix(object: &'a str, prefix: &'static str) -> Result<Fields<'a>, DataError> {
        match serde_json::from_str::<FieldList<'a>>(object) {
            Ok(FieldList(entries)) => Ok(Fields { entries, prefix }),
            // An object that does not read: a key that is no text (a lone surrogate). Said so,
            // not "must be an object, found an object".
            Err(error) if JsonKind::of_text(object.trim_start()) == JsonKind::Object => {
                let message = error.to_string();
                let message = message.rfind(" at line ").map_or(&*message, |cut| &message[..cut]);
                Err(DataError { path: prefix.into(), problem: format!("cannot be read: {message}") })
            }
            Err(_) => Err(DataError::wrong_kind(prefix, "an object", JsonKind::of_text(object.trim_start()))),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &'a RawValue)> + '_ {
        self.entries.iter().map(|(k, v)| (&**k, *v))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The value of `name`; the last one wins when a key is repeated, as in JavaScript.
    pub fn get(&self, name: &str) -> Option<&'a RawValue> {
        self.entries.iter().rev().find(|(k, _)| k == name).map(|(_, v)| *v)
    }

    /// `name` when present and not null.
    fn present(&self, name: &str) -> Option<&'a RawValue> {
        self.get(name).filter(|raw| JsonKind::of(raw) != JsonKind::Null)
    }

    fn path(&self, name: &str) -> String {
        format!("{}.{name}", self.prefix)
    }

    pub fn decimal(&self, name: &str) -> Result<Decimal, DataError> {
        self.optional_decimal(name)?.ok_or_else(|| DataError::missing(&self.path(name)))
    }

    pub fn optional_decimal(&self, name: &str) -> Result<Option<Decimal>, DataError> {
        let Some(raw) = self.present(name) else {
            return Ok(None);
        };
        match JsonKind::of(raw) {
            JsonKind::Number => money::parse_decimal(raw.get()).map(Some).ok_or_else(|| DataError {
                path: self.path(name),
                problem: format!("is {}, too large or too precise for an exact decimal", raw.get()),
            }),
            kind => Err(DataError::wrong_kind(&self.path(name), "a number", kind)),
        }
    }

    pub fn string(&self, name: &str) -> Result<String, DataError> {
        self.optional_string(name)?.ok_or_else(|| DataError::missing(&self.path(name)))
    }

    pub fn optional_string(&self, name: &str) -> Result<Option<String>, DataError> {
        let Some(raw) = self.present(name) else {
            return Ok(None);
        };
        match JsonKind::of(raw) {
            // Valid JSON can still hold text Rust cannot (a lone surrogate such as "\ud800").
            JsonKind::String => serde_json::from_str(raw.get()).map(Some).map_err(|_| DataError {
                path: self.path(name),
                problem: "is a string that is not valid Unicode".into(),
            }),
            kind => Err(DataError::wrong_kind(&self.path(name), "a string", kind)),
        }
    }

    /// A non-negative whole number (a quantity).
    pub fn optional_count(&self, name: &str) -> Result<Option<u64>, DataError> {
        let Some(raw) = self.present(name) else {
            return Ok(None);
        };
        match JsonKind::of(raw) {
            JsonKind::Number => raw.get().parse::<u64>().map(Some).map_err(|_| DataError {
                path: self.path(name),
                problem: format!("must be a whole number of at least 0, found {}", raw.get()),
            }),
            kind => Err(DataError::wrong_kind(&self.path(name), "a whole number", kind)),
        }
    }
}

struct FieldList<'a>(Vec<(Cow<'a, str>, &'a RawValue)>);

#[derive(Deserialize)]
struct Key<'a>(#[serde(borrow)] Cow<'a, str>);

impl<'de> Deserialize<'de> for FieldList<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FieldsVisitor;
        impl<'de> Visitor<'de> for FieldsVisitor {
            type Value = FieldList<'de>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
                // An event object has about six fields: one allocation, not one and a regrowth.
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(8));
                while let Some(Key(key)) = map.next_key()? {
                    let value: &'de RawValue = map.next_value()?;
                    entries.push((key, value));
                }
                Ok(FieldList(entries))
            }
        }
        deserializer.deserialize_map(FieldsVisitor)
    }
}

/// Parses an object's fields from text; used by the log formats, which report their own errors.
pub fn object_fields(text: &str) -> Result<Vec<(Cow<'_, str>, &RawValue)>, serde_json::Error> {
    serde_json::from_str::<FieldList>(text).map(|list| list.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(text: &str) -> Box<RawValue> {
        RawValue::from_string(text.to_string()).unwrap()
    }

    #[test]
    fn a_string_amount_is_named_with_its_path_and_kind() {
        let data = raw(r#"{"amount":"100"}"#);
        let err = Fields::parse(data.get()).unwrap().decimal("amount").unwrap_err();
        assert_eq!(err.to_string(), "data.amount must be a number, found a string");
    }

    #[test]
    fn a_missing_amount_says_missing() {
        let data = raw(r#"{}"#);
        let err = Fields::parse(data.get()).unwrap().decimal("amount").unwrap_err();
        assert_eq!(err.to_string(), "data.amount is missing");
    }

    #[test]
    fn escaped_keys_are_read() {
        let data = raw(r#"{"am\u006funt": 5}"#);
        assert_eq!(Fields::parse(data.get()).unwrap().decimal("amount").unwrap(), Decimal::from(5));
    }

    #[test]
    fn a_lone_surrogate_is_a_data_error_not_a_panic() {
        let data = raw(r#"{"owner":"\ud800"}"#);
        let err = Fields::parse(data.get()).unwrap().optional_string("owner").unwrap_err();
        assert_eq!(err.to_string(), "data.owner is a string that is not valid Unicode");
    }

    #[test]
    fn negative_quantities_are_refused() {
        let data = raw(r#"{"qty": -1}"#);
        let err = Fields::parse(data.get()).unwrap().optional_count("qty").unwrap_err();
        assert_eq!(err.to_string(), "data.qty must be a whole number of at least 0, found -1");
    }

    /// Found by the hostile corpus: data with a key that is no text said "data must be an
    /// object, found an object".
    #[test]
    fn data_with_a_key_that_is_no_text_says_it_cannot_be_read() {
        let error = Fields::parse(r#"{"\ud800":1}"#).unwrap_err();
        assert_eq!(error.path, "data");
        assert!(error.problem.starts_with("cannot be read: "), "{error}");
        assert!(!error.problem.contains("line"), "{error}");
        assert_eq!(Fields::parse("[1]").unwrap_err().to_string(), "data must be an object, found an array");
    }
}
