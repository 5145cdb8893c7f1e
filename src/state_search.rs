//! Searching the state at the cursor: case-insensitive matches in keys and values (or in the raw
//! JSON), listed in the order the state panel's tree shows them. Plain Rust, tested natively; the
//! panel only renders what this finds.
use serde_json::Value;

/// Search stops counting here, so a one-letter search over a huge state stays quick.
pub const MAX_HITS: usize = 10_000;

/// Which text of a node a match is in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Part {
    Key,
    Value,
    /// The raw JSON text.
    Raw,
}

/// One search match: where it is (the node's full path, stream first, with each key's index in
/// its parent for paging), which text of the node, and the byte range in that text.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Hit {
    pub path: Vec<String>,
    pub indices: Vec<usize>,
    pub part: Part,
    pub start: usize,
    pub end: usize,
}

/// The needle a person typed, as the search compares it: trimmed, lower-case chars.
pub fn needle(query: &str) -> Vec<char> {
    query.trim().to_lowercase().chars().collect()
}

/// Every match of `needle` in the raw JSON `text`, at most [`MAX_HITS`].
pub fn search_raw(text: &str, needle: &[char]) -> Vec<Hit> {
    find_all(text, needle)
        .into_iter()
        .take(MAX_HITS)
        .map(|(start, end)| Hit { path: Vec::new(), indices: Vec::new(), part: Part::Raw, start, end })
        .collect()
}

/// Every match of `needle` in `streams` (name, state, and the stream's index in the tree), in tree
/// order: a node's key, then its value or children; at most [`MAX_HITS`].
pub fn search_streams<'a>(streams: impl IntoIterator<Item = (usize, &'a str, &'a Value)>, needle: &[char]) -> Vec<Hit> {
    let mut hits = Vec::new();
    if needle.is_empty() {
        return hits;
    }
    let mut walk = Walk { needle, hits: &mut hits, path: Vec::new(), indices: Vec::new() };
    for (index, name, state) in streams {
        walk.entry(name, index, state, false);
    }
    hits
}

/// A scalar as shown (and searched): strings without quotes.
pub fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Object(_) => "{}".into(),
        Value::Array(_) => "[]".into(),
        other => other.to_string(),
    }
}

/// Byte ranges of the non-overlapping, case-insensitive occurrences of `needle` (lower-case
/// chars) in `text`, left to right.
pub fn find_all(text: &str, needle: &[char]) -> Vec<(usize, usize)> {
    if needle.is_empty() || text.is_empty() {
        return Vec::new();
    }
    if needle.iter().all(char::is_ascii) {
        // Fast path (raw JSON can be large): bytes ≥ 0x80 never equal an ASCII byte, so every
        // match starts and ends on a char boundary.
        let needle: Vec<u8> = needle.iter().map(|&c| c as u8).collect();
        let bytes = text.as_bytes();
        let mut ranges = Vec::new();
        let mut i = 0;
        while i + needle.len() <= bytes.len() {
            if bytes[i..i + needle.len()].iter().zip(&needle).all(|(b, n)| b.to_ascii_lowercase() == *n) {
                ranges.push((i, i + needle.len()));
                i += needle.len();
            } else {
                i += 1;
            }
        }
        return ranges;
    }
    // General path: lower-case each char (one char may lower to several), remembering the
    // byte range of the char it came from.
    let folded: Vec<(char, usize, usize)> =
        text.char_indices().flat_map(|(at, c)| c.to_lowercase().map(move |l| (l, at, at + c.len_utf8()))).collect();
    let mut ranges = Vec::new();
    let mut i = 0;
    while i + needle.len() <= folded.len() {
        if folded[i..i + needle.len()].iter().zip(needle).all(|((c, _, _), n)| c == n) {
            let start = folded[i].1;
            let end = folded[i + needle.len() - 1].2;
            // A match must cover whole chars of the text.
            let whole = i == 0 || folded[i - 1].1 != start;
            let whole =
                whole && folded.get(i + needle.len()).is_none_or(|next| next.1 != folded[i + needle.len() - 1].1);
            if whole {
                ranges.push((start, end));
                i += needle.len();
                continue;
            }
        }
        i += 1;
    }
    ranges
}

