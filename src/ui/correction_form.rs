//! The corrective-event form: fixing a mistake the event-sourcing way, by appending.
use super::state::{Correction, Cursor, Inspection, Loaded};
use leptos::html;
use leptos::prelude::*;
use rewind_engine::correction::{correction_types, fields_for, CorrectionDraft, FieldError, FieldKind, FieldSpec};
use rewind_engine::domain::Domain;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// "Add corrective event", and the form that writes one and appends it. The form is open while
/// `AppState::correction_draft` holds a draft, and shows exactly that draft: whoever opens it (this
/// button, an event's "Correct" or "Reverse") sets the draft, and every new draft starts afresh.
#[component]
pub fn CorrectionForm() -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    let inspection = expect_context::<Inspection>();
    let correction = expect_context::<Correction>();
    let add_button = NodeRef::<html::Button>::new();
    // What the last Append did, for the log it made (another log or a withdrawal hides it).
    let appended = RwSignal::new(None::<(u64, String)>);
    let domain = Memo::new(move |_| loaded.session.with(|s| s.domain().name().to_string()));
    // Another domain has other event types: a draft written for the old one cannot be finished.
    Effect::new(move |previous: Option<String>| {
        let current = domain.get();
        if previous.is_some_and(|p| p != current) {
            correction.draft.set(None);
        }
        current
    });
    let add = move |_| {
        let type_name = loaded
            .session
            .with_untracked(|s| correction_types(s.domain()).first().map(|t| t.to_string()).unwrap_or_default());
        let stream = inspection.focus.get_untracked().filter(|s| !s.is_empty());
        correction.draft.set(Some(CorrectionDraft { type_name, stream, ..CorrectionDraft::default() }));
    };
    let last_append = move || {
        let log = loaded.session.with(|s| s.generation());
        appended.get().filter(|(made, _)| *made == log).map(|(_, message)| message)
    };
    view! {
        <section class="corrections" aria-label="Corrections">
            <div class="corrections-bar">
                <button type="button" class="add-correction" node_ref=add_button on:click=add>
                    "Add corrective event"
                </button>
                <p class="corrections-note">
                    "Found a mistake? Fix it with a new event at the end of the log: history stays as it was."
                </p>
                <p class="corrections-done" role="status">{last_append}</p>
            </div>
            {move || {
                correction.draft.get().map(|draft| {
                    let domain = loaded.session.with_untracked(|s| s.choice().domain.clone());
                    view! { <DraftForm draft domain add_button appended/> }
                })
            }}
        </section>
    }
}

// Keys of the form's fields. A data field's key is `data.<name>`, so the store's
// OrderCancelled `reason` never mixes with the correction's own Reason.
const TYPE: &str = "type";
const DATA_JSON: &str = "data";
const STREAM: &str = "stream";
const REASON: &str = "reason";
const CORRECTS: &str = "corrects";
const EFFECTIVE_AT: &str = "effective_at";

fn data_key(name: &str) -> String {
    format!("data.{name}")
}

/// The DOM id of a field's control; its message and hint add `-error` and `-hint`.
fn control_id(key: &str) -> String {
    format!("correction-{}", key.replace(['.', '_'], "-"))
}

/// The visible label (and accessible name) of a field.
fn label_of(key: &str) -> String {
    match key {
        TYPE => "Type".into(),
        DATA_JSON => "Data (JSON object)".into(),
        STREAM => "Stream".into(),
        REASON => "Reason".into(),
        CORRECTS => "Corrects".into(),
        EFFECTIVE_AT => "Effective at".into(),
        other => other.strip_prefix("data.").unwrap_or(other).into(),
    }
}

