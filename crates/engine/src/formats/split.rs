//! Finding where JSON values begin and end by brackets and quotes alone, so a large array can be
//! read one element at a time (each element is then parsed, and so validated, on its own). The
//! walks here check only the punctuation between elements; whatever they cannot follow is
//! `Malformed`, and the caller lets serde_json read the whole text to say exactly what is wrong.
use std::ops::Range;

/// The text is not JSON this walk can follow.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(super) struct Malformed;

/// JSON's four white-space characters (and no others: a no-break space is an error).
fn is_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r')
}

pub(super) fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while at < bytes.len() && is_space(bytes[at]) {
        at += 1;
    }
    at
}

/// Just past the closing quote of the string whose opening quote is at `start`.
fn string_end(bytes: &[u8], start: usize) -> Result<usize, Malformed> {
    let mut at = start + 1;
    loop {
        let found = memchr::memchr2(b'"', b'\\', &bytes[at..]).ok_or(Malformed)?;
        at += found;
        if bytes[at] == b'\\' {
            at += 2;
            if at > bytes.len() {
                return Err(Malformed);
            }
        } else {
            return Ok(at + 1);
        }
    }
}

/// Just past the value that starts at `start` (not validated: a scalar runs to the next
/// punctuation or space, an object or array to its matching bracket).
pub(super) fn value_end(bytes: &[u8], start: usize) -> Result<usize, Malformed> {
    match bytes.get(start).ok_or(Malformed)? {
        b'"' => string_end(bytes, start),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut at = start;
            while at < bytes.len() {
                match bytes[at] {
                    b'"' => {
                        at = string_end(bytes, at)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Ok(at + 1);
                        }
                    }
                    _ => {}
                }
                at += 1;
            }
            Err(Malformed)
        }
        _ => {
            let end = bytes[start..]
                .iter()
                .position(|&b| is_space(b) || matches!(b, b',' | b':' | b'"' | b'[' | b']' | b'{' | b'}'))
                .map_or(bytes.len(), |n| start + n);
            if end == start {
                Err(Malformed)
            } else {
                Ok(end)
            }
        }
    }
}

/// The items of one array or object, one at a time: the punctuation between them.
#[derive(Clone, Debug)]
struct Items {
    /// Where to look for the next `,` or the closing bracket (or, before the first item, for it).
    next: usize,
    first: bool,
    done: bool,
}

impl Items {
    /// The items of the array or object whose opening bracket is at `open`.
    fn new(open: usize) -> Items {
        Items { next: open + 1, first: true, done: false }
    }

    /// Where the next item starts; `None` once `close` is passed.
    fn next(&mut self, bytes: &[u8], close: u8) -> Result<Option<usize>, Malformed> {
        if self.done {
            return Ok(None);
        }
        let at = skip_space(bytes, self.next);
        let start = match (bytes.get(at), self.first) {
            (Some(&b), _) if b == close => {
                self.done = true;
                self.next = at + 1;
                return Ok(None);
            }
            (Some(b','), false) => skip_space(bytes, at + 1),
            (_, true) => at,
            _ => return Err(Malformed),
        };
        // A closing bracket right after a comma is a trailing comma: what reads the item refuses it.
        self.first = false;
        Ok(Some(start))
    }
}

/// The elements of one array, one at a time.
#[derive(Clone, Debug)]
pub(super) struct ArrayWalk(Items);

impl ArrayWalk {
    /// The walk of the array whose `[` is at `open`.
    pub fn new(open: usize) -> ArrayWalk {
        ArrayWalk(Items::new(open))
    }

    /// The next element's span; `None` once the closing `]` is passed (see `position`).
    pub fn next(&mut self, bytes: &[u8]) -> Result<Option<Range<usize>>, Malformed> {
        let Some(start) = self.0.next(bytes, b']')? else { return Ok(None) };
        let end = value_end(bytes, start)?;
        self.0.next = end;
        Ok(Some(start..end))
    }

    /// How far the walk has got: after the last element read, or after the `]`.
    pub fn position(&self) -> usize {
        self.0.next
    }
}

/// The members of one object, one at a time: the key's span (with its quotes) and where the value
/// starts. The caller says where the value ended (`value_read`) before asking for the next one.
#[derive(Clone, Debug)]
pub(super) struct ObjectWalk(Items);

impl ObjectWalk {
    pub fn new(open: usize) -> ObjectWalk {
        ObjectWalk(Items::new(open))
    }

    pub fn next(&mut self, bytes: &[u8]) -> Result<Option<(Range<usize>, usize)>, Malformed> {
        let Some(at) = self.0.next(bytes, b'}')? else { return Ok(None) };
        if bytes.get(at) != Some(&b'"') {
            return Err(Malformed);
        }
        let key_end = string_end(bytes, at)?;
        let colon = skip_space(bytes, key_end);
        if bytes.get(colon) != Some(&b':') {
            return Err(Malformed);
        }
        let value = skip_space(bytes, colon + 1);
        self.0.next = value;
        Ok(Some((at..key_end, value)))
    }

    pub fn value_read(&mut self, end: usize) {
        self.0.next = end;
    }

    pub fn position(&self) -> usize {
        self.0.next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn elements(text: &str) -> Result<Vec<&str>, Malformed> {
        let bytes = text.as_bytes();
        let mut walk = ArrayWalk::new(text.find('[').unwrap());
        let mut found = Vec::new();
        while let Some(span) = walk.next(bytes)? {
            found.push(&text[span]);
        }
        assert!(text[walk.position()..].trim().is_empty(), "stops after the ]");
        Ok(found)
    }

    #[test]
    fn elements_are_found_by_brackets_and_quotes() {
        assert_eq!(
            elements(r#" [ {"a":"]}\"{"} , [1,[2]],"x\\" ,-1.5e3,true ] "#).unwrap(),
            [r#"{"a":"]}\"{"}"#, "[1,[2]]", r#""x\\""#, "-1.5e3", "true"]
        );
        assert_eq!(elements("[]").unwrap(), Vec::<&str>::new());
        assert_eq!(elements("[\n]").unwrap(), Vec::<&str>::new());
    }

    #[test]
    fn broken_punctuation_between_elements_is_malformed() {
        for text in ["[1,]", "[,1]", "[1 2]", "[{}{}]", "[1", "[\"open", "[{\"a\":1]", "[1,,2]"] {
            assert_eq!(elements(text), Err(Malformed), "{text}");
        }
    }

    #[test]
    fn members_give_each_key_and_where_its_value_starts() {
        let text = r#"{ "domain" : "bank", "events":[1] }"#;
        let bytes = text.as_bytes();
        let mut walk = ObjectWalk::new(0);
        let mut found = Vec::new();
        while let Some((key, value)) = walk.next(bytes).unwrap() {
            let end = value_end(bytes, value).unwrap();
            found.push((&text[key], &text[value..end]));
            walk.value_read(end);
        }
        assert_eq!(found, [(r#""domain""#, r#""bank""#), (r#""events""#, "[1]")]);
        assert_eq!(ObjectWalk::new(0).next(br#"{"a" 1}"#), Err(Malformed));
        assert_eq!(ObjectWalk::new(0).next(b"{a:1}"), Err(Malformed));
    }
}
