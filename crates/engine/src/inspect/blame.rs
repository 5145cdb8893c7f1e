//! Which event last set each field of a stream's state: `git blame` for a state.
use super::diff::{leaf_paths, value_at};
use serde_json::Value;

/// For every leaf path of the last state (in its key order), the position of the last event whose
/// application changed the value at that path.
///
/// `history` is one stream's successive states, `(position of the event in the log, state right
/// after it)`, in log order. Before the first event the stream is absent, so the first event sets
/// every path it creates. A path's value "changes" when it differs from the state before (a
/// removed-then-re-added field is blamed on the re-add, a field written with its current value
/// again is not). Leaves are as in [`leaf_paths`]: an empty last state has none. An empty history
/// gives an empty blame.
pub fn blame(history: &[(usize, Value)]) -> Vec<(Vec<String>, usize)> {
    let Some((_, last)) = history.last() else { return Vec::new() };
    leaf_paths(last)
        .into_iter()
        .map(|path| {
            let position = last_change(history, &path);
            (path, position)
        })
        .collect()
}

/// The position of the last state whose value at `path` differs from the state before it. The
/// last state holds the path and the state before the first is absent, so some state differs.
fn last_change(history: &[(usize, Value)], path: &[String]) -> usize {
    for i in (0..history.len()).rev() {
        let now = value_at(&history[i].1, path);
        let before = if i == 0 { None } else { value_at(&history[i - 1].1, path) };
        if now != before {
            return history[i].0;
        }
    }
    // Unreachable while the last state holds `path`; the first position is the honest fallback.
    history.first().map_or(0, |(position, _)| *position)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn blamed(history: &[(usize, Value)]) -> Vec<(String, usize)> {
        blame(history).into_iter().map(|(path, position)| (path.join("."), position)).collect()
    }

    #[test]
    fn classic_bank_balance_is_blamed_on_the_last_deposit_and_status_on_the_first() {
        let history = [
            (0, json!({"status": "open", "balance": 100, "transactions": 1})),
            (1, json!({"status": "open", "balance": 70, "transactions": 2})),
            (2, json!({"status": "open", "balance": 120, "transactions": 3})),
        ];
        assert_eq!(blamed(&history), [("status".into(), 0), ("balance".into(), 2), ("transactions".into(), 2)]);
    }

    #[test]
    fn a_field_set_once_stays_blamed_on_that_event_after_later_events() {
        let history = [
            (0, json!({"n": 1})),
            (3, json!({"n": 2, "owner": "ada"})),
            (5, json!({"n": 3, "owner": "ada"})),
            (9, json!({"n": 4, "owner": "ada"})),
        ];
        assert_eq!(blamed(&history), [("n".into(), 9), ("owner".into(), 3)]);
    }

    #[test]
    fn a_field_removed_then_re_added_is_blamed_on_the_re_add() {
        let history = [
            (0, json!({"owner": "ada", "n": 1})),
            (1, json!({"n": 1})),
            (2, json!({"n": 1, "owner": "ada"})),
            (3, json!({"n": 2, "owner": "ada"})),
        ];
        assert_eq!(blamed(&history), [("n".into(), 3), ("owner".into(), 2)]);
    }

    #[test]
    fn rewriting_the_same_value_is_not_a_change() {
        let history = [(4, json!({"status": "open"})), (7, json!({"status": "open"}))];
        assert_eq!(blamed(&history), [("status".into(), 4)]);
    }

    #[test]
    fn nested_leaves_are_blamed_one_by_one() {
        let history = [
            (0, json!({"items": {"MUG": {"qty": 1, "price": 5}}})),
            (1, json!({"items": {"MUG": {"qty": 2, "price": 5}, "CAP": {"qty": 1, "price": 9}}})),
            (2, json!({"items": {"MUG": {"qty": 2, "price": 5}, "CAP": {"qty": 1, "price": 8}}})),
        ];
        assert_eq!(
            blamed(&history),
            [
                ("items.MUG.qty".into(), 1),
                ("items.MUG.price".into(), 0),
                ("items.CAP.qty".into(), 1),
                ("items.CAP.price".into(), 2),
            ]
        );
    }

    #[test]
    fn arrays_and_empty_objects_are_leaves() {
        let history = [(0, json!({"tags": [1], "meta": {}})), (1, json!({"tags": [1, 2], "meta": {}}))];
        assert_eq!(blamed(&history), [("tags".into(), 1), ("meta".into(), 0)]);
    }

    #[test]
    fn a_leaf_that_was_once_an_object_is_blamed_when_it_became_a_leaf() {
        let history = [(0, json!({"a": {"b": 1}})), (1, json!({"a": 5})), (2, json!({"a": 5, "z": 0}))];
        assert_eq!(blamed(&history), [("a".into(), 1), ("z".into(), 2)]);
    }

    #[test]
    fn an_empty_history_has_no_blame() {
        assert!(blame(&[]).is_empty());
    }

    #[test]
    fn an_empty_last_state_has_no_leaves_to_blame() {
        assert!(blame(&[(0, json!({"a": 1})), (1, json!({}))]).is_empty());
    }

    #[test]
    fn a_scalar_state_is_one_leaf_at_the_root() {
        assert_eq!(blame(&[(0, json!(1)), (1, json!(1)), (2, json!(2))]), [(Vec::new(), 2)]);
    }
}