/// The text a person edits for a draft's data value: strings as they are, anything else as JSON.
fn value_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Free-form data: a JSON object (empty text = no data).
fn parse_object(text: &str) -> Result<Map<String, Value>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(Map::new());
    }
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => {
            let found = match other {
                Value::Array(_) => "an array",
                Value::String(_) => "a string",
                Value::Number(_) => "a number",
                Value::Bool(_) => "true or false",
                _ => "null",
            };
            Err(format!("Data must be a JSON object like {{\"title\": \"…\"}}, found {found}"))
        }
        Err(error) => Err(format!("Data is not valid JSON: {error}")),
    }
}

/// An optional RFC 3339 time, no later than now (a correction is recorded now).
/// Typed fields go as typed text; the engine checks and converts them ("270" → 270).
fn typed_data(specs: &[FieldSpec], values: &BTreeMap<String, String>) -> Map<String, Value> {
    specs
        .iter()
        .filter_map(|spec| {
            let text = values.get(spec.name)?.trim();
            (!text.is_empty()).then(|| (spec.name.to_string(), Value::String(text.to_string())))
        })
        .collect()
}

/// The form's key for a field the engine names: its own fields, and typed data fields by name.
fn field_key(field: &str, specs: Option<&[FieldSpec]>) -> Option<String> {
    match field {
        TYPE | REASON | CORRECTS | EFFECTIVE_AT => Some(field.to_string()),
        name => specs?.iter().any(|s| s.name == name).then(|| data_key(name)),
    }
}

/// Where a field's message goes in the list of what keeps Append disabled: as the form reads.
fn shown_order(key: &str) -> usize {
    match key {
        TYPE => 0,
        EFFECTIVE_AT => 2,
        CORRECTS => 3,
        REASON => 4,
        _ => 1,
    }
}

fn input_mode(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::PositiveAmount | FieldKind::Price => "decimal",
        FieldKind::Quantity | FieldKind::OptionalQuantity => "numeric",
        FieldKind::Text | FieldKind::OptionalText => "text",
    }
}

fn hint_for(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::PositiveAmount => "A number more than zero, like 30 or 12.50",
        FieldKind::Price => "A number, zero or more",
        FieldKind::Quantity => "A whole number, 1 or more",
        FieldKind::OptionalQuantity => "Optional: a whole number, 1 or more",
        FieldKind::Text => "Required",
        FieldKind::OptionalText => "Optional",
    }
}

fn is_required(kind: FieldKind) -> bool {
    !matches!(kind, FieldKind::OptionalText | FieldKind::OptionalQuantity)
}

/// The open form's signals. Everything is text as typed; the draft is built on Append.
#[derive(Clone, Copy)]
struct Form {
    loaded: Loaded,
    domain: StoredValue<Arc<dyn Domain>>,
    type_name: RwSignal<String>,
    /// Typed data fields by name; kept when the type changes, so fields of the same name keep
    /// their values.
    values: RwSignal<BTreeMap<String, String>>,
    /// Free-form data, for a type without typed fields.
    json: RwSignal<String>,
    stream: RwSignal<String>,
    reason: RwSignal<String>,
    corrects: RwSignal<String>,
    effective_at: RwSignal<String>,
    /// Fields whose message is shown: edited or left, or pre-filled.
    touched: RwSignal<BTreeSet<String>>,
    /// What the last Append refused, by field key (`None`: not a field of the form).
    refused: RwSignal<Vec<(Option<String>, String)>>,
    /// The typed data fields of the type chosen; `None` = free-form JSON.
    specs: Memo<Option<&'static [FieldSpec]>>,
    /// Every field that is invalid now, and why, in the order the form shows them.
    problems: Memo<Vec<(String, String)>>,
}

