//! "Keyboard shortcuts": `?` opens the list of keys that drive the timeline; Escape or Close
//! shuts it.
use super::transport_controls::shortcut_target;
use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The keys the app answers to, as a person reads them.
const SHORTCUTS: &[(&str, &str)] = &[
    ("← / →", "Step one event back / forward"),
    ("Home / End", "Jump to the start / the end of the log"),
    ("Space", "Play or pause"),
    ("?", "Show or hide this list"),
    ("Escape", "Close this list"),
];

/// Hidden until `?` is pressed outside a text field; then a dialog listing the shortcuts, with the
/// focus on its Close button (and back where it was once closed).
#[component]
pub fn KeyboardHelp() -> impl IntoView {
    let open = RwSignal::new(false);
    let close_button = NodeRef::<html::Button>::new();
    let opener = StoredValue::new_local(None::<web_sys::HtmlElement>);
    let close = move || {
        open.set(false);
        if let Some(element) = opener.get_value() {
            let _ = element.focus();
        }
    };
    let handle = window_event_listener(ev::keydown, move |ev| {
        if shortcut_target(&ev).is_none() {
            return;
        }
        match ev.key().as_str() {
            "?" => {
                if open.get_untracked() {
                    close();
                } else {
                    opener
                        .set_value(document().active_element().and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()));
                    open.set(true);
                }
                ev.prevent_default();
            }
            "Escape" if open.get_untracked() => {
                close();
                ev.prevent_default();
            }
            _ => {}
        }
    });
    on_cleanup(move || handle.remove());
    Effect::new(move |_| {
        if open.get() {
            if let Some(button) = close_button.get() {
                let _ = button.focus();
            }
        }
    });
    view! {
        <Show when=move || open.get()>
            <div class="keyboard-help" role="dialog" aria-modal="false" aria-labelledby="keyboard-help-title">
                <h2 id="keyboard-help-title">"Keyboard shortcuts"</h2>
                <dl>
                    {SHORTCUTS
                        .iter()
                        .map(|(key, what)| view! { <dt><kbd>{*key}</kbd></dt><dd>{*what}</dd> })
                        .collect_view()}
                </dl>
                <button type="button" node_ref=close_button on:click=move |_| close()>"Close"</button>
            </div>
        </Show>
        <p class="keyboard-hint">"Press ? for keyboard shortcuts."</p>
    }
}
