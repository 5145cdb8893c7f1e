//! A link that carries the log itself (deflated, in the fragment), corrections included: copied to
//! the clipboard and shown, so it can also be selected by hand. Too large a log is sent to Export.
use super::state::Loaded;
use crate::share;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen_futures::JsFuture;

#[component]
pub fn ShareLink() -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    let link = RwSignal::new(None::<String>);
    let status = RwSignal::new(None::<String>);
    // A link shows the log as it was when made: another log or a correction makes it stale.
    // (By address: a view of the same log, such as a skip, shares it.)
    Effect::new(move |previous_log: Option<u64>| {
        let log = loaded.session.with(|s| s.generation());
        if previous_log.is_some_and(|previous| previous != log) {
            link.set(None);
            status.set(None);
        }
        log
    });
    let copy = move |_| {
        let text = loaded.session.with_untracked(|s| s.to_rewind_json());
        match share::share_link(&page_address(), &text) {
            Ok(url) => {
                link.set(Some(url.clone()));
                status.set(None);
                spawn_local(async move {
                    let copied = write_clipboard(&url).await;
                    // Only if this is still the link shown.
                    if link.get_untracked().as_deref() == Some(url.as_str()) {
                        status.set(Some(
                            if copied { "Link copied" } else { "Could not copy: select the link below" }.into(),
                        ));
                    }
                });
            }
            Err(message) => {
                link.set(None);
                status.set(Some(message));
            }
        }
    };
    view! {
        <div class="share-link">
            <button type="button" on:click=copy>
                "Copy share link"
            </button>
            <span class="share-status" role="status">{move || status.get()}</span>
            {move || link.get().map(|url| link_field("share-link", "Share link", url))}
        </div>
    }
}

/// A made link, labelled `label`, read-only and selected whole on focus, ready to copy.
pub(super) fn link_field(id: &'static str, label: &'static str, url: String) -> impl IntoView {
    view! {
        <div class="share-link-row">
            <label for=id>{label}</label>
            <input
                id=id
                type="text"
                readonly
                spellcheck="false"
                prop:value=url
                on:focus=move |ev| {
                    event_target::<web_sys::HtmlInputElement>(&ev).select();
                }
            />
        </div>
    }
}

/// The app's address without query or fragment: where a share link points.
fn page_address() -> String {
    let location = window().location();
    format!("{}{}", location.origin().unwrap_or_default(), location.pathname().unwrap_or_default())
}

/// Whether `text` was written to the clipboard (it may be missing on an insecure page, or refused).
pub(super) async fn write_clipboard(text: &str) -> bool {
    let clipboard = window().navigator().clipboard();
    if clipboard.is_undefined() || clipboard.is_null() {
        return false;
    }
    JsFuture::from(clipboard.write_text(text)).await.is_ok()
}
