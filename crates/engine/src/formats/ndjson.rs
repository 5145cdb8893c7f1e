//! JSON Lines / NDJSON: one event per line, in any of the single-event shapes (Rewind, Redux,
//! CloudEvents, KurrentDB); blank lines are ignored. Errors name the line. `LogReader` reads the
//! lines: it stops at the first line that is not JSON and lists every line whose event has the
//! wrong shape.
use serde::de::IgnoredAny;

/// The first non-blank line is a complete JSON object and the next non-blank line starts with `{`.
/// (A pretty-printed object's first line, `{`, is not complete.) Either may instead be a JSON
/// string: how an export writes an event its mapping could not read, kept as text.
pub(super) fn looks_like_ndjson(text: &str) -> bool {
    let mut lines = text.lines().map(str::trim).filter(|line| !line.is_empty());
    let (Some(first), Some(second)) = (lines.next(), lines.next()) else {
        return false;
    };
    let starts_an_event = |line: &str| line.starts_with('{') || line.starts_with('"');
    starts_an_event(first) && starts_an_event(second) && serde_json::from_str::<IgnoredAny>(first).is_ok()
}

/// JSON's white space, which may surround a line's event.
pub(super) fn is_json_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

#[cfg(test)]
mod tests {
    use crate::formats::{parse_log, LoadError};
    use crate::log::LogFormat;

    #[test]
    fn one_event_per_line_with_blank_lines_ignored() {
        let log =
            parse_log("{\"type\":\"Deposit\",\"amount\":100}\r\n\r\n{\"type\":\"Withdraw\",\"amount\":30}\n").unwrap();
        assert_eq!((log.len(), log.format), (2, LogFormat::Ndjson));
        assert_eq!(log.events()[1].data(), r#"{"amount":30}"#);
    }

    #[test]
    fn a_line_that_is_a_json_string_is_an_event_kept_as_text() {
        let text = "\"{\\\"kind\\\":1}\"\n{\"type\":\"Deposit\"}\n";
        let log = crate::formats::read_log(text, &crate::formats::LoadOptions::default()).unwrap();
        assert_eq!((log.len(), log.unreadable().len(), log.format), (2, 1, LogFormat::Ndjson));
        assert_eq!(&*log.unreadable()[0].raw, "\"{\\\"kind\\\":1}\"");
        assert!(parse_log("\"a\"\n\"b\"\n").unwrap_err().to_string().contains("must be an event object"));
    }

    #[test]
    fn each_line_may_have_its_own_shape() {
        let text = concat!(
            r#"{"type":"Deposit","amount":100}"#,
            "\n",
            r#"{"type":"Deposit","payload":{"amount":5}}"#,
            "\n",
            r#"{"specversion":"1.0","type":"Withdraw","source":"/atm","id":"x","data":{"amount":30}}"#,
            "\n",
            r#"{"eventType":"Deposit","eventId":"y","data":{"amount":1}}"#,
        );
        let log = parse_log(text).unwrap();
        let data: Vec<_> = log.events().iter().map(|e| e.data()).collect();
        assert_eq!(data, [r#"{"amount":100}"#, r#"{"amount":5}"#, r#"{"amount":30}"#, r#"{"amount":1}"#]);
        assert_eq!(log.format, LogFormat::Ndjson);
    }

    #[test]
    fn a_syntax_error_names_its_line_and_shows_it() {
        let text = "{\"type\":\"Deposit\",\"amount\":100}\n\n{\"type\": \"Withdraw\" \"amount\": 30}\n";
        assert_eq!(
            parse_log(text).unwrap_err(),
            LoadError::Syntax {
                line: 3,
                column: 21,
                message: "expected `,` or `}`".into(),
                excerpt: "  3 | {\"type\": \"Withdraw\" \"amount\": 30}\n    |                     ^".into(),
            }
        );
    }

    #[test]
    fn shape_errors_give_event_and_line() {
        let text = "{\"type\":\"Deposit\"}\n\n{\"amount\":5}\n[1]\n{\"type\":\"A\",\"seq\":\"x\"}";
        assert_eq!(
            parse_log(text).unwrap_err().to_string(),
            "Not a log of events (3 problems):\n\
             • event 2 (line 3): type is missing\n\
             • event 3 (line 4): the line must be an event object, found an array\n\
             • event 4 (line 5): seq must be a whole number, found a string"
        );
    }

    #[test]
    fn a_pretty_printed_object_is_not_json_lines() {
        let log = parse_log("{\n  \"events\": [{\"type\": \"A\"}]\n}").unwrap();
        assert_eq!(log.format, LogFormat::Envelope);
    }

    #[test]
    fn one_object_followed_by_something_else_is_a_syntax_error_on_that_line() {
        assert!(matches!(parse_log("{\"type\":\"A\"}\n[1]"), Err(LoadError::Syntax { line: 2, column: 1, .. })));
    }
}
