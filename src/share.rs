//! Share links: a small log carried in the URL fragment (`#log=<encoded>`), so a link opens the
//! same events on another machine with no server. The log is deflated (zlib, so a damaged link is
//! caught by its checksum) and written as URL-safe base64 without padding: only `A–Z a–z 0–9 - _`,
//! none of which a fragment needs escaped. Plain Rust so it is tested natively.
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use miniz_oxide::inflate::TINFLStatus;

/// The fragment key that carries an encoded log.
pub const FRAGMENT_KEY: &str = "log";

/// Longer links are unreliable to share (chat tools, mail clients and some browsers cut or refuse
/// them), so a log whose encoding is longer is offered as an export instead.
pub const MAX_LINK_CHARS: usize = 32_000;

/// A link never inflates to more than this: a few kilobytes of deflate can claim gigabytes (a zip
/// bomb), and a log that fits in a link is far smaller.
pub const MAX_INFLATED_BYTES: usize = 16 * 1024 * 1024;

/// Deflate's strongest ordinary level: links are short, so the time is small and every byte counts.
const LEVEL: u8 = 9;

/// The log `text` as it goes in a link: zlib-deflated, then URL-safe base64 without padding.
pub fn encode_log(text: &str) -> String {
    let compressed = miniz_oxide::deflate::compress_to_vec_zlib(text.as_bytes(), LEVEL);
    URL_SAFE_NO_PAD.encode(compressed)
}

/// The log a link carries, or why it cannot be read, in words a person can act on.
pub fn decode_log(encoded: &str) -> Result<String, String> {
    const DAMAGED: &str = "The share link is damaged";
    if encoded.is_empty() {
        return Err("The share link carries no log: nothing follows \"log=\".".into());
    }
    let compressed = URL_SAFE_NO_PAD.decode(encoded).map_err(|error| {
        let detail = match error {
            base64::DecodeError::InvalidByte(at, byte) => {
                format!("{} at position {} cannot be part of it", shown_byte(byte), at + 1)
            }
            base64::DecodeError::InvalidLastSymbol(at, byte) => {
                format!("it cannot end with {} at position {}; the link may be cut short", shown_byte(byte), at + 1)
            }
            base64::DecodeError::InvalidLength(len) => {
                format!("its length ({len} characters) is not one base64 can have; the link may be cut short")
            }
            base64::DecodeError::InvalidPadding => "it has padding (\"=\") where none belongs".to_string(),
        };
        format!("{DAMAGED}: its log is not URL-safe base64 ({detail}). Copy the whole link again.")
    })?;
    let bytes = miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&compressed, MAX_INFLATED_BYTES).map_err(
        |error| match error.status {
            TINFLStatus::HasMoreOutput => format!(
                "The share link's log would be over {} MB once decompressed: it is refused rather than freeze \
                 the page.",
                MAX_INFLATED_BYTES / (1024 * 1024)
            ),
            TINFLStatus::FailedCannotMakeProgress | TINFLStatus::NeedsMoreInput => {
                format!("{DAMAGED}: its compressed log ends too early; the link may be cut short. Copy the whole link again.")
            }
            TINFLStatus::Adler32Mismatch => {
                format!("{DAMAGED}: its compressed log fails its checksum; part of the link was changed.")
            }
            _ => format!("{DAMAGED}: its log is not deflate-compressed data ({error})."),
        },
    )?;
    String::from_utf8(bytes).map_err(|error| {
        format!(
            "{DAMAGED}: its decompressed log is not UTF-8 text (byte offset {} cannot be read).",
            error.utf8_error().valid_up_to()
        )
    })
}

fn shown_byte(byte: u8) -> String {
    if byte.is_ascii_graphic() {
        format!("the character '{}'", byte as char)
    } else {
        format!("the byte 0x{byte:02X}")
    }
}

/// Above this much JSON text a log is not even compressed for a link: it would need a ratio no log
/// reaches, and deflating it would only keep the page busy.
const MAX_SHAREABLE_TEXT: usize = 4 * 1024 * 1024;

/// A link to `page` (the app's address without query or fragment) that opens the JSON `text`
/// (compacted first: white space between tokens says nothing), or — when the encoded log is over
/// `MAX_LINK_CHARS` — the message that says to export instead.
pub fn share_link(page: &str, text: &str) -> Result<String, String> {
    if text.len() > MAX_SHAREABLE_TEXT {
        return Err(format!(
            "This log is too large for a link ({} MB as JSON; a link holds about {} KB compressed): use Export \
             instead.",
            text.len().div_ceil(1024 * 1024),
            MAX_LINK_CHARS / 1000
        ));
    }
    let encoded = encode_log(&compact_json(text));
    if encoded.len() > MAX_LINK_CHARS {
        return Err(format!(
            "This log is too large for a link ({} KB compressed; a link holds about {} KB): use Export instead.",
            encoded.len().div_ceil(1000),
            MAX_LINK_CHARS / 1000
        ));
    }
    Ok(format!("{page}#{FRAGMENT_KEY}={encoded}"))
}

