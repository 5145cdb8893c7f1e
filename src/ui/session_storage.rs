//! Keeps the session in browser storage: restored at start-up, saved after every change, cleared
//! by "New session". What is written, and how it is checked on the way back, is `crate::saved`;
//! this module only moves it in and out of localStorage (gloo-storage) and IndexedDB.
//!
//! A change starts a 300 ms timer (dragging the slider writes once, when it stops). The log's
//! text is written only when the log itself changed (another generation); a cursor move or a
//! skip rewrites only the small settings record. When storage fails, the work stays in memory
//! and `SaveNotices::not_saved` says why, for `NewSessionButton` to show.
//!
//! Nothing stored is lost without a notice: a save that cannot be restored is discarded only
//! once a copy of what was read is offered for download ("Export the saved session"); a save
//! from a newer Rewind, or whose log IndexedDB cannot read now, is kept and this tab does not
//! save over it (it is *held*); nor does a tab whose session another tab saved over (a
//! `storage` event). While held, "Save this tab's work here" lets the person choose this tab's
//! work instead.
use super::next_task::next_task;
use super::open_log_file::{step_in_slices, SLICE_MS};
use super::state::{Correction, Loaded, Loader, Speed, Watches};
use crate::location::Location;
use crate::progress_text::restore_progress;
use crate::save_schedule::SaveSchedule;
use crate::saved::{self, LogPlace, RestoreError, Restored, SavedLog, SavedSession, LOG_KEY, SETTINGS_KEY};
use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use leptos::task::spawn_local;
use rewind_engine::formats::RewindJsonPieces;
use rewind_engine::samples::SAMPLES;
use rewind_engine::session::{Session, SessionLoad};
use rewind_script::ScriptDomain;
use std::cell::RefCell;
use std::sync::Arc;
use std::time::Duration;
use wasm_bindgen::JsValue;

/// How long the session must stay unchanged before it is written.
const SAVE_DELAY: Duration = Duration::from_millis(300);

/// Events per piece of a saved log's text: a few milliseconds of work, well inside a slice.
const EVENTS_PER_PIECE: usize = 4_000;

/// What the person is told about saving; `NewSessionButton` shows it beside the load actions.
#[derive(Clone, Copy)]
pub struct SaveNotices {
    /// Why the work is not being saved (quota exceeded, storage disabled); `None` while saves work.
    pub not_saved: RwSignal<Option<String>>,
    /// About the start-up restore: a large log still being read, or why the save was discarded.
    pub restore: RwSignal<Option<String>>,
    /// A copy of a save that could not be restored can be downloaded.
    pub copy: RwSignal<bool>,
    /// This tab does not save over what storage holds (see [`Hold`]) until the person says so.
    pub held: RwSignal<bool>,
}

/// Why this tab does not save over the stored session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Hold {
    /// Another tab saved its own session in its place.
    OtherTab,
    /// The stored session came from a newer Rewind.
    Newer,
    /// The stored session's log is in IndexedDB, which cannot be read now.
    Unreachable,
}

impl Hold {
    /// Why the work is not being saved, in the "not being saved (…)" notice.
    fn reason(self) -> &'static str {
        match self {
            Hold::OtherTab => "another tab saved its session in place of this one",
            Hold::Newer => "a session saved by a newer version of Rewind is kept in its place",
            Hold::Unreachable => "the saved session, whose log IndexedDB cannot read now, is kept in its place",
        }
    }
}

/// The name a copy of the stored session is downloaded as.
const COPY_NAME: &str = "rewind-saved-session.json";

/// What browser storage holds when the page opens.
pub enum Stored {
    /// A saved session's settings record.
    Session(String),
    Nothing,
    /// Storage is off, and why.
    Off(String),
}

impl Stored {
    pub fn read() -> Stored {
        match local_get(SETTINGS_KEY) {
            Ok(Some(record)) => Stored::Session(record),
            Ok(None) => Stored::Nothing,
            Err(why) => Stored::Off(why),
        }
    }

