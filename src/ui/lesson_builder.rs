//! "Make a lesson": a form that turns the current session into a lesson. Its log is the session's
//! export (corrections, mapping and reducer kept), it starts where the cursor was, and each step's
//! check is picked from what is on screen: a field of the state at the cursor (from a list, or by
//! clicking the field in the State panel), an event that is skipped, a correction of an event, or
//! a watch expression. The teacher tries it in place (it opens in Learn mode after the built-in
//! lessons, as a lesson file would) and shares it as a file or as a link that carries it.
use super::export_buttons::download;
use super::learn_panel::Learn;
use super::learn_source::add_lesson;
use super::share_link::write_clipboard;
use super::state::{Correction, Cursor, LessonRoute, Loaded, Loader, Watches};
use crate::share;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rewind_learn::{
    correction_check, describe_check, skipped_check, state_fields, state_value_check, watch_check, Check, LessonDraft,
    Start, StepDraft,
};
use serde_json::Value;

/// The most state fields the "Field" list offers (a large state is better picked in the State
/// panel).
const MAX_FIELDS: usize = 300;

/// Shared with the State panel: while the builder is open, clicking a field there picks it for
/// the step's check. Provided by the app.
#[derive(Clone, Copy)]
pub struct FieldPick {
    /// The builder is open and its check is "the state at the cursor has this value".
    pub active: RwSignal<bool>,
    /// The path picked (stream, then fields).
    pub picked: RwSignal<Option<Vec<String>>>,
}

impl FieldPick {
    pub fn new() -> FieldPick {
        FieldPick { active: RwSignal::new(false), picked: RwSignal::new(None) }
    }

    /// A click on the State panel's row for `path`: picked when the builder asks for a field
    /// (a click on the row's own button, such as its blame, is left to that button).
    pub fn offer(self, path: &[String], event: &web_sys::MouseEvent) {
        use wasm_bindgen::JsCast;
        let on_button = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| el.closest("button").ok().flatten().is_some());
        if self.active.get_untracked() && !on_button {
            self.picked.set(Some(path.to_vec()));
        }
    }
}

impl Default for FieldPick {
    fn default() -> Self {
        FieldPick::new()
    }
}

#[derive(Copy, Clone, PartialEq, Eq)]
enum Kind {
    State,
    Skipped,
    Correction,
    Watch,
}

impl Kind {
    const ALL: [(Kind, &'static str, &'static str); 4] = [
        (Kind::State, "state", "The state at the cursor has this value"),
        (Kind::Skipped, "skipped", "This event is skipped"),
        (Kind::Correction, "correction", "A correction of this event exists"),
        (Kind::Watch, "watch", "A watch expression holds"),
    ];

    fn from_value(value: &str) -> Kind {
        Kind::ALL.iter().find(|(_, v, _)| *v == value).map_or(Kind::State, |(k, _, _)| *k)
    }

    fn value(self) -> &'static str {
        Kind::ALL.iter().find(|(k, _, _)| *k == self).map_or("state", |(_, v, _)| v)
    }
}

/// The log the lesson will load, captured from the session.
#[derive(Clone, PartialEq)]
struct CapturedLog {
    log: Value,
    /// The session's order and snapshot interval then (`at` is the form's).
    start: Start,
    /// What it is, in words: "Bank, 3 events, 1 correction".
    summary: String,
}

fn capture(loaded: Loaded) -> CapturedLog {
    loaded.session.with_untracked(|s| {
        let LessonDraft { log, start, .. } = LessonDraft::from_session(s, 0);
        let corrections = s.corrections().count();
        let summary = format!(
            "{}: {} event{}, {} correction{}",
            s.source(),
            s.len(),
            if s.len() == 1 { "" } else { "s" },
            corrections,
            if corrections == 1 { "" } else { "s" }
        );
        CapturedLog { log, start, summary }
    })
}

/// "Make a lesson" and, when open, the builder's form.
#[component]
pub fn LessonBuilder() -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    let cursor = expect_context::<Cursor>();
    let pick = expect_context::<FieldPick>();
    let open = RwSignal::new(false);
    let captured = RwSignal::new(None::<CapturedLog>);
    let start_at = RwSignal::new(String::new());
    let toggle = move |_| {
        let now = !open.get_untracked();
        if now {
            // The log and the start as they are when the builder opens (kept while it is open).
            if captured.with_untracked(Option::is_none) {
                captured.set(Some(capture(loaded)));
                start_at.set(cursor.position.get_untracked().to_string());
            }
        }
        open.set(now);
        pick.active.set(false);
    };
    view! {
        <div class="lesson-builder-toggle">
            <button
                type="button"
                aria-expanded=move || if open.get() { "true" } else { "false" }
                aria-controls="lesson-builder"
                on:click=toggle
            >
                "Make a lesson"
            </button>
        </div>
        <Show when=move || open.get()>
            <BuilderForm captured start_at/>
        </Show>
    }
}

