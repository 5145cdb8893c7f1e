//! The UI's shared state in narrow contexts: a component asks for the ones it uses and no more.
//!
//! - [`Loaded`]: the session shown, where it came from, why the last load was refused.
//! - [`Cursor`]: the position on the timeline and the state there.
//! - [`Playback`]: play, speed, loop.
//! - [`Inspection`]: the stream focused and the position pinned for a comparison.
//! - [`Correction`]: the corrective event being written.
//! - [`LessonRoute`]: the lesson open in Learn mode.
//! - [`Loader`]: what showing a new log resets, for the components that load one.
//!
//! [`Contexts::new`] makes them all at the root (and in component tests); `provide` hands each
//! out on its own.
mod causation;
mod cursor;
mod expressions;
mod loaded;

pub use causation::CausationLinks;
pub use cursor::{Cursor, Playback, Speed, MAX_RECORDED_GAP};
pub use expressions::{Breakpoints, Matches, Watches};
pub use loaded::{LoadSettings, Loaded, Loader, LogSource};

use leptos::prelude::*;
use rewind_engine::correction::CorrectionDraft;
use rewind_engine::event::Sym;
use rewind_engine::samples::Sample;
use rewind_engine::session::Session;
use std::sync::Arc;

/// The stream the state panel, diff and chart follow, and position A of a comparison.
#[derive(Clone, Copy)]
pub struct Inspection {
    /// `None` = all streams.
    pub focus: RwSignal<Option<String>>,
    /// Position A of a comparison with the cursor.
    pub pinned: RwSignal<Option<usize>>,
    session: RwSignal<Arc<Session>>,
}

impl Inspection {
    /// The focused stream's interned name, if a stream is focused and exists in the log.
    pub fn focused_stream(&self) -> Option<Sym> {
        let name = self.focus.get()?;
        self.session.with(|s| s.stream(&name))
    }
}

/// The corrective event being written, pre-filled by whoever opened the form; `None` = closed.
#[derive(Clone, Copy)]
pub struct Correction {
    pub draft: RwSignal<Option<CorrectionDraft>>,
}

/// The lesson open in Learn mode (1-based); `None` in Explore mode.
#[derive(Clone, Copy)]
pub struct LessonRoute {
    pub lesson: RwSignal<Option<usize>>,
}

/// Every context, made once.
#[derive(Clone, Copy)]
pub struct Contexts {
    pub loaded: Loaded,
    pub cursor: Cursor,
    pub playback: Playback,
    pub inspection: Inspection,
    pub correction: Correction,
    pub route: LessonRoute,
    pub settings: LoadSettings,
}

impl Contexts {
    /// The app as it opens: `initial` loaded, the cursor at its end.
    pub fn new(initial: &'static Sample) -> Contexts {
        let session = Session::load(initial.label, initial.text).expect("the built-in samples are valid logs");
        let len = session.len();
        let session = RwSignal::new(Arc::new(session));
        let loaded = Loaded { session, sample: RwSignal::new(Some(initial.id)), load_error: RwSignal::new(None) };
        Contexts {
            loaded,
            cursor: Cursor::new(session, len),
            playback: Playback::default(),
            inspection: Inspection { focus: RwSignal::new(None), pinned: RwSignal::new(None), session },
            correction: Correction { draft: RwSignal::new(None) },
            route: LessonRoute { lesson: RwSignal::new(None) },
            settings: LoadSettings::new(),
        }
    }

    /// What showing a new log resets.
    pub fn loader(&self) -> Loader {
        Loader {
            loaded: self.loaded,
            cursor: self.cursor,
            playback: self.playback,
            inspection: self.inspection,
            settings: self.settings,
        }
    }

    /// Provides each context on its own.
    pub fn provide(self) {
        provide_context(self.loaded);
        provide_context(self.cursor);
        provide_context(self.playback);
        provide_context(self.inspection);
        provide_context(self.correction);
        provide_context(self.route);
        provide_context(self.settings);
        provide_context(self.loader());
    }
}
