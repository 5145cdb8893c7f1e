//! When the session is saved: not before the start-up restore is done (saving earlier would
//! overwrite the saved session with the default sample), one save at a time (writing a large log
//! is asynchronous), and the requests that arrive during a save folded into one more. Plain Rust,
//! tested natively; `ui::session_storage` runs the saves.

/// The state between saves.
#[derive(Debug, Default)]
pub struct SaveSchedule {
    ready: bool,
    busy: bool,
    again: bool,
}

impl SaveSchedule {
    /// The start-up restore is done: saving may begin.
    pub fn ready(&mut self) {
        self.ready = true;
    }

    /// A save is asked for. True when it starts now; otherwise it waits for the restore, or runs
    /// once the save under way is done.
    pub fn request(&mut self) -> bool {
        if !self.ready {
            false
        } else if self.busy {
            self.again = true;
            false
        } else {
            self.busy = true;
            true
        }
    }

    /// The save under way is done. True when another was asked for meanwhile: it runs now.
    pub fn finished(&mut self) -> bool {
        let again = std::mem::take(&mut self.again);
        self.busy = again;
        again
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_saved_before_the_restore_is_done() {
        let mut schedule = SaveSchedule::default();
        assert!(!schedule.request());
        schedule.ready();
        assert!(schedule.request());
    }

    #[test]
    fn requests_during_a_save_fold_into_one_more_save() {
        let mut schedule = SaveSchedule::default();
        schedule.ready();
        assert!(schedule.request());
        assert!(!schedule.request() && !schedule.request() && !schedule.request());
        assert!(schedule.finished(), "one more save for the three requests");
        assert!(!schedule.finished(), "and then none");
        assert!(schedule.request(), "idle again: the next request starts at once");
    }

    #[test]
    fn a_save_with_no_request_meanwhile_leaves_the_schedule_idle() {
        let mut schedule = SaveSchedule::default();
        schedule.ready();
        assert!(schedule.request());
        assert!(!schedule.finished());
        assert!(schedule.request());
    }
}