/// Collects hits in tree order: a node's key, then its value or children.
struct Walk<'a> {
    needle: &'a [char],
    hits: &'a mut Vec<Hit>,
    path: Vec<String>,
    indices: Vec<usize>,
}

impl Walk<'_> {
    /// The entry `key` (at `index` in its parent) holding `value`; array items' keys (their
    /// indices) are not searched.
    fn entry(&mut self, key: &str, index: usize, value: &Value, is_item: bool) {
        if self.hits.len() >= MAX_HITS {
            return;
        }
        self.path.push(key.to_string());
        self.indices.push(index);
        if !is_item {
            self.text(Part::Key, key);
        }
        match value {
            Value::Object(map) if !map.is_empty() => {
                for (i, (k, v)) in map.iter().enumerate() {
                    self.entry(k, i, v, false);
                }
            }
            Value::Array(items) if !items.is_empty() => {
                for (i, v) in items.iter().enumerate() {
                    self.entry(&i.to_string(), i, v, true);
                }
            }
            Value::Object(_) | Value::Array(_) => {}
            scalar => self.text(Part::Value, &scalar_text(scalar)),
        }
        self.path.pop();
        self.indices.pop();
    }

    fn text(&mut self, part: Part, text: &str) {
        for (start, end) in find_all(text, self.needle) {
            if self.hits.len() >= MAX_HITS {
                return;
            }
            self.hits.push(Hit { path: self.path.clone(), indices: self.indices.clone(), part, start, end });
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use serde_json::json;

    fn paths(hits: &[Hit]) -> Vec<(String, Part)> {
        hits.iter().map(|h| (h.path.join("."), h.part)).collect()
    }

    #[test]
    fn matches_ignore_case_and_do_not_overlap() {
        assert_eq!(find_all("Balance balance BALANCE", &needle("bal")), [(0, 3), (8, 11), (16, 19)]);
        assert_eq!(find_all("aaaa", &needle("aa")), [(0, 2), (2, 4)]);
        assert_eq!(find_all("anything", &needle("  ")), []);
    }

    #[test]
    fn non_ascii_text_is_matched_on_whole_characters() {
        assert_eq!(find_all("Straße STRASSE", &needle("straße")), [(0, 7)]);
        assert_eq!(find_all("ÉLAN élan", &needle("élan")), [(0, 5), (6, 11)]);
    }

    #[test]
    fn hits_come_in_the_order_the_tree_shows_keys_then_values() {
        let acc = json!({"balance": 70, "owner": "Bal", "history": [{"bal": 1}]});
        let hits = search_streams([(0, "acc-bal", &acc)], &needle("bal"));
        assert_eq!(
            paths(&hits),
            [
                ("acc-bal".into(), Part::Key),
                ("acc-bal.balance".into(), Part::Key),
                ("acc-bal.owner".into(), Part::Value),
                ("acc-bal.history.0.bal".into(), Part::Key),
            ]
        );
        assert_eq!(hits[3].indices, [0, 2, 0, 0], "each key's index in its parent, for paging");
    }

    #[test]
    fn array_indices_are_not_searched_but_their_values_are() {
        let state = json!(["x", "1"]);
        let hits = search_streams([(0, "s", &state)], &needle("1"));
        assert_eq!(paths(&hits), [("s.1".to_string(), Part::Value)]);
    }

    #[test]
    fn a_search_stops_at_the_hit_limit() {
        let text = "a".repeat(MAX_HITS + 50);
        assert_eq!(search_raw(&text, &needle("a")).len(), MAX_HITS);
        let many = json!({ "k": "a".repeat(MAX_HITS + 50) });
        assert_eq!(search_streams([(0, "s", &many)], &needle("a")).len(), MAX_HITS);
    }

    #[test]
    fn scalars_are_searched_as_shown() {
        assert_eq!(scalar_text(&json!("text")), "text");
        assert_eq!(scalar_text(&json!(1.5)), "1.5");
        assert_eq!(scalar_text(&json!(null)), "null");
        assert_eq!(scalar_text(&json!({})), "{}");
    }
}
