//! "Generate test": the focused stream at the cursor (or, with none focused, the stream of the
//! event there) written down as a given/when/then test — a JSON fixture the engine's harness runs,
//! or a Rust test over the engine — to copy or download.
use super::export_buttons::download;
use super::share_link::write_clipboard;
use super::state::{Cursor, Inspection, Loaded};
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rewind_engine::testgen::generate;

/// Which form of the test the code box shows.
#[derive(Copy, Clone, PartialEq, Eq)]
enum Form {
    Fixture,
    Rust,
}

impl Form {
    fn label(self) -> &'static str {
        match self {
            Form::Fixture => "JSON fixture",
            Form::Rust => "Rust test",
        }
    }
}

/// A test made by the last press of "Generate test", and what it was made from.
struct Made {
    fixture: String,
    rust: String,
    fixture_file: String,
    rust_file: String,
    /// "Stream acc-42, event 3 (Withdraw): …", for a person.
    summary: String,
    note: Option<String>,
    /// Where it was made: the session, the cursor and the focus then.
    revision: u64,
    cursor: usize,
    focus: Option<String>,
}

impl Made {
    fn text(&self, form: Form) -> &str {
        match form {
            Form::Fixture => &self.fixture,
            Form::Rust => &self.rust,
        }
    }
}

