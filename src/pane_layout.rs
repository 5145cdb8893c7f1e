//! The layout a person chose and the page remembers (in localStorage): how much of the panes'
//! width the Events pane takes — the splitter between Events and State/Diff — and whether the
//! chart is collapsed. Plain Rust, tested natively: what a stored value means, where a key or the
//! pointer moves the splitter. `ui::pane_splitter` and `ui::chart_panel` read and write storage.

/// localStorage key of the Events pane's share of the width, in percent (`"56.5"`).
pub const EVENTS_WIDTH_KEY: &str = "rewind.layout.events-width";
/// localStorage key of the chart's state: `"collapsed"` or `"expanded"`.
pub const CHART_KEY: &str = "rewind.layout.chart";

/// The narrowest and widest the Events pane can be, in percent of the panes' width: either pane
/// keeps room for its content.
pub const MIN_EVENTS_WIDTH: f64 = 25.0;
pub const MAX_EVENTS_WIDTH: f64 = 75.0;
/// How far ← and → move the splitter, in percent.
pub const KEY_STEP: f64 = 5.0;

/// The Events pane's share before the person moves the splitter: half, and a little more in Learn
/// mode, where the lesson beside the panes leaves them narrower and event rows need the room.
pub fn default_events_width(learning: bool) -> f64 {
    if learning {
        56.0
    } else {
        50.0
    }
}

/// `percent` kept between the limits, to a tenth of a percent.
pub fn clamp_events_width(percent: f64) -> f64 {
    let clamped = if percent.is_nan() { default_events_width(false) } else { percent };
    (clamped.clamp(MIN_EVENTS_WIDTH, MAX_EVENTS_WIDTH) * 10.0).round() / 10.0
}

/// The share a stored value gives, or `None` when it is not one (not a number, or not a percent):
/// a bad value is ignored, never half-applied. A percent outside the limits is brought inside.
pub fn parse_events_width(stored: &str) -> Option<f64> {
    let percent: f64 = stored.trim().parse().ok()?;
    (percent.is_finite() && (0.0..=100.0).contains(&percent)).then(|| clamp_events_width(percent))
}

/// What is stored for `percent`.
pub fn events_width_text(percent: f64) -> String {
    format!("{}", clamp_events_width(percent))
}

/// Where a key moves the splitter from `current`: ← and → by [`KEY_STEP`], Home and End to the
/// limits. `None` for any other key, which the splitter leaves alone.
pub fn events_width_after_key(key: &str, current: f64) -> Option<f64> {
    match key {
        "ArrowLeft" => Some(clamp_events_width(current - KEY_STEP)),
        "ArrowRight" => Some(clamp_events_width(current + KEY_STEP)),
        "Home" => Some(MIN_EVENTS_WIDTH),
        "End" => Some(MAX_EVENTS_WIDTH),
        _ => None,
    }
}

/// The share that puts the splitter's middle under the pointer: `offset` is the pointer's distance
/// from the panes' left edge, `panes` their width and `splitter` the splitter's (the panes share
/// what the splitter leaves). `None` while the panes have no width to share.
pub fn events_width_at(offset: f64, panes: f64, splitter: f64) -> Option<f64> {
    let shared = panes - splitter;
    (shared > 0.0 && offset.is_finite()).then(|| clamp_events_width((offset - splitter / 2.0) / shared * 100.0))
}

/// The panes' inline style: the two shares as grid fractions, read by style/main.css (where the
/// panes stack, on a phone, they are not used).
pub fn panes_style(percent: f64) -> String {
    let events = clamp_events_width(percent);
    format!("--events-share: {events}fr; --inspect-share: {}fr", ((100.0 - events) * 10.0).round() / 10.0)
}

/// Whether a stored value says the chart is collapsed; `None` when it says nothing readable.
pub fn parse_chart_collapsed(stored: &str) -> Option<bool> {
    match stored.trim() {
        "collapsed" => Some(true),
        "expanded" => Some(false),
        _ => None,
    }
}

