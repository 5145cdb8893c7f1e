//! Fixing mistakes the event-sourcing way: a correction is a new event appended at the end of the
//! log, saying what it corrects and why. Nothing here edits an event.
//!
//! A correction carries `meta.kind = "correction"`, `meta.corrects` (the corrected event's `id`, or
//! `#N` — its 1-based position — for an event without one), `meta.reason`, and a `recorded_at`
//! supplied by the caller (the engine has no clock). An `effective_at` earlier than `recorded_at`
//! makes it retroactive.
use crate::domain::Domain;
use crate::event::{Event, EventText};
use crate::fields::{Fields, JsonKind};
use crate::log::Log;
use crate::money;
use serde_json::{json, Map, Value};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// What a person fills in to append a correction.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CorrectionDraft {
    pub type_name: String,
    /// `None`: the default stream.
    pub stream: Option<String>,
    pub data: Map<String, Value>,
    pub reason: String,
    /// A reference to the event corrected: its id, or `#N`.
    pub corrects: Option<String>,
    /// RFC 3339; earlier than `recorded_at` for a retroactive correction.
    pub effective_at: Option<String>,
}

/// A draft field that cannot be appended, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// How a data field of a corrective event is typed and checked as the person types.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// An amount of money greater than zero.
    PositiveAmount,
    /// A price: zero or more.
    Price,
    /// A whole number of at least one.
    Quantity,
    /// A whole number of at least one, or empty.
    OptionalQuantity,
    /// Text that must not be empty.
    Text,
    /// Text, or empty.
    OptionalText,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct FieldSpec {
    pub name: &'static str,
    pub kind: FieldKind,
}

/// A type a correction may have in a domain, with its typed data fields.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct CorrectionType {
    pub name: &'static str,
    pub fields: &'static [FieldSpec],
}

/// The event types the correction form offers for a domain; empty when its corrections are
/// free-form.
pub fn correction_types(domain: &dyn Domain) -> Vec<&'static str> {
    domain.correction_types().iter().map(|t| t.name).collect()
}

/// The typed data fields of a correction's type; `None` when the form takes free-form JSON.
pub fn fields_for(domain: &dyn Domain, type_name: &str) -> Option<&'static [FieldSpec]> {
    domain.correction_types().iter().find(|t| t.name == type_name).map(|t| t.fields)
}

/// Checks one typed field as the person types it: the JSON value to store, `None` for an empty
/// optional field, or what is wrong.
pub fn validate_field(spec: FieldSpec, input: &str) -> Result<Option<Value>, String> {
    let input = input.trim();
    let decimal = |allow_zero: bool| -> Result<Option<Value>, String> {
        let what = if allow_zero { "zero or more" } else { "more than zero" };
        let amount = money::parse_decimal(input)
            .filter(|_| !input.is_empty() && input.parse::<f64>().is_ok())
            .ok_or_else(|| format!("{} must be a number {what}, like 30 or 12.50", spec.name))?;
        if amount.is_sign_negative() && !amount.is_zero() || (!allow_zero && amount.is_zero()) {
            return Err(format!("{} must be {what}", spec.name));
        }
        Ok(Some(money::to_json(amount)))
    };
    let quantity = |optional: bool| -> Result<Option<Value>, String> {
        if optional && input.is_empty() {
            return Ok(None);
        }
        match input.parse::<u64>() {
            Ok(n) if n >= 1 => Ok(Some(json!(n))),
            _ => Err(format!("{} must be a whole number of at least 1", spec.name)),
        }
    };
    match spec.kind {
        FieldKind::PositiveAmount => decimal(false),
        FieldKind::Price => decimal(true),
        FieldKind::Quantity => quantity(false),
        FieldKind::OptionalQuantity => quantity(true),
        FieldKind::Text if input.is_empty() => Err(format!("{} must not be empty", spec.name)),
        FieldKind::Text | FieldKind::OptionalText if input.is_empty() => Ok(None),
        FieldKind::Text | FieldKind::OptionalText => Ok(Some(json!(input))),
    }
}

/// The 0-based log position of the event a reference names: its id, or `#N`.
pub fn resolve_reference(log: &Log, reference: &str) -> Option<usize> {
    let reference = reference.trim();
    if let Some(position) = log.events().iter().position(|e| e.id() == Some(reference)) {
        return Some(position);
    }
    let number: usize = reference.strip_prefix('#')?.parse().ok()?;
    (1..=log.len()).contains(&number).then(|| number - 1)
}

