//! The loader with a field mapping: the first line is the mapping (JSON, as the command line's
//! --mapping file and the page's Field mapping give it), the rest the log. One call and slices
//! must agree; a mapping that parses writes back to the same mapping.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rewind_engine::formats::{LoadOptions, Mapping};
use rewind_fuzz::same_both_ways;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else { return };
    let (first, log) = input.split_once('\n').unwrap_or((input, ""));
    let mapping = match serde_json::from_str::<Mapping>(first) {
        Ok(mapping) => {
            let again: Mapping = serde_json::from_str(&serde_json::to_string(&mapping).unwrap()).unwrap();
            assert_eq!(again, mapping);
            let _ = mapping.describe();
            mapping
        }
        // Not a mapping: a fixed one, so the log is still read through a mapping.
        Err(_) => Mapping {
            type_path: "Event.EventType".into(),
            stream: Some("AggregateId".into()),
            time: Some("at".into()),
            id: Some("id".into()),
            data: Some("Event.EventData".into()),
            correlation: Some("meta.corr".into()),
            causation: None,
        },
    };
    for strict in [true, false] {
        let options = LoadOptions { strict, mapping: Some(mapping.clone()) };
        let _ = same_both_ways(log, &options, 2);
    }
    let _ = rewind_engine::formats::sample_field_paths(log);
});