/// What is stored for the chart's state.
pub fn chart_text(collapsed: bool) -> &'static str {
    if collapsed {
        "collapsed"
    } else {
        "expanded"
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn a_stored_width_reads_back_and_a_bad_one_is_ignored() {
        for percent in [25.0, 42.5, 50.0, 63.7, 75.0] {
            assert_eq!(parse_events_width(&events_width_text(percent)), Some(percent), "{percent}");
        }
        assert_eq!(parse_events_width(" 60 "), Some(60.0), "spaces around the number");
        for bad in ["", "wide", "NaN", "inf", "-inf", "1e999", "-3", "101", "50%", "{\"w\":50}", "0x32"] {
            assert_eq!(parse_events_width(bad), None, "{bad:?} is not a width");
        }
    }

    #[test]
    fn a_stored_width_outside_the_limits_is_brought_inside() {
        assert_eq!(parse_events_width("0"), Some(MIN_EVENTS_WIDTH));
        assert_eq!(parse_events_width("10"), Some(MIN_EVENTS_WIDTH));
        assert_eq!(parse_events_width("99.9"), Some(MAX_EVENTS_WIDTH));
        assert_eq!(parse_events_width("47.26"), Some(47.3), "to a tenth of a percent");
    }

    #[test]
    fn arrows_move_the_splitter_by_a_step_and_home_and_end_go_to_the_limits() {
        assert_eq!(events_width_after_key("ArrowLeft", 50.0), Some(45.0));
        assert_eq!(events_width_after_key("ArrowRight", 50.0), Some(55.0));
        assert_eq!(events_width_after_key("ArrowLeft", 27.0), Some(MIN_EVENTS_WIDTH), "stops at the limit");
        assert_eq!(events_width_after_key("ArrowRight", 74.0), Some(MAX_EVENTS_WIDTH));
        assert_eq!(events_width_after_key("Home", 50.0), Some(MIN_EVENTS_WIDTH));
        assert_eq!(events_width_after_key("End", 50.0), Some(MAX_EVENTS_WIDTH));
        for other in ["ArrowUp", "ArrowDown", " ", "Enter", "a", "?"] {
            assert_eq!(events_width_after_key(other, 50.0), None, "{other:?} is not the splitter's");
        }
    }

    #[test]
    fn the_pointer_puts_the_splitters_middle_under_it() {
        // 1,012 px of panes, a 12 px splitter: 1,000 px to share.
        assert_eq!(events_width_at(506.0, 1012.0, 12.0), Some(50.0));
        assert_eq!(events_width_at(406.0, 1012.0, 12.0), Some(40.0));
        assert_eq!(events_width_at(0.0, 1012.0, 12.0), Some(MIN_EVENTS_WIDTH), "dragged past the left edge");
        assert_eq!(events_width_at(5000.0, 1012.0, 12.0), Some(MAX_EVENTS_WIDTH), "and past the right");
        assert_eq!(events_width_at(100.0, 12.0, 12.0), None, "no width to share");
        assert_eq!(events_width_at(f64::NAN, 1012.0, 12.0), None);
    }

    #[test]
    fn the_panes_style_gives_each_pane_its_share() {
        assert_eq!(panes_style(50.0), "--events-share: 50fr; --inspect-share: 50fr");
        assert_eq!(panes_style(62.3), "--events-share: 62.3fr; --inspect-share: 37.7fr");
        assert_eq!(panes_style(5.0), "--events-share: 25fr; --inspect-share: 75fr");
    }

    #[test]
    fn learn_mode_starts_the_events_wider() {
        assert!(default_events_width(true) > default_events_width(false));
        for learning in [false, true] {
            let width = default_events_width(learning);
            assert_eq!(clamp_events_width(width), width, "the default is inside the limits");
        }
    }

    #[test]
    fn the_chart_state_reads_back_and_anything_else_says_nothing() {
        for collapsed in [false, true] {
            assert_eq!(parse_chart_collapsed(chart_text(collapsed)), Some(collapsed));
        }
        for bad in ["", "true", "0", "Collapsed", "hidden"] {
            assert_eq!(parse_chart_collapsed(bad), None, "{bad:?}");
        }
    }
}
