//! Rewind: a time machine for event-sourced systems.
//!
//! `engine` is plain Rust (no web crate) and is tested natively; `ui` is a thin Leptos layer that
//! exists only in the WebAssembly build.
pub mod engine;
pub mod location;
pub mod saved;
pub mod share;

#[cfg(target_arch = "wasm32")]
pub mod ui;