    pub fn has_session(&self) -> bool {
        matches!(self, Stored::Session(_))
    }
}

/// Restores the session `stored` holds (when there is one), then saves after every change. Call
/// it before anything that reads the URL: a link someone followed replaces what was restored.
pub fn keep_session_in_storage(loader: Loader, stored: Stored) {
    let Loader { loaded, cursor, playback, inspection, .. } = loader;
    let notices = SaveNotices {
        not_saved: RwSignal::new(None),
        restore: RwSignal::new(None),
        copy: RwSignal::new(false),
        held: RwSignal::new(false),
    };
    provide_context(notices);
    let watches = use_context::<Watches>();
    SAVER.with_borrow_mut(|saver| saver.watches = watches);
    restore_at_start(loader, notices, stored);

    Effect::new(move |_| {
        loaded.session.track();
        cursor.position.track();
        inspection.focus.track();
        loaded.sample.track();
        playback.speed.track();
        playback.looping.track();
        if let Some(watches) = watches {
            watches.list.track();
        }
        let handle = set_timeout_with_handle(move || request_save(loader, notices), SAVE_DELAY).ok();
        on_cleanup(move || {
            if let Some(handle) = handle {
                handle.clear();
            }
        });
    });
    // A change made just before the tab closes is saved now rather than lost with the timer.
    let handle = window_event_listener_untyped("pagehide", move |_| request_save(loader, notices));
    on_cleanup(move || handle.remove());
    // Another tab saved: if it wrote over this tab's session, this tab stops saving and says so.
    let handle = window_event_listener(leptos::ev::storage, move |event| {
        let replaced = SAVER.with_borrow(|saver| {
            saver.held.is_none()
                && saved::replaced_by_other_tab(
                    event.key().as_deref(),
                    event.new_value().as_deref(),
                    saver.ours.as_deref(),
                )
        });
        if replaced {
            hold(notices, Hold::OtherTab);
        }
    });
    on_cleanup(move || handle.remove());
}

/// This tab stops saving over what storage holds, and says why.
fn hold(notices: SaveNotices, why: Hold) {
    SAVER.with_borrow_mut(|saver| saver.held = Some(why));
    notices.not_saved.set(Some(why.reason().into()));
    notices.held.set(true);
}

/// "Save this tab's work here": this tab's session replaces whatever storage holds, log and all.
fn take_over(loader: Loader, notices: SaveNotices) {
    // Where the stored log is, so the first save clears it if it writes its own elsewhere.
    let place = local_get(SETTINGS_KEY).ok().flatten().as_deref().and_then(saved::log_place_of);
    SAVER.with_borrow_mut(|saver| {
        saver.held = None;
        saver.written = None;
        saver.refused = None;
        saver.stored_at = place;
        saver.ours = None;
    });
    notices.held.set(false);
    notices.not_saved.set(None);
    request_save(loader, notices);
}

/// Forgets the saved session (both places) and starts again with the first sample at its end
/// and default settings. The next save writes that fresh session.
pub fn start_over(correction: Correction, loader: Loader) {
    let (loaded, playback) = (loader.loaded, loader.playback);
    clear_storage();
    SAVER.with_borrow_mut(|saver| {
        saver.written = None;
        saver.refused = None;
        saver.stored_at = None;
        saver.held = None;
        saver.copy = None;
        saver.generation += 1;
    });
    if let Some(notices) = use_context::<SaveNotices>() {
        notices.restore.set(None);
        notices.copy.set(false);
        if notices.held.get_untracked() {
            notices.held.set(false);
            notices.not_saved.set(None);
        }
    }
    let sample = &SAMPLES[0];
    loader.load(sample.label, sample.text, Some(sample.id));
    playback.speed.set(Speed::X1);
    playback.looping.set(false);
    if let Some(watches) = SAVER.with_borrow(|saver| saver.watches) {
        watches.list.set(Vec::new());
    }
    correction.draft.set(None);
    loaded.load_error.set(None);
}

