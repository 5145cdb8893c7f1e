//! Start-up in one place: the sources of a log are applied in the order `crate::start` writes
//! down and tests (saved session, `#log=`, `#sample=`, then `?log=`), then the URL is kept in step.
use super::session_storage::keep_session_in_storage;
use super::state::Contexts;
use super::url_log::load_log_from_url;
use super::url_sync::sync_location_with_url;

/// Runs once, when the app mounts.
pub fn start_up(contexts: Contexts) {
    let loader = contexts.loader();
    // Saved: restored first, and saved after every change from here on.
    keep_session_in_storage(loader);
    // `#log=` now, `?log=` when its fetch completes: each replaces what was restored.
    load_log_from_url(loader);
    // `#sample=` (which replaces an earlier log), then the fragment's position and stream.
    sync_location_with_url(contexts.route, loader);
}
