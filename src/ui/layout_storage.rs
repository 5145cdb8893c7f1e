//! Where the layout a person chose is remembered: localStorage, best effort. Without storage (a
//! private window, storage turned off, the quota full) the page just forgets; nothing fails.
//! What the values mean is `crate::pane_layout`'s.

/// The value stored under `key`, if storage can be read and has one.
pub(super) fn read(key: &str) -> Option<String> {
    web_sys::window()?.local_storage().ok()??.get_item(key).ok()?
}

/// Stores `value` under `key`, if storage can be written.
pub(super) fn write(key: &str, value: &str) {
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(key, value);
    }
}
