//! Opening a log file, and the one way every file comes in (the picker here, a drop on the page):
//! the size limit first, then the bytes read in slices with a progress bar and Cancel, then the
//! engine decodes and parses them. A refused file says why and never replaces the loaded log.
use super::next_task::next_task;
use super::state::{Loader, LogSource};
use crate::progress_text::{loading_progress, megabytes};
use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rewind_engine::formats::{check_size, DecodeInPieces, LoadError, Mapping, DEFAULT_MAX_BYTES};
use rewind_engine::session::{LoadProgress, Session, SessionLoad};
use rewind_script::ScriptDomain;

/// Files larger than this show a progress bar, with Cancel, while they are read and loaded;
/// smaller ones take a moment and show none.
pub(super) const PROGRESS_FROM_BYTES: u64 = 4 * 1024 * 1024;

/// Files are read in slices this large; the page handles input between two slices.
const CHUNK_BYTES: u64 = 4 * 1024 * 1024;

/// A log is parsed, replayed and checked in slices of about this many milliseconds, with the page
/// free to paint and take input (Cancel) between two.
pub(super) const SLICE_MS: f64 = 25.0;

/// Events per engine step: a few milliseconds of work at most, so a slice ends close to `SLICE_MS`.
const EVENTS_PER_STEP: usize = 1024;

/// What a load in progress is doing.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Phase {
    Reading { done: u64, total: u64 },
    Fetching,
    Loading(LoadProgress),
}

/// A load in progress: what is loaded (a file name or a URL) and how far it is.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Task {
    pub what: String,
    pub phase: Phase,
}

/// The load in progress, shared by the picker, the drop zone and `?log=`: one at a time, and a
/// new one supersedes the last.
#[derive(Clone, Copy)]
pub(super) struct Loading {
    /// Shown while a large file is read or a URL fetched; `None` when nothing is shown.
    pub task: RwSignal<Option<Task>>,
    /// What happened to a load that was stopped ("Loading cancelled…").
    pub notice: RwSignal<Option<String>>,
    /// Bumped by every start and by Cancel: a running load that finds another number stops.
    generation: StoredValue<u64>,
}

impl Loading {
    /// The shared instance: `load_log_from_url` provides it at the app's root, before any
    /// component; a component without it gets its own.
    pub fn get() -> Loading {
        use_context::<Loading>().unwrap_or_else(Loading::provide)
    }

    pub fn provide() -> Loading {
        let loading =
            Loading { task: RwSignal::new(None), notice: RwSignal::new(None), generation: StoredValue::new(0) };
        provide_context(loading);
        loading
    }

    /// Starts a load (stopping any other); returns its number for `is_current`.
    pub fn begin(&self, task: Option<Task>) -> u64 {
        self.generation.update_value(|g| *g += 1);
        self.task.set(task);
        self.notice.set(None);
        self.generation.get_value()
    }

    /// Whether load `id` is still the one wanted (not cancelled, not superseded).
    pub fn is_current(&self, id: u64) -> bool {
        self.generation.get_value() == id
    }

    pub fn set_phase(&self, id: u64, phase: Phase) {
        if self.is_current(id) {
            self.task.update(|task| {
                if let Some(task) = task {
                    task.phase = phase;
                }
            });
        }
    }

    pub fn finish(&self, id: u64) {
        if self.is_current(id) {
            self.task.set(None);
        }
    }

    pub fn cancel(&self) {
        let what = self.task.get_untracked().map(|t| t.what);
        self.generation.update_value(|g| *g += 1);
        self.task.set(None);
        self.notice.set(Some(match what {
            Some(what) => format!("Loading {what} was cancelled: the log loaded before is still shown."),
            None => "Loading was cancelled: the log loaded before is still shown.".into(),
        }));
    }
}

/// A file input (named "Open log file"), the progress of the load in progress and its Cancel.
#[component]
pub fn OpenLogFile() -> impl IntoView {
    let loader = expect_context::<Loader>();
    let loading = Loading::get();
    let on_change = move |ev: ev::Event| {
        let input = event_target::<web_sys::HtmlInputElement>(&ev);
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            read_and_load(loader, loading, gloo_file::File::from(file));
        }
        // Picking the same file again (after editing it) must load it again.
        input.set_value("");
    };
    view! {
        <div class="field open-log-file">
            <input
                type="file"
                id="open-log-file"
                class="visually-hidden"
                accept=".json,.ndjson,.jsonl,.txt,.log,application/json,application/x-ndjson,text/plain"
                on:change=on_change
            />
            <label for="open-log-file" class="file-button">
                "Open log file"
            </label>
            <p class="hint">"JSON, JSON Lines, CloudEvents or KurrentDB; or drop a file anywhere on the page."</p>
            <LoadProgress loading/>
        </div>
    }
}

