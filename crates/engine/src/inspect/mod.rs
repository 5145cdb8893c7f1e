//! The time-travel inspector's questions: what changed between two states (`diff`), which event
//! last set each field (`blame`), a numeric field over time (`series`), and where a log's own
//! bookkeeping does not add up (`integrity`). They live in the engine because they are pure views
//! over JSON states and the loaded log: no browser, no clock, nothing to render, so they are
//! tested natively and the UI only draws what they return.
pub mod blame;
pub mod causation;
pub mod diff;
pub mod integrity;
pub mod series;

pub use blame::blame;
pub use causation::{causation_ids, Causation, CausationBuild, CausationIndex, Caused, ChainEnd};
pub use diff::{diff, display_path, json_pointer, leaf_paths, to_json_patch, value_at, Change, ChangeKind};
pub use integrity::{check, IntegrityCheck, IntegrityKind, IntegrityWarning};
pub use series::{downsample, extent, numeric_paths, series, Point};
