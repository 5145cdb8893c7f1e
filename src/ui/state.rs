//! The UI's shared state: the loaded session, the cursor, and the last load error.
use crate::engine::samples;
use crate::engine::session::Session;
use leptos::prelude::*;
use std::sync::Arc;

#[derive(Clone, Copy)]
pub struct AppState {
    pub session: RwSignal<Arc<Session>>,
    /// Position on the timeline: how many events are applied (0 = none, len = all).
    pub cursor: RwSignal<usize>,
    /// Why the last load was refused; the session shown is still the previous one.
    pub load_error: RwSignal<Option<String>>,
    /// The sample picked, or `None` for a log the person brought.
    pub sample: RwSignal<Option<&'static str>>,
}

impl AppState {
    pub fn new(initial: &'static samples::Sample) -> AppState {
        let session = Session::load(initial.label, initial.text).expect("the built-in samples are valid logs");
        let len = session.len();
        AppState {
            session: RwSignal::new(Arc::new(session)),
            cursor: RwSignal::new(len),
            load_error: RwSignal::new(None),
            sample: RwSignal::new(Some(initial.id)),
        }
    }

    /// Loads a log; on failure, says why and keeps the loaded one.
    pub fn load(&self, source: &str, text: &str, sample: Option<&'static str>) -> bool {
        match Session::load(source, text) {
            Ok(session) => {
                let len = session.len();
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

    pub fn len(&self) -> usize {
        self.session.with(|s| s.len())
    }

    pub fn seek(&self, position: usize) {
        self.cursor.set(position.min(self.len()));
    }
}
