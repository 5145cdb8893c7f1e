//! Yielding to the page between slices of work, so it paints and takes input (a click on Cancel).
use js_sys::{Function, Promise, Reflect};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::MessageChannel;

/// Resolves in a new task: the browser paints and handles input (a click on Cancel) first.
///
/// Not `setTimeout(0)`: browsers clamp nested timers to at least 4 ms, up to 14 % of a load made
/// of 25 ms slices. `scheduler.yield()` where the browser has it (it also keeps this work ahead
/// of other tasks), otherwise a message to ourselves through a `MessageChannel`, which no clamp
/// delays.
pub async fn next_task() {
    let promise = scheduler_yield().unwrap_or_else(|| Promise::new(&mut |resolve, _| post_to_self(resolve)));
    let _ = JsFuture::from(promise).await;
}

/// `scheduler.yield()`, when the browser has it.
fn scheduler_yield() -> Option<Promise> {
    let scheduler = Reflect::get(&js_sys::global(), &JsValue::from_str("scheduler")).ok()?;
    let yield_now: Function = Reflect::get(&scheduler, &JsValue::from_str("yield")).ok()?.dyn_into().ok()?;
    yield_now.call0(&scheduler).ok()?.dyn_into().ok()
}

thread_local! {
    /// One channel for every yield, kept open: each message posted wakes the oldest waiter.
    static CHANNEL: Option<SelfMessages> = SelfMessages::open();
}

struct SelfMessages {
    channel: MessageChannel,
    waiting: Rc<RefCell<VecDeque<Function>>>,
    _on_message: Closure<dyn FnMut()>,
}

impl SelfMessages {
    fn open() -> Option<SelfMessages> {
        let channel = MessageChannel::new().ok()?;
        let waiting = Rc::new(RefCell::new(VecDeque::<Function>::new()));
        let on_message = Closure::<dyn FnMut()>::new({
            let waiting = Rc::clone(&waiting);
            move || {
                if let Some(resolve) = waiting.borrow_mut().pop_front() {
                    let _ = resolve.call0(&JsValue::NULL);
                }
            }
        });
        channel.port1().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Some(SelfMessages { channel, waiting, _on_message: on_message })
    }
}

/// Calls `resolve` in a new task; at once if the page has no `MessageChannel`.
fn post_to_self(resolve: Function) {
    let posted = CHANNEL.with(|channel| {
        let channel = channel.as_ref()?;
        channel.waiting.borrow_mut().push_back(resolve.clone());
        channel.channel.port2().post_message(&JsValue::NULL).ok()
    });
    if posted.is_none() {
        let _ = resolve.call0(&JsValue::NULL);
    }
}
