//! The UI's shared state: the loaded session, the cursor, what is focused and pinned, playback.
use crate::engine::correction::{CorrectionDraft, FieldError};
use crate::engine::event::Sym;
use crate::engine::samples;
use crate::engine::formats::LoadError;
use crate::engine::session::Session;
use leptos::prelude::*;
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

/// How fast Play moves the cursor.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Speed {
    X1,
    X2,
    X10,
    /// The gaps between the events' `recorded_at`, each capped at `MAX_RECORDED_GAP`.
    Recorded,
}

/// A recorded pause longer than this is played as this: nobody waits a day between two events.
pub const MAX_RECORDED_GAP: Duration = Duration::from_secs(2);

impl Speed {
    pub const ALL: [Speed; 4] = [Speed::X1, Speed::X2, Speed::X10, Speed::Recorded];

    pub fn id(self) -> &'static str {
        match self {
            Speed::X1 => "1",
            Speed::X2 => "2",
            Speed::X10 => "10",
            Speed::Recorded => "recorded",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Speed::X1 => "1× (500 ms per event)",
            Speed::X2 => "2× (200 ms per event)",
            Speed::X10 => "10× (50 ms per event)",
            Speed::Recorded => "Recorded pace (gaps up to 2 s)",
        }
    }

    pub fn from_id(id: &str) -> Option<Speed> {
        Speed::ALL.into_iter().find(|s| s.id() == id)
    }

    /// The fixed delay per event; `None` for the recorded pace, which depends on the events.
    pub fn fixed_delay(self) -> Option<Duration> {
        match self {
            Speed::X1 => Some(Duration::from_millis(500)),
            Speed::X2 => Some(Duration::from_millis(200)),
            Speed::X10 => Some(Duration::from_millis(50)),
            Speed::Recorded => None,
        }
    }
}

#[derive(Clone, Copy)]
pub struct AppState {
    pub session: RwSignal<Arc<Session>>,
    /// Position on the timeline: how many events are applied (0 = none, len = all).
    pub cursor: RwSignal<usize>,
    /// Why the last load was refused; the session shown is still the previous one.
    pub load_error: RwSignal<Option<String>>,
    /// The sample picked, or `None` for a log the person brought.
    pub sample: RwSignal<Option<&'static str>>,
    /// The stream the state panel, diff and chart follow; `None` = all streams.
    pub focus: RwSignal<Option<String>>,
    /// Position A of a comparison with the cursor.
    pub pinned: RwSignal<Option<usize>>,
    pub playing: RwSignal<bool>,
    pub speed: RwSignal<Speed>,
    pub looping: RwSignal<bool>,
    /// The state at the cursor (all streams) and how many events the seek replayed.
    pub seek: Memo<(Value, usize)>,
    /// The corrective event being written, pre-filled by whoever opened the form; `None` = closed.
    pub correction_draft: RwSignal<Option<CorrectionDraft>>,
    /// The lesson open in Learn mode (1-based); `None` in Explore mode.
    pub lesson: RwSignal<Option<usize>>,
}

impl AppState {
    pub fn new(initial: &'static samples::Sample) -> AppState {
        let session = Session::load(initial.label, initial.text).expect("the built-in samples are valid logs");
        let len = session.len();
        let session = RwSignal::new(Arc::new(session));
        let cursor = RwSignal::new(len);
        AppState {
            session,
            cursor,
            load_error: RwSignal::new(None),
            sample: RwSignal::new(Some(initial.id)),
            focus: RwSignal::new(None),
            pinned: RwSignal::new(None),
            playing: RwSignal::new(false),
            speed: RwSignal::new(Speed::X1),
            looping: RwSignal::new(false),
            seek: Memo::new(move |_| {
                let position = cursor.get();
                session.with(|s| s.state_at(position))
            }),
            correction_draft: RwSignal::new(None),
            lesson: RwSignal::new(None),
        }
    }

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
                self.playing.set(false);
                self.pinned.set(None);
                self.focus.set(None);
                self.session.set(Arc::new(session));
                self.cursor.set(len);
                self.sample.set(sample);
                self.load_error.set(None);
                true
            }
            Err(error) => {
                self.load_error.set(Some(error.to_string()));
                false
            }
        }
    }

    /// Appends a correction recorded now, moves the cursor to it and closes the form; or returns
    /// what is wrong at each field, changing nothing.
    pub fn append_correction(&self, draft: &CorrectionDraft) -> Result<(), Vec<FieldError>> {
        let now = String::from(js_sys::Date::new_0().to_iso_string());
        let next = self.session.with_untracked(|s| s.with_correction(draft, &now))?;
        let position = next.timeline_position(next.len() - 1) + 1;
        self.session.set(Arc::new(next));
        self.cursor.set(position);
        self.correction_draft.set(None);
        Ok(())
    }

    /// Replaces the session with a view of the same log (skips, order, interval changed), keeping
    /// the cursor where it is.
    pub fn change_view(&self, change: impl FnOnce(&Session) -> Session) {
        let next = self.session.with_untracked(|s| change(s));
        self.session.set(Arc::new(next));
        self.seek(self.cursor.get_untracked());
    }

    pub fn len(&self) -> usize {
        self.session.with(|s| s.len())
    }

    /// Moves the cursor, clamped to the log.
    pub fn seek(&self, position: usize) {
        // Untracked: a seek is an action, not something an effect should re-run for.
        let len = self.session.with_untracked(|s| s.len());
        self.cursor.set(position.min(len));
    }

    /// The focused stream's interned name, if a stream is focused and exists in the log.
    pub fn focused_stream(&self) -> Option<Sym> {
        let name = self.focus.get()?;
        self.session.with(|s| s.log.streams().get(&name))
    }
}
