//! Export the log as it is now (corrections included, with their reasons and every unknown field)
//! as Rewind JSON or JSON Lines: a download through a Blob URL.
use super::state::Loaded;
use leptos::prelude::*;
use rewind_engine::formats::{export_file_name, to_ndjson};
use std::time::Duration;
use wasm_bindgen::JsCast;

#[derive(Copy, Clone)]
enum Format {
    RewindJson,
    JsonLines,
}

#[component]
pub fn ExportButtons() -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    let status = RwSignal::new(None::<String>);
    let export = move |format: Format| {
        let (name, text) = loaded.session.with_untracked(|s| {
            // A sample is named by its id ("bank-rewind.json"), anything else by what it was loaded as.
            let source = loaded.sample.get_untracked().unwrap_or(s.source());
            match format {
                Format::RewindJson => (export_file_name(source, "json"), s.to_rewind_json()),
                Format::JsonLines => (export_file_name(source, "ndjson"), to_ndjson(s.log())),
            }
        });
        let mime = match format {
            Format::RewindJson => "application/json",
            Format::JsonLines => "application/x-ndjson",
        };
        status.set(Some(match download(&name, &text, mime) {
            Ok(()) => format!("Exported {name}."),
            Err(()) => format!("Could not export {name}: the browser refused the download."),
        }));
    };
    view! {
        <div class="export-buttons" role="group" aria-label="Export">
            <button type="button" on:click=move |_| export(Format::RewindJson)>
                "Export Rewind JSON"
            </button>
            <button type="button" on:click=move |_| export(Format::JsonLines)>
                "Export JSON Lines"
            </button>
            <span class="export-status" role="status">{move || status.get()}</span>
        </div>
    }
}

/// Saves `text` as `name`: a Blob URL clicked through a temporary `<a download>`. The URL is
/// revoked a little later (revoked at once, some browsers would not have started reading it).
pub(super) fn download(name: &str, text: &str, mime: &str) -> Result<(), ()> {
    let blob = gloo_file::Blob::new_with_options(text, Some(mime));
    let url = gloo_file::ObjectUrl::from(blob);
    let document = document();
    let anchor =
        document.create_element("a").map_err(|_| ())?.dyn_into::<web_sys::HtmlAnchorElement>().map_err(|_| ())?;
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.set_hidden(true);
    let body = document.body().ok_or(())?;
    body.append_child(&anchor).map_err(|_| ())?;
    anchor.click();
    anchor.remove();
    set_timeout(move || drop(url), Duration::from_secs(30));
    Ok(())
}