/// JSON `text` without the white space between its tokens; strings (and so every value's text)
/// are kept exactly. Text that is not JSON is only stripped outside its quoted parts, so it stays
/// as wrong as it was.
pub fn compact_json(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        if in_string {
            out.push(c);
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
        } else if !matches!(c, ' ' | '\n' | '\r' | '\t') {
            in_string = c == '"';
            out.push(c);
        }
    }
    out
}

/// How a `?lesson=` value says the lesson itself follows (rather than the URL of its file): the
/// lesson file, compacted and encoded as a share link encodes a log.
pub const LESSON_PREFIX: &str = "inline:";

/// A link to `page` that opens the lesson file `text` itself: `page?lesson=inline:<encoded>`.
/// URL-safe base64 needs no escaping in a query. Over `MAX_LINK_CHARS`, the message that says to
/// share the file instead.
pub fn lesson_link(page: &str, text: &str) -> Result<String, String> {
    let too_large = |what: String| {
        format!(
            "This lesson is too large for a link ({what}; a link holds about {} KB): share the lesson file instead \
             (Download lesson file).",
            MAX_LINK_CHARS / 1000
        )
    };
    if text.len() > MAX_SHAREABLE_TEXT {
        return Err(too_large(format!("{} MB as JSON", text.len().div_ceil(1024 * 1024))));
    }
    let encoded = encode_log(&compact_json(text));
    if encoded.len() > MAX_LINK_CHARS {
        return Err(too_large(format!("{} KB compressed", encoded.len().div_ceil(1000))));
    }
    Ok(format!("{page}?lesson={LESSON_PREFIX}{encoded}"))
}

/// The lesson a `?lesson=` value carries itself, or why it cannot be read; `None` when the value
/// is not an inline lesson (it is then the URL of a lesson file).
pub fn lesson_in_param(value: &str) -> Option<Result<String, String>> {
    let encoded = value.strip_prefix(LESSON_PREFIX)?;
    Some(decode_log(encoded).map_err(|message| {
        message
            .replace("The share link's log", "The lesson link's lesson")
            .replace("The share link carries no log: nothing follows \"log=\".", "The lesson link carries no lesson.")
            .replace("The share link", "The lesson link")
    }))
}

/// The encoded log in a fragment (with or without its `#`), if it has a `log=` key.
pub fn log_in_fragment(fragment: &str) -> Option<&str> {
    pairs(fragment).find_map(|pair| pair.strip_prefix(FRAGMENT_KEY)?.strip_prefix('='))
}

/// The fragment without its `log=` pair, the other keys kept in order: `#at=3` from
/// `#log=…&at=3`, and `""` when nothing else was there.
pub fn without_log(fragment: &str) -> String {
    let kept: Vec<&str> = pairs(fragment).filter(|pair| !is_log_pair(pair) && !pair.is_empty()).collect();
    if kept.is_empty() {
        String::new()
    } else {
        format!("#{}", kept.join("&"))
    }
}

fn pairs(fragment: &str) -> impl Iterator<Item = &str> {
    fragment.strip_prefix('#').unwrap_or(fragment).split('&')
}