impl Form {
    fn new(loaded: Loaded, domain: Arc<dyn Domain>, draft: &CorrectionDraft) -> Form {
        let domain = StoredValue::new(domain);
        let type_name = RwSignal::new(draft.type_name.clone());
        let values =
            RwSignal::new(draft.data.iter().map(|(k, v)| (k.clone(), value_text(v))).collect::<BTreeMap<_, _>>());
        let json = RwSignal::new(if draft.data.is_empty() {
            "{}".to_string()
        } else {
            serde_json::to_string_pretty(&Value::Object(draft.data.clone())).unwrap_or_default()
        });
        let specs = Memo::new(move |_| type_name.with(|t| domain.with_value(|d| fields_for(&**d, t.trim()))));
        // What came pre-filled is checked at once; what is empty waits until the person gets to it.
        let mut touched = BTreeSet::new();
        for (key, filled) in [
            (TYPE, !draft.type_name.trim().is_empty()),
            (DATA_JSON, !draft.data.is_empty()),
            (REASON, !draft.reason.trim().is_empty()),
            (CORRECTS, draft.corrects.as_deref().is_some_and(|c| !c.trim().is_empty())),
            (EFFECTIVE_AT, draft.effective_at.as_deref().is_some_and(|t| !t.trim().is_empty())),
        ] {
            if filled {
                touched.insert(key.to_string());
            }
        }
        touched.extend(draft.data.keys().map(|name| data_key(name)));

        let stream = RwSignal::new(draft.stream.clone().unwrap_or_default());
        let reason = RwSignal::new(draft.reason.clone());
        let corrects = RwSignal::new(draft.corrects.clone().unwrap_or_default());
        let effective_at = RwSignal::new(draft.effective_at.clone().unwrap_or_default());
        // The engine's checks, as Append will run them; the form adds only what is about its own
        // text (free-form data that is not a JSON object).
        let problems = Memo::new(move |_| {
            let draft = CorrectionDraft {
                type_name: type_name.get(),
                stream: None,
                data: match specs.get() {
                    Some(specs) => values.with(|values| typed_data(specs, values)),
                    None => json.with(|j| parse_object(j)).unwrap_or_default(),
                },
                reason: reason.get(),
                corrects: Some(corrects.get()),
                effective_at: Some(effective_at.get()),
            };
            let now = String::from(js_sys::Date::new_0().to_iso_string());
            let errors = loaded.session.with(|s| s.check_correction(&draft, &now));
            let mut found: Vec<(String, String)> = errors
                .into_iter()
                .filter_map(|FieldError { field, message }| Some((field_key(&field, specs.get())?, message)))
                .collect();
            if specs.get().is_none() {
                if let Err(message) = json.with(|j| parse_object(j)) {
                    found.push((DATA_JSON.to_string(), message));
                }
            }
            found.sort_by_key(|(key, _)| shown_order(key));
            found
        });
        Form {
            loaded,
            domain,
            type_name,
            values,
            json,
            stream,
            reason,
            corrects,
            effective_at,
            touched: RwSignal::new(touched),
            refused: RwSignal::new(Vec::new()),
            specs,
            problems,
        }
    }

    /// The message shown at a field: what Append refused there, else what is wrong now (once the
    /// person has got to the field).
    fn message(self, key: &str) -> Option<String> {
        let refused = self.refused.with(|r| r.iter().find(|(k, _)| k.as_deref() == Some(key)).map(|(_, m)| m.clone()));
        refused.or_else(|| {
            if !self.touched.with(|t| t.contains(key)) {
                return None;
            }
            self.problems.with(|p| p.iter().find(|(k, _)| k == key).map(|(_, m)| m.clone()))
        })
    }

    fn touch(self, key: &str) {
        if !self.touched.with_untracked(|t| t.contains(key)) {
            self.touched.update(|t| {
                t.insert(key.to_string());
            });
        }
    }

    /// A person changed a field: its message is now about what it says.
    fn edited(self, key: &str) {
        self.touch(key);
        if self.refused.with_untracked(|r| r.iter().any(|(k, _)| k.as_deref() == Some(key))) {
            self.refused.update(|r| r.retain(|(k, _)| k.as_deref() != Some(key)));
        }
    }