/// The progress bar of a large file, the status of a fetch, and Cancel.
#[component]
fn LoadProgress(loading: Loading) -> impl IntoView {
    let status = move || {
        if let Some(notice) = loading.notice.get() {
            return Some(notice);
        }
        loading.task.with(|task| match task {
            Some(Task { what, phase: Phase::Fetching }) => Some(format!("Loading the log from {what}…")),
            _ => None,
        })
    };
    // The bar is built once per load and only its numbers change: rebuilt on every update, its
    // Cancel button would be replaced under the pointer many times a second and a click lost.
    let progress = Memo::new(move |_| {
        loading.task.with(|task| {
            task.as_ref().map(|task| match task.phase {
                Phase::Reading { done, total } => {
                    (Some(done as f64), total.max(1) as f64, format!("{} of {}", megabytes(done), megabytes(total)))
                }
                Phase::Loading(progress) => loading_progress(progress),
                Phase::Fetching => (None, 1.0, "Downloading…".to_string()),
            })
        })
    });
    let value = move || progress.with(|p| p.as_ref().and_then(|p| p.0));
    let max = move || progress.with(|p| p.as_ref().map_or(1.0, |p| p.1));
    let text = move || progress.with(|p| p.as_ref().map(|p| p.2.clone()).unwrap_or_default());
    let what = move || loading.task.with(|t| t.as_ref().map(|t| t.what.clone()).unwrap_or_default());
    let bar = view! {
        <Show when=move || loading.task.with(Option::is_some)>
            <div class="load-progress">
                <span class="what">{what}</span>
                <button type="button" on:click=move |_| loading.cancel()>
                    "Cancel loading"
                </button>
                <progress aria-label="Reading the log" aria-valuetext=text max=max value=value></progress>
                <span class="amount">{text}</span>
            </div>
        </Show>
    };
    view! {
        {bar}
        <p class="load-status" role="status">{status}</p>
    }
}

/// Reads `file` and loads it: the size limit and the empty file first (nothing is read), then
/// the bytes in slices (a progress bar for a large file), then the engine decodes and parses.
/// Every refusal goes to `loaded.load_error`; the loaded log stays.
pub(super) fn read_and_load(loader: Loader, loading: Loading, file: gloo_file::File) {
    let loaded = loader.loaded;
    let name = file.name();
    let size = file.size();
    let refuse = |error: LoadError| {
        loading.begin(None);
        loaded.load_error.set(Some(error.to_string()));
    };
    if let Err(error) = check_size(usize::try_from(size).unwrap_or(usize::MAX), DEFAULT_MAX_BYTES) {
        return refuse(error);
    }
    if size == 0 {
        return refuse(LoadError::EmptyFile);
    }
    let large = size > PROGRESS_FROM_BYTES;
    let id = loading.begin(large.then(|| Task { what: name.clone(), phase: Phase::Reading { done: 0, total: size } }));
    spawn_local(async move {
        let text = match read_text_in_slices(
            &file,
            |done| loading.set_phase(id, Phase::Reading { done, total: size }),
            || loading.is_current(id),
        )
        .await
        {
            Ok(Some(text)) => text,
            Ok(None) => return,
            Err(message) => {
                if loading.is_current(id) {
                    loading.finish(id);
                    loaded.load_error.set(Some(format!("Could not read {name}: {message}")));
                }
                return;
            }
        };
        let source = LogSource::Blob { name: name.clone(), blob: AsRef::<web_sys::Blob>::as_ref(&file).clone() };
        load_decoded_in_slices(loader, loading, id, &Request::remembered(source), text).await;
    });
}

/// A load of a log the person brought: what it is called, where it came from (remembered, so a
/// field mapping can read it again), and the mapping to read it with.
pub(super) struct Request {
    pub name: String,
    pub source: Option<LogSource>,
    pub mapping: Option<Mapping>,
}

impl Request {
    /// A first load of `source`: remembered, read without a mapping (one may be guessed).
    pub fn remembered(source: LogSource) -> Request {
        Request { name: source.name().to_string(), source: Some(source), mapping: None }
    }
}

