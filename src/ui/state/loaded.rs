//! The loaded log, and what showing a new one resets.
use super::{Cursor, Inspection, Playback};
use leptos::prelude::*;
use rewind_engine::formats::{LoadError, LoadOptions, Mapping};
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

/// Where the log a person brought came from, so it can be read again with a field mapping.
#[derive(Clone)]
pub enum LogSource {
    /// A picked or dropped file, or pasted text (kept as a Blob, outside WebAssembly memory).
    Blob { name: String, blob: web_sys::Blob },
    /// A log fetched from `?log=`.
    Url { name: String, url: String },
}

impl LogSource {
    pub fn name(&self) -> &str {
        match self {
            LogSource::Blob { name, .. } | LogSource::Url { name, .. } => name,
        }
    }
}

/// How logs are read: strictly or not, and the last log the person brought (with the field paths
/// its first events have), for the field mapping.
#[derive(Clone, Copy)]
pub struct LoadSettings {
    /// "Strict loading": refuse a log when any event cannot be read.
    pub strict: RwSignal<bool>,
    pub source: RwSignal<Option<LogSource>, LocalStorage>,
    /// The field paths the source's first events have.
    pub field_paths: RwSignal<Vec<String>>,
}

impl LoadSettings {
    pub fn new() -> LoadSettings {
        LoadSettings {
            strict: RwSignal::new(false),
            source: RwSignal::new_local(None),
            field_paths: RwSignal::new(Vec::new()),
        }
    }

    /// The options a load made now uses, with `mapping` if given.
    pub fn options(&self, mapping: Option<Mapping>) -> LoadOptions {
        LoadOptions { strict: self.strict.get_untracked(), mapping }
    }

    /// Remembers the log the person brought (its text for the field paths).
    pub fn remember(&self, source: LogSource, text: &str) {
        self.field_paths.set(rewind_engine::formats::sample_field_paths(text));
        self.source.set(Some(source));
    }
}

impl Default for LoadSettings {
    fn default() -> Self {
        LoadSettings::new()
    }
}

/// Showing a new log: it replaces the session, puts the cursor at its end, stops playback and
/// clears the focus and the pin, which belonged to the old log.
#[derive(Clone, Copy)]
pub struct Loader {
    pub loaded: Loaded,
    pub cursor: Cursor,
    pub playback: Playback,
    pub inspection: Inspection,
    pub settings: LoadSettings,
}

impl Loader {
    /// Loads a log (as the settings say); on failure, says why and keeps the loaded one.
    pub fn load(&self, source: &str, text: &str, sample: Option<&'static str>) -> bool {
        self.show_loaded(Session::load_with(source, text, self.settings.options(None)), sample)
    }

    /// Shows a freshly loaded session at its end; or says why there is none and keeps the
    /// loaded one. True when shown.
    pub fn show_loaded(&self, loaded: Result<Session, LoadError>, sample: Option<&'static str>) -> bool {
        match loaded {
            Ok(session) => {
                // Another log than the one the person brought: the field mapping is not for it.
                let other =
                    self.settings.source.with_untracked(|s| s.as_ref().is_some_and(|s| s.name() != session.source()));
                if other {
                    self.settings.source.set(None);
                }
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
