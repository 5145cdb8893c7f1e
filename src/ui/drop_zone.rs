//! Drop a log file anywhere on the page: while a file is dragged over the window, the whole page
//! becomes a drop zone that says so. Text dragged within the page is left alone (it can still be
//! dropped into "Event log").
use super::open_log_file::{read_and_load, Loading};
use super::state::Loader;
use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsValue;
use web_sys::DragEvent;

#[component]
pub fn DropZone() -> impl IntoView {
    let loader = expect_context::<Loader>();
    let loading = Loading::get();
    let shown = RwSignal::new(false);
    // dragenter and dragleave come in pairs for every element the pointer crosses (the overlay
    // included): the zone hides when the count is back to zero, i.e. the file left the window.
    let depth = StoredValue::new(0u32);

    let enter = window_event_listener(ev::dragenter, move |ev: DragEvent| {
        if carries_files(&ev) {
            ev.prevent_default();
            depth.update_value(|d| *d += 1);
            shown.set(true);
        }
    });
    let over = window_event_listener(ev::dragover, move |ev: DragEvent| {
        if carries_files(&ev) {
            // Without this the browser would not allow the drop (and would open the file itself).
            ev.prevent_default();
            if let Some(transfer) = ev.data_transfer() {
                transfer.set_drop_effect("copy");
            }
            if !shown.get_untracked() {
                shown.set(true);
            }
        }
    });
    let leave = window_event_listener(ev::dragleave, move |ev: DragEvent| {
        if carries_files(&ev) {
            depth.update_value(|d| *d = d.saturating_sub(1));
            if depth.get_value() == 0 {
                shown.set(false);
            }
        }
    });
    let drop = window_event_listener(ev::drop, move |ev: DragEvent| {
        if !carries_files(&ev) {
            return;
        }
        ev.prevent_default();
        depth.set_value(0);
        shown.set(false);
        let file = ev.data_transfer().and_then(|t| t.files()).and_then(|files| files.get(0));
        if let Some(file) = file {
            read_and_load(loader, loading, gloo_file::File::from(file));
        }
    });
    on_cleanup(move || {
        enter.remove();
        over.remove();
        leave.remove();
        drop.remove();
    });

    move || {
        shown.get().then(|| {
            view! {
                <div class="drop-zone">
                    <p>"Drop the log file to open it"</p>
                </div>
            }
        })
    }
}

/// Whether the drag carries files (from the desktop or a file manager), not text or a link.
fn carries_files(ev: &DragEvent) -> bool {
    ev.data_transfer().is_some_and(|transfer| transfer.types().includes(&JsValue::from_str("Files"), 0))
}
