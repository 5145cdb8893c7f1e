//! "Compare with another log": a second log (a file, pasted, or a sample) replayed by the loaded
//! log's domain and compared with it stream by stream (`rewind_engine::compare`), read, replayed
//! and compared in slices with progress and Cancel. The "Comparison" region says where each
//! stream first differs, with both states and the diff there, and moves the cursor to it.
use super::diff_panel::changes_view;
use super::next_task::next_task;
use super::open_log_file::{read_text_in_slices, step_in_slices, SLICE_MS};
use super::state::{Cursor, Loaded};
use crate::progress_text::{loading_progress, megabytes, percent};
use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rewind_engine::compare::{AlignedEvent, Alignment, Comparison, StreamDifference};
use rewind_engine::formats::{check_size, LoadError, LoadOptions, DEFAULT_MAX_BYTES};
use rewind_engine::samples::{self, Sample, SAMPLES};
use rewind_engine::session::Session;
use serde_json::Value;
use std::sync::Arc;

/// Work per engine step between looks at the clock: a few milliseconds at most.
const UNITS_PER_STEP: usize = 2_048;
/// Differing streams shown in full; the rest are counted (the DOM stays small at 1M streams).
const LISTED: usize = 20;
/// Streams in one log only that are named; the rest are counted.
const NAMED: usize = 20;
/// A state longer than this is cut: a stream's state is usually a few fields.
const STATE_CHARS: usize = 2_000;

/// Where the second log came from, kept so it can be read again when the loaded log's domain
/// changes (the second log must then be replayed by the new one).
#[derive(Clone)]
enum OtherSource {
    /// A picked file or pasted text, kept as a Blob outside WebAssembly memory.
    Blob {
        name: String,
        blob: gloo_file::Blob,
    },
    Sample(&'static Sample),
}

impl OtherSource {
    fn name(&self) -> String {
        match self {
            OtherSource::Blob { name, .. } => name.clone(),
            OtherSource::Sample(sample) => format!("the sample \"{}\"", sample.label),
        }
    }
}

/// The loaded log's domain as far as replaying the second log goes: its name, why it was chosen
/// and the reducer script the log carries (a new script keeps the name "your reducer").
#[derive(Clone, PartialEq)]
struct DomainKey {
    name: String,
    reason: String,
    script: Option<String>,
}

fn domain_key(session: &Session) -> DomainKey {
    DomainKey {
        name: session.domain().name().to_string(),
        reason: session.choice().reason.clone(),
        script: session.log().reducer().map(|r| r.source.clone()),
    }
}

/// The second log, replayed by the domain `key` describes.
struct Other {
    name: String,
    session: Arc<Session>,
    key: DomainKey,
}

/// A comparison shown: with which log, and what it found.
#[derive(Clone)]
struct Shown {
    name: String,
    comparison: Arc<Comparison>,
}

/// The bar of a run in progress: what, how far (`None`: not known yet), and in words.
#[derive(Clone, PartialEq)]
struct Progress {
    what: String,
    value: Option<f64>,
    max: f64,
    text: String,
}

/// Everything a run reads and writes; handles only, so it is `Copy` into handlers and tasks.
#[derive(Clone, Copy)]
struct Runner {
    loaded: Loaded,
    shown: RwSignal<Option<Shown>>,
    progress: RwSignal<Option<Progress>>,
    error: RwSignal<Option<String>>,
    notice: RwSignal<Option<String>>,
    source: StoredValue<Option<OtherSource>, LocalStorage>,
    other: StoredValue<Option<Other>, LocalStorage>,
    /// The loaded session's revision the comparison shown or running is for: a new one (a view
    /// changed, a correction, another log) compares again.
    revision: StoredValue<Option<u64>>,
    /// Bumped by every start, Cancel and Close: a run that finds another number stops.
    run: StoredValue<u64>,
}

impl Runner {
    fn begin(&self) -> u64 {
        self.run.update_value(|r| *r += 1);
        self.error.set(None);
        self.notice.set(None);
        self.shown.set(None);
        self.revision.set_value(Some(self.loaded.session.with_untracked(|s| s.revision())));
        self.run.get_value()
    }

    fn is_current(&self, id: u64) -> bool {
        self.run.get_value() == id
    }

    fn set_progress(&self, id: u64, what: &str, (value, max, text): (Option<f64>, f64, String)) {
        if self.is_current(id) {
            self.progress.set(Some(Progress { what: what.to_string(), value, max, text }));
        }
    }

    fn fail(&self, id: u64, message: String) {
        if self.is_current(id) {
            self.progress.set(None);
            self.revision.set_value(None);
            self.error.set(Some(message));
        }
    }

