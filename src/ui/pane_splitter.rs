//! The splitter between the Events pane and the State/Diff pane: drag it, or focus it and use
//! ← / → (a step each) and Home / End (the limits). The width is remembered for the next visit.
use super::layout_storage;
use crate::pane_layout::{
    default_events_width, events_width_after_key, events_width_at, events_width_text, parse_events_width,
    EVENTS_WIDTH_KEY, MAX_EVENTS_WIDTH, MIN_EVENTS_WIDTH,
};
use leptos::html;
use leptos::prelude::*;

/// The Events pane's share of the panes' width, in percent: where the person left the splitter
/// (remembered), else the default for the mode.
#[derive(Clone, Copy)]
pub struct EventsWidth {
    chosen: RwSignal<Option<f64>>,
    learning: Signal<bool>,
}

impl EventsWidth {
    /// The width stored by an earlier visit, if there is a readable one; a bad value is ignored.
    pub fn remembered(learning: Signal<bool>) -> EventsWidth {
        let stored = layout_storage::read(EVENTS_WIDTH_KEY).and_then(|text| parse_events_width(&text));
        EventsWidth { chosen: RwSignal::new(stored), learning }
    }

    /// The share shown now.
    pub fn get(&self) -> f64 {
        self.chosen.get().unwrap_or_else(|| default_events_width(self.learning.get()))
    }

    fn get_untracked(&self) -> f64 {
        self.chosen.get_untracked().unwrap_or_else(|| default_events_width(self.learning.get_untracked()))
    }

    fn choose(&self, percent: f64) {
        self.chosen.set(Some(percent));
    }

    fn remember(&self) {
        if let Some(percent) = self.chosen.get_untracked() {
            layout_storage::write(EVENTS_WIDTH_KEY, &events_width_text(percent));
        }
    }
}

/// A vertical bar between the two panes (hidden where they stack, on a phone). The panes' columns
/// follow `width`; dragging moves it under the pointer, the keys by steps.
#[component]
pub fn PaneSplitter(width: EventsWidth) -> impl IntoView {
    let splitter = NodeRef::<html::Div>::new();
    let dragging = RwSignal::new(false);
    // The panes are the splitter's parent: the share is measured across them.
    let move_to = move |client_x: f64| {
        let Some(element) = splitter.get_untracked() else { return };
        let Some(panes) = element.parent_element() else { return };
        let bounds = panes.get_bounding_client_rect();
        let own = element.get_bounding_client_rect().width();
        if let Some(percent) = events_width_at(client_x - bounds.left(), bounds.width(), own) {
            width.choose(percent);
        }
    };
    let end_drag = move || {
        if dragging.get_untracked() {
            dragging.set(false);
            width.remember();
        }
    };
    let on_pointer_down = move |ev: leptos::ev::PointerEvent| {
        if ev.button() != 0 {
            return;
        }
        let Some(element) = splitter.get_untracked() else { return };
        // No text selection while dragging; the keys work from here afterwards.
        ev.prevent_default();
        let _ = element.focus();
        let _ = element.set_pointer_capture(ev.pointer_id());
        dragging.set(true);
    };
    let on_pointer_move = move |ev: leptos::ev::PointerEvent| {
        if dragging.get_untracked() {
            move_to(f64::from(ev.client_x()));
        }
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let Some(next) = events_width_after_key(&ev.key(), width.get_untracked()) else { return };
        // These keys also step the timeline from elsewhere on the page; here they are the splitter's.
        ev.prevent_default();
        ev.stop_propagation();
        width.choose(next);
        width.remember();
    };
    view! {
        <div
            class="pane-splitter"
            class:dragging=move || dragging.get()
            node_ref=splitter
            role="separator"
            aria-orientation="vertical"
            aria-label="Resize events and state"
            aria-valuemin=MIN_EVENTS_WIDTH
            aria-valuemax=MAX_EVENTS_WIDTH
            aria-valuenow=move || width.get()
            aria-valuetext=move || format!("Events take {}% of the width", width.get())
            title="Drag, or use ← and →, to share the width between the events and the state"
            tabindex="0"
            on:pointerdown=on_pointer_down
            on:pointermove=on_pointer_move
            on:pointerup=move |_| end_drag()
            on:pointercancel=move |_| end_drag()
            on:lostpointercapture=move |_| end_drag()
            on:keydown=on_key
        ></div>
    }
}
