//! Start-up in one place: `crate::start::sources` says which sources of a log this start has, in
//! the order they apply (saved session, `#log=`, `#sample=`, `?log=`); this runs them, then keeps
//! the URL in step.
use super::open_log_file::Loading;
use super::session_storage::{keep_session_in_storage, Stored};
use super::state::Contexts;
use super::url_log::{fetch_log_parameter, has_log_parameter, load_shared_link};
use super::url_sync::sync_location_with_url;
use crate::start::{sources, StartSource};
use leptos::prelude::*;

/// Runs once, when the app mounts. Also provides the `Loading` state the file components share.
pub fn start_up(contexts: Contexts) {
    let loader = contexts.loader();
    let loading = Loading::provide();
    let hash = window().location().hash().unwrap_or_default();
    let stored = Stored::read();
    let sources = sources(stored.has_session(), &hash, has_log_parameter());
    // Saving starts whatever the sources; restoring is the `Saved` source, first in the order.
    keep_session_in_storage(loader, stored);
    for source in sources {
        match source {
            StartSource::Saved => {}
            StartSource::SharedLink => load_shared_link(loader, &hash),
            // Applied with the fragment's position and stream, as on every later change of it.
            StartSource::FragmentSample => {}
            // Started now, shown when it arrives: after everything else.
            StartSource::UrlParameter => fetch_log_parameter(loader, loading, &hash),
        }
    }
    sync_location_with_url(contexts.route, loader);
}
