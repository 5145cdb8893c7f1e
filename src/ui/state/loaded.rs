//! The loaded log, and what showing a new one resets.
use super::{Cursor, Inspection, Playback};
use leptos::prelude::*;
use rewind_engine::formats::LoadError;
use rewind_engine::session::Session;
use std::sync::Arc;

/// The session shown and where it came from.
#[derive(Clone, Copy)]
pub struct Loaded {
    pub session: RwSignal<Arc<Session>>,
    /// The sample picked, or `None` for a log the person brought.
    pub sample: RwSignal<Option<&'static str>>,
    /// Why the last load was refused; the session shown is still the previous one.
    pub load_error: RwSignal<Option<String>>,
}

/// Showing a new log: it replaces the session, puts the cursor at its end, stops playback and
/// clears the focus and the pin, which belonged to the old log.
#[derive(Clone, Copy)]
pub struct Loader {
    pub loaded: Loaded,
    pub cursor: Cursor,
    pub playback: Playback,
    pub inspection: Inspection,
}

impl Loader {
    /// Loads a log; on failure, says why and keeps the loaded one.
    pub fn load(&self, source: &str, text: &str, sample: Option<&'static str>) -> bool {
        self.show_loaded(Session::load(source, text), sample)
    }

    /// Shows a freshly loaded session at its end; or says why there is none and keeps the
    /// loaded one. True when shown.
    pub fn show_loaded(&self, loaded: Result<Session, LoadError>, sample: Option<&'static str>) -> bool {
        match loaded {
            Ok(session) => {
                let len = session.len();
                self.playback.playing.set(false);
                self.inspection.pinned.set(None);
                self.inspection.focus.set(None);
                self.cursor.show(session, len);
                self.loaded.sample.set(sample);
                self.loaded.load_error.set(None);
                true
            }
            Err(error) => {
                self.loaded.load_error.set(Some(error.to_string()));
                false
            }
        }
    }
}