/// What the saving side remembers between saves.
#[derive(Default)]
struct Saver {
    /// The generation of the log whose text is in storage, and what the record says about it
    /// (`None`: an untouched sample, nothing written).
    written: Option<(u64, Option<SavedLog>)>,
    /// The generation of a log whose text could not be written: neither it nor records pointing at it are tried
    /// again until the log changes, and the last good save stays as it was.
    refused: Option<u64>,
    /// Where the text of the log the stored record names is, so a move clears the old place.
    stored_at: Option<LogPlace>,
    /// Whether a save may start now, or waits.
    schedule: SaveSchedule,
    /// Counts "Start over"s: a save that was writing a large log meanwhile must not then write a
    /// record that brings the cleared session back.
    generation: u64,
    /// The watch expressions, saved and restored with the session (absent outside the app).
    watches: Option<Watches>,
    /// Why this tab does not save over the stored session; `None` while it does.
    held: Option<Hold>,
    /// The settings record this tab last wrote or restored: another tab's write differs.
    ours: Option<String>,
    /// What was read of a save that could not be restored, for "Export the saved session".
    copy: Option<gloo_file::Blob>,
}

thread_local! {
    static SAVER: RefCell<Saver> = RefCell::default();
}

fn request_save(loader: Loader, notices: SaveNotices) {
    if !SAVER.with_borrow_mut(|saver| saver.schedule.request()) {
        return;
    }
    spawn_local(async move {
        loop {
            save(loader, notices).await;
            if !SAVER.with_borrow_mut(|saver| saver.schedule.finished()) {
                break;
            }
        }
    });
}

/// Writes the session as it is now: the log's text first when the log changed, then the record
/// that points at it, then clears the place a previous log was kept if it moved.
/// Writes the session shown: the log that `loader` shows, with its cursor, focus and playback.
async fn save(loader: Loader, notices: SaveNotices) {
    let Loader { loaded, cursor, playback, inspection, .. } = loader;
    let session = loaded.session.get_untracked();
    let sample = loaded.sample.get_untracked();
    let mut record = SavedSession::new(&session, sample, None);
    record.cursor = cursor.position.get_untracked();
    record.focus = inspection.focus.get_untracked();
    record.speed = playback.speed.get_untracked().id().to_string();
    record.looping = playback.looping.get_untracked();
    if let Some(watches) = SAVER.with_borrow(|saver| saver.watches) {
        record.watches = watches.list.get_untracked();
    }

    let (refused, written, generation) = SAVER.with_borrow(|saver| {
        let refused = saver.refused == Some(session.generation()) || saver.held.is_some();
        let written =
            saver.written.as_ref().filter(|(log, _)| *log == session.generation()).map(|(_, log)| log.clone());
        (refused, written, saver.generation)
    });
    if refused {
        return;
    }
    record.log = match written {
        Some(log) => log,
        None => {
            let result = write_log(&session, sample).await;
            if SAVER.with_borrow(|saver| saver.generation) != generation {
                // Started over while the log was written: take it out again (awaited, so it
                // cannot overtake the next save's write); the next save writes the new session.
                if matches!(&result, Ok(Some(log)) if log.place == LogPlace::IndexedDb) {
                    let _ = idb::delete().await;
                }
                return;
            }
            if SAVER.with_borrow(|saver| saver.held.is_some()) {
                // Another tab saved meanwhile: its record stays (this log's text may be left in
                // IndexedDB until the next save clears it).
                return;
            }
            match result {
                Ok(log) => {
                    SAVER.with_borrow_mut(|saver| {
                        saver.written = Some((session.generation(), log.clone()));
                        saver.refused = None;
                    });
                    log
                }
                Err(why) => {
                    SAVER.with_borrow_mut(|saver| saver.refused = Some(session.generation()));
                    notices.not_saved.set(Some(why));
                    return;
                }
            }
        }
    };
    let json = record.to_json();
    match local_set(SETTINGS_KEY, &json) {
        Ok(()) => {
            SAVER.with_borrow_mut(|saver| saver.ours = Some(json));
            notices.not_saved.set(None);
            let now = record.log.as_ref().map(|log| log.place);
            let before = SAVER.with_borrow_mut(|saver| std::mem::replace(&mut saver.stored_at, now));
            if before != now {
                match before {
                    Some(LogPlace::LocalStorage) => LocalStorage::delete(LOG_KEY),
                    // Awaited: the next save may write IndexedDB again, and must come after.
                    Some(LogPlace::IndexedDb) => {
                        let _ = idb::delete().await;
                    }
                    None => {}
                }
            }
        }
        Err(why) => notices.not_saved.set(Some(why)),
    }
}