/// "Generate test" and, once pressed, the "Generated test" region. The test is made on the press,
/// not on every cursor move (a stream's test can hold thousands of events); when the cursor, the
/// focus or the view moves on, the region says so.
#[component]
pub fn GenerateTest() -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    let cursor = expect_context::<Cursor>();
    let inspection = expect_context::<Inspection>();
    let made = RwSignal::new(None::<Result<Made, String>>);
    let form = RwSignal::new(Form::Fixture);
    let status = RwSignal::new(None::<String>);
    let code = NodeRef::<html::Textarea>::new();
    // A test of another log is of no use beside this one.
    Effect::new(move |previous_log: Option<u64>| {
        let log = loaded.session.with(|s| s.generation());
        if previous_log.is_some_and(|previous| previous != log) {
            made.set(None);
            status.set(None);
        }
        log
    });

    let on_generate = move |_| {
        let at = cursor.position.get_untracked();
        let focus = inspection.focus.get_untracked();
        let result = loaded.session.with_untracked(|s| {
            let focused = focus.as_deref().and_then(|name| s.stream(name));
            let test = generate(s, focused, at)?;
            let then = &test.fixture.then;
            let found = match (then.violations.len(), then.errors.len()) {
                (0, 0) => "no violation".to_string(),
                (v, 0) => plural(v, "violation"),
                (0, e) => plural(e, "error"),
                (v, e) => format!("{} and {}", plural(v, "violation"), plural(e, "error")),
            };
            let summary = format!(
                "Stream {}, event {} ({}): given {}, then its state and {found}.",
                test.fixture.stream,
                test.position + 1,
                test.fixture.when.type_name,
                plural(test.fixture.given.len(), "earlier event"),
            );
            Ok(Made {
                fixture: test.fixture_json(),
                rust: test.rust_test(),
                fixture_file: test.fixture_file_name(),
                rust_file: test.rust_file_name(),
                summary,
                note: test.note,
                revision: s.revision(),
                cursor: at,
                focus,
            })
        });
        made.set(Some(result));
        status.set(None);
    };

    let stale = move || {
        let (revision, at, focus) = made.with(|m| match m {
            Some(Ok(m)) => Some((m.revision, m.cursor, m.focus.clone())),
            _ => None,
        })?;
        let moved = loaded.session.with(|s| s.revision()) != revision
            || cursor.position.get() != at
            || inspection.focus.with(|f| *f != focus);
        moved.then(|| {
            view! {
                <p class="generated-stale">
                    "The cursor, the focused stream or the view has changed since: press Generate test again for a test of what is shown now."
                </p>
            }
        })
    };

    let copy = move |_| {
        let which = form.get_untracked();
        let Some(text) = made.with_untracked(|m| shown(m).map(|m| m.text(which).to_string())) else {
            return;
        };
        spawn_local(async move {
            let copied = write_clipboard(&text).await;
            // Said only if the same text is still shown.
            let same = made.with_untracked(|m| shown(m).is_some_and(|m| m.text(which) == text))
                && form.get_untracked() == which;
            if !same {
                return;
            }
            if copied {
                status.set(Some(format!("Copied the {}.", which.label())));
            } else {
                // The text is there to copy by hand: select it for the person.
                if let Some(code) = code.get_untracked() {
                    code.select();
                }
                status.set(Some(
                    "Could not copy: the browser refused the clipboard. The text is selected in the box: copy it with Ctrl+C (⌘C on a Mac)."
                        .into(),
                ));
            }
        });
    };

    let save = move |_| {
        let which = form.get_untracked();
        let Some((name, text)) = made.with_untracked(|m| {
            shown(m).map(|m| match which {
                Form::Fixture => (m.fixture_file.clone(), m.fixture.clone()),
                Form::Rust => (m.rust_file.clone(), m.rust.clone()),
            })
        }) else {
            return;
        };
        let mime = match which {
            Form::Fixture => "application/json",
            Form::Rust => "text/x-rust",
        };
        status.set(Some(match download(&name, &text, mime) {
            Ok(()) => format!("Downloaded {name}."),
            Err(()) => format!("Could not download {name}: the browser refused it. Copy the text instead."),
        }));
    };

    let choice = move |which: Form| {
        view! {
            <label class="inline">
                <input
                    type="radio"
                    name="test-format"
                    prop:checked=move || form.get() == which
                    on:change=move |_| {
                        form.set(which);
                        status.set(None);
                    }
                />
                {which.label()}
            </label>
        }
    };

    let body = move || {
        made.with(|m| match m {
            None => None,
            Some(Err(message)) => {
                Some(view! { <p class="generated-error" role="status">{message.clone()}</p> }.into_any())
            }
            Some(Ok(m)) => {
                let note = m.note.clone().map(|note| view! { <p class="generated-note">{note}</p> });
                Some(
                    view! {
                        <p class="generated-what">{m.summary.clone()}</p>
                        {note}
                        {stale}
                        <div class="generated-format" role="radiogroup" aria-label="Test format">
                            {choice(Form::Fixture)}
                            {choice(Form::Rust)}
                        </div>
                        <textarea
                            class="generated-code"
                            node_ref=code
                            aria-label="Test code"
                            readonly=true
                            spellcheck="false"
                            wrap="off"
                            rows="14"
                            prop:value=move || {
                                made.with(|m| shown(m).map(|m| m.text(form.get()).to_string()))
                            }
                        ></textarea>
                        <div class="generated-actions">
                            <button type="button" on:click=copy>"Copy"</button>
                            <button type="button" on:click=save>"Download"</button>
                            <span class="generated-status" role="status">{move || status.get()}</span>
                        </div>
                    }
                    .into_any(),
                )
            }
        })
    };

    view! {
        <div class="generate-test">
            <div class="generate-test-head">
                <button type="button" on:click=on_generate>"Generate test"</button>
                <span class="muted">
                    "Given the stream's earlier events, when the event at the cursor, then its state and problems: as a test."
                </span>
            </div>
            <Show when=move || made.with(Option::is_some)>
                <section class="generated-test" role="region" aria-label="Generated test">
                    <h3>"Generated test"</h3>
                    {body}
                </section>
            </Show>
        </div>
    }
}

/// `1 violation`, `2 violations`.
fn plural(n: usize, noun: &str) -> String {
    match n {
        1 => format!("1 {noun}"),
        n => format!("{n} {noun}s"),
    }
}

/// The test shown, if the last press made one.
fn shown(made: &Option<Result<Made, String>>) -> Option<&Made> {
    made.as_ref()?.as_ref().ok()
}
