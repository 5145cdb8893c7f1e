//! What the fuzz targets share: a log's outcome in comparable form, and the logs a script runs over.
use rewind_engine::formats::{to_rewind_json, LoadError, LoadOptions, LogReader};
use rewind_engine::log::Log;

/// A load's outcome, comparable: the log as Rewind JSON with its format, unreadable events and
/// keys written twice, or the error's message.
pub fn outcome(result: Result<Log, LoadError>) -> Result<(String, String), String> {
    result
        .map(|log| {
            let unreadable: Vec<_> = log.unreadable().iter().map(|u| (u.position, u.error.to_string())).collect();
            let flags = format!("{:?} {unreadable:?} {:?} {:?}", log.format(), log.duplicate_keys(), log.no_text());
            (to_rewind_json(&log), flags)
        })
        .map_err(|e| e.to_string())
}

/// The log read in slices of `slice` events, as the page reads it.
pub fn sliced(text: &str, options: &LoadOptions, slice: usize) -> Result<Log, LoadError> {
    let mut reader = LogReader::with_options(text, options.clone())?;
    // A reader that never says it is done would hang the page: bounded by the text's length.
    let mut steps = 0usize;
    while !reader.step(slice) {
        steps += 1;
        assert!(steps <= text.len() + 2, "the sliced reader does not finish");
    }
    reader.finish()
}

/// The same text read in one call and in slices of `slice` events gives the same log or the same
/// error; the log's outcome is returned.
pub fn same_both_ways(text: &str, options: &LoadOptions, slice: usize) -> Result<(String, String), String> {
    let whole = outcome(rewind_engine::formats::read_log(text, options));
    let in_slices = outcome(sliced(text, options, slice.max(1)));
    assert_eq!(whole, in_slices, "one call and slices of {slice} differ for {options:?} on {text:?}");
    whole
}

/// A small log of `events` bank and generic events over a few streams, for scripts to run over.
pub fn generated_log(seed: u8, events: usize) -> String {
    let types = ["Deposit", "Withdraw", "AccountOpened", "Odd", "Deposit"];
    let amounts = ["100", "0.1", "-5", "\"text\"", "1e3", "null", "18446744073709551616", "[1,2]", "{\"a\":1}"];
    let mut out = String::from("[");
    for i in 0..events {
        let k = i.wrapping_mul(7).wrapping_add(seed as usize);
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!(
            r#"{{"type":"{}","stream":"s{}","seq":{},"data":{{"amount":{},"n":{}}}}}"#,
            types[k % types.len()],
            k % 3,
            i + 1,
            amounts[k % amounts.len()],
            i
        ));
    }
    out.push(']');
    out
}