/// Writes the log's text where it fits, unless it is an untouched sample (then nothing is
/// written: the record names the sample). Falls back to IndexedDB when localStorage refuses.
async fn write_log(session: &Session, sample: Option<&str>) -> Result<Option<SavedLog>, String> {
    if saved::untouched_sample(session, sample).is_some() {
        return Ok(None);
    }
    // The text is made a piece at a time, each piece's bytes handed to the browser at once:
    // neither the page (the pieces are made in slices) nor WebAssembly memory holds the whole of
    // a large log, and bytes (not strings) go into the Blob without being decoded or encoded.
    // Each slice's pieces become a Blob of their own, so the bytes are copied slice by slice; the
    // one Blob made of those at the end refers to them (one made of every piece copied 127 MB in
    // one task).
    let (blobs, pieces) = (js_sys::Array::new(), js_sys::Array::new());
    let mut bytes = 0;
    // The whole text too, while it is small enough for localStorage.
    let mut small = Some(String::new());
    let mut writer = RewindJsonPieces::new(session.log());
    let mut slice_started = js_sys::Date::now();
    while let Some(piece) = writer.next_piece(EVENTS_PER_PIECE) {
        bytes += piece.len();
        pieces.push(&js_sys::Uint8Array::from(piece.as_bytes()));
        small = small.filter(|_| bytes <= saved::LOCAL_LOG_LIMIT).map(|text| text + piece.as_str());
        if js_sys::Date::now() - slice_started > SLICE_MS {
            blobs.push(idb::blob_of(&pieces)?.as_ref());
            pieces.set_length(0);
            next_task().await;
            slice_started = js_sys::Date::now();
        }
    }
    blobs.push(idb::blob_of(&pieces)?.as_ref());
    let place = match (LogPlace::for_bytes(bytes), small) {
        (LogPlace::LocalStorage, Some(text)) => match local_set(LOG_KEY, &text) {
            Ok(()) => LogPlace::LocalStorage,
            Err(local_why) => {
                // Quota full (or localStorage off): the log may still fit in IndexedDB. Say
                // why localStorage refused if IndexedDB does too.
                idb::put(&blobs).await.map_err(|_| local_why)?;
                LogPlace::IndexedDb
            }
        },
        _ => {
            idb::put(&blobs).await?;
            LogPlace::IndexedDb
        }
    };
    Ok(Some(saved::saved_log(session, bytes, place)))
}

