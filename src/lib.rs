//! Rewind: a time machine for event-sourced systems.
//!
//! The engine (`rewind-engine`) and the lessons (`rewind-learn`) are crates of their own that
//! cannot see the browser. This crate is the app: `causation_tree`, `location`, `pane_layout`,
//! `progress_text`, `save_schedule`, `saved`, `share`, `start` and `state_search` are plain Rust
//! tested natively; `ui` is a thin Leptos layer that exists only in the WebAssembly build.
pub mod causation_tree;
pub mod location;
pub mod pane_layout;
pub mod progress_text;
pub mod save_schedule;
pub mod saved;
pub mod share;
pub mod start;
pub mod state_search;

#[cfg(target_arch = "wasm32")]
pub mod ui;
