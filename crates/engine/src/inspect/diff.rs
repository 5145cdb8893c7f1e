//! What changed between two states: a list of changes by path, as a JSON Patch (RFC 6902), and
//! paths written for machines (JSON Pointer, RFC 6901) and for people (`acc-1.balance`).
//!
//! Objects are compared key by key; arrays and scalars are compared whole, so a changed array is
//! one change at its own path. Values are compared as `serde_json` compares them: with
//! `arbitrary_precision` a number is its exact text, so `1.0` → `1` counts as a change.
use serde_json::{Map, Value};

/// One difference between two states, at `path` (object keys from the root).
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    pub path: Vec<String>,
    pub kind: ChangeKind,
    /// The value before; `None` for `Added`.
    pub before: Option<Value>,
    /// The value after; `None` for `Removed`.
    pub after: Option<Value>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

/// The changes that turn `before` into `after`: keys of `after` in its order (added, or changed,
/// recursing into objects present on both sides), then keys only `before` has (removed).
/// Identical values give no change; two values that are not both objects and differ give one
/// `Changed` at the root (an empty path).
pub fn diff(before: &Value, after: &Value) -> Vec<Change> {
    let mut changes = Vec::new();
    let mut path = Vec::new();
    diff_into(before, after, &mut path, &mut changes);
    changes
}

fn diff_into(before: &Value, after: &Value, path: &mut Vec<String>, changes: &mut Vec<Change>) {
    match (before, after) {
        (Value::Object(old), Value::Object(new)) => diff_objects(old, new, path, changes),
        _ if before == after => {}
        _ => changes.push(Change {
            path: path.clone(),
            kind: ChangeKind::Changed,
            before: Some(before.clone()),
            after: Some(after.clone()),
        }),
    }
}

fn diff_objects(old: &Map<String, Value>, new: &Map<String, Value>, path: &mut Vec<String>, changes: &mut Vec<Change>) {
    for (key, after) in new {
        path.push(key.clone());
        match old.get(key) {
            Some(before) => diff_into(before, after, path, changes),
            None => changes.push(Change {
                path: path.clone(),
                kind: ChangeKind::Added,
                before: None,
                after: Some(after.clone()),
            }),
        }
        path.pop();
    }
    for (key, before) in old {
        if !new.contains_key(key) {
            path.push(key.clone());
            changes.push(Change {
                path: path.clone(),
                kind: ChangeKind::Removed,
                before: Some(before.clone()),
                after: None,
            });
            path.pop();
        }
    }
}

/// The value at `path` (object keys from the root); `None` when a key is missing or a step on the
/// way is not an object.
pub fn value_at<'a>(value: &'a Value, path: &[String]) -> Option<&'a Value> {
    path.iter().try_fold(value, |value, key| value.as_object()?.get(key))
}

/// Every leaf path of `value`, in its key order. Scalars, arrays and empty objects are leaves;
/// non-empty objects are recursed into. The root itself is a leaf (the empty path) unless it is an
/// object, so an empty root object has no leaves.
pub fn leaf_paths(value: &Value) -> Vec<Vec<String>> {
    let mut leaves = Vec::new();
    match value {
        Value::Object(fields) => {
            let mut path = Vec::new();
            collect_leaves(fields, &mut path, &mut leaves);
        }
        _ => leaves.push(Vec::new()),
    }
    leaves
}

fn collect_leaves(fields: &Map<String, Value>, path: &mut Vec<String>, leaves: &mut Vec<Vec<String>>) {
    for (key, value) in fields {
        path.push(key.clone());
        match value {
            Value::Object(inner) if !inner.is_empty() => collect_leaves(inner, path, leaves),
            _ => leaves.push(path.clone()),
        }
        path.pop();
    }
}

/// RFC 6901 JSON Pointer: `/a/b`, with `~` written `~0` and `/` written `~1`; the root is `""`.
pub fn json_pointer(path: &[String]) -> String {
    let mut pointer = String::new();
    for key in path {
        pointer.push('/');
        pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
    }
    pointer
}

/// RFC 6902 JSON Patch for `changes`: `add` (Added), `remove` (Removed, no value), `replace`
/// (Changed). A change missing the value its operation needs writes `null`.
pub fn to_json_patch(changes: &[Change]) -> Value {
    let operations = changes
        .iter()
        .map(|change| {
            let op = match change.kind {
                ChangeKind::Added => "add",
                ChangeKind::Removed => "remove",
                ChangeKind::Changed => "replace",
            };
            let mut operation = Map::new();
            operation.insert("op".into(), op.into());
            operation.insert("path".into(), json_pointer(&change.path).into());
            if change.kind != ChangeKind::Removed {
                operation.insert("value".into(), change.after.clone().unwrap_or(Value::Null));
            }
            Value::Object(operation)
        })
        .collect();
    Value::Array(operations)
}