/// How a person (and `meta.corrects`) refers to the event at `position`.
pub fn reference_to(log: &Log, position: usize) -> String {
    match log.events()[position].id() {
        Some(id) => id.to_string(),
        None => format!("#{}", position + 1),
    }
}

/// True for an event appended as a correction (here or in an earlier session, then exported).
pub fn is_correction(event: &Event) -> bool {
    meta_field(event, "kind").is_some_and(|kind| kind == "correction")
}

/// The text of a string field of an event's `meta`.
pub fn meta_field(event: &Event, name: &str) -> Option<String> {
    let meta = event.meta()?;
    let raw = Fields::parse_with_prefix(meta, "meta").ok()?.get(name)?;
    match JsonKind::of(raw) {
        JsonKind::String => serde_json::from_str(raw.get()).ok(),
        _ => Some(raw.get().to_string()),
    }
}

/// Every reason `draft` cannot be appended to `log`, field by field, as the form shows them while
/// the person types and as `build_correction` refuses them: the one source of these checks.
/// `recorded_at` is when it would be recorded (the caller's clock).
pub fn check_correction(log: &Log, domain: &dyn Domain, draft: &CorrectionDraft, recorded_at: &str) -> Vec<FieldError> {
    checked_data(log, domain, draft, recorded_at).err().unwrap_or_default()
}

/// The draft's data with its typed fields converted ("270" → 270), or every problem found.
fn checked_data(
    log: &Log,
    domain: &dyn Domain,
    draft: &CorrectionDraft,
    recorded_at: &str,
) -> Result<Map<String, Value>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut error = |field: &str, message: String| errors.push(FieldError { field: field.into(), message });
    let type_name = draft.type_name.trim();
    let types = domain.correction_types();
    if type_name.is_empty() {
        error("type", "Name the type of the corrective event".into());
    } else if !types.is_empty() && !types.iter().any(|t| t.name == type_name) {
        error("type", format!("The {domain} domain has no event type \"{type_name}\": choose one of the list"));
    }
    if draft.reason.trim().is_empty() {
        error("reason", "Say why this correction is needed: the reason stays in the log".into());
    }
    if let Some(reference) = draft.corrects.as_deref().filter(|r| !r.trim().is_empty()) {
        if resolve_reference(log, reference).is_none() {
            error("corrects", format!("No event in the log has id \"{}\" (or use #N for event N)", reference.trim()));
        }
    }
    let recorded = OffsetDateTime::parse(recorded_at, &Rfc3339);
    if recorded.is_err() {
        error("recorded_at", format!("recorded_at must be an RFC 3339 timestamp, found \"{recorded_at}\""));
    }
    if let Some(effective_at) = draft.effective_at.as_deref().filter(|t| !t.trim().is_empty()) {
        match (OffsetDateTime::parse(effective_at.trim(), &Rfc3339), &recorded) {
            (Err(_), _) => error(
                "effective_at",
                format!("Effective time must look like 2024-03-03T09:00:00Z, found \"{}\"", effective_at.trim()),
            ),
            (Ok(effective), Ok(recorded)) if effective > *recorded => {
                error("effective_at", "Effective time cannot be later than now, when the correction is recorded".into())
            }
            _ => {}
        }
    }
    // Typed fields are stored as their checked values (the form hands in text: "270" → 270).
    let mut data = draft.data.clone();
    if let Some(specs) = fields_for(domain, type_name) {
        for spec in specs {
            let input = match draft.data.get(spec.name) {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(text)) => text.clone(),
                Some(other) => other.to_string(),
            };
            match validate_field(*spec, &input) {
                Ok(Some(value)) => {
                    data.insert(spec.name.into(), value);
                }
                Ok(None) => {
                    data.remove(spec.name);
                }
                Err(message) => error(spec.name, message),
            }
        }
    }
    if errors.is_empty() {
        Ok(data)
    } else {
        Err(errors)
    }
}

