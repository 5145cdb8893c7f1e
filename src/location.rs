//! Where a person is in the app, as the URL fragment carries it (`#at=12&stream=acc-1&sample=bank`,
//! or `#/learn/3&at=2` inside a lesson), so a reload or a shared link returns to the same place.
//! Plain Rust so it is tested natively.

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Location {
    /// Timeline position; clamped to the log by whoever applies it.
    pub at: Option<usize>,
    pub stream: Option<String>,
    pub sample: Option<String>,
    /// The lesson open in Learn mode (1-based, as in `#/learn/3`); `None` in Explore mode.
    pub lesson: Option<usize>,
}

impl Location {
    /// Reads a fragment with or without its leading `#`. Unknown keys and unreadable values are
    /// ignored: a hand-edited link should still open the app.
    pub fn parse(fragment: &str) -> Location {
        let mut location = Location::default();
        let mut rest = fragment.trim_start_matches('#');
        if let Some(route) = rest.strip_prefix("/learn/") {
            let (number, after) = route.split_once('&').unwrap_or((route, ""));
            location.lesson = number.parse().ok().filter(|&n| n >= 1);
            rest = after;
        }
        for pair in rest.split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = decode(value);
            match key {
                "at" => location.at = value.parse().ok(),
                "stream" if !value.is_empty() => location.stream = Some(value),
                "sample" if !value.is_empty() => location.sample = Some(value),
                _ => {}
            }
        }
        location
    }

    pub fn to_fragment(&self) -> String {
        let mut parts = Vec::new();
        if let Some(lesson) = self.lesson {
            parts.push(format!("/learn/{lesson}"));
        }
        if let Some(sample) = &self.sample {
            parts.push(format!("sample={}", encode(sample)));
        }
        if let Some(at) = self.at {
            parts.push(format!("at={at}"));
        }
        if let Some(stream) = &self.stream {
            parts.push(format!("stream={}", encode(stream)));
        }
        format!("#{}", parts.join("&"))
    }
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Decodes percent-escapes; a malformed escape is kept as written.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (b'+', _, _) => {
                out.push(b' ');
                i += 1;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_fragment_carries_position_stream_and_sample() {
        let location = Location::parse("#sample=store&at=4&stream=order-1001");
        assert_eq!(location.at, Some(4));
        assert_eq!(location.stream.as_deref(), Some("order-1001"));
        assert_eq!(location.sample.as_deref(), Some("store"));
    }

    #[test]
    fn a_lesson_route_comes_first() {
        let location = Location::parse("#/learn/3&at=2");
        assert_eq!((location.lesson, location.at), (Some(3), Some(2)));
        assert_eq!(Location::parse("#/learn/0").lesson, None);
        assert_eq!(location.to_fragment(), "#/learn/3&at=2");
    }

    #[test]
    fn garbage_is_ignored_not_fatal() {
        assert_eq!(Location::parse("#at=-3&stream=&zoom=9&%%%"), Location::default());
    }

    #[test]
    fn stream_names_with_reserved_characters_survive() {
        let location = Location { at: Some(1), stream: Some("a&b=c #1/ü".into()), sample: None, lesson: None };
        assert_eq!(Location::parse(&location.to_fragment()), location);
    }

    proptest! {
        #[test]
        fn any_location_round_trips(
            at in proptest::option::of(0usize..1_000_000),
            stream in proptest::option::of(".{1,20}"),
            lesson in proptest::option::of(1usize..20),
        ) {
            let location = Location { at, stream, sample: Some("bank".into()), lesson };
            prop_assert_eq!(Location::parse(&location.to_fragment()), location);
        }
    }
}
