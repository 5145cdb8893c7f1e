//! From bytes to text before any parsing: the size limit, encodings (UTF-8 with or without a
//! byte-order mark, UTF-16 with or without one) and files that are not text at all. Pure: the UI
//! reads the file; these decide what it is.
use super::LoadError;

/// Files above this are refused rather than freeze the page (the UI may offer a different limit).
pub const DEFAULT_MAX_BYTES: usize = 256 * 1024 * 1024;

/// How many leading bytes (or characters) decide whether the input is "mostly not text".
const SNIFF: usize = 4096;

/// Refuses `len` bytes when over `limit`; check before reading a file so a huge one never
/// reaches the parser.
pub fn check_size(len: usize, limit: usize) -> Result<(), LoadError> {
    if len > limit {
        Err(LoadError::TooLarge { size: len, limit })
    } else {
        Ok(())
    }
}

/// A file's bytes as text: UTF-8 (a byte-order mark is dropped) or UTF-16 (with a byte-order
/// mark, or recognised by its zero bytes). Binary files and other encodings are refused with a
/// message that says what was found and where. UTF-8 becomes the text in place: a large file is
/// never held twice.
pub fn decode_bytes(bytes: impl Into<Vec<u8>>) -> Result<String, LoadError> {
    let mut bytes = bytes.into();
    if bytes.is_empty() {
        return Err(LoadError::EmptyFile);
    }
    // UTF-32 first: its little-endian mark starts with UTF-16's.
    if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) || bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
        return Err(encoding("The file is UTF-32 text, which Rewind does not read"));
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
        return utf8(bytes, 3);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, Endian::Little, 2);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, Endian::Big, 2);
    }
    if let Some(endian) = utf16_without_mark(&bytes) {
        return utf16(&bytes, endian, 0);
    }
    if let Some(reason) = binary_bytes(&bytes) {
        return Err(LoadError::Binary { reason });
    }
    utf8(bytes, 0)
}

fn encoding(what: &str) -> LoadError {
    LoadError::Encoding { message: format!("{what}: save the log as UTF-8 and load it again.") }
}

fn utf8(bytes: Vec<u8>, offset: usize) -> Result<String, LoadError> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(error) => {
            let (bytes, error) = (error.as_bytes(), error.utf8_error());
            let at = error.valid_up_to();
            let bad = error.error_len().map(|_| bytes[at]);
            Err(not_utf8(&bytes[..at], offset, bad))
        }
    }
}

/// Valid UTF-8 `before` (after `offset` bytes of byte-order mark), then the byte `bad` that is
/// not, or (`None`) the end in the middle of a character.
fn not_utf8(before: &[u8], offset: usize, bad: Option<u8>) -> LoadError {
    let line = memchr::memchr_iter(b'\n', before).count() + 1;
    let position = format!("at byte offset {} (line {line})", offset + before.len());
    match bad {
        None => encoding(&format!("The file is not valid UTF-8: it ends in the middle of a character {position}")),
        Some(byte) => encoding(&format!(
            "The file is not valid UTF-8: byte 0x{byte:02X} {position} cannot be read. It may be in another \
             encoding, such as Windows-1252 or Latin-1"
        )),
    }
}

/// `decode_bytes` fed a piece at a time, as a file is read: UTF-8 is checked and becomes text
/// piece by piece, so a large file is not checked in one long pass once it is read (60 ms for
/// 127 MB in the page). Whatever the pieces, `finish` gives what `decode_bytes` gives for all
/// the bytes at once: the same text or the same error.
pub struct DecodeInPieces {
    read: Pieces,
    /// The file's size, which the text's memory is reserved for.
    size: usize,
}

enum Pieces {
    /// Fewer bytes than decide what the file is.
    Undecided(Vec<u8>),
    /// UTF-16, or bytes that will be refused: decoded (or refused) at the end by `decode_bytes`.
    Whole(Vec<u8>),
    Utf8(Utf8Pieces),
}

