//! The person's expressions: the watches, and where the "Break when" condition matches.
use leptos::prelude::*;
use std::sync::Arc;

/// The watch expressions added, in order. Saved with the session.
#[derive(Clone, Copy)]
pub struct Watches {
    pub list: RwSignal<Vec<String>>,
}

impl Watches {
    pub fn new() -> Watches {
        Watches { list: RwSignal::new(Vec::new()) }
    }
}

impl Default for Watches {
    fn default() -> Self {
        Watches::new()
    }
}

/// Where a condition matches in one session: cursor positions (after that many events),
/// ascending.
#[derive(Clone, Debug, PartialEq)]
pub struct Matches {
    /// The session they were found in: another session (a view changed, a new log) has its own.
    pub revision: u64,
    pub positions: Arc<[usize]>,
    /// False while the search goes on, and after a Cancel: only part of the log was searched.
    pub complete: bool,
}

/// The "Break when" condition's matches, for the region, the timeline's marks and Play.
#[derive(Clone, Copy)]
pub struct Breakpoints {
    /// `None` while no condition is applied.
    pub matches: RwSignal<Option<Matches>>,
}

impl Breakpoints {
    pub fn new() -> Breakpoints {
        Breakpoints { matches: RwSignal::new(None) }
    }

    /// The matches found in the session with `revision` (tracked); empty when none were found
    /// there.
    pub fn positions_in(&self, revision: u64) -> Arc<[usize]> {
        self.matches.with(|m| match m {
            Some(m) if m.revision == revision => Arc::clone(&m.positions),
            _ => Arc::from([]),
        })
    }
}

impl Default for Breakpoints {
    fn default() -> Self {
        Breakpoints::new()
    }
}
