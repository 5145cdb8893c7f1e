//! Where the person is on the timeline, the state there, and playback.
use leptos::prelude::*;
use rewind_engine::session::Session;
use rewind_engine::timeline::StateView;
use std::sync::Arc;
use std::time::Duration;

/// Position on the timeline: how many events are applied (0 = none, len = all).
#[derive(Clone, Copy)]
pub struct Cursor {
    pub position: RwSignal<usize>,
    /// The state at the cursor, held as the timeline holds it: each pane turns into JSON only the
    /// streams it shows, so a move costs a seek, not every stream of the log.
    pub state: Memo<StateView>,
    session: RwSignal<Arc<Session>>,
}

impl Cursor {
    pub(super) fn new(session: RwSignal<Arc<Session>>, position: usize) -> Cursor {
        let position = RwSignal::new(position);
        // Every seek is news: comparing two states would cost what the view saves.
        let state = Memo::new_with_compare(
            move |_| {
                let at = position.get();
                session.with(|s| s.state_view(at))
            },
            |_, _| true,
        );
        Cursor { position, state, session }
    }

    /// Events in the log shown.
    pub fn len(&self) -> usize {
        self.session.with(|s| s.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Moves the cursor, clamped to the log.
    pub fn seek(&self, position: usize) {
        // Untracked: a seek is an action, not something an effect should re-run for.
        let len = self.session.with_untracked(|s| s.len());
        self.position.set(position.min(len));
    }

    /// Replaces the session with a view of the same log (skips, order, interval changed), keeping
    /// the cursor where it is.
    pub fn change_view(&self, change: impl FnOnce(&Session) -> Session) {
        let next = self.session.with_untracked(|s| change(s));
        self.session.set(Arc::new(next));
        self.seek(self.position.get_untracked());
    }

    /// Shows `session` (a new view of the same log), keeping the cursor where it is.
    pub fn replace(&self, session: Session) {
        self.session.set(Arc::new(session));
        self.seek(self.position.get_untracked());
    }

    /// Shows `session` with the cursor at `position`.
    pub fn show(&self, session: Session, position: usize) {
        self.session.set(Arc::new(session));
        self.seek(position);
    }
}

/// Play, its speed, and whether it loops.
#[derive(Clone, Copy)]
pub struct Playback {
    pub playing: RwSignal<bool>,
    pub speed: RwSignal<Speed>,
    pub looping: RwSignal<bool>,
}

impl Default for Playback {
    fn default() -> Self {
        Playback { playing: RwSignal::new(false), speed: RwSignal::new(Speed::X1), looping: RwSignal::new(false) }
    }
}

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