struct Utf8Pieces {
    text: String,
    /// The start of a character cut by the end of the last piece.
    cut: Vec<u8>,
    /// The bytes of a byte-order mark dropped before the text (3 or 0).
    offset: usize,
    /// Without a mark, a NUL anywhere refuses the file as binary (`decode_bytes` says so before
    /// any UTF-8 error): whether to look, and where the first one is.
    look_for_nul: bool,
    nul: Option<usize>,
    bytes: usize,
    /// Why the bytes are not UTF-8, once found; the text then grows no more.
    invalid: Option<LoadError>,
}

impl DecodeInPieces {
    /// Ready for a file of `size` bytes (more or fewer may come).
    pub fn new(size: usize) -> DecodeInPieces {
        DecodeInPieces { read: Pieces::Undecided(Vec::new()), size }
    }

    /// The next bytes of the file. An error only when there is no memory to hold the file.
    pub fn push(&mut self, piece: &[u8]) -> Result<(), std::collections::TryReserveError> {
        match &mut self.read {
            Pieces::Undecided(head) => {
                head.extend_from_slice(piece);
                if head.len() >= SNIFF {
                    self.read = decide(std::mem::take(head), self.size)?;
                }
            }
            Pieces::Whole(bytes) => bytes.extend_from_slice(piece),
            Pieces::Utf8(utf8) => utf8.push(piece),
        }
        Ok(())
    }

    /// The text, or why the bytes are not a text file.
    pub fn finish(self) -> Result<String, LoadError> {
        match self.read {
            Pieces::Undecided(bytes) | Pieces::Whole(bytes) => decode_bytes(bytes),
            Pieces::Utf8(utf8) => utf8.finish(),
        }
    }
}

/// How the rest of a file that starts with `head` is read: as UTF-8 a piece at a time, unless
/// `decode_bytes` would read it otherwise or refuse it for how it starts.
fn decide(head: Vec<u8>, size: usize) -> Result<Pieces, std::collections::TryReserveError> {
    let utf32 = head.starts_with(&[0xFF, 0xFE, 0, 0]) || head.starts_with(&[0, 0, 0xFE, 0xFF]);
    let offset = match head.starts_with(&[0xEF, 0xBB, 0xBF]) && !utf32 {
        true => 3,
        false
            if utf32
                || head.starts_with(&[0xFF, 0xFE])
                || head.starts_with(&[0xFE, 0xFF])
                || utf16_without_mark(&head).is_some()
                || refused_for_its_start(&head) =>
        {
            let mut bytes = Vec::new();
            bytes.try_reserve_exact(size.max(head.len()))?;
            bytes.extend_from_slice(&head);
            return Ok(Pieces::Whole(bytes));
        }
        false => 0,
    };
    let mut text = String::new();
    text.try_reserve_exact(size.saturating_sub(offset))?;
    let mut utf8 =
        Utf8Pieces { text, cut: Vec::new(), offset, look_for_nul: offset == 0, nul: None, bytes: 0, invalid: None };
    utf8.push(&head[offset..]);
    Ok(Pieces::Utf8(utf8))
}

impl Utf8Pieces {
    fn push(&mut self, piece: &[u8]) {
        if self.look_for_nul && self.nul.is_none() {
            self.nul = memchr::memchr(0, piece).map(|at| self.bytes + at);
        }
        self.bytes += piece.len();
        if self.invalid.is_some() {
            return;
        }
        let joined;
        let input = match self.cut.is_empty() {
            true => piece,
            false => {
                joined = [std::mem::take(&mut self.cut).as_slice(), piece].concat();
                joined.as_slice()
            }
        };
        match std::str::from_utf8(input) {
            Ok(text) => self.text.push_str(text),
            Err(error) => {
                let valid = error.valid_up_to();
                self.text.push_str(std::str::from_utf8(&input[..valid]).expect("valid up to here"));
                match error.error_len() {
                    None => self.cut.extend_from_slice(&input[valid..]),
                    Some(_) => self.invalid = Some(not_utf8(self.text.as_bytes(), self.offset, Some(input[valid]))),
                }
            }
        }
    }