fn is_log_pair(pair: &str) -> bool {
    pair == FRAGMENT_KEY || pair.strip_prefix(FRAGMENT_KEY).is_some_and(|rest| rest.starts_with('='))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const LOG: &str = r#"[{"type":"Deposit","amount":100},{"type":"Withdraw","amount":30}]"#;

    fn zlib(bytes: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec_zlib(bytes, 6))
    }

    #[test]
    fn a_log_round_trips_through_url_safe_characters() {
        let encoded = encode_log(LOG);
        assert!(encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{encoded}");
        assert_eq!(decode_log(&encoded).unwrap(), LOG);
    }

    #[test]
    fn a_repetitive_log_compresses_well() {
        let log = format!("[{}]", vec![r#"{"type":"Deposit","stream":"acc-1","amount":100}"#; 500].join(","));
        let encoded = encode_log(&log);
        assert!(encoded.len() * 20 < log.len(), "{} chars for {} bytes", encoded.len(), log.len());
    }

    #[test]
    fn not_base64_names_the_character_and_its_position() {
        assert_eq!(
            decode_log("eJy!abc").unwrap_err(),
            "The share link is damaged: its log is not URL-safe base64 (the character '!' at position 4 cannot be \
             part of it). Copy the whole link again."
        );
        // Standard base64's '+' and '/' are not URL-safe base64.
        assert!(decode_log("ab+c").unwrap_err().contains("the character '+' at position 3"));
        assert!(decode_log("abcde").unwrap_err().contains("its length (5 characters)"));
        assert!(decode_log("abc=").unwrap_err().contains("padding"));
    }

    #[test]
    fn not_deflate_says_so() {
        let message = decode_log(&URL_SAFE_NO_PAD.encode(b"just some text, not compressed")).unwrap_err();
        assert!(
            message.starts_with("The share link is damaged: its log is not deflate-compressed data ("),
            "{message}"
        );
    }

    #[test]
    fn a_cut_link_says_it_may_be_cut_short() {
        let encoded = encode_log(&LOG.repeat(20));
        // Cut at a whole number of base64 groups, the bytes decode but the deflate stream stops.
        let message = decode_log(&encoded[..encoded.len() / 8 * 4]).unwrap_err();
        assert!(message.contains("ends too early; the link may be cut short"), "{message}");
        // Cut elsewhere, the base64 itself cannot end there.
        let cut = (1..encoded.len())
            .find(|&n| matches!(URL_SAFE_NO_PAD.decode(&encoded[..n]), Err(base64::DecodeError::InvalidLastSymbol(..))))
            .unwrap();
        let message = decode_log(&encoded[..cut]).unwrap_err();
        assert!(message.contains("it cannot end with the character"), "{message}");
        assert!(message.contains("the link may be cut short"), "{message}");
    }

    #[test]
    fn a_changed_link_fails_its_checksum() {
        let mut compressed = miniz_oxide::deflate::compress_to_vec_zlib(LOG.as_bytes(), 0);
        // Level 0 stores the bytes as they are: change one of the log's, keep the stream valid.
        let at = compressed.iter().position(|&b| b == b'D').unwrap();
        compressed[at] = b'E';
        let message = decode_log(&URL_SAFE_NO_PAD.encode(compressed)).unwrap_err();
        assert_eq!(
            message,
            "The share link is damaged: its compressed log fails its checksum; part of the link was changed."
        );
    }

    #[test]
    fn not_utf8_names_the_offset() {
        assert_eq!(
            decode_log(&zlib(b"[\"caf\xE9\"]")).unwrap_err(),
            "The share link is damaged: its decompressed log is not UTF-8 text (byte offset 5 cannot be read)."
        );
    }

    #[test]
    fn a_zip_bomb_is_refused() {
        let bomb = zlib(&vec![b' '; MAX_INFLATED_BYTES + 1]);
        assert!(bomb.len() < 40_000, "{} chars", bomb.len());
        assert_eq!(
            decode_log(&bomb).unwrap_err(),
            "The share link's log would be over 16 MB once decompressed: it is refused rather than freeze the page."
        );
        // Exactly at the limit is fine.
        assert_eq!(decode_log(&zlib(&vec![b' '; MAX_INFLATED_BYTES])).unwrap().len(), MAX_INFLATED_BYTES);
    }

    #[test]
    fn an_empty_value_says_there_is_no_log() {
        assert_eq!(decode_log("").unwrap_err(), "The share link carries no log: nothing follows \"log=\".");
    }

    #[test]
    fn a_link_is_the_page_and_the_fragment() {
        let link = share_link("https://example.com/rewind/", LOG).unwrap();
        assert_eq!(link, format!("https://example.com/rewind/#log={}", encode_log(LOG)));
        assert_eq!(decode_log(log_in_fragment(&link[link.find('#').unwrap()..]).unwrap()).unwrap(), LOG);
    }

    #[test]
    fn a_log_too_large_for_a_link_says_to_export() {
        // Random-looking text barely compresses.
        let mut seed = 1u64;
        let noise: String = (0..60_000)
            .map(|_| {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                char::from(b'!' + (seed >> 58) as u8)
            })
            .collect();
        let encoded = encode_log(&noise).len();
        assert!(encoded > MAX_LINK_CHARS);
        assert_eq!(
            share_link("https://example.com/", &noise).unwrap_err(),
            format!(
                "This log is too large for a link ({} KB compressed; a link holds about 32 KB): use Export instead.",
                encoded.div_ceil(1000)
            )
        );
    }

    #[test]
    fn compacting_keeps_strings_and_drops_the_space_between_tokens() {
        let pretty =
            "{\n  \"events\": [\n    {\"type\": \"Note\", \"text\": \"a  b\\\" c\\\\\", \"n\": 1.50}\n  ]\n}\n";
        assert_eq!(compact_json(pretty), r#"{"events":[{"type":"Note","text":"a  b\" c\\","n":1.50}]}"#);
    }

    #[test]
    fn a_shared_export_loads_as_the_same_log() {
        use rewind_engine::formats::{load_log, to_rewind_json};
        let text = std::fs::read_to_string("tests/fixtures/formats/envelope.json").unwrap();
        let exported = to_rewind_json(&load_log(&text).unwrap());
        let link = share_link("https://example.com/", &exported).unwrap();
        let shared = decode_log(log_in_fragment(link.split_once('#').unwrap().1).unwrap()).unwrap();
        assert!(shared.len() < exported.len());
        assert_eq!(to_rewind_json(&load_log(&shared).unwrap()), exported);
    }

    #[test]
    fn a_huge_log_is_refused_before_compressing() {
        let message = share_link("https://example.com/", &" ".repeat(MAX_SHAREABLE_TEXT + 1)).unwrap_err();
        assert_eq!(
            message,
            "This log is too large for a link (5 MB as JSON; a link holds about 32 KB compressed): use Export instead."
        );
    }

    #[test]
    fn the_log_key_is_found_and_removed_among_others() {
        assert_eq!(log_in_fragment("#log=abc&at=3"), Some("abc"));
        assert_eq!(log_in_fragment("at=3&log=abc"), Some("abc"));
        assert_eq!(log_in_fragment("#log="), Some(""));
        assert_eq!(log_in_fragment("#logx=abc&at=3"), None);
        assert_eq!(log_in_fragment(""), None);
        assert_eq!(without_log("#log=abc&at=3&stream=acc-1"), "#at=3&stream=acc-1");
        assert_eq!(without_log("#at=3&log=abc"), "#at=3");
        assert_eq!(without_log("#log=abc"), "");
        assert_eq!(without_log("#logx=1&log"), "#logx=1");
    }

    #[test]
    fn other_keys_of_a_share_fragment_still_parse() {
        let location = crate::location::Location::parse(&format!("#log={}&at=1&stream=acc-1", encode_log(LOG)));
        assert_eq!(location.at, Some(1));
        assert_eq!(location.stream.as_deref(), Some("acc-1"));
    }

    const LESSON: &str = r#"{
  "id": "x", "title": "T", "explanation": "One. Two.", "log": {"sample": "bank"},
  "steps": [{"task": "Do", "hint": "H", "check": {"cursor": {"at_least": 1}}}], "what_happened": "W"
}"#;

    #[test]
    fn a_lesson_link_carries_the_compacted_lesson_in_the_query() {
        let link = lesson_link("https://example.com/rewind/", LESSON).unwrap();
        let value = link.strip_prefix("https://example.com/rewind/?lesson=").unwrap();
        assert!(value.starts_with(LESSON_PREFIX));
        assert!(value.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_:".contains(&b)), "{value}");
        let lesson = lesson_in_param(value).unwrap().unwrap();
        assert_eq!(lesson, compact_json(LESSON));
        assert_eq!(rewind_learn::parse_lesson(&lesson).unwrap().id, "x");
        // A URL of a lesson file is not an inline lesson.
        assert_eq!(lesson_in_param("lessons/late-fee.json"), None);
        assert_eq!(lesson_in_param("https://example.com/a.json"), None);
    }

    #[test]
    fn a_damaged_lesson_link_says_so_in_lesson_terms() {
        assert_eq!(lesson_in_param("inline:").unwrap().unwrap_err(), "The lesson link carries no lesson.");
        let message = lesson_in_param("inline:eJy!abc").unwrap().unwrap_err();
        assert!(message.starts_with("The lesson link is damaged: "), "{message}");
    }

    #[test]
    fn a_lesson_too_large_for_a_link_says_to_share_the_file() {
        let mut seed = 7u64;
        let noise: String = (0..60_000)
            .map(|_| {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                char::from(b'a' + (seed >> 59) as u8)
            })
            .collect();
        let message = lesson_link("https://example.com/", &format!("{{\"n\":\"{noise}\"}}")).unwrap_err();
        assert!(message.starts_with("This lesson is too large for a link ("), "{message}");
        assert!(message.ends_with("a link holds about 32 KB): share the lesson file instead (Download lesson file)."));
    }

    proptest! {
        #[test]
        fn any_text_round_trips(text in any::<String>()) {
            prop_assert_eq!(decode_log(&encode_log(&text)), Ok(text));
        }

        #[test]
        fn compacting_json_keeps_its_value(value in proptest::collection::vec((".{0,8}", -1000i64..1000), 0..6)) {
            let json = serde_json::json!(value.iter().map(|(s, n)| serde_json::json!({"s": s, "n": n})).collect::<Vec<_>>());
            let pretty = serde_json::to_string_pretty(&json).unwrap();
            let compact: serde_json::Value = serde_json::from_str(&compact_json(&pretty)).unwrap();
            prop_assert_eq!(compact, json);
        }

        #[test]
        fn nothing_panics_the_decoder(encoded in "[A-Za-z0-9_-]{0,200}") {
            let _ = decode_log(&encoded);
        }
    }
}