    /// Fields that keep Append disabled, by label.
    fn blocking(self) -> Vec<String> {
        let mut labels: Vec<String> = Vec::new();
        let mut add = |key: &str| {
            let label = label_of(key);
            if !labels.contains(&label) {
                labels.push(label);
            }
        };
        self.problems.with(|p| p.iter().for_each(|(key, _)| add(key)));
        self.refused.with(|r| r.iter().filter_map(|(key, _)| key.as_deref()).for_each(&mut add));
        labels
    }

    /// The field an error from the engine belongs to, if the form has it.
    fn key_for(self, field: &str) -> Option<String> {
        field_key(field, self.specs.get_untracked())
    }

    /// True when the domain takes any event type with free-form data.
    fn free_form(self) -> bool {
        self.domain.with_value(|d| d.correction_types().is_empty())
    }

    fn draft(self) -> CorrectionDraft {
        let optional = |signal: RwSignal<String>| {
            signal.with_untracked(|text| Some(text.trim().to_string()).filter(|t| !t.is_empty()))
        };
        let data = match self.specs.get_untracked() {
            Some(specs) => self.values.with_untracked(|values| typed_data(specs, values)),
            None => self.json.with_untracked(|j| parse_object(j)).unwrap_or_default(),
        };
        CorrectionDraft {
            type_name: self.type_name.get_untracked().trim().to_string(),
            stream: optional(self.stream),
            data,
            reason: self.reason.get_untracked().trim().to_string(),
            corrects: optional(self.corrects),
            effective_at: optional(self.effective_at),
        }
    }

    /// `aria-invalid` for a field: present only while it shows a message.
    fn invalid(self, key: String) -> impl Fn() -> Option<&'static str> + Send + Sync + 'static {
        move || self.message(&key).map(|_| "true")
    }

    /// `aria-describedby` for a field: its message while it shows one, then its hint.
    fn described_by(self, key: String, hint: bool) -> impl Fn() -> Option<String> + Send + Sync + 'static {
        move || {
            let id = control_id(&key);
            let mut ids = Vec::new();
            if self.message(&key).is_some() {
                ids.push(format!("{id}-error"));
            }
            if hint {
                ids.push(format!("{id}-hint"));
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    }

    /// The message element of a field (empty while the field is fine).
    fn error_view(self, key: String) -> impl IntoView {
        let id = format!("{}-error", control_id(&key));
        view! { <p class="cf-error" id=id>{move || self.message(&key)}</p> }
    }
}

#[component]
fn DraftForm(
    draft: CorrectionDraft,
    domain: Arc<dyn Domain>,
    add_button: NodeRef<html::Button>,
    appended: RwSignal<Option<(u64, String)>>,
) -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    let cursor = expect_context::<Cursor>();
    let correction = expect_context::<Correction>();
    let form = Form::new(loaded, domain, &draft);
    let section = NodeRef::<html::Section>::new();
    // Where the person was when the form opened, to go back there when it closes.
    let opener = StoredValue::new_local(document().active_element());

    let restore_focus = move || {
        let body = document().body().map(|b| b.unchecked_into::<web_sys::Element>());
        let back = opener
            .try_get_value()
            .flatten()
            .filter(|e| e.is_connected() && Some(e) != body.as_ref())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        match back {
            Some(element) => {
                let _ = element.focus();
            }
            None => {
                if let Some(button) = add_button.get_untracked() {
                    let _ = button.focus();
                }
            }
        }
    };
    let cancel = move || {
        correction.draft.set(None);
        restore_focus();
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.blocking().is_empty() {
            return;
        }
        let draft = form.draft();
        // Recorded now: the clock is read here, at the edge, and handed to the engine.
        let now = String::from(js_sys::Date::new_0().to_iso_string());
        match loaded.session.with_untracked(|s| s.with_correction(&draft, &now)) {
            Ok(next) => {
                let (log, len) = (next.generation(), next.len());
                let position = next.timeline_position(len - 1) + 1;
                cursor.show(next, position);
                correction.draft.set(None);
                appended.set(Some((
                    log,
                    format!("Appended {} as event {position} of {len}; the cursor is on it.", draft.type_name),
                )));
                restore_focus();
            }
            Err(errors) => {
                let refused: Vec<(Option<String>, String)> =
                    errors.into_iter().map(|FieldError { field, message }| (form.key_for(&field), message)).collect();
                for key in refused.iter().filter_map(|(k, _)| k.as_deref()) {
                    form.touch(key);
                }
                form.refused.set(refused);
            }
        }
    };