    fn finish(self) -> Result<String, LoadError> {
        if let Some(at) = self.nul {
            return Err(LoadError::Binary { reason: nul_bytes_at(at) });
        }
        match self.invalid {
            Some(error) => Err(error),
            None if !self.cut.is_empty() => Err(not_utf8(self.text.as_bytes(), self.offset, None)),
            None => Ok(self.text),
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Endian {
    Little,
    Big,
}

fn utf16(bytes: &[u8], endian: Endian, offset: usize) -> Result<String, LoadError> {
    if !bytes.len().is_multiple_of(2) {
        return Err(encoding("The file is UTF-16 text but ends in the middle of a character (an odd number of bytes)"));
    }
    let units = bytes.chunks_exact(2).map(|pair| match endian {
        Endian::Little => u16::from_le_bytes([pair[0], pair[1]]),
        Endian::Big => u16::from_be_bytes([pair[0], pair[1]]),
    });
    let mut text = String::with_capacity(bytes.len() / 2);
    let mut unit = 0;
    for decoded in char::decode_utf16(units) {
        match decoded {
            Ok(c) => {
                text.push(c);
                unit += c.len_utf16();
            }
            Err(error) => {
                return Err(encoding(&format!(
                    "The file is UTF-16 text, but the unpaired surrogate 0x{:04X} at byte offset {} cannot be \
                     decoded",
                    error.unpaired_surrogate(),
                    offset + unit * 2
                )))
            }
        }
    }
    Ok(text)
}

/// UTF-16 without a byte-order mark: in its first characters, most code units are ASCII, so one
/// byte of each pair is zero. (JSON starts with ASCII: `[`, `{`, white space.)
fn utf16_without_mark(bytes: &[u8]) -> Option<Endian> {
    let sample = &bytes[..bytes.len().min(64) & !1];
    let units = sample.len() / 2;
    if units < 2 {
        return None;
    }
    let count = |zero: usize| sample.chunks_exact(2).filter(|p| p[zero] == 0 && p[1 - zero] != 0).count();
    let (little, big) = (count(1), count(0));
    // At least three in four, and the first: a binary file rarely looks like this.
    if little * 4 >= units * 3 && sample[1] == 0 {
        Some(Endian::Little)
    } else if big * 4 >= units * 3 && sample[0] == 0 {
        Some(Endian::Big)
    } else {
        None
    }
}

/// Why `bytes` are not text, if they are not.
fn binary_bytes(bytes: &[u8]) -> Option<String> {
    if bytes.starts_with(&[0x1F, 0x8B]) {
        return Some("it is gzip-compressed: decompress it first".into());
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Some("it is a ZIP archive: extract the log from it first".into());
    }
    if let Some(at) = memchr::memchr(0, bytes) {
        return Some(nul_bytes_at(at));
    }
    control_start(bytes).then(|| "many of its first bytes are control characters".into())
}

fn nul_bytes_at(at: usize) -> String {
    format!("it contains NUL bytes, the first at byte offset {at}")
}

/// Whether `binary_bytes` refuses `bytes` for how they start, whatever follows.
fn refused_for_its_start(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1F, 0x8B]) || bytes.starts_with(b"PK\x03\x04") || control_start(bytes)
}

/// Whether the first bytes are mostly control characters.
fn control_start(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(SNIFF)];
    let control = sample.iter().filter(|&&b| is_control(b as char)).count();
    mostly_control(control, sample.len())
}

/// Why already-decoded `text` is not text (a pasted or lossily decoded binary file), judged by its
/// first characters.
pub(super) fn binary_start(text: &str) -> Option<String> {
    let mut sample = 0;
    let mut odd = 0;
    for c in text.chars().take(SNIFF) {
        sample += 1;
        odd += usize::from(is_control(c) || c == char::REPLACEMENT_CHARACTER);
    }
    // A NUL is the plainer sign, and is named wherever it is.
    mostly_control(odd, sample).then(|| {
        nul_in(text).unwrap_or_else(|| "many of its first characters are control characters or unreadable bytes".into())
    })
}