/// Shows the saved session `stored` holds. A log kept in IndexedDB arrives later: until then the
/// default sample is shown, and saving waits.
fn restore_at_start(loader: Loader, notices: SaveNotices, stored: Stored) {
    let loaded = loader.loaded;
    let ready = || SAVER.with_borrow_mut(|saver| saver.schedule.ready());
    let record = match stored {
        Stored::Off(why) => {
            // Storage is off: nothing to restore, and saving will say so.
            notices.not_saved.set(Some(why));
            ready();
            return;
        }
        Stored::Nothing => {
            ready();
            return;
        }
        Stored::Session(record) => record,
    };
    SAVER.with_borrow_mut(|saver| saver.ours = Some(record.clone()));
    // What a download of this save holds if it cannot be restored: its log's text when
    // localStorage has one (the work), else the settings record.
    let copy_of = |log_text: Option<String>| {
        let text = log_text.filter(|text| !text.is_empty()).unwrap_or_else(|| record.clone());
        gloo_file::Blob::new_with_options(text.as_str(), Some("application/json"))
    };
    let saved = match SavedSession::from_json(&record) {
        Ok(saved) => saved,
        Err(why @ RestoreError::FutureVersion { .. }) => {
            // Written by a newer Rewind: left as it is, for that version to open.
            offer_copy(notices, copy_of(local_get(LOG_KEY).ok().flatten()));
            keep(loaded, notices, &why.to_string(), Hold::Newer);
            ready();
            return;
        }
        Err(why) => {
            offer_copy(notices, copy_of(local_get(LOG_KEY).ok().flatten()));
            discard(loaded, notices, &why.to_string());
            ready();
            return;
        }
    };
    match saved.log.as_ref().map(|log| log.place) {
        place @ (None | Some(LogPlace::LocalStorage)) => {
            let text = place.and_then(|_| local_get(LOG_KEY).ok().flatten());
            match saved.restore(text.as_deref()) {
                Ok(restored) => show_restored(loader, &saved, restored, true),
                Err(why) => {
                    offer_copy(notices, copy_of(text));
                    discard(loaded, notices, &why.to_string());
                }
            }
        }
        Some(LogPlace::IndexedDb) => {
            notices.restore.set(Some("Restoring the saved session: reading its log…".into()));
            let shown = loaded.session.with_untracked(|s| s.revision());
            spawn_local(async move {
                let restored = match idb::get().await {
                    Ok(text) => Ok(restore_in_slices(&saved, text, notices).await),
                    Err(why) => Err(format!("its log could not be read from IndexedDB ({why})")),
                };
                notices.restore.set(None);
                match restored {
                    // Something else was loaded meanwhile (a link, a file): that stays.
                    Ok(Ok(restored)) if shown == loaded.session.with_untracked(|s| s.revision()) => {
                        show_restored(loader, &saved, restored, false)
                    }
                    Ok(Ok(_)) => {}
                    Ok(Err(why)) => {
                        // The log as stored, for the download, before the save is cleared.
                        if let Some(copy) = idb::get_blob().await {
                            offer_copy(notices, copy);
                        }
                        discard(loaded, notices, &why.to_string());
                    }
                    // IndexedDB cannot be read now: the log may well still be there.
                    Err(why) => keep(loaded, notices, &why, Hold::Unreachable),
                }
                ready();
                request_save(loader, notices);
            });
            return;
        }
    }
    ready();
}

/// What `SavedSession::restore` does, with the log loaded in slices (a log kept in IndexedDB
/// is large): the page stays responsive and the notice says how far the restore has got.
async fn restore_in_slices(
    saved: &SavedSession,
    text: Option<String>,
    notices: SaveNotices,
) -> Result<Restored, RestoreError> {
    saved.checked_text(text.as_deref())?;
    let say = |progress| notices.restore.set(Some(restore_progress(progress)));
    let loaded = match SessionLoad::new(saved.source.as_str(), text.unwrap_or_default()) {
        Ok(load) => step_in_slices(load.with_domain_from(ScriptDomain::carried), say, || true)
            .await
            .expect("a restore is never stopped"),
        Err(error) => Err(error),
    };
    saved.restored(loaded)
}

