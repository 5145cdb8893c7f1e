//! Component tests: single components mounted in headless Chromium with the bank sample
//! (Deposit 100, Withdraw 30, Deposit 50), found by role and accessible name as a person would,
//! and driven through the DOM. `make test` runs them with
//! `cargo test --target wasm32-unknown-unknown --test components`.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use rewind::ui::event_list::EventList;
use rewind::ui::state::Contexts;
use rewind::ui::step_controls::StepControls;
use rewind::ui::timeline_slider::TimelineSlider;
use rewind_engine::samples::SAMPLES;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlButtonElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts `view` in a fresh element with the bank sample loaded, at its end.
fn mount<V: IntoView + 'static>(view: impl FnOnce() -> V + 'static) -> (Element, Contexts) {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let state = Contexts::new(&SAMPLES[0]);
    let handle = leptos::mount::mount_to(root.clone().unchecked_into(), move || {
        state.provide();
        view()
    });
    // Mounted for the rest of the test; the page is thrown away after the run.
    handle.forget();
    (root, state)
}

/// Lets the reactive system run its effects, as the browser would between two events.
async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0).unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

fn by_label<T: JsCast>(root: &Element, selector: &str) -> T {
    root.query_selector(selector).unwrap().unwrap_or_else(|| panic!("nothing matches {selector}")).unchecked_into()
}

fn button(root: &Element, name: &str) -> HtmlButtonElement {
    let buttons = root.query_selector_all("button").unwrap();
    (0..buttons.length())
        .filter_map(|i| buttons.item(i))
        .map(|node| node.unchecked_into::<HtmlButtonElement>())
        .find(|b| b.get_attribute("aria-label").or_else(|| b.text_content()).is_some_and(|t| t.trim() == name))
        .unwrap_or_else(|| panic!("no button named {name:?}"))
}

#[wasm_bindgen_test]
async fn the_timeline_starts_at_the_end_and_names_the_event_it_shows() {
    let (root, state) = mount(|| view! { <TimelineSlider/> });
    let slider: HtmlInputElement = by_label(&root, "input[type=range][aria-label=Timeline]");
    assert_eq!(slider.max(), "3");
    assert_eq!(slider.value(), "3");
    assert_eq!(slider.get_attribute("aria-valuetext").as_deref(), Some("event 3 of 3: Deposit"));

    // Dragged back to the first event: the cursor and the spoken value follow.
    slider.set_value("1");
    slider.dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init_bubbling()).unwrap()).unwrap();
    settle().await;
    assert_eq!(state.cursor.position.get_untracked(), 1);
    assert_eq!(slider.get_attribute("aria-valuetext").as_deref(), Some("event 1 of 3: Deposit"));

    slider.set_value("0");
    slider.dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init_bubbling()).unwrap()).unwrap();
    settle().await;
    assert_eq!(slider.get_attribute("aria-valuetext").as_deref(), Some("start, before any of the 3 events"));
}

#[wasm_bindgen_test]
async fn step_buttons_move_one_event_and_are_disabled_at_the_ends() {
    let (root, state) = mount(|| view! { <StepControls/> });
    let (back, forward) = (button(&root, "Step back"), button(&root, "Step forward"));
    let position = || root.query_selector("output").unwrap().unwrap().text_content().unwrap();
    assert!(forward.disabled(), "at the end there is nothing to step forward to");
    assert_eq!(position(), "event 3 of 3");

    for expected in ["event 2 of 3", "event 1 of 3", "event 0 of 3"] {
        back.click();
        settle().await;
        assert_eq!(position(), expected);
    }
    assert!(back.disabled(), "at the start there is nothing to step back to");
    assert_eq!(state.cursor.position.get_untracked(), 0);

    forward.click();
    settle().await;
    assert_eq!((state.cursor.position.get_untracked(), position()), (1, "event 1 of 3".to_string()));
}

#[wasm_bindgen_test]
async fn the_event_list_marks_the_current_event_jumps_on_click_and_skips() {
    let (root, state) = mount(|| view! { <EventList/> });
    settle().await;
    let rows = root.query_selector_all("li.event").unwrap();
    assert_eq!(rows.length(), 3, "one row per event");
    let current =
        || root.query_selector("li.event[aria-current=step] .type").unwrap().map(|e| e.text_content().unwrap());
    assert_eq!(current().as_deref(), Some("Deposit"), "the last event is current at the end");

    // A click on the Withdraw row goes to just after it.
    let withdraw: HtmlButtonElement = rows
        .item(1)
        .unwrap()
        .unchecked_into::<Element>()
        .query_selector("button.event-row")
        .unwrap()
        .unwrap()
        .unchecked_into();
    withdraw.click();
    settle().await;
    assert_eq!((state.cursor.position.get_untracked(), current().as_deref()), (2, Some("Withdraw")));

    // "Skip event 2" replays as if the withdrawal were missing.
    let skip: HtmlInputElement = by_label(&root, "input[type=checkbox][aria-label='Skip event 2']");
    skip.click();
    settle().await;
    assert!(state.loaded.session.with_untracked(|s| s.is_skipped(1)));
    let balance = state.cursor.state.with_untracked(|view| view.get("default").map(|s| s["balance"].clone()));
    assert_eq!(balance, Some(serde_json::json!(100)), "100 deposited and nothing withdrawn by event 2");
}

fn init_bubbling() -> web_sys::EventInit {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    init
}
