//! A numeric field of one stream over time, ready to chart: which paths hold numbers, their values
//! at each event, the range, and min/max buckets for charts with more points than pixels.
use super::diff::{leaf_paths, value_at};
use serde_json::Value;
use std::collections::HashSet;

/// One state's value of a field: `None` where the path is absent or not a (finite) number.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Point {
    /// 0-based position of the event in the log.
    pub position: usize,
    pub value: Option<f64>,
}

/// Every leaf path that holds a number in at least one state of `history`, in first-seen order
/// (states in order, each in its key order).
pub fn numeric_paths(history: &[(usize, Value)]) -> Vec<Vec<String>> {
    let mut seen = HashSet::new();
    let mut paths = Vec::new();
    for (_, state) in history {
        for path in leaf_paths(state) {
            if matches!(value_at(state, &path), Some(Value::Number(_))) && !seen.contains(&path) {
                seen.insert(path.clone());
                paths.push(path);
            }
        }
    }
    paths
}

/// One point per state of `history`: the number at `path`, or `None` where it is absent, not a
/// number, or too large for a finite `f64`.
pub fn series(history: &[(usize, Value)], path: &[String]) -> Vec<Point> {
    history
        .iter()
        .map(|(position, state)| Point { position: *position, value: value_at(state, path).and_then(number) })
        .collect()
}

fn number(value: &Value) -> Option<f64> {
    value.as_f64().filter(|n| n.is_finite())
}

/// The values a chart can draw: present and finite.
fn drawable(point: &Point) -> Option<f64> {
    point.value.filter(|n| n.is_finite())
}

/// The smallest and largest value present; `None` when no point has one.
pub fn extent(points: &[Point]) -> Option<(f64, f64)> {
    points.iter().filter_map(drawable).fold(None, |range, v| match range {
        None => Some((v, v)),
        Some((low, high)) => Some((low.min(v), high.max(v))),
    })
}