/// Shows a restored session: the log with its view, then cursor, focus and playback settings.
/// `at_start`: before the URL fragment is read, so an empty fragment gets the restored position
/// (the fragment sync would otherwise clear the focus).
fn show_restored(loader: Loader, saved: &SavedSession, restored: Restored, at_start: bool) {
    let Loader { loaded, cursor, playback, inspection, .. } = loader;
    let Restored { session, sample } = restored;
    let len = session.len();
    let focus = saved.focus.clone().filter(|name| session.stream(name).is_some());
    SAVER.with_borrow_mut(|saver| {
        saver.written = Some((session.generation(), saved.log.clone()));
        saver.stored_at = saved.log.as_ref().map(|log| log.place);
    });
    loaded.session.set(Arc::new(session));
    loaded.sample.set(sample);
    cursor.position.set(saved.cursor.min(len));
    inspection.focus.set(focus.clone());
    playback.speed.set(Speed::from_id(&saved.speed).unwrap_or(Speed::X1));
    playback.looping.set(saved.looping);
    if let Some(watches) = SAVER.with_borrow(|saver| saver.watches) {
        watches.list.set(saved.watches.clone());
    }
    if at_start && window().location().hash().unwrap_or_default().len() <= 1 {
        let location = Location {
            at: Some(saved.cursor.min(len)),
            stream: focus,
            sample: sample.map(String::from),
            ..Location::default()
        };
        if let Ok(history) = window().history() {
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&location.to_fragment()));
        }
    }
}

/// Drops a save that cannot be restored, and says why; the app goes on with what it shows.
/// (A copy of what was read is offered first, by `offer_copy`.)
fn discard(loaded: Loaded, notices: SaveNotices, why: &str) {
    clear_storage();
    let source = loaded.session.with_untracked(|s| s.source().to_string());
    notices.restore.set(Some(format!(
        "The saved session could not be restored: {why}. It was discarded; Rewind started with “{source}”."
    )));
}

/// Leaves a save that cannot be restored now as it is, says why, and holds saving so this tab
/// does not write over it.
fn keep(loaded: Loaded, notices: SaveNotices, why: &str, hold_because: Hold) {
    let source = loaded.session.with_untracked(|s| s.source().to_string());
    notices.restore.set(Some(format!(
        "The saved session could not be restored: {why}. It is kept as it was, and this tab does not save over it \
         unless you choose “Save this tab's work here”; Rewind started with “{source}”."
    )));
    hold(notices, hold_because);
}

/// Keeps `copy` (what was read of a save about to be discarded or left alone) for
/// "Export the saved session".
fn offer_copy(notices: SaveNotices, copy: gloo_file::Blob) {
    SAVER.with_borrow_mut(|saver| saver.copy = Some(copy));
    notices.copy.set(true);
}

/// The buttons beside the saving notices: download a copy of a save that could not be restored,
/// and save this tab's work over a session this tab holds back from.
#[component]
pub fn SaveNoticeActions() -> impl IntoView {
    let loader = expect_context::<Loader>();
    let Some(notices) = use_context::<SaveNotices>() else { return ().into_any() };
    let download_copy = move |_| {
        if let Some(copy) = SAVER.with_borrow(|saver| saver.copy.clone()) {
            let _ = download_blob(COPY_NAME, copy);
        }
    };
    view! {
        {move || {
            (notices.copy.get() && notices.restore.get().is_some())
                .then(|| {
                    view! {
                        <button type="button" class="download-saved" on:click=download_copy>
                            "Export the saved session"
                        </button>
                    }
                })
        }}
        {move || {
            notices
                .held
                .get()
                .then(|| {
                    view! {
                        <button type="button" class="save-here" on:click=move |_| take_over(loader, notices)>
                            "Save this tab's work here"
                        </button>
                    }
                })
        }}
    }
    .into_any()
}

/// Saves `blob` as `name`, as the Export buttons do.
fn download_blob(name: &str, blob: gloo_file::Blob) -> Result<(), JsValue> {
    use wasm_bindgen::JsCast;
    let url = gloo_file::ObjectUrl::from(blob);
    let document = document();
    let anchor = document.create_element("a")?.dyn_into::<web_sys::HtmlAnchorElement>()?;
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.set_hidden(true);
    document.body().ok_or(JsValue::NULL)?.append_child(&anchor)?;
    anchor.click();
    anchor.remove();
    set_timeout(move || drop(url), Duration::from_secs(30));
    Ok(())
}

