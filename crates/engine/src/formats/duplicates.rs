//! Keys written twice in one JSON object. JSON leaves it undefined; JavaScript (and `Fields::get`,
//! and serde_json's maps) take the last, silently. Rewind reads the last too, but flags the event
//! (an integrity warning at it), so a hand-edited or hostile log cannot hide a value behind a
//! second key that the person never sees.
use rustc_hash::FxHashSet;
use std::borrow::Cow;

/// A key written twice in one object of an event: where that object is, and the key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DuplicateKey {
    /// 0-based position of the event in the log.
    pub position: usize,
    /// The object holding the key: `""` for the event itself, else a path such as `data` or
    /// `data.items[2]`.
    pub path: String,
    pub key: String,
}

impl DuplicateKey {
    /// For people: `key "amount" appears twice in data: the last one is read`.
    pub fn message(&self) -> String {
        let within = if self.path.is_empty() { "the event".to_string() } else { self.path.clone() };
        let key = crate::inspect::integrity::shortened(&self.key);
        let within = crate::inspect::integrity::shortened(&within);
        format!("key {key:?} appears twice in {within}: the last one is read")
    }
}

/// A string in an event that is no text: valid JSON, but its escapes spell a lone surrogate
/// (`"\ud800"`), which no string can hold. Kept as written (shown with its escapes), and flagged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoText {
    /// 0-based position of the event in the log.
    pub position: usize,
    /// Where the string is: `data.note`, `meta.tags[2]`; a key is named by its object's path.
    pub path: String,
}

impl NoText {
    /// For people: `data.note holds a lone surrogate (an escape such as \ud800 that is no text):
    /// it is kept as written`.
    pub fn message(&self) -> String {
        let at = if self.path.is_empty() { "the event".to_string() } else { self.path.clone() };
        format!(
            "{} holds a lone surrogate (an escape such as \\ud800 that is no text): it is kept as written",
            crate::inspect::integrity::shortened(&at)
        )
    }
}

/// What one walk over an event finds: the first key written twice (its object's path and the
/// key) and the first string that is no text (its path).
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Found {
    pub duplicate: Option<(String, String)>,
    pub no_text: Option<String>,
}

/// Objects with up to this many keys are checked by comparing each new key with the ones before;
/// larger ones by a hash set, so a hostile object with 100,000 keys costs no more than it should.
const LINEAR: usize = 16;

/// The first key written twice in any object of the JSON value `text` (already validated): the
/// path of its object and the key. `None` when every object's keys are distinct.
///
/// A walk over the bytes rather than a parse: every event is checked at load, and a serde walk
/// (which, with `arbitrary_precision`, allocates every number) doubled the time to read a log.
#[cfg(test)]
pub(crate) fn first_duplicate(text: &str) -> Option<(String, String)> {
    scan(text).duplicate
}

/// The first key written twice and the first string that is no text in the JSON value `text`
/// (already validated). See `first_duplicate`.
pub(crate) fn scan(text: &str) -> Found {
    let bytes = text.as_bytes();
    let mut found = Found::default();
    // Cheap first: an object with one key, or none, cannot repeat one; a string without an
    // escape is text.
    let may_repeat = memchr::memchr(b',', bytes).is_some();
    if !may_repeat && memchr::memchr(b'\\', bytes).is_none() {
        return found;
    }
    let mut frames: Vec<Frame> = Vec::with_capacity(8);
    // The keys of every open object, innermost last (each frame knows where its own start).
    let mut keys: Vec<Cow<str>> = Vec::with_capacity(32);
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'[' => {
                let at = frames.last().map(Frame::child_step);
                let object = bytes[i] == b'{';
                frames.push(Frame { object, start: keys.len(), many: None, at, key: None, index: 0, expect_key: true });
                i += 1;
            }
            b'}' | b']' => {
                if let Some(frame) = frames.pop() {
                    keys.truncate(frame.start);
                }
                i += 1;
            }
            b',' => {
                if let Some(frame) = frames.last_mut() {
                    frame.index += 1;
                    frame.expect_key = true;
                }
                i += 1;
            }
            b':' => {
                if let Some(frame) = frames.last_mut() {
                    frame.expect_key = false;
                }
                i += 1;
            }
            b'"' => {
                let Some((end, escaped)) = string_end(bytes, i) else { return found };
                let quoted = &text[i..end];
                let is_key = frames.last().is_some_and(|f| f.object && f.expect_key);
                if found.no_text.is_none() && escaped && serde_json::from_str::<String>(quoted).is_err() {
                    let mut at = path(&frames);
                    if !is_key {
                        if let Some(frame) = frames.last() {
                            push_step(&mut at, &frame.child_step());
                        }
                    }
                    found.no_text = Some(at);
                    if found.duplicate.is_some() || !may_repeat {
                        return found;
                    }
                }
                if let Some(frame) = frames.last_mut().filter(|_| is_key && found.duplicate.is_none()) {
                    let key = key_text(quoted);
                    if !frame.insert(&mut keys, key.clone()) {
                        found.duplicate = Some((path(&frames), key.into_owned()));
                        if found.no_text.is_some() {
                            return found;
                        }
                    } else {
                        frame.key = Some(key);
                    }
                }
                i = end;
            }
            _ => i += 1,
        }
    }
    found
}