#[component]
fn BuilderForm(captured: RwSignal<Option<CapturedLog>>, start_at: RwSignal<String>) -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    let cursor = expect_context::<Cursor>();
    let correction = expect_context::<Correction>();
    let route = expect_context::<LessonRoute>();
    let loader = expect_context::<Loader>();
    let learn = expect_context::<Learn>();
    let pick = expect_context::<FieldPick>();
    let watches = expect_context::<Watches>();

    let title = RwSignal::new(String::new());
    let explanation = RwSignal::new(String::new());
    let what_happened = RwSignal::new(String::new());
    let steps = RwSignal::new(Vec::<StepDraft>::new());
    // The step being written.
    let task = RwSignal::new(String::new());
    let hint = RwSignal::new(String::new());
    let done = RwSignal::new(String::new());
    let kind = RwSignal::new(Kind::State);
    let event_text = RwSignal::new(String::new());
    let expression = RwSignal::new(String::new());
    let step_error = RwSignal::new(None::<String>);
    // What the last action said, and the link made.
    let status = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<String>);
    let link = RwSignal::new(None::<String>);

    Effect::new(move |_| pick.active.set(kind.get() == Kind::State));
    on_cleanup(move || pick.active.set(false));

    let draft = move || {
        let (log, mut start) =
            captured.with(|c| c.as_ref().map(|c| (c.log.clone(), c.start.clone()))).unwrap_or_default();
        start.at = Some(start_at.get().trim().parse().unwrap_or(0));
        LessonDraft {
            id: String::new(),
            title: title.get(),
            explanation: explanation.get(),
            log,
            start,
            steps: steps.get(),
            what_happened: what_happened.get(),
        }
    };
    // Which steps already hold where the lesson starts (the log, start or steps changed).
    let at_start = Memo::new(move |_| {
        captured.track();
        start_at.track();
        steps.track();
        untrack(draft).holds_at_start()
    });

    // The fields of the state at the cursor, with their values.
    let fields = Memo::new(move |_| {
        if kind.get() != Kind::State {
            return Vec::new();
        }
        let at = cursor.position.get();
        let state = loaded.session.with(|s| s.state_at(at).0);
        state_fields(&state, MAX_FIELDS)
    });
    let path_key = |path: &[String]| serde_json::to_string(path).unwrap_or_default();
    // The event a skip or correction check names by default: the first skipped, else the one at
    // the cursor (1-based, as the list numbers events).
    let default_event = move || {
        let at = cursor.position.get();
        loaded.session.with(|s| {
            let skipped = (kind.get() == Kind::Skipped).then(|| s.skipped().iter().next().copied()).flatten();
            skipped.or_else(|| at.checked_sub(1).map(|p| s.event(p).0)).map(|p| p + 1)
        })
    };
    let event_number = move || {
        let text = event_text.get();
        match text.trim() {
            "" => default_event(),
            written => written.parse::<usize>().ok(),
        }
    };
    let event_readout = move || {
        let n = event_number()?;
        loaded.session.with(|s| {
            let event = s.log_event(n.checked_sub(1)?)?;
            Some(format!("Event {n}: {} in {}", s.type_name(event), s.stream_of(event)))
        })
    };

    let add_step = move |_| {
        let (task_text, hint_text) = (task.get_untracked(), hint.get_untracked());
        if task_text.trim().is_empty() || hint_text.trim().is_empty() {
            step_error.set(Some("Write the step's task and its hint first.".into()));
            return;
        }
        let check: Result<Check, String> = match kind.get_untracked() {
            Kind::State => match pick.picked.get_untracked() {
                Some(path) => loaded
                    .session
                    .with_untracked(|s| state_value_check(s, cursor.position.get_untracked(), &path))
                    .ok_or_else(|| format!("{} has no value at the cursor.", path.join("."))),
                None => Err("Pick a field: from the Field list or by clicking it in the State panel.".into()),
            },
            Kind::Skipped | Kind::Correction => match untrack(event_number) {
                Some(n) if n >= 1 && n <= loaded.session.with_untracked(|s| s.len()) => {
                    Ok(match kind.get_untracked() {
                        Kind::Skipped => skipped_check(n - 1),
                        _ => loaded.session.with_untracked(|s| correction_check(s, n - 1)),
                    })
                }
                _ => Err(format!("Give the event's number, from 1 to {}.", loaded.session.with_untracked(|s| s.len()))),
            },
            Kind::Watch => watch_check(&expression.get_untracked()),
        };
        match check {
            Ok(check) => {
                steps.update(|steps| {
                    steps.push(StepDraft { task: task_text, hint: hint_text, done: done.get_untracked(), check })
                });
                for text in [task, hint, done, expression, event_text] {
                    text.set(String::new());
                }
                step_error.set(None);
            }
            Err(message) => step_error.set(Some(message)),
        }
    };

    // The lesson file, or (said in the form) why it would be refused.
    let lesson_file = move || -> Option<(String, String)> {
        let draft = untrack(draft);
        match draft.to_lesson() {
            Ok(lesson) => {
                problem.set(None);
                Some((lesson.id, draft.to_json()))
            }
            Err(message) => {
                problem.set(Some(format!("Not a lesson yet: {message}")));
                status.set(None);
                None
            }
        }
    };
    let try_it = move |_| {
        let Some((id, text)) = lesson_file() else { return };
        learn.update_progress(|p| p.restart(&id));
        add_lesson(correction, route, loader, learn, "The lesson made here", &text);
        let number = route.lesson.get_untracked().unwrap_or_default();
        status.set(Some(format!("Lesson {number} is open in Learn mode: solve it as a learner would.")));
    };
    let download_file = move |_| {
        let Some((id, text)) = lesson_file() else { return };
        let name = format!("{id}.json");
        status.set(Some(match download(&name, &text, "application/json") {
            Ok(()) => format!("Downloaded {name}: open it with Open lesson file in Learn mode."),
            Err(()) => format!("Could not download {name}: the browser refused."),
        }));
    };
    let copy_file = move |_| {
        let Some((_, text)) = lesson_file() else { return };
        spawn_local(async move {
            let copied = write_clipboard(&text).await;
            status.set(Some(
                if copied { "Lesson file copied." } else { "Could not copy: use Download lesson file." }.into(),
            ));
        });
    };
    let copy_link = move |_| {
        let Some((_, text)) = lesson_file() else { return };
        let location = window().location();
        let page = format!("{}{}", location.origin().unwrap_or_default(), location.pathname().unwrap_or_default());
        match share::lesson_link(&page, &text) {
            Ok(url) => {
                link.set(Some(url.clone()));
                status.set(None);
                spawn_local(async move {
                    let copied = write_clipboard(&url).await;
                    status.set(Some(
                        if copied { "Lesson link copied." } else { "Could not copy: select the lesson link below." }
                            .into(),
                    ));
                });
            }
            Err(message) => {
                link.set(None);
                status.set(Some(message));
            }
        }
    };

    let step_list = move || {
        let warnings = at_start.get();
        steps
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, step)| {
                let early = matches!(&warnings, Ok(held) if held.get(i) == Some(&true));
                view! {
                    <li>
                        <span class="builder-task">{step.task.clone()}</span>
                        <span class="builder-check">{format!(" — done when {}", describe_check(&step.check))}</span>
                        {early.then(|| view! {
                            <p class="builder-warning">
                                "This check already holds where the lesson starts: the step would be done before the learner reads it. Start elsewhere, or pick another check."
                            </p>
                        })}
                        <button
                            type="button"
                            aria-label=format!("Remove step {}", i + 1)
                            on:click=move |_| steps.update(|steps| {
                                if i < steps.len() {
                                    steps.remove(i);
                                }
                            })
                        >
                            "Remove"
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    let start_problem = move || match at_start.get() {
        Err(message) => Some(view! { <p class="builder-warning">{format!("The lesson cannot start: {message}")}</p> }),
        Ok(_) => None,
    };

    let picker = move || {
        match kind.get() {
        Kind::State => view! {
            <div class="field">
                <label for="builder-field">"Field"</label>
                <select
                    id="builder-field"
                    prop:value=move || pick.picked.get().map(|p| path_key(&p)).unwrap_or_default()
                    on:change=move |ev| {
                        pick.picked.set(serde_json::from_str::<Vec<String>>(&event_target_value(&ev)).ok());
                    }
                >
                    <option value="" disabled>"Pick a field"</option>
                    {move || {
                        fields
                            .get()
                            .into_iter()
                            .map(|(path, value)| {
                                let label = format!("{} = {value}", path.join("."));
                                view! { <option value=path_key(&path)>{label}</option> }
                            })
                            .collect_view()
                    }}
                </select>
                <p class="hint">"The value at the cursor now, or click a field in the State panel."</p>
            </div>
        }
        .into_any(),
        Kind::Skipped | Kind::Correction => view! {
            <div class="field">
                <label for="builder-event">"Event number"</label>
                <input
                    id="builder-event"
                    type="number"
                    min="1"
                    prop:value=move || event_number().map(|n| n.to_string()).unwrap_or_default()
                    on:input=move |ev| event_text.set(event_target_value(&ev))
                />
                <span class="hint">{event_readout}</span>
            </div>
        }
        .into_any(),
        Kind::Watch => view! {
            <div class="field">
                <label for="builder-expression">"Expression"</label>
                <input
                    id="builder-expression"
                    type="text"
                    spellcheck="false"
                    autocomplete="off"
                    placeholder=move || watches.list.with(|l| l.first().cloned()).unwrap_or("stream.balance == 70".into())
                    prop:value=move || expression.get()
                    on:input=move |ev| expression.set(event_target_value(&ev))
                />
                <span class="hint">"True at the cursor when the step is done (as in Watches: event, stream, state)."</span>
            </div>
        }
        .into_any(),
    }
    };

    let text_input = |id: &'static str, label: &'static str, value: RwSignal<String>| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input id=id type="text" prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
            </div>
        }
    };
    let text_area = |id: &'static str, label: &'static str, value: RwSignal<String>| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <textarea id=id rows="3" prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))></textarea>
            </div>
        }
    };

    view! {
        <section class="lesson-builder" id="lesson-builder" aria-label="Lesson builder">
            <h2>"Make a lesson from this session"</h2>
            {text_input("builder-title", "Lesson title", title)}
            {text_area("builder-explanation", "Lesson explanation", explanation)}
            <div class="builder-log">
                <p>"Log: " {move || captured.with(|c| c.as_ref().map(|c| c.summary.clone()))}</p>
                <button type="button" on:click=move |_| captured.set(Some(capture(loaded)))>
                    "Use the log loaded now"
                </button>
            </div>
            <div class="builder-start">
                <div class="field">
                    <label for="builder-start">"Start at position"</label>
                    <input
                        id="builder-start"
                        type="number"
                        min="0"
                        prop:value=move || start_at.get()
                        on:input=move |ev| start_at.set(event_target_value(&ev))
                    />
                </div>
                <button type="button" on:click=move |_| start_at.set(cursor.position.get_untracked().to_string())>
                    "Start at the cursor"
                </button>
            </div>
            {start_problem}
            <h3>"Steps"</h3>
            <ol class="builder-steps">{step_list}</ol>
            <fieldset class="builder-new-step">
                <legend>"New step"</legend>
                {text_input("builder-task", "Step task", task)}
                {text_input("builder-hint", "Step hint", hint)}
                {text_input("builder-done", "Step done text", done)}
                <div class="field">
                    <label for="builder-kind">"Check"</label>
                    <select
                        id="builder-kind"
                        prop:value=move || kind.get().value()
                        on:change=move |ev| {
                            kind.set(Kind::from_value(&event_target_value(&ev)));
                            event_text.set(String::new());
                        }
                    >
                        {Kind::ALL.iter().map(|(_, value, label)| view! { <option value=*value>{*label}</option> }).collect_view()}
                    </select>
                </div>
                {picker}
                <button type="button" on:click=add_step>"Add step"</button>
                {move || step_error.get().map(|m| view! { <p class="builder-warning" role="alert">{m}</p> })}
            </fieldset>
            {text_area("builder-what-happened", "What happened (shown at the end)", what_happened)}
            <div class="builder-actions">
                <button type="button" on:click=try_it>"Try the lesson"</button>
                <button type="button" on:click=download_file>"Download lesson file"</button>
                <button type="button" on:click=copy_file>"Copy lesson file"</button>
                <button type="button" on:click=copy_link>"Copy lesson link"</button>
            </div>
            {move || problem.get().map(|m| view! { <p class="builder-warning" role="alert">{m}</p> })}
            <p class="builder-status" role="status">{move || status.get()}</p>
            {move || link.get().map(|url| super::share_link::link_field("builder-link", "Lesson link", url))}
        </section>
    }
}