/// What the whole state is called when a path is empty.
pub const ROOT_DISPLAY: &str = "(whole state)";

/// A path for people: keys joined with `.` (`acc-1.balance`). A key that would be ambiguous (empty,
/// or holding `.`, white space, brackets, quotes or parentheses) is written in brackets as a JSON
/// string: `["a.b"].c`, `items["Blue mug"].qty`. The empty path is `(whole state)`.
pub fn display_path(path: &[String]) -> String {
    if path.is_empty() {
        return ROOT_DISPLAY.into();
    }
    let mut text = String::new();
    for (i, key) in path.iter().enumerate() {
        if needs_brackets(key) {
            text.push('[');
            text.push_str(&Value::from(key.as_str()).to_string());
            text.push(']');
        } else {
            if i > 0 {
                text.push('.');
            }
            text.push_str(key);
        }
    }
    text
}

fn needs_brackets(key: &str) -> bool {
    key.is_empty()
        || key.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '.' | '[' | ']' | '"' | '(' | ')'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn path(keys: &[&str]) -> Vec<String> {
        keys.iter().map(|k| k.to_string()).collect()
    }

    fn summary(changes: &[Change]) -> Vec<(String, ChangeKind, Option<Value>, Option<Value>)> {
        changes.iter().map(|c| (display_path(&c.path), c.kind, c.before.clone(), c.after.clone())).collect()
    }

    // ---- a test-only RFC 6902 applier for objects: add, remove, replace ----

    fn unescape(token: &str) -> String {
        token.replace("~1", "/").replace("~0", "~")
    }

    fn apply_patch(document: &Value, patch: &Value) -> Result<Value, String> {
        let mut document = document.clone();
        for operation in patch.as_array().ok_or("a patch is an array")? {
            let op = operation["op"].as_str().ok_or("op must be a string")?;
            let pointer = operation["path"].as_str().ok_or("path must be a string")?;
            let value = operation.get("value").cloned();
            if pointer.is_empty() {
                match op {
                    "replace" | "add" => document = value.ok_or("missing value")?,
                    _ => return Err(format!("cannot {op} the root")),
                }
                continue;
            }
            let tokens: Vec<String> =
                pointer.strip_prefix('/').ok_or("pointer must start with /")?.split('/').map(unescape).collect();
            let (last, parents) = tokens.split_last().expect("a non-empty pointer has a token");
            let mut target = &mut document;
            for token in parents {
                target = target.as_object_mut().and_then(|o| o.get_mut(token)).ok_or(format!("no parent {token}"))?;
            }
            let object = target.as_object_mut().ok_or("the parent must be an object")?;
            match op {
                "add" => {
                    object.insert(last.clone(), value.ok_or("missing value")?);
                }
                "replace" => {
                    let slot = object.get_mut(last).ok_or(format!("replace of a missing key {last}"))?;
                    *slot = value.ok_or("missing value")?;
                }
                "remove" => {
                    object.shift_remove(last).ok_or(format!("remove of a missing key {last}"))?;
                }
                other => return Err(format!("unknown op {other}")),
            }
        }
        Ok(document)
    }

    fn assert_patch_round_trips(before: Value, after: Value) {
        let patch = to_json_patch(&diff(&before, &after));
        assert_eq!(apply_patch(&before, &patch), Ok(after), "patch {patch}");
    }

    // ---- diff ----

    #[test]
    fn a_bank_deposit_changes_balance_and_transactions_and_nothing_else() {
        let before = json!({"default": {"status": "open", "balance": 100, "transactions": 1}});
        let after = json!({"default": {"status": "open", "balance": 70, "transactions": 2}});
        assert_eq!(
            summary(&diff(&before, &after)),
            [
                ("default.balance".into(), ChangeKind::Changed, Some(json!(100)), Some(json!(70))),
                ("default.transactions".into(), ChangeKind::Changed, Some(json!(1)), Some(json!(2))),
            ]
        );
    }

    #[test]
    fn identical_states_have_no_changes() {
        let state = json!({"a": {"b": [1, 2]}, "c": null});
        assert!(diff(&state, &state).is_empty());
        assert!(diff(&json!({}), &json!({})).is_empty());
    }

    #[test]
    fn added_keys_follow_afters_order_and_removed_keys_come_last() {
        let before = json!({"gone": 1, "kept": 1, "also_gone": 2});
        let after = json!({"new": 1, "kept": 2, "newer": 3});
        let kinds: Vec<(String, ChangeKind)> =
            diff(&before, &after).iter().map(|c| (display_path(&c.path), c.kind)).collect();
        assert_eq!(
            kinds,
            [
                ("new".into(), ChangeKind::Added),
                ("kept".into(), ChangeKind::Changed),
                ("newer".into(), ChangeKind::Added),
                ("gone".into(), ChangeKind::Removed),
                ("also_gone".into(), ChangeKind::Removed),
            ]
        );
    }

    #[test]
    fn a_changed_array_is_one_change_at_its_path() {
        let changes = diff(&json!({"tags": [1, 2], "x": 0}), &json!({"tags": [1, 3], "x": 0}));
        assert_eq!(summary(&changes), [("tags".into(), ChangeKind::Changed, Some(json!([1, 2])), Some(json!([1, 3])))]);
    }

    #[test]
    fn a_new_stream_is_one_added_change_holding_its_whole_state() {
        let changes = diff(&json!({"a": {"n": 1}}), &json!({"a": {"n": 1}, "b": {"n": 2, "m": {"k": 3}}}));
        assert_eq!(summary(&changes), [("b".into(), ChangeKind::Added, None, Some(json!({"n": 2, "m": {"k": 3}})))]);
    }

    #[test]
    fn nested_objects_on_both_sides_are_compared_key_by_key() {
        let before = json!({"items": {"MUG": {"qty": 1, "price": 5}}});
        let after = json!({"items": {"MUG": {"qty": 2, "price": 5}, "CAP": {"qty": 1}}});
        assert_eq!(
            summary(&diff(&before, &after)),
            [
                ("items.MUG.qty".into(), ChangeKind::Changed, Some(json!(1)), Some(json!(2))),
                ("items.CAP".into(), ChangeKind::Added, None, Some(json!({"qty": 1}))),
            ]
        );
    }

    #[test]
    fn an_object_replaced_by_a_scalar_is_one_change() {
        let changes = diff(&json!({"a": {"b": 1}}), &json!({"a": 5}));
        assert_eq!(summary(&changes), [("a".into(), ChangeKind::Changed, Some(json!({"b": 1})), Some(json!(5)))]);
    }

    #[test]
    fn differing_non_objects_are_one_change_at_the_root() {
        let changes = diff(&json!([1]), &json!({"a": 1}));
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].path, Vec::<String>::new());
        assert_eq!(changes[0].kind, ChangeKind::Changed);
    }

    #[test]
    fn numbers_compare_by_their_exact_text() {
        let changes = diff(&json!({"n": 1}), &serde_json::from_str::<Value>(r#"{"n": 1.0}"#).unwrap());
        assert_eq!(changes.len(), 1);
        let same = diff(
            &serde_json::from_str::<Value>(r#"{"n": 0.30}"#).unwrap(),
            &serde_json::from_str::<Value>(r#"{"n": 0.30}"#).unwrap(),
        );
        assert!(same.is_empty());
    }

    // ---- paths ----

    #[test]
    fn json_pointer_escapes_tilde_before_slash() {
        assert_eq!(json_pointer(&[]), "");
        assert_eq!(json_pointer(&path(&["a", "b"])), "/a/b");
        assert_eq!(json_pointer(&path(&["a/b", "m~n", "~1"])), "/a~1b/m~0n/~01");
        assert_eq!(json_pointer(&path(&[""])), "/");
    }

    #[test]
    fn display_path_joins_plain_keys_with_dots() {
        assert_eq!(display_path(&path(&["acc-1", "balance"])), "acc-1.balance");
        assert_eq!(display_path(&path(&["items", "MUG", "qty"])), "items.MUG.qty");
    }

    #[test]
    fn display_path_brackets_keys_with_dots_or_spaces() {
        assert_eq!(display_path(&path(&["a.b", "c"])), r#"["a.b"].c"#);
        assert_eq!(display_path(&path(&["items", "Blue mug", "qty"])), r#"items["Blue mug"].qty"#);
        assert_eq!(display_path(&path(&["a", ""])), r#"a[""]"#);
        assert_eq!(display_path(&path(&["say \"hi\""])), r#"["say \"hi\""]"#);
        assert_eq!(display_path(&path(&["(whole state)"])), r#"["(whole state)"]"#);
    }

    #[test]
    fn display_path_names_the_root() {
        assert_eq!(display_path(&[]), "(whole state)");
    }

    #[test]
    fn value_at_follows_objects_only() {
        let state = json!({"a": {"b": [1]}, "s": "x"});
        assert_eq!(value_at(&state, &path(&["a", "b"])), Some(&json!([1])));
        assert_eq!(value_at(&state, &path(&["s", "x"])), None);
        assert_eq!(value_at(&state, &path(&["a", "b", "0"])), None);
        assert_eq!(value_at(&state, &[]), Some(&state));
    }

    #[test]
    fn leaf_paths_stop_at_scalars_arrays_and_empty_objects() {
        let state = json!({"a": {"b": 1, "c": {}}, "d": [1, {"e": 2}], "f": {"g": {"h": null}}});
        assert_eq!(leaf_paths(&state), [path(&["a", "b"]), path(&["a", "c"]), path(&["d"]), path(&["f", "g", "h"])]);
        assert!(leaf_paths(&json!({})).is_empty());
        assert_eq!(leaf_paths(&json!(3)), [Vec::<String>::new()]);
    }

    // ---- JSON Patch ----

    #[test]
    fn patch_ops_are_add_remove_and_replace_and_remove_has_no_value() {
        let patch =
            to_json_patch(&diff(&json!({"old": 1, "same": 2, "edit": 3}), &json!({"same": 2, "edit": 4, "new": 5})));
        assert_eq!(
            patch,
            json!([
                {"op": "replace", "path": "/edit", "value": 4},
                {"op": "add", "path": "/new", "value": 5},
                {"op": "remove", "path": "/old"},
            ])
        );
    }

    #[test]
    fn applying_the_patch_to_before_gives_after() {
        assert_patch_round_trips(
            json!({"default": {"status": "open", "balance": 100, "transactions": 1}}),
            json!({"default": {"status": "open", "balance": 70, "transactions": 2}}),
        );
        assert_patch_round_trips(json!({}), json!({"a": {"b": {"c": 1}}}));
        assert_patch_round_trips(json!({"a": {"b": {"c": 1}}, "z": 0}), json!({"z": 0}));
        assert_patch_round_trips(json!({"a": {"b": {"c": 1, "d": 2}}}), json!({"a": {"b": {"d": 3, "e": {"f": []}}}}));
        assert_patch_round_trips(json!({"a": {"b": 1}}), json!({"a": [1, 2]}));
        assert_patch_round_trips(json!([1]), json!({"root": "replaced"}));
    }

    #[test]
    fn patch_paths_survive_keys_with_slashes_and_tildes() {
        assert_patch_round_trips(
            json!({"a/b": {"~c": 1, "d~1": 2}, "~": {"/": 3}}),
            json!({"a/b": {"~c": 9, "~01": "new"}, "~": {}, "/~/": {"x/y": {"~0": 1}}}),
        );
    }

    #[test]
    fn a_change_missing_its_value_writes_null_rather_than_failing() {
        let change = Change { path: path(&["x"]), kind: ChangeKind::Added, before: None, after: None };
        assert_eq!(to_json_patch(&[change]), json!([{"op": "add", "path": "/x", "value": null}]));
    }

    fn small_json() -> impl Strategy<Value = Value> {
        let key = prop::sample::select(vec!["a", "b", "c", "a/b", "~", "~1", "x.y", ""]).prop_map(String::from);
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            (-3i64..4).prop_map(Value::from),
            "[a-c]{0,2}".prop_map(Value::from),
            prop::collection::vec((-1i64..2).prop_map(Value::from), 0..3).prop_map(Value::Array),
        ];
        leaf.prop_recursive(3, 24, 4, move |inner| {
            prop::collection::vec((key.clone(), inner), 0..4)
                .prop_map(|fields| Value::Object(fields.into_iter().collect()))
        })
    }

    fn small_object() -> impl Strategy<Value = Value> {
        prop::collection::vec(
            (prop::sample::select(vec!["a", "b", "c/d", "~e"]).prop_map(String::from), small_json()),
            0..4,
        )
        .prop_map(|fields| Value::Object(fields.into_iter().collect()))
    }

    proptest! {
        #[test]
        fn for_any_two_small_objects_the_patch_turns_before_into_after(before in small_object(), after in small_object()) {
            let patch = to_json_patch(&diff(&before, &after));
            prop_assert_eq!(apply_patch(&before, &patch), Ok(after.clone()));
        }

        #[test]
        fn for_any_small_object_diffing_with_itself_finds_nothing(value in small_object()) {
            prop_assert!(diff(&value, &value).is_empty());
        }

        #[test]
        fn for_any_two_values_every_change_agrees_with_value_at(before in small_json(), after in small_json()) {
            for change in diff(&before, &after) {
                prop_assert_eq!(value_at(&before, &change.path), change.before.as_ref());
                prop_assert_eq!(value_at(&after, &change.path), change.after.as_ref());
            }
        }
    }
}