/// An open object or array.
struct Frame<'a> {
    object: bool,
    /// Where this object's keys start in the shared list, while it has few.
    start: usize,
    /// Its keys once it has many.
    many: Option<FxHashSet<Cow<'a, str>>>,
    /// Where this container sits in its parent; `None` at the top.
    at: Option<Step<'a>>,
    /// An object's last key.
    key: Option<Cow<'a, str>>,
    /// An array's element index.
    index: usize,
    expect_key: bool,
}

impl<'a> Frame<'a> {
    /// Where a container opened now sits in this one.
    fn child_step(&self) -> Step<'a> {
        match (self.object, &self.key) {
            (true, Some(key)) => Step::Key(key.clone()),
            _ => Step::Index(self.index),
        }
    }

    /// Adds one of this object's keys; false when it was there already.
    fn insert(&mut self, keys: &mut Vec<Cow<'a, str>>, key: Cow<'a, str>) -> bool {
        if let Some(many) = &mut self.many {
            return many.insert(key);
        }
        if keys[self.start..].contains(&key) {
            return false;
        }
        keys.push(key);
        if keys.len() - self.start > LINEAR {
            self.many = Some(keys.drain(self.start..).collect());
        }
        true
    }
}

enum Step<'a> {
    Key(Cow<'a, str>),
    Index(usize),
}

/// The byte after the string starting with the quote at `start`, and whether it has an escape;
/// `None` if it never ends.
fn string_end(bytes: &[u8], start: usize) -> Option<(usize, bool)> {
    let mut i = start + 1;
    let mut escaped = false;
    loop {
        i += memchr::memchr2(b'"', b'\\', bytes.get(i..)?)?;
        if bytes[i] == b'\\' {
            escaped = true;
            i += 2;
        } else {
            return Some((i + 1, escaped));
        }
    }
}

/// A key's text from its quoted JSON: escapes decoded (so `"t\u0079pe"` is `type`), rare enough
/// to pay for; a key that is no text (a lone surrogate) compared as written.
fn key_text(quoted: &str) -> Cow<'_, str> {
    let inner = &quoted[1..quoted.len() - 1];
    if !inner.contains('\\') {
        return Cow::Borrowed(inner);
    }
    serde_json::from_str::<String>(quoted).map_or(Cow::Borrowed(inner), Cow::Owned)
}

/// The path of the innermost open object: `data.items[2]`, or `""` for the top.
fn path(frames: &[Frame]) -> String {
    let mut path = String::new();
    for step in frames.iter().filter_map(|frame| frame.at.as_ref()) {
        push_step(&mut path, step);
    }
    path
}

