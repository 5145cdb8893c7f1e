//! What the progress bars and notices say while a log loads or a session is restored, and the
//! number formats they use. Plain Rust, tested natively.
use rewind_engine::session::LoadProgress;

/// 1234567 → "1,234,567".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// `bytes` in megabytes, as the progress shows them (only files over 4 MB have one): "12.5 MB".
pub fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
}

/// Whole percent done; a total of nothing is done.
pub fn percent(done: usize, total: usize) -> usize {
    (done * 100).checked_div(total).unwrap_or(100)
}

/// The progress bar's value, maximum and text while a log is parsed, replayed and checked:
/// "Parsing: 12.5 MB of 50.0 MB, 120,000 events".
pub fn loading_progress(progress: LoadProgress) -> (Option<f64>, f64, String) {
    let (done, total, text) = match progress {
        LoadProgress::Reading { bytes, total_bytes, events } => (
            bytes,
            total_bytes,
            format!(
                "Parsing: {} of {}, {} events",
                megabytes(bytes as u64),
                megabytes(total_bytes as u64),
                thousands(events)
            ),
        ),
        LoadProgress::Replaying { events, total } => {
            (events, total, format!("Replaying: {} of {} events", thousands(events), thousands(total)))
        }
        LoadProgress::Checking { events, total } => {
            (events, total, format!("Checking integrity: {} of {} events", thousands(events), thousands(total)))
        }
    };
    (Some(done as f64), total.max(1) as f64, text)
}

/// The notice while a saved session's log is restored: "Restoring the saved session: replaying
/// its log, 45%…".
pub fn restore_progress(progress: LoadProgress) -> String {
    let stage = match progress {
        LoadProgress::Reading { bytes, total_bytes, .. } => {
            format!("reading its log, {}%", percent(bytes, total_bytes))
        }
        LoadProgress::Replaying { events, total } => format!("replaying its log, {}%", percent(events, total)),
        LoadProgress::Checking { events, total } => format!("checking its log, {}%", percent(events, total)),
    };
    format!("Restoring the saved session: {stage}…")
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped_by_three() {
        let shown: Vec<String> = [0, 7, 999, 1_000, 12_345, 1_000_000, 1_234_567].map(thousands).into();
        assert_eq!(shown, ["0", "7", "999", "1,000", "12,345", "1,000,000", "1,234,567"]);
    }

    #[test]
    fn megabytes_have_one_decimal() {
        assert_eq!(megabytes(13_107_200), "12.5 MB");
        assert_eq!(megabytes(0), "0.0 MB");
    }

    #[test]
    fn percent_rounds_down_and_nothing_to_do_is_done() {
        assert_eq!((percent(1, 3), percent(2, 3), percent(3, 3), percent(0, 0)), (33, 66, 100, 100));
    }

    #[test]
    fn the_bar_counts_bytes_and_events_then_events() {
        let reading = LoadProgress::Reading { bytes: 13_107_200, total_bytes: 52_428_800, events: 120_000 };
        assert_eq!(
            loading_progress(reading),
            (Some(13_107_200.0), 52_428_800.0, "Parsing: 12.5 MB of 50.0 MB, 120,000 events".into())
        );
        let replaying = LoadProgress::Replaying { events: 500, total: 0 };
        assert_eq!(loading_progress(replaying).1, 1.0, "an empty total still gives the bar a maximum");
        let checking = LoadProgress::Checking { events: 1_000, total: 2_000 };
        assert_eq!(loading_progress(checking).2, "Checking integrity: 1,000 of 2,000 events");
    }

    #[test]
    fn the_restore_notice_says_the_stage_and_how_far() {
        let replaying = LoadProgress::Replaying { events: 45, total: 100 };
        assert_eq!(restore_progress(replaying), "Restoring the saved session: replaying its log, 45%…");
    }
}