/// Where `text` has a NUL, said for people. Asked only of text that failed to parse: JSON cannot
/// hold a raw NUL, so a log that parses has none, and a large one is not scanned for nothing.
pub(super) fn nul_in(text: &str) -> Option<String> {
    let at = memchr::memchr(0, text.as_bytes())?;
    Some(format!("it contains NUL characters, the first on line {}", super::line_of(text, at)))
}

/// Control characters other than the white space text uses (tab, line feed, form feed, return),
/// DEL and the C1 controls: JSON strings may hold those as they are, so a log's own export can be
/// full of them (found by fuzzing: a stream named with 200 DELs made its JSON Lines "binary").
fn is_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c' | '\x7f') && !('\u{80}'..='\u{9f}').contains(&c)
}

/// More than one in ten: text has almost none.
fn mostly_control(control: usize, of: usize) -> bool {
    of > 0 && control * 10 > of
}

/// `bytes` for people: "256 MB", "300.5 MB", "12 KB", "900 bytes".
pub(super) fn megabytes(bytes: usize) -> String {
    const KB: f64 = 1024.0;
    const MB: f64 = KB * KB;
    if bytes as f64 >= MB / 10.0 {
        format!("{:.1} MB", bytes as f64 / MB).replace(".0 MB", " MB")
    } else if bytes >= 1024 {
        format!("{:.0} KB", bytes as f64 / KB)
    } else if bytes == 1 {
        "1 byte".into()
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn message(result: Result<String, LoadError>) -> String {
        result.unwrap_err().to_string()
    }

    #[test]
    fn a_utf8_byte_order_mark_is_dropped() {
        assert_eq!(decode_bytes(b"\xEF\xBB\xBF[1]".to_vec()).unwrap(), "[1]");
    }

    #[test]
    fn utf16_with_a_byte_order_mark_is_decoded_both_ways() {
        let text = "[{\"type\":\"Dépôt\"}]";
        let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let be: Vec<u8> = [0xFE, 0xFF].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect();
        assert_eq!(decode_bytes(le.to_vec()).unwrap(), text);
        assert_eq!(decode_bytes(be.to_vec()).unwrap(), text);
    }

    #[test]
    fn utf16_without_a_byte_order_mark_is_recognised() {
        let text = "[{\"type\": \"Deposit\", \"amount\": 100}]";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode_bytes(le.to_vec()).unwrap(), text);
        assert_eq!(decode_bytes(be.to_vec()).unwrap(), text);
    }

    #[test]
    fn broken_utf16_says_where() {
        assert_eq!(
            message(decode_bytes([0xFF, 0xFE, b'[', 0, 0x00, 0xD8, b']', 0])),
            "The file is UTF-16 text, but the unpaired surrogate 0xD800 at byte offset 4 cannot be decoded: save \
             the log as UTF-8 and load it again."
        );
        assert!(message(decode_bytes([0xFF, 0xFE, b'[', 0, b']'])).contains("odd number of bytes"));
    }

    #[test]
    fn utf32_is_refused_by_name() {
        assert_eq!(
            message(decode_bytes(vec![0xFF, 0xFE, 0, 0, b'[', 0, 0, 0])),
            "The file is UTF-32 text, which Rewind does not read: save the log as UTF-8 and load it again."
        );
    }

    #[test]
    fn invalid_utf8_names_the_byte_and_its_offset() {
        assert_eq!(
            message(decode_bytes(b"[\n{\"type\":\"D\xE9p\xF4t\"}]")),
            "The file is not valid UTF-8: byte 0xE9 at byte offset 12 (line 2) cannot be read. It may be in \
             another encoding, such as Windows-1252 or Latin-1: save the log as UTF-8 and load it again."
        );
        assert!(message(decode_bytes(b"[\"\xC3")).contains("ends in the middle of a character at byte offset 2"));
    }

    #[test]
    fn binary_files_are_refused_with_what_was_found() {
        assert_eq!(
            message(decode_bytes(b"[1,\x00\x01]".to_vec())),
            "This is not a text file (it contains NUL bytes, the first at byte offset 3): Rewind reads event logs \
             written as JSON text."
        );
        assert!(message(decode_bytes(vec![0x1F, 0x8B, 8, 0])).contains("gzip-compressed: decompress it first"));
        assert!(message(decode_bytes(b"PK\x03\x04rest".to_vec())).contains("ZIP archive"));
        assert!(message(decode_bytes(b"\x01\x02\x03\x04{}".to_vec())).contains("control characters"));
    }

    fn in_pieces(bytes: &[u8], cuts: &[usize]) -> Result<String, LoadError> {
        let mut decode = DecodeInPieces::new(bytes.len());
        let mut start = 0;
        for &cut in cuts.iter().chain([&bytes.len()]) {
            let end = cut.clamp(start, bytes.len());
            decode.push(&bytes[start..end]).unwrap();
            start = end;
        }
        decode.finish()
    }

    #[test]
    fn in_pieces_a_character_cut_between_pieces_is_whole() {
        let text = "[{\"type\":\"Dépôt 💶\"}]".repeat(400);
        for cut in 4090..4110 {
            assert_eq!(in_pieces(text.as_bytes(), &[1, cut, cut + 1, cut + 3]).unwrap(), text);
        }
    }

    #[test]
    fn in_pieces_the_errors_are_those_of_all_the_bytes_at_once() {
        let long = |tail: &[u8]| [b"[".repeat(5000).as_slice(), tail].concat();
        for bytes in [
            long(b"\xE9\n"),
            long(b"\xC3"),
            long(b"\xE9 then a NUL \x00"),
            [b"\xEF\xBB\xBF".as_slice(), &long(b"\x00 is text after a mark")].concat(),
            [b"\xEF\xBB\xBF".as_slice(), &long(b"\n\xF0\x9F")].concat(),
            b"\x1F\x8B".repeat(3000),
            b"".to_vec(),
            b"\xEF\xBB\xBF".to_vec(),
        ] {
            for cuts in [vec![], vec![1], vec![4095, 4096, 4097], vec![5000, 5001]] {
                assert_eq!(in_pieces(&bytes, &cuts), decode_bytes(bytes.clone()), "{cuts:?}");
            }
        }
    }

    proptest! {
        /// Whatever the bytes and wherever the pieces end, the same text or the same error.
        #[test]
        fn in_pieces_is_decode_bytes(
            parts in proptest::collection::vec(
                prop_oneof![
                    proptest::string::string_regex("[ -~\n]{0,40}").unwrap().prop_map(String::into_bytes),
                    proptest::string::string_regex("[é€💶\u{80}]{1,4}").unwrap().prop_map(String::into_bytes),
                    proptest::collection::vec(proptest::num::u8::ANY, 0..3),
                    proptest::sample::select(vec![
                        b"\xEF\xBB\xBF".to_vec(), b"\xFF\xFE".to_vec(), b"\x00".to_vec(), b"{\"a\":1}\n".repeat(600),
                    ]),
                ],
                0..24,
            ),
            cuts in proptest::collection::vec(0usize..8000, 0..6),
        ) {
            let bytes = parts.concat();
            let mut cuts = cuts;
            cuts.sort_unstable();
            prop_assert_eq!(in_pieces(&bytes, &cuts), decode_bytes(bytes.clone()));
        }
    }

    #[test]
    fn a_zero_byte_file_has_its_own_message() {
        assert_eq!(message(decode_bytes(b"".to_vec())), "The file is empty (0 bytes): there is no log in it.");
    }

    #[test]
    fn the_size_limit_is_inclusive_and_named_in_megabytes() {
        assert_eq!(check_size(DEFAULT_MAX_BYTES, DEFAULT_MAX_BYTES), Ok(()));
        assert_eq!(
            check_size(DEFAULT_MAX_BYTES * 2, DEFAULT_MAX_BYTES).unwrap_err().to_string(),
            "The file is 512 MB, over the 256 MB limit: it is refused rather than freeze the page. Load a smaller \
             part of the log."
        );
        assert_eq!(megabytes(2048), "2 KB");
        assert_eq!(megabytes(900), "900 bytes");
        assert_eq!(megabytes(1024 * 1024 * 3 / 2), "1.5 MB");
    }
}