fn push_step(path: &mut String, step: &Step) {
    match step {
        Step::Key(key) => {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(key);
        }
        Step::Index(index) => path.push_str(&format!("[{index}]")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Option<(String, String)> {
        first_duplicate(text)
    }

    #[test]
    fn distinct_keys_are_not_flagged() {
        assert_eq!(found(r#"{"type":"A","data":{"a":1,"b":{"a":2}},"x":[{"a":1},{"a":2}]}"#), None);
        assert_eq!(found(r#"{"type":"A"}"#), None);
        assert_eq!(found("[1,2,3]"), None);
        assert_eq!(found(r#"{"a":{"b":1,"c":2},"c":{"b":1,"c":[{"b":1},{"b":2,"c":3}]}}"#), None);
        // What looks like a key inside a string is not one.
        assert_eq!(found(r#"{"a":"x,\"a\":1,{\"b\":2","b":"{\"a\":[1]}","c":"\\"}"#), None);
        assert_eq!(found(r#"{"a": [ {"k" : 1 , "j" : 2} , {"k": 1} ] , "b" : 1.5e3, "c": true, "d": null}"#), None);
    }

    #[test]
    fn a_repeated_key_is_found_with_the_path_of_its_object() {
        assert_eq!(found(r#"{"type":"A","type":"B"}"#), Some(("".into(), "type".into())));
        assert_eq!(found(r#"{"type":"A","data":{"amount":1,"amount":2}}"#), Some(("data".into(), "amount".into())));
        assert_eq!(
            found(r#"{"type":"A","data":{"items":[{"sku":"a"},{"sku":"b","sku":"c"}]}}"#),
            Some(("data.items[1]".into(), "sku".into()))
        );
    }

    #[test]
    fn a_repeat_after_nested_values_and_white_space_is_found() {
        assert_eq!(
            found("{ \"a\" : [ {\"x\": 1} ] ,\n \"b\" : {\"a\":1} , \"a\" : 2 }"),
            Some(("".into(), "a".into()))
        );
        assert_eq!(found(r#"[{"a":1},[{"b":1,"b":2}]]"#), Some(("[1][0]".into(), "b".into())));
    }

    #[test]
    fn keys_that_differ_only_by_escapes_are_the_same_key() {
        assert_eq!(found(r#"{"type":"A","typ\u0065":"B"}"#), Some(("".into(), "type".into())));
    }

    #[test]
    fn a_large_object_is_checked_by_hash() {
        let keys: Vec<String> = (0..50_000).map(|i| format!("\"k{i}\":1")).collect();
        assert_eq!(found(&format!("{{{}}}", keys.join(","))), None);
        assert_eq!(found(&format!("{{{},\"k7\":2}}", keys.join(","))), Some(("".into(), "k7".into())));
    }

    #[test]
    fn text_that_is_not_json_is_walked_without_a_panic() {
        for text in ["{\"a\":\"\\", "{\"a\":\"x", "}}]]\",,", "\\", "{\"a\":1,\"a\"", "[,,{\"a\":\"\\u\"}"] {
            let _ = scan(text);
        }
    }

    #[test]
    fn a_string_that_is_no_text_is_found_with_its_path() {
        let no_text = |text: &str| scan(text).no_text;
        assert_eq!(no_text(r#"{"type":"A","data":{"note":"\ud800"}}"#), Some("data.note".into()));
        assert_eq!(no_text(r#"{"type":"A","tags":["ok","\udc00x"]}"#), Some("tags[1]".into()));
        assert_eq!(no_text(r#"{"type":"A","data":{"\ud800":1}}"#), Some("data".into()));
        assert_eq!(no_text(r#"{"type":"\ud83d\ude00","t":"a\"b\n"}"#), None);
        let both = scan(r#"{"a":"\ud800","a":1}"#);
        assert_eq!(both, Found { duplicate: Some(("".into(), "a".into())), no_text: Some("a".into()) });
    }

    #[test]
    fn the_message_says_which_key_where_and_that_the_last_is_read() {
        let duplicate = DuplicateKey { position: 0, path: "data".into(), key: "amount".into() };
        assert_eq!(duplicate.message(), "key \"amount\" appears twice in data: the last one is read");
        let top = DuplicateKey { position: 0, path: String::new(), key: "type".into() };
        assert_eq!(top.message(), "key \"type\" appears twice in the event: the last one is read");
    }
}
