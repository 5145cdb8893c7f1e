//! "New session": forget the saved session and start again, and the notice when saving failed.
use super::session_storage::{start_over, SaveNoticeActions, SaveNotices};
use super::state::{Correction, Loader};
use leptos::html;
use leptos::prelude::*;

/// "New session": forgets the saved session and starts again with the first sample, after an
/// inline confirmation. Beside it, what saving has to say: that the work is not being saved (and
/// why), or that the saved session could not be restored.
#[component]
pub fn NewSessionButton() -> impl IntoView {
    let correction = expect_context::<Correction>();
    let loader = expect_context::<Loader>();
    let notices = use_context::<SaveNotices>();
    let confirming = RwSignal::new(false);
    let opener = NodeRef::<html::Button>::new();
    let keep = NodeRef::<html::Button>::new();

    // The safe answer takes the focus, so Enter right after opening changes nothing.
    Effect::new(move |_| {
        if let Some(button) = keep.get() {
            let _ = button.focus();
        }
    });
    let close = move || {
        confirming.set(false);
        if let Some(button) = opener.get_untracked() {
            let _ = button.focus();
        }
    };
    let confirm = move || {
        start_over(correction, loader);
        close();
    };

    let not_saved = move || {
        notices.and_then(|n| n.not_saved.get()).map(|why| {
            format!(
                "Your work is not being saved in this browser ({why}): it is kept in memory; use Export to keep it."
            )
        })
    };
    let restore_note = move || notices.and_then(|n| n.restore.get());

    view! {
        <div class="saved-session">
            <button
                type="button"
                class="new-session"
                node_ref=opener
                aria-expanded=move || confirming.get().to_string()
                aria-controls="new-session-confirm"
                on:click=move |_| confirming.update(|open| *open = !*open)
            >
                "New session"
            </button>
            {move || {
                confirming
                    .get()
                    .then(|| {
                        view! {
                            <div
                                id="new-session-confirm"
                                class="new-session-confirm"
                                role="group"
                                aria-labelledby="new-session-question"
                                on:keydown=move |ev| {
                                    if ev.key() == "Escape" {
                                        ev.prevent_default();
                                        close();
                                    }
                                }
                            >
                                <p id="new-session-question">
                                    "Start over? This clears the saved log, corrections and settings."
                                </p>
                                <button type="button" class="start-over" on:click=move |_| confirm()>
                                    "Start over"
                                </button>
                                <button type="button" node_ref=keep on:click=move |_| close()>
                                    "Keep working"
                                </button>
                            </div>
                        }
                    })
            }}
            <p class="save-status" role="status">
                {not_saved}
            </p>
            <p class="restore-note" role="status">
                {restore_note}
            </p>
            {move || {
                restore_note()
                    .is_some()
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="dismiss-restore-note"
                                on:click=move |_| {
                                    if let Some(notices) = notices {
                                        notices.restore.set(None);
                                    }
                                }
                            >
                                "Dismiss"
                            </button>
                        }
                    })
            }}
            <SaveNoticeActions/>
        </div>
    }
}