    /// Reads, replays and compares `source` from the start.
    fn start(self, source: OtherSource) {
        self.source.set_value(Some(source.clone()));
        self.other.set_value(None);
        let id = self.begin();
        spawn_local(self.load_and_compare(id, source));
    }

    /// Compares again after the loaded session changed: with the second log as replayed when the
    /// domain is the same, else replaying it again by the new domain.
    fn again(self) {
        let key = self.loaded.session.with_untracked(|s| domain_key(s));
        let kept =
            self.other.with_value(|o| o.as_ref().filter(|o| o.key == key).map(|o| (o.name.clone(), o.session.clone())));
        match (kept, self.source.get_value()) {
            (Some((name, other)), _) => {
                let id = self.begin();
                let session = self.loaded.session.get_untracked();
                spawn_local(async move { self.compare(id, session, other, name).await });
            }
            (None, Some(source)) => self.start(source),
            (None, None) => self.close(),
        }
    }

    fn cancel(&self) {
        let what = self.progress.get_untracked().map(|p| p.what);
        self.run.update_value(|r| *r += 1);
        self.progress.set(None);
        self.revision.set_value(None);
        self.notice.set(Some(match what {
            Some(what) => format!("Comparing with {what} was cancelled."),
            None => "Comparing was cancelled.".into(),
        }));
    }

    fn close(&self) {
        self.run.update_value(|r| *r += 1);
        self.source.set_value(None);
        self.other.set_value(None);
        self.revision.set_value(None);
        self.progress.set(None);
        self.shown.set(None);
        self.error.set(None);
        self.notice.set(None);
    }

    async fn load_and_compare(self, id: u64, source: OtherSource) {
        let name = source.name();
        let text = match &source {
            OtherSource::Sample(sample) => sample.text.to_string(),
            OtherSource::Blob { blob, .. } => {
                let size = blob.size();
                if let Err(error) = check_size(usize::try_from(size).unwrap_or(usize::MAX), DEFAULT_MAX_BYTES) {
                    return self.fail(id, format!("{name} could not be compared: {error}"));
                }
                if size == 0 {
                    return self.fail(id, format!("{name} could not be compared: {}", LoadError::EmptyFile));
                }
                let reading = |done: u64| {
                    let text = format!("Reading: {} of {}", megabytes(done), megabytes(size));
                    self.set_progress(id, &name, (Some(done as f64), size.max(1) as f64, text));
                };
                let decoded = match read_text_in_slices(blob, reading, || self.is_current(id)).await {
                    Ok(Some(decoded)) => decoded,
                    Ok(None) => return,
                    Err(message) => return self.fail(id, format!("Could not read {name}: {message}")),
                };
                match decoded {
                    Ok(text) => text,
                    Err(error) => return self.fail(id, format!("{name} could not be compared: {error}")),
                }
            }
        };
        let session = self.loaded.session.get_untracked();
        // A field mapping the person chose for the loaded log reads the second one too; a guessed
        // one is guessed again.
        let mapping = session.mapping().filter(|(_, guessed)| !guessed).map(|(mapping, _)| mapping.clone());
        let load = match session.load_to_compare(name.as_str(), text, LoadOptions { strict: false, mapping }) {
            Ok(load) => load,
            Err(error) => return self.fail(id, format!("{name} could not be compared: {error}")),
        };
        let loading = |progress| self.set_progress(id, &name, loading_progress(progress));
        let other = match step_in_slices(load, loading, || self.is_current(id)).await {
            None => return,
            Some(Ok(other)) => Arc::new(other),
            Some(Err(error)) => return self.fail(id, format!("{name} could not be compared: {error}")),
        };
        if !self.is_current(id) {
            return;
        }
        let key = domain_key(&session);
        self.other.set_value(Some(Other { name: name.clone(), session: other.clone(), key }));
        self.compare(id, session, other, name).await;
    }