/// Removes the record and the log's text from both places.
fn clear_storage() {
    SAVER.with_borrow_mut(|saver| saver.ours = None);
    if local().is_ok() {
        LocalStorage::delete(SETTINGS_KEY);
        LocalStorage::delete(LOG_KEY);
    }
    spawn_local(async {
        let _ = idb::delete().await;
    });
}

/// localStorage, or why it cannot be used. (gloo's `LocalStorage::raw` throws when storage is
/// disabled, so it is only reached after this check.)
fn local() -> Result<web_sys::Storage, String> {
    match web_sys::window().map(|w| w.local_storage()) {
        Some(Ok(Some(_))) => Ok(LocalStorage::raw()),
        Some(Err(error)) => Err(reason(&error)),
        _ => Err("storage is disabled".into()),
    }
}

/// Stores `value` as it is (no JSON quoting: a log's text would grow by its escapes).
fn local_set(key: &str, value: &str) -> Result<(), String> {
    local()?.set_item(key, value).map_err(|error| reason(&error))
}

fn local_get(key: &str) -> Result<Option<String>, String> {
    local()?.get_item(key).map_err(|error| reason(&error))
}

/// A storage error in words: "quota exceeded", "storage is disabled", else its name and message.
fn reason(error: &JsValue) -> String {
    let field = |name: &str| js_sys::Reflect::get(error, &JsValue::from_str(name)).ok().and_then(|v| v.as_string());
    match field("name").as_deref() {
        Some("QuotaExceededError" | "NS_ERROR_DOM_QUOTA_REACHED") => "quota exceeded".into(),
        Some("SecurityError") => "storage is disabled".into(),
        Some(name) => match field("message").filter(|m| !m.is_empty()) {
            Some(message) => format!("{name}: {message}"),
            None => name.into(),
        },
        None => error.as_string().unwrap_or_else(|| "an unknown error".into()),
    }
}

/// The one IndexedDB record that holds a large log: a small async wrapper over the request
/// callbacks (each request or transaction becomes a Promise, awaited as a `JsFuture`).
mod idb {
    use super::reason;
    use crate::saved::{IDB_KEY, IDB_NAME, IDB_STORE};
    use crate::ui::open_log_file::read_text_in_slices;
    use js_sys::{Function, Promise};
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{IdbDatabase, IdbObjectStore, IdbRequest, IdbTransaction, IdbTransactionMode};

    /// One Blob of the bytes in `pieces` (`Uint8Array`s), copied.
    pub fn blob_of(pieces: &js_sys::Array) -> Result<web_sys::Blob, String> {
        web_sys::Blob::new_with_u8_array_sequence(pieces).map_err(|e| reason(&e))
    }

    /// Stores the text in `blobs`, one after another, as one Blob.
    pub async fn put(blobs: &js_sys::Array) -> Result<(), String> {
        let blob = web_sys::Blob::new_with_blob_sequence(blobs).map_err(|e| reason(&e))?;
        write(|store| store.put_with_key(&blob, &JsValue::from_str(IDB_KEY))).await
    }

    /// The record as stored, for a download: a Blob, or a string made one; `None` when there
    /// is none or it cannot be read.
    pub async fn get_blob() -> Option<gloo_file::Blob> {
        match stored().await.ok()?.dyn_into::<web_sys::Blob>() {
            Ok(blob) => Some(blob.into()),
            Err(value) => value.as_string().map(|text| gloo_file::Blob::new(text.as_str())),
        }
    }

    pub async fn get() -> Result<Option<String>, String> {
        // A Blob (what `put` writes), read into memory a slice at a time; or a string (what
        // earlier versions wrote).
        match stored().await?.dyn_into::<web_sys::Blob>() {
            Ok(blob) => match read_text_in_slices(&gloo_file::Blob::from(blob), |_| {}, || true).await? {
                Some(decoded) => decoded.map(Some).map_err(|e| e.to_string()),
                None => Ok(None),
            },
            Err(value) => Ok(value.as_string()),
        }
    }