/// Loads a file's `decoded` text as `request` says, a slice at a time (see `load_in_slices`); or
/// says why it is not text. True when the log is shown.
pub(super) async fn load_decoded_in_slices(
    loader: Loader,
    loading: Loading,
    id: u64,
    request: &Request,
    decoded: Result<String, LoadError>,
) -> bool {
    let loaded = loader.loaded;
    match decoded {
        Ok(text) => load_in_slices(loader, loading, id, request, text).await,
        Err(error) => {
            loading.finish(id);
            loaded.load_error.set(Some(error.to_string()));
            false
        }
    }
}

/// Loads `text` as `source` (dropping it once parsed): parsing, the first replay and the integrity check run in slices of
/// `SLICE_MS`, the progress shown (when load `id` has a bar) and the page free between slices. A
/// log that takes one slice loads at once, without yielding. Stops, changing nothing, when the
/// load is cancelled or superseded. True when the log is shown.
pub(super) async fn load_in_slices(loader: Loader, loading: Loading, id: u64, request: &Request, text: String) -> bool {
    if let Some(source) = &request.source {
        loader.settings.remember(source.clone(), &text);
    }
    let progress = |progress| loading.set_phase(id, Phase::Loading(progress));
    let started = js_sys::Date::now();
    let options = loader.settings.options(request.mapping.clone());
    let loaded = match SessionLoad::with_options(request.name.as_str(), text, options) {
        Ok(load) => {
            step_in_slices(load.with_domain_from(ScriptDomain::carried), progress, || loading.is_current(id)).await
        }
        Err(error) => Some(Err(error)),
    };
    let Some(loaded) = loaded else { return false };
    // A load that took slices shows its log in a task of its own: the last slice and the first
    // render together were a long task.
    if js_sys::Date::now() - started > SLICE_MS {
        next_task().await;
        if !loading.is_current(id) {
            return false;
        }
    }
    loading.finish(id);
    loader.show_loaded(loaded, None)
}

/// Runs `load` to its end in slices of `SLICE_MS`: after each, `progress` hears how far it has
/// got, the browser paints and handles input, and the load goes on while `wanted` says so
/// (`None` once it does not).
pub(super) async fn step_in_slices(
    mut load: SessionLoad<'_>,
    progress: impl Fn(LoadProgress),
    wanted: impl Fn() -> bool,
) -> Option<Result<Session, LoadError>> {
    loop {
        let started = js_sys::Date::now();
        while js_sys::Date::now() - started < SLICE_MS {
            if let Some(result) = load.step(EVENTS_PER_STEP) {
                return Some(result);
            }
        }
        progress(load.progress());
        next_task().await;
        if !wanted() {
            return None;
        }
    }
}

/// The text of `file` (a picked file, or a downloaded body), or why its bytes are not text: read
/// and decoded a slice at a time, so neither is one long task; `progress` hears how many bytes are
/// read. `Ok(None)` when `wanted` says to stop; `Err` when the file could not be read.
pub(super) async fn read_text_in_slices(
    file: &gloo_file::Blob,
    progress: impl Fn(u64),
    wanted: impl Fn() -> bool,
) -> Result<Option<Result<String, LoadError>>, String> {
    let size = file.size();
    let length = usize::try_from(size).map_err(|_| "it is too large for this browser".to_string())?;
    let no_memory = |_| "there is not enough memory to read it".to_string();
    let mut decode = DecodeInPieces::new(length);
    let mut piece = Vec::new();
    let mut start = 0u64;
    while start < size {
        let end = (start + CHUNK_BYTES).min(size);
        let slice = gloo_file::Blob::slice(file, start, end);
        let buffer = gloo_file::futures::read_as_array_buffer(&slice).await.map_err(|error| match error {
            gloo_file::FileReadError::NotFound(_) => {
                "the file is gone (moved or deleted since it was picked)".to_string()
            }
            gloo_file::FileReadError::NotReadable(_) | gloo_file::FileReadError::Security(_) => {
                "the browser may not read it (permissions, or it changed since it was picked)".to_string()
            }
            gloo_file::FileReadError::AbortedEarly => "reading it was interrupted".to_string(),
        })?;
        if !wanted() {
            return Ok(None);
        }
        let array = js_sys::Uint8Array::new(&buffer);
        if u64::from(array.length()) != end - start {
            return Err("it changed while it was read".into());
        }
        piece.resize(array.length() as usize, 0);
        array.copy_to(&mut piece);
        decode.push(&piece).map_err(no_memory)?;
        start = end;
        progress(start);
    }
    Ok(Some(decode.finish()))
}