    /// Compares `session` with `other` in slices of `SLICE_MS`, then shows what was found.
    async fn compare(self, id: u64, session: Arc<Session>, other: Arc<Session>, name: String) {
        let mut comparing = match session.start_compare(&other) {
            Ok(comparing) => comparing,
            Err(error) => return self.fail(id, error.to_string()),
        };
        loop {
            let started = js_sys::Date::now();
            let mut done = false;
            while !done && js_sys::Date::now() - started < SLICE_MS {
                done = comparing.step(UNITS_PER_STEP);
            }
            if done {
                break;
            }
            let (compared, total) = comparing.progress();
            let text = format!("Comparing: {}%", percent(compared, total));
            self.set_progress(id, &name, (Some(compared as f64), total.max(1) as f64, text));
            next_task().await;
            if !self.is_current(id) {
                return;
            }
        }
        let comparison = comparing.finish();
        if self.is_current(id) {
            self.progress.set(None);
            self.shown.set(Some(Shown { name, comparison: Arc::new(comparison) }));
        }
    }
}

/// "Compare with another log": the second log by file, paste or sample; the progress; the
/// "Comparison" region.
#[component]
pub fn ComparePanel() -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    let cursor = expect_context::<Cursor>();
    let runner = Runner {
        loaded,
        shown: RwSignal::new(None),
        progress: RwSignal::new(None),
        error: RwSignal::new(None),
        notice: RwSignal::new(None),
        source: StoredValue::new_local(None),
        other: StoredValue::new_local(None),
        revision: StoredValue::new(None),
        run: StoredValue::new(0),
    };
    let pasted = RwSignal::new(String::new());
    let sample = RwSignal::new(String::new());

    // The loaded session changed under an open comparison: it no longer says what it said.
    Effect::new(move |_| {
        let revision = loaded.session.with(|s| s.revision());
        if runner.revision.get_value().is_some_and(|compared| compared != revision) {
            runner.again();
        }
    });