    /// The one record's value (`undefined` when there is none).
    async fn stored() -> Result<JsValue, String> {
        let db = open().await?;
        let result = async {
            let transaction = db.transaction_with_str(IDB_STORE).map_err(|e| reason(&e))?;
            let request = transaction
                .object_store(IDB_STORE)
                .and_then(|store| store.get(&JsValue::from_str(IDB_KEY)))
                .map_err(|e| reason(&e))?;
            done(&request).await
        }
        .await;
        db.close();
        result
    }

    pub async fn delete() -> Result<(), String> {
        write(|store| store.delete(&JsValue::from_str(IDB_KEY))).await
    }

    /// One read-write request on the store, waited for until its transaction completes.
    async fn write(request: impl FnOnce(&IdbObjectStore) -> Result<IdbRequest, JsValue>) -> Result<(), String> {
        let db = open().await?;
        let result = async {
            let transaction =
                db.transaction_with_str_and_mode(IDB_STORE, IdbTransactionMode::Readwrite).map_err(|e| reason(&e))?;
            transaction.object_store(IDB_STORE).and_then(|store| request(&store)).map_err(|e| reason(&e))?;
            finished(&transaction).await
        }
        .await;
        db.close();
        result
    }

    /// Opens the database, creating its one object store the first time.
    async fn open() -> Result<IdbDatabase, String> {
        let factory = match web_sys::window().map(|w| w.indexed_db()) {
            Some(Ok(Some(factory))) => factory,
            Some(Err(error)) => return Err(format!("IndexedDB is unavailable ({})", reason(&error))),
            _ => return Err("IndexedDB is unavailable".into()),
        };
        let request = factory.open_with_u32(IDB_NAME, 1).map_err(|e| reason(&e))?;
        let upgrading = request.clone();
        let on_upgrade = Closure::once_into_js(move || {
            if let Ok(db) = upgrading.result() {
                let _ = db.unchecked_into::<IdbDatabase>().create_object_store(IDB_STORE);
            }
        });
        request.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
        let db = done(&request).await;
        request.set_onupgradeneeded(None);
        Ok(db?.unchecked_into())
    }

    /// The request's result once it succeeds, or its error.
    async fn done(request: &IdbRequest) -> Result<JsValue, String> {
        let promise = Promise::new(&mut |resolve: Function, reject: Function| {
            let succeeded = request.clone();
            let on_success = Closure::once_into_js(move || {
                let _ = resolve.call1(&JsValue::UNDEFINED, &succeeded.result().unwrap_or(JsValue::UNDEFINED));
            });
            let failed = request.clone();
            let on_error = Closure::once_into_js(move || {
                let error = failed.error().ok().flatten().map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
                let _ = reject.call1(&JsValue::UNDEFINED, &error);
            });
            request.set_onsuccess(Some(on_success.unchecked_ref()));
            request.set_onerror(Some(on_error.unchecked_ref()));
        });
        JsFuture::from(promise).await.map_err(|e| reason(&e))
    }

    /// Resolves when the transaction has committed; a write that does not fit (quota) aborts it.
    async fn finished(transaction: &IdbTransaction) -> Result<(), String> {
        let promise = Promise::new(&mut |resolve: Function, reject: Function| {
            let on_complete = Closure::once_into_js(move || {
                let _ = resolve.call0(&JsValue::UNDEFINED);
            });
            let failed = transaction.clone();
            let on_abort = Closure::once_into_js(move || {
                let error = failed.error().map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
                let _ = reject.call1(&JsValue::UNDEFINED, &error);
            });
            transaction.set_oncomplete(Some(on_complete.unchecked_ref()));
            transaction.set_onabort(Some(on_abort.unchecked_ref()));
        });
        JsFuture::from(promise).await.map(|_| ()).map_err(|e| reason(&e))
    }
}
