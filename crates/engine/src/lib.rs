//! The engine: events, log formats, domains (reducers), replay with snapshots.
//!
//! Plain Rust with no web crate, no clock and no I/O, so every piece is tested natively.
pub mod compare;
pub mod correction;
pub mod domain;
pub mod event;
pub mod fields;
pub mod fold;
pub mod formats;
pub mod generate;
pub mod inspect;
pub mod log;
pub mod money;
pub mod plan;
pub mod samples;
pub mod session;
pub mod testgen;
pub mod timeline;