/// Checks a draft against the log (`check_correction`) and builds the event to append.
pub fn build_correction(
    log: &mut Log,
    domain: &dyn Domain,
    draft: &CorrectionDraft,
    recorded_at: &str,
) -> Result<Event, Vec<FieldError>> {
    let data = checked_data(log, domain, draft, recorded_at)?;
    let type_name = draft.type_name.trim();
    let mut meta = Map::new();
    meta.insert("kind".into(), json!("correction"));
    if let Some(reference) = draft.corrects.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        meta.insert("corrects".into(), json!(reference));
    }
    meta.insert("reason".into(), json!(draft.reason.trim()));
    let stream = draft.stream.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let (id, data, meta) =
        (unused_correction_id(log), Value::Object(data).to_string(), Value::Object(meta).to_string());
    let text = EventText {
        id: Some(&id),
        recorded_at: Some(recorded_at),
        effective_at: draft.effective_at.as_deref().map(str::trim).filter(|t| !t.is_empty()),
        data: Some(&data),
        meta: Some(&meta),
        extra: None,
    };
    Ok(Event::new(log.intern_type(type_name), log.intern_stream(stream), None, text))
}

/// `correction-N`, the first N not used as an id in the log.
fn unused_correction_id(log: &Log) -> String {
    let taken = |id: &str| log.events().iter().any(|e| e.id() == Some(id));
    let corrections = log.correction_positions().len();
    (corrections + 1..).map(|n| format!("correction-{n}")).find(|id| !taken(id)).expect("some N is free")
}

/// A draft that corrects the event at `position`: its type and stream, and a reference to it; the
/// person fills in the rest.
pub fn correcting(log: &Log, position: usize) -> CorrectionDraft {
    let event = &log.events()[position];
    CorrectionDraft {
        type_name: log.type_name(event).to_string(),
        stream: (!log.is_default_stream(event.stream)).then(|| log.stream_name(event.stream).to_string()),
        corrects: Some(reference_to(log, position)),
        ..CorrectionDraft::default()
    }
}