/// At most `columns` buckets of consecutive points (split by index, as evenly as possible), each as
/// (position of its first point, min, max) so a one-event spike still shows. With no more points
/// than columns, each point with a value is its own bucket (min = max). Points without a value are
/// skipped; a bucket with no values is left out. Zero columns give nothing.
pub fn downsample(points: &[Point], columns: usize) -> Vec<(usize, f64, f64)> {
    if columns == 0 {
        return Vec::new();
    }
    if points.len() <= columns {
        return points.iter().filter_map(|p| drawable(p).map(|v| (p.position, v, v))).collect();
    }
    let n = points.len() as u128;
    let bound = |bucket: usize| (bucket as u128 * n / columns as u128) as usize;
    (0..columns)
        .filter_map(|bucket| {
            let bucket_points = &points[bound(bucket)..bound(bucket + 1)];
            let first = bucket_points.first()?.position;
            extent(bucket_points).map(|(low, high)| (first, low, high))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn path(keys: &[&str]) -> Vec<String> {
        keys.iter().map(|k| k.to_string()).collect()
    }

    fn points(values: &[Option<f64>]) -> Vec<Point> {
        values.iter().enumerate().map(|(i, &value)| Point { position: i * 10, value }).collect()
    }

    fn store_history() -> Vec<(usize, Value)> {
        vec![
            (0, json!({"status": "open", "balance": 100, "transactions": 1})),
            (2, json!({"status": "open", "balance": 70, "transactions": 2, "items": {"MUG": {"qty": 1}}})),
            (5, json!({"status": "open", "balance": "n/a", "transactions": 3, "items": {"MUG": {"qty": 3}}})),
        ]
    }

    #[test]
    fn numeric_paths_are_listed_in_first_seen_order() {
        assert_eq!(
            numeric_paths(&store_history()),
            [path(&["balance"]), path(&["transactions"]), path(&["items", "MUG", "qty"])]
        );
    }

    #[test]
    fn a_path_numeric_in_only_one_state_is_still_numeric() {
        let history = [(0, json!({"x": "soon"})), (1, json!({"x": 3})), (2, json!({"x": null}))];
        assert_eq!(numeric_paths(&history), [path(&["x"])]);
    }

    #[test]
    fn strings_arrays_and_objects_are_not_numeric_paths() {
        let history = [(0, json!({"s": "1", "a": [1, 2], "o": {}, "b": true}))];
        assert!(numeric_paths(&history).is_empty());
    }

    #[test]
    fn a_series_has_one_point_per_state_and_none_where_not_a_number() {
        let history = store_history();
        assert_eq!(
            series(&history, &path(&["balance"])),
            [
                Point { position: 0, value: Some(100.0) },
                Point { position: 2, value: Some(70.0) },
                Point { position: 5, value: None },
            ]
        );
        assert_eq!(
            series(&history, &path(&["items", "MUG", "qty"])),
            [
                Point { position: 0, value: None },
                Point { position: 2, value: Some(1.0) },
                Point { position: 5, value: Some(3.0) },
            ]
        );
    }

    #[test]
    fn exact_decimals_become_the_nearest_float() {
        let history = [(0, serde_json::from_str::<Value>(r#"{"x": 0.30}"#).unwrap())];
        assert_eq!(series(&history, &path(&["x"]))[0].value, Some(0.3));
    }

    #[test]
    fn a_number_too_large_for_a_float_has_no_value() {
        let history = [(0, serde_json::from_str::<Value>(r#"{"x": 1e400}"#).unwrap())];
        assert_eq!(series(&history, &path(&["x"]))[0].value, None);
    }

    #[test]
    fn extent_spans_the_values_present() {
        assert_eq!(extent(&points(&[None, Some(3.0), Some(-1.5), None, Some(2.0)])), Some((-1.5, 3.0)));
        assert_eq!(extent(&points(&[Some(7.0)])), Some((7.0, 7.0)));
    }

    #[test]
    fn extent_of_no_values_is_none() {
        assert_eq!(extent(&[]), None);
        assert_eq!(extent(&points(&[None, None])), None);
        assert_eq!(extent(&points(&[Some(f64::NAN)])), None);
    }

    #[test]
    fn few_points_are_one_bucket_each_and_skip_missing_values() {
        assert_eq!(downsample(&points(&[Some(1.0), None, Some(3.0)]), 10), [(0, 1.0, 1.0), (20, 3.0, 3.0)]);
    }

    #[test]
    fn many_points_keep_a_one_event_spike_as_a_bucket_max() {
        let mut values = vec![Some(1.0); 1000];
        values[501] = Some(900.0);
        values[733] = Some(-50.0);
        let buckets = downsample(&points(&values), 10);
        assert_eq!(buckets.len(), 10);
        assert_eq!(buckets[5], (5000, 1.0, 900.0));
        assert_eq!(buckets[7], (7000, -50.0, 1.0));
        assert_eq!(buckets[0], (0, 1.0, 1.0));
    }

    #[test]
    fn buckets_start_at_their_first_points_position_and_empty_buckets_are_left_out() {
        let values = [None, None, Some(2.0), Some(4.0), Some(6.0), None];
        assert_eq!(downsample(&points(&values), 3), [(20, 2.0, 4.0), (40, 6.0, 6.0)]);
    }

    #[test]
    fn zero_columns_give_nothing() {
        assert!(downsample(&points(&[Some(1.0)]), 0).is_empty());
        assert!(downsample(&[], 5).is_empty());
    }

    proptest! {
        #[test]
        fn for_any_points_buckets_are_few_ordered_and_keep_the_extent(
            values in prop::collection::vec(prop::option::of(-1e6f64..1e6), 0..300),
            columns in 0usize..40,
        ) {
            let points = points(&values);
            let buckets = downsample(&points, columns);
            prop_assert!(buckets.len() <= columns);
            prop_assert!(buckets.windows(2).all(|w| w[0].0 < w[1].0));
            prop_assert!(buckets.iter().all(|(_, low, high)| low <= high));
            if columns > 0 {
                let overall = buckets.iter().fold(None, |range: Option<(f64, f64)>, &(_, low, high)| match range {
                    None => Some((low, high)),
                    Some((l, h)) => Some((l.min(low), h.max(high))),
                });
                prop_assert_eq!(overall, extent(&points));
            }
        }
    }
}