    let on_file = move |ev: ev::Event| {
        let input = event_target::<web_sys::HtmlInputElement>(&ev);
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            let file = gloo_file::File::from(file);
            runner.start(OtherSource::Blob { name: file.name(), blob: gloo_file::Blob::from(file) });
        }
        // Picking the same file again (after editing it) must compare it again.
        input.set_value("");
    };
    let on_paste = move |_| {
        let text = pasted.get_untracked();
        if text.trim().is_empty() {
            runner.error.set(Some("Paste a second log in \"Second log\" first.".into()));
            return;
        }
        runner.start(OtherSource::Blob { name: "the pasted log".into(), blob: gloo_file::Blob::new(text.as_str()) });
    };
    let on_sample = move |ev: ev::Event| {
        let id = event_target_value(&ev);
        if let Some(found) = samples::find(&id) {
            runner.start(OtherSource::Sample(found));
        }
        // Back to the prompt, so the same sample can be picked again.
        sample.set(String::new());
    };

    view! {
        <section class="compare-logs" role="region" aria-label="Compare with another log">
            <h2>"Compare with another log"</h2>
            <p class="hint">
                "A second log is replayed by this log's domain and compared stream by stream: the k-th event "
                "of each stream here against the k-th there, or by event id when both logs give that stream's "
                "events ids."
            </p>
            <div class="compare-sources">
                <div class="field open-log-file">
                    <input
                        type="file"
                        id="open-second-log"
                        class="visually-hidden"
                        accept=".json,.ndjson,.jsonl,.txt,.log,application/json,application/x-ndjson,text/plain"
                        on:change=on_file
                    />
                    <label for="open-second-log" class="file-button">
                        "Open second log"
                    </label>
                </div>
                <div class="field">
                    <label for="compare-sample">"Compare with a built-in log"</label>
                    <select id="compare-sample" prop:value=move || sample.get() on:change=on_sample>
                        <option value="" disabled>"Choose a sample…"</option>
                        {SAMPLES.iter().map(|s| view! { <option value=s.id>{s.label}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field second-log">
                    <label for="second-log">"Second log"</label>
                    <textarea
                        id="second-log"
                        rows="3"
                        spellcheck="false"
                        prop:value=move || pasted.get()
                        on:input=move |ev| pasted.set(event_target_value(&ev))
                    ></textarea>
                    <button type="button" on:click=on_paste>
                        "Compare"
                    </button>
                </div>
            </div>
            <CompareProgress runner/>
            <p class="load-status" role="status">{move || runner.notice.get()}</p>
            {move || runner.error.get().map(|error| view! { <p class="compare-error" role="alert">{error}</p> })}
            {move || runner.shown.get().map(|shown| comparison_view(shown, runner, cursor))}
        </section>
    }
}

/// The bar while the second log is read, replayed and compared, with Cancel.
#[component]
fn CompareProgress(runner: Runner) -> impl IntoView {
    // Built once per run, only its numbers change: Cancel stays under the pointer.
    let value = move || runner.progress.with(|p| p.as_ref().and_then(|p| p.value));
    let max = move || runner.progress.with(|p| p.as_ref().map_or(1.0, |p| p.max));
    let text = move || runner.progress.with(|p| p.as_ref().map(|p| p.text.clone()).unwrap_or_default());
    let what = move || runner.progress.with(|p| p.as_ref().map(|p| p.what.clone()).unwrap_or_default());
    view! {
        <Show when=move || runner.progress.with(Option::is_some)>
            <div class="load-progress">
                <span class="what">{what}</span>
                <button type="button" on:click=move |_| runner.cancel()>
                    "Cancel comparing"
                </button>
                <progress aria-label="Comparing the logs" aria-valuetext=text max=max value=value></progress>
                <span class="amount">{text}</span>
            </div>
        </Show>
    }
}

/// The "Comparison" region: the summary, each differing stream (the first `LISTED`), the streams
/// in one log only, and Close.
fn comparison_view(shown: Shown, runner: Runner, cursor: Cursor) -> impl IntoView {
    let Shown { name, comparison } = shown;
    let summary = format!("Compared with {name}: {}.", comparison.summary());
    let listed = comparison
        .differences
        .iter()
        .take(LISTED)
        .map(|difference| difference_view(difference, &name, cursor))
        .collect_view();
    let more = comparison.differences.len().saturating_sub(LISTED);
    let only = |names: &[String], where_: String| {
        (!names.is_empty()).then(|| {
            let mut named = names.iter().take(NAMED).cloned().collect::<Vec<_>>().join(", ");
            if names.len() > NAMED {
                named.push_str(&format!(" and {} more", names.len() - NAMED));
            }
            view! { <p class="compare-only">{format!("Streams only in {where_}: {named}.")}</p> }
        })
    };
    let only_here = only(&comparison.only_a, "this log".into());
    let only_there = only(&comparison.only_b, name.clone());
    view! {
        <section class="comparison" role="region" aria-label="Comparison">
            <div class="comparison-head">
                <h3>"Comparison"</h3>
                <button type="button" on:click=move |_| runner.close()>
                    "Close comparison"
                </button>
            </div>
            <p class="comparison-summary">{summary}</p>
            {(!comparison.differences.is_empty())
                .then(|| view! { <ul class="stream-differences" aria-label="Streams that differ">{listed}</ul> })}
            {(more > 0).then(|| view! { <p>{format!("… and {more} more streams differ.")}</p> })}
            {only_here}
            {only_there}
        </section>
    }
}

/// One differing stream: where it first differs, the button that goes there, both states, the
/// diff, and whether it ends differently.
fn difference_view(difference: &StreamDifference, other: &str, cursor: Cursor) -> impl IntoView + use<> {
    let first = &difference.first;
    let at = |event: &AlignedEvent| {
        let id = event.id.as_ref().map(|id| format!(", id {id}")).unwrap_or_default();
        format!("event {} ({}{id})", event.position + 1, event.type_name)
    };
    let place = match (&first.event_a, &first.event_b) {
        (Some(a), Some(b)) => format!("First differs after {} here and {} in {other}.", at(a), at(b)),
        (Some(a), None) => format!("First differs after {} here, which {other} does not have.", at(a)),
        (None, Some(b)) => format!("First differs after {} in {other}, which this log does not have.", at(b)),
        (None, None) => String::new(),
    };
    let aligned = match difference.alignment {
        Alignment::Id => "Events aligned by id.",
        Alignment::Position => "Events aligned by their place in the stream.",
    };
    let target = first.cursor_a;
    let go = match target {
        0 => "Go to the start".to_string(),
        n => format!("Go to event {n}"),
    };
    let end = match &difference.end {
        None => view! { <p>"Ends the same."</p> }.into_any(),
        Some(end) => view! {
            <p>"Ends differently:"</p>
            {changes_view(&end.changes, "Differences at the end")}
        }
        .into_any(),
    };
    view! {
        <li class="stream-difference">
            <p class="stream-difference-head">
                "Stream " <code>{difference.stream.clone()}</code>
                {format!(" ({} events here, {} in {other})", difference.events_a, difference.events_b)}
            </p>
            <p>{place} " " {aligned}</p>
            <button type="button" on:click=move |_| cursor.seek(target)>
                {go}
            </button>
            <div class="state-pair">
                <div>
                    <p class="state-pair-side">"Here"</p>
                    <pre>{state_text(&first.states.a)}</pre>
                </div>
                <div>
                    <p class="state-pair-side">{format!("In {other}")}</p>
                    <pre>{state_text(&first.states.b)}</pre>
                </div>
            </div>
            {changes_view(&first.states.changes, "Differences")}
            {end}
        </li>
    }
}

/// A stream's state as indented JSON, cut when long; "(no event yet)" before its first.
fn state_text(value: &Value) -> String {
    if value.is_null() {
        return "(no event yet)".into();
    }
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    match text.char_indices().nth(STATE_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}
