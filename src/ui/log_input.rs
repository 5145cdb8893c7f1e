//! "Paste a log": a text area and Load.
use super::open_log_file::{load_in_slices, Loading, Phase, Request, Task, PROGRESS_FROM_BYTES};
use super::state::{Loader, LogSource};
use leptos::prelude::*;
use leptos::task::spawn_local;
use rewind_engine::session::LoadProgress;

/// What a pasted log is called.
const PASTED: &str = "pasted log";

/// A box to paste a log into, and its Load button. A large paste loads in slices with the same
/// progress bar and Cancel as a large file.
#[component]
pub fn LogInput() -> impl IntoView {
    let loader = expect_context::<Loader>();
    let loading = Loading::get();
    let text = RwSignal::new(String::new());
    let load = move |_| {
        let pasted = text.get_untracked();
        let source = LogSource::Blob { name: PASTED.into(), blob: gloo_file::Blob::new(pasted.as_str()).into() };
        if (pasted.len() as u64) <= PROGRESS_FROM_BYTES {
            loading.begin(None);
            loader.settings.remember(source, &pasted);
            loader.load(PASTED, &pasted, None);
            return;
        }
        let start = LoadProgress::Reading { bytes: 0, total_bytes: pasted.len(), events: 0 };
        let id = loading.begin(Some(Task { what: PASTED.into(), phase: Phase::Loading(start) }));
        spawn_local(async move {
            load_in_slices(loader, loading, id, &Request::remembered(source), pasted).await;
        });
    };
    view! {
        <div class="field log-input">
            <label for="event-log">"Event log"</label>
            <textarea
                id="event-log"
                rows="3"
                spellcheck="false"
                placeholder=r#"[{"type":"Deposit","amount":100}, {"type":"Withdraw","amount":30}]"#
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
            ></textarea>
            <button type="button" on:click=load>"Load"</button>
        </div>
    }
}