    // The first control takes the focus, so the keyboard is where the form is.
    Effect::new(move |_| {
        if let Some(section) = section.get() {
            if let Ok(Some(first)) = section.query_selector("select, input, textarea") {
                if let Ok(first) = first.dyn_into::<web_sys::HtmlElement>() {
                    let _ = first.focus();
                }
            }
        }
    });

    let general = move || {
        form.refused.with(|r| {
            let messages: Vec<String> = r.iter().filter(|(k, _)| k.is_none()).map(|(_, m)| m.clone()).collect();
            (!messages.is_empty()).then(|| {
                view! {
                    <div class="cf-alert" role="alert">
                        <p>"The correction was not appended:"</p>
                        <ul>{messages.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
                    </div>
                }
            })
        })
    };
    let pending = move || {
        let labels = form.blocking();
        (!labels.is_empty()).then(|| format!("To append, fill in or fix: {}.", labels.join(", ")))
    };

    view! {
        <section
            class="correction-form"
            role="region"
            aria-labelledby="correction-heading"
            node_ref=section
            on:keydown=move |ev| {
                if ev.key() == "Escape" && !ev.default_prevented() {
                    ev.prevent_default();
                    cancel();
                }
            }
        >
            <h2 id="correction-heading">"Corrective event"</h2>
            <p class="cf-intro">
                "History is never edited. A correction is a new event appended at the end of the log: it names the event it corrects and says why, and the original stays exactly as it was. Replay folds both, so the state comes out right."
            </p>
            <form class="cf-form" on:submit=submit>
                <div class="cf-grid">
                    {type_field(form)}
                    {stream_field(form)}
                    {corrects_field(form)}
                    {effective_at_field(form)}
                    {data_fields(form)}
                    {reason_field(form)}
                </div>
                {general}
                <div class="cf-actions">
                    <button
                        type="submit"
                        class="cf-append"
                        disabled=move || !form.blocking().is_empty()
                        aria-describedby=move || (!form.blocking().is_empty()).then_some("correction-pending")
                    >
                        "Append"
                    </button>
                    <button type="button" on:click=move |_| cancel()>
                        "Cancel"
                    </button>
                    <p class="cf-pending" id="correction-pending">{pending}</p>
                </div>
            </form>
        </section>
    }
}

/// "Type": the domain's event types, or free text for the generic domain.
fn type_field(form: Form) -> impl IntoView {
    let id = control_id(TYPE);
    let free_form = form.free_form();
    let control = if free_form {
        view! {
            <input
                type="text"
                id=id.clone()
                autocomplete="off"
                spellcheck="false"
                placeholder="e.g. TicketReopened"
                aria-required="true"
                aria-invalid=form.invalid(TYPE.into())
                aria-describedby=form.described_by(TYPE.into(), true)
                prop:value=move || form.type_name.get()
                on:input=move |ev| {
                    form.edited(TYPE);
                    form.type_name.set(event_target_value(&ev));
                }
                on:blur=move |_| form.touch(TYPE)
            />
        }
        .into_any()
    } else {
        // A draft may name a type the list lacks (an alias from the log): show it, and say why
        // it cannot be appended.
        let current = form.type_name.get_untracked();
        let mut options: Vec<String> =
            form.domain.with_value(|d| correction_types(&**d)).iter().map(|t| t.to_string()).collect();
        if !options.contains(&current) {
            options.insert(0, current.clone());
        }
        view! {
            <select
                id=id.clone()
                aria-invalid=form.invalid(TYPE.into())
                aria-describedby=form.described_by(TYPE.into(), true)
                prop:value=move || form.type_name.get()
                on:change=move |ev| {
                    form.edited(TYPE);
                    form.type_name.set(event_target_value(&ev));
                }
            >
                {options
                    .into_iter()
                    .map(|t| {
                        let selected = t == current;
                        view! { <option value=t.clone() selected=selected>{t.clone()}</option> }
                    })
                    .collect_view()}
            </select>
        }
        .into_any()
    };
    let hint = if free_form {
        "Any event type: this log's domain has no fixed list".to_string()
    } else {
        form.domain.with_value(|d| format!("The {} domain's events; the data fields follow the type", d.name()))
    };
    view! {
        <div class="cf-field">
            <label for=id.clone()>"Type"</label>
            {control}
            {form.error_view(TYPE.into())}
            <p class="cf-hint" id=format!("{id}-hint")>{hint}</p>
        </div>
    }
}

/// "Stream": where the correction goes; empty = the default stream.
fn stream_field(form: Form) -> impl IntoView {
    let id = control_id(STREAM);
    view! {
        <div class="cf-field">
            <label for=id.clone()>"Stream"</label>
            <input
                type="text"
                id=id.clone()
                autocomplete="off"
                spellcheck="false"
                placeholder="default"
                aria-describedby=format!("{id}-hint")
                prop:value=move || form.stream.get()
                on:input=move |ev| form.stream.set(event_target_value(&ev))
            />
            <p class="cf-hint" id=format!("{id}-hint")>"Empty: the default stream"</p>
        </div>
    }
}

/// "Corrects": the id (or #N) of the event being corrected, resolved as the person types.
fn corrects_field(form: Form) -> impl IntoView {
    let loaded = form.loaded;
    // Which event the reference names, so the person sees they picked the right one.
    let resolved = move || {
        form.corrects.with(|reference| {
            let reference = reference.trim();
            if reference.is_empty() {
                return "Optional: the id of the event corrected, or #N for the N-th event of the log".to_string();
            }
            loaded.session.with(|s| match s.resolve_reference(reference).and_then(|p| Some((p, s.log_event(p)?))) {
                Some((position, event)) => {
                    format!(
                        "Corrects event {}: {} on stream {}",
                        s.timeline_position(position) + 1,
                        s.type_name(event),
                        s.stream_of(event)
                    )
                }
                None => "The id of the event corrected, or #N for the N-th event of the log".to_string(),
            })
        })
    };
    checked_text_field(form, CORRECTS, "Corrects", "evt-3 or #3", form.corrects, resolved)
}

/// "Effective at": when the corrected fact really happened; earlier than now = retroactive.
fn effective_at_field(form: Form) -> impl IntoView {
    let hint = "Optional, RFC 3339; empty = now. An earlier time makes the correction retroactive: \
                ordered as effective, it replays when it really happened.";
    checked_text_field(form, EFFECTIVE_AT, "Effective at", "2024-03-03T09:00:00Z", form.effective_at, hint)
}

/// A one-line text input checked as the person types: its message below it, then a hint.
fn checked_text_field(
    form: Form,
    key: &'static str,
    label: &'static str,
    placeholder: &'static str,
    value: RwSignal<String>,
    hint: impl IntoView + 'static,
) -> impl IntoView {
    let id = control_id(key);
    view! {
        <div class="cf-field">
            <label for=id.clone()>{label}</label>
            <input
                type="text"
                id=id.clone()
                autocomplete="off"
                spellcheck="false"
                placeholder=placeholder
                aria-invalid=form.invalid(key.into())
                aria-describedby=form.described_by(key.into(), true)
                prop:value=move || value.get()
                on:input=move |ev| {
                    form.edited(key);
                    value.set(event_target_value(&ev));
                }
                on:blur=move |_| form.touch(key)
            />
            {form.error_view(key.into())}
            <p class="cf-hint" id=format!("{id}-hint")>{hint}</p>
        </div>
    }
}

fn data_fields(form: Form) -> impl IntoView {
    move || match form.specs.get() {
        Some(specs) => {
            let type_name = form.type_name.get_untracked();
            let inputs = specs.iter().map(|spec| data_input(form, *spec)).collect_view();
            view! {
                <fieldset class="cf-data cf-wide">
                    <legend>"Data"</legend>
                    {specs.is_empty().then(|| view! { <p class="cf-hint">{format!("A {type_name} carries no data.")}</p> })}
                    <div class="cf-data-fields">{inputs}</div>
                </fieldset>
            }
            .into_any()
        }
        None => json_input(form).into_any(),
    }
}

fn data_input(form: Form, spec: FieldSpec) -> impl IntoView {
    let key = data_key(spec.name);
    let id = control_id(&key);
    let name = spec.name;
    let edited_key = key.clone();
    let blur_key = key.clone();
    view! {
        <div class="cf-field">
            <label for=id.clone()>{name}</label>
            <input
                type="text"
                id=id.clone()
                autocomplete="off"
                spellcheck="false"
                inputmode=input_mode(spec.kind)
                aria-required=is_required(spec.kind).then_some("true")
                aria-invalid=form.invalid(key.clone())
                aria-describedby=form.described_by(key.clone(), true)
                prop:value=move || form.values.with(|v| v.get(name).cloned().unwrap_or_default())
                on:input=move |ev| {
                    form.edited(&edited_key);
                    let text = event_target_value(&ev);
                    form.values.update(|v| {
                        v.insert(name.to_string(), text);
                    });
                }
                on:blur=move |_| form.touch(&blur_key)
            />
            {form.error_view(key)}
            <p class="cf-hint" id=format!("{id}-hint")>{hint_for(spec.kind)}</p>
        </div>
    }
}

fn json_input(form: Form) -> impl IntoView {
    let id = control_id(DATA_JSON);
    view! {
        <div class="cf-field cf-wide">
            <label for=id.clone()>"Data (JSON object)"</label>
            <textarea
                id=id.clone()
                rows="3"
                spellcheck="false"
                placeholder=r#"{"title": "Printer fixed"}"#
                aria-invalid=form.invalid(DATA_JSON.into())
                aria-describedby=form.described_by(DATA_JSON.into(), true)
                prop:value=move || form.json.get()
                on:input=move |ev| {
                    form.edited(DATA_JSON);
                    form.json.set(event_target_value(&ev));
                }
                on:blur=move |_| form.touch(DATA_JSON)
            ></textarea>
            {form.error_view(DATA_JSON.into())}
            <p class="cf-hint" id=format!("{id}-hint")>"The event's data, as a JSON object; empty means {}"</p>
        </div>
    }
}

/// "Reason": required; it stays in the log beside the correction.
fn reason_field(form: Form) -> impl IntoView {
    let id = control_id(REASON);
    view! {
        <div class="cf-field cf-wide">
            <label for=id.clone()>"Reason"</label>
            <textarea
                id=id.clone()
                rows="2"
                placeholder="What was wrong, and what is right"
                aria-required="true"
                aria-invalid=form.invalid(REASON.into())
                aria-describedby=form.described_by(REASON.into(), true)
                prop:value=move || form.reason.get()
                on:input=move |ev| {
                    form.edited(REASON);
                    form.reason.set(event_target_value(&ev));
                }
                on:blur=move |_| form.touch(REASON)
            ></textarea>
            {form.error_view(REASON.into())}
            <p class="cf-hint" id=format!("{id}-hint")>"Required: why the correction is needed. It is kept in the log with the event."</p>
        </div>
    }
}
