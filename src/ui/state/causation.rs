//! The causation index of the log shown, and what it says about the event at the cursor.
use super::{Cursor, Loaded};
use leptos::prelude::*;
use rewind_engine::inspect::{Causation, CausationIndex};
use std::sync::Arc;

/// Causes and effects of the event at the cursor, for the "Causation" region and the timeline's
/// chain marks. The index is built once per log (the region builds it, in slices); every view of
/// the same log (skips, order) reuses it, and a cursor move only asks it about one event.
#[derive(Clone, Copy)]
pub struct CausationLinks {
    /// The index last built; `at_cursor` ignores it once the log shown is another.
    pub index: RwSignal<Option<Arc<CausationIndex>>>,
    /// What the index says about the event at the cursor (timeline positions); `None` at the
    /// start of the log and while the shown log's index is not built.
    pub at_cursor: Memo<Option<Causation>>,
}

impl CausationLinks {
    pub fn new(loaded: Loaded, cursor: Cursor) -> CausationLinks {
        let index = RwSignal::new(None::<Arc<CausationIndex>>);
        let at_cursor = Memo::new(move |_| {
            let position = cursor.position.get().checked_sub(1)?;
            index.with(|index| loaded.session.with(|s| s.causation(index.as_ref()?, position)))
        });
        CausationLinks { index, at_cursor }
    }
}
