//! Where each event of a log starts, as a line number, so a problem reads like a compiler's
//! (`orders.ndjson:7: …`). Found only when there is a problem to print.
use rewind_engine::log::LogFormat;
use serde::Deserialize;
use serde_json::value::RawValue;

/// The 1-based line each event starts on, by log position; `None` for a shape whose events are
/// not one array or one per line (the problem is then named by its event number).
pub fn event_lines(text: &str, format: LogFormat) -> Option<Vec<usize>> {
    match format {
        LogFormat::Ndjson => Some(
            text.split('\n')
                .enumerate()
                .filter(|(_, line)| !line.trim().is_empty())
                .map(|(number, _)| number + 1)
                .collect(),
        ),
        LogFormat::Array | LogFormat::ReduxActions | LogFormat::CloudEventsBatch | LogFormat::KurrentEvents => {
            let events: Vec<&RawValue> = serde_json::from_str(text.trim_start_matches('\u{feff}')).ok()?;
            Some(lines_of(text, &events))
        }
        LogFormat::Envelope => {
            #[derive(Deserialize)]
            struct Envelope<'a> {
                #[serde(borrow)]
                events: Vec<&'a RawValue>,
            }
            let envelope: Envelope = serde_json::from_str(text.trim_start_matches('\u{feff}')).ok()?;
            Some(lines_of(text, &envelope.events))
        }
        LogFormat::Event | LogFormat::CloudEvent | LogFormat::KurrentEvent => {
            let start = text.len() - text.trim_start().len();
            Some(vec![1 + text.as_bytes()[..start].iter().filter(|&&b| b == b'\n').count()])
        }
        LogFormat::ReduxDevTools => None,
    }
}

/// The line of each value, all borrowed from `text`, counted in one pass.
fn lines_of(text: &str, values: &[&RawValue]) -> Vec<usize> {
    let base = text.as_ptr() as usize;
    let (mut line, mut counted) = (1, 0);
    values
        .iter()
        .map(|value| {
            let offset = (value.get().as_ptr() as usize - base).min(text.len());
            if offset >= counted {
                line += text.as_bytes()[counted..offset].iter().filter(|&&b| b == b'\n').count();
                counted = offset;
            }
            line
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_found_on_their_lines_in_each_shape() {
        let lines = "{\"type\":\"A\"}\n\n{\"type\":\"B\"}\n";
        assert_eq!(event_lines(lines, LogFormat::Ndjson), Some(vec![1, 3]));
        let array = "[\n  {\"type\":\"A\"},\n\n  {\"type\":\"B\",\n \"x\": \"a\\nb\"},  {\"type\":\"C\"}\n]";
        assert_eq!(event_lines(array, LogFormat::Array), Some(vec![2, 4, 5]));
        let envelope = "{\"domain\":\"bank\",\n\"events\":[\n{\"type\":\"A\"}]}";
        assert_eq!(event_lines(envelope, LogFormat::Envelope), Some(vec![3]));
        assert_eq!(event_lines("[broken", LogFormat::Array), None);
    }
}
