//! The Leptos UI: a thin layer over the engine, one component per file, named for what a person
//! sees. Only this module touches the DOM.
mod app;
mod bench;
mod break_when;
mod causation_panel;
mod chain_marks;
mod chart_panel;
mod compare_panel;
mod correction_form;
mod diff_panel;
mod domain_select;
mod drop_zone;
pub mod event_list;
mod export_buttons;
mod field_mapping;
mod generate_test;
mod keyboard_help;
mod layout_storage;
mod learn_lesson;
mod learn_panel;
mod learn_source;
mod lesson_builder;
mod load_error_alert;
mod log_input;
mod log_summary;
mod match_marks;
mod new_session_button;
mod next_task;
mod open_log_file;
mod original_vs_corrected;
mod pane_splitter;
mod quiz_panel;
mod reducer_editor;
mod sample_picker;
mod session_storage;
mod share_link;
mod skip_summary;
mod snapshot_controls;
mod start_up;
pub mod state;
mod state_panel;
pub mod step_controls;
mod stream_focus;
mod strict_loading;
mod timeline_markers;
mod timeline_order_switch;
pub mod timeline_slider;
mod transport_controls;
mod url_log;
mod url_sync;
mod watches;

pub use app::App;

/// Installs the panic notice and mounts the app on `<body>`.
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_panic_notice(&info.to_string());
    }));
    leptos::mount::mount_to_body(App);
}

/// A panic should never happen; if one does, say so on the page instead of leaving it blank or
/// frozen. Plain DOM calls, because the reactive system may be what broke.
fn show_panic_notice(details: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(body) = document.body() else { return };
    let Ok(notice) = document.create_element("div") else { return };
    notice.set_class_name("panic-notice");
    let _ = notice.set_attribute("role", "alert");
    notice.set_text_content(Some(&format!(
        "Rewind hit an internal error and stopped responding. Reload the page to start again. \
         Details for a bug report: {details}"
    )));
    let _ = body.prepend_with_node_1(&notice);
}