/// The compensating event that cancels the event at `position`, ready for the form, or why the
/// domain has none.
pub fn reversal(log: &Log, domain: &dyn Domain, position: usize) -> Result<CorrectionDraft, String> {
    let event = &log.events()[position];
    let type_name = log.type_name(event);
    let reverse = domain.reversal(type_name)?;
    let data = Fields::parse(event.data()).map_err(|e| format!("The event's data cannot be read: {e}"))?;
    let fields: Map<String, Value> = reverse
        .copy
        .iter()
        .filter_map(|name| {
            let value: Value = serde_json::from_str(data.get(name)?.get()).ok()?;
            Some((name.to_string(), value))
        })
        .collect();
    let stream = (!log.is_default_stream(event.stream)).then(|| log.stream_name(event.stream).to_string());
    Ok(CorrectionDraft {
        type_name: reverse.type_name.into(),
        stream,
        data: fields,
        reason: format!("Reverses event {} ({type_name})", position + 1),
        corrects: Some(reference_to(log, position)),
        effective_at: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{bank::Bank, generic::Generic, store::Store};
    use crate::formats::parse_log;

    const AMOUNT: FieldSpec = FieldSpec { name: "amount", kind: FieldKind::PositiveAmount };
    const SKU: FieldSpec = FieldSpec { name: "sku", kind: FieldKind::Text };
    const NOW: &str = "2024-03-10T12:00:00Z";

    fn bank_log() -> Log {
        parse_log(r#"[{"type":"Deposit","amount":100},{"type":"Withdraw","amount":300,"id":"w1"}]"#).unwrap()
    }

    fn draft(type_name: &str, amount: Value, reason: &str) -> CorrectionDraft {
        CorrectionDraft {
            type_name: type_name.into(),
            data: Map::from_iter([("amount".to_string(), amount)]),
            reason: reason.into(),
            corrects: Some("w1".into()),
            ..CorrectionDraft::default()
        }
    }

    #[test]
    fn a_correction_carries_kind_corrects_reason_and_recorded_at() {
        let mut log = bank_log();
        let event =
            build_correction(&mut log, &Bank, &draft("Deposit", json!("270"), "typo: 30, not 300"), NOW).unwrap();
        assert_eq!(event.data(), r#"{"amount":270}"#);
        let meta: Value = serde_json::from_str(event.meta().unwrap()).unwrap();
        assert_eq!(meta, json!({"kind": "correction", "corrects": "w1", "reason": "typo: 30, not 300"}));
        assert_eq!(event.recorded_at(), Some(NOW));
        assert_eq!(event.id(), Some("correction-1"));
        assert!(is_correction(&event));
    }

    #[test]
    fn every_invalid_field_is_reported_and_nothing_is_built() {
        let mut log = bank_log();
        let mut bad = draft("Deposit", json!("-5"), " ");
        bad.corrects = Some("nope".into());
        bad.effective_at = Some("last week".into());
        let errors = build_correction(&mut log, &Bank, &bad, NOW).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["reason", "corrects", "effective_at", "amount"]);
        assert!(errors[1].message.contains("No event in the log has id \"nope\""), "{errors:?}");
    }

    #[test]
    fn a_reference_to_an_event_without_id_uses_its_position() {
        let log = bank_log();
        assert_eq!(resolve_reference(&log, "#1"), Some(0));
        assert_eq!(resolve_reference(&log, "#3"), None);
        assert_eq!(resolve_reference(&log, "w1"), Some(1));
        assert_eq!(reference_to(&log, 0), "#1");
    }

    #[test]
    fn an_effective_time_after_the_recording_is_refused() {
        let mut log = bank_log();
        let mut late = draft("Deposit", json!(5), "r");
        late.effective_at = Some("2024-03-11T00:00:00Z".into());
        let errors = build_correction(&mut log, &Bank, &late, NOW).unwrap_err();
        assert_eq!(errors[0].field, "effective_at");
    }

    #[test]
    fn an_unknown_type_for_the_domain_is_refused_but_generic_takes_any() {
        let mut log = bank_log();
        let errors = build_correction(&mut log, &Bank, &draft("Teleport", json!(1), "r"), NOW).unwrap_err();
        assert_eq!(errors[0].field, "type");
        assert!(build_correction(&mut log, &Generic, &draft("Teleport", json!(1), "r"), NOW).is_ok());
    }

    #[test]
    fn typed_fields_are_checked_as_typed() {
        assert_eq!(validate_field(AMOUNT, "12.50"), Ok(Some(json!(12.5))));
        assert_eq!(validate_field(AMOUNT, "0").unwrap_err(), "amount must be more than zero");
        assert_eq!(
            validate_field(AMOUNT, "ten").unwrap_err(),
            "amount must be a number more than zero, like 30 or 12.50"
        );
        assert_eq!(validate_field(AMOUNT, "").unwrap_err(), "amount must be a number more than zero, like 30 or 12.50");
        assert_eq!(validate_field(SKU, "  ").unwrap_err(), "sku must not be empty");
        let qty = FieldSpec { name: "qty", kind: FieldKind::OptionalQuantity };
        assert_eq!(validate_field(qty, ""), Ok(None));
        assert_eq!(validate_field(qty, "1.5").unwrap_err(), "qty must be a whole number of at least 1");
        let price = FieldSpec { name: "price", kind: FieldKind::Price };
        assert_eq!(validate_field(price, "0"), Ok(Some(json!(0))));
        assert_eq!(validate_field(price, "-1").unwrap_err(), "price must be zero or more");
    }

    #[test]
    fn correcting_an_event_names_its_type_stream_and_reference() {
        let log =
            parse_log(r#"[{"type":"Deposit","amount":1},{"type":"Deposit","stream":"acc-2","amount":2,"id":"d2"}]"#)
                .unwrap();
        let first = correcting(&log, 0);
        assert_eq!((first.type_name.as_str(), first.stream, first.corrects.as_deref()), ("Deposit", None, Some("#1")));
        let second = correcting(&log, 1);
        assert_eq!((second.stream.as_deref(), second.corrects.as_deref()), (Some("acc-2"), Some("d2")));
        assert!(second.data.is_empty() && second.reason.is_empty());
    }

    #[test]
    fn a_withdraw_is_reversed_by_a_deposit_of_the_same_amount() {
        let log = bank_log();
        let reversed = reversal(&log, &Bank, 1).unwrap();
        assert_eq!(reversed.type_name, "Deposit");
        assert_eq!(reversed.data.get("amount"), Some(&json!(300)));
        assert_eq!(reversed.corrects.as_deref(), Some("w1"));
        assert_eq!(reversed.stream, None);
    }

    #[test]
    fn a_shipment_has_no_reversal_and_says_what_to_do_instead() {
        let log = parse_log(r#"[{"type":"OrderShipped","stream":"o1"}]"#).unwrap();
        let why = reversal(&log, &Store, 0).unwrap_err();
        assert!(why.contains("cancel the order or issue a refund"), "{why}");
    }

    #[test]
    fn correction_ids_never_collide_with_existing_ids() {
        let mut log = parse_log(r#"[{"type":"Deposit","amount":1,"id":"correction-1"}]"#).unwrap();
        let event = build_correction(
            &mut log,
            &Bank,
            &CorrectionDraft { corrects: None, ..draft("Deposit", json!(1), "r") },
            NOW,
        )
        .unwrap();
        assert_eq!(event.id(), Some("correction-2"));
    }
}
