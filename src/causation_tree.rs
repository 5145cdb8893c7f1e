//! The "Causation" region's tree of effects: the engine lists what an event caused depth first,
//! each with its depth; the region shows it as nested lists, no deeper than a few levels so a long
//! line of effects stays on the page. Plain Rust, tested natively.

/// One event and the events it caused, as shown.
#[derive(Debug, PartialEq)]
pub struct Tree<T> {
    pub node: T,
    pub children: Vec<Tree<T>>,
}

/// The depth-first list `(depth, node)` (depth 1: caused directly) as trees: each node's children
/// are the nodes after it one level deeper. Nodes deeper than `max_nesting` are shown at that
/// level, after their shallower ancestors, so the nesting never exceeds it.
pub fn nest<T>(nodes: impl IntoIterator<Item = (usize, T)>, max_nesting: usize) -> Vec<Tree<T>> {
    let mut roots: Vec<Tree<T>> = Vec::new();
    // The path from a root to the last node placed.
    let mut open: Vec<Tree<T>> = Vec::new();
    let close = |open: &mut Vec<Tree<T>>, roots: &mut Vec<Tree<T>>| {
        if let Some(done) = open.pop() {
            match open.last_mut() {
                Some(parent) => parent.children.push(done),
                None => roots.push(done),
            }
        }
    };
    for (depth, node) in nodes {
        while open.len() >= depth.clamp(1, max_nesting.max(1)) {
            close(&mut open, &mut roots);
        }
        open.push(Tree { node, children: Vec::new() });
    }
    while !open.is_empty() {
        close(&mut open, &mut roots);
    }
    roots
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf(node: &'static str) -> Tree<&'static str> {
        Tree { node, children: Vec::new() }
    }

    #[test]
    fn a_depth_first_list_nests_each_node_under_the_one_before_it_a_level_up() {
        // a → b → c, a → d; e beside a.
        let trees = nest([(1, "a"), (2, "b"), (3, "c"), (2, "d"), (1, "e")], 6);
        assert_eq!(
            trees,
            [Tree { node: "a", children: vec![Tree { node: "b", children: vec![leaf("c")] }, leaf("d")] }, leaf("e"),]
        );
    }

    #[test]
    fn a_long_line_of_effects_stops_nesting_at_the_limit() {
        let trees = nest((1..=5).map(|depth| (depth, depth)), 2);
        // 1 holds 2; 3, 4 and 5 are deeper than 2 levels, so they sit beside 2's level, in order.
        assert_eq!(trees.len(), 1);
        let below: Vec<usize> = trees[0].children.iter().map(|t| t.node).collect();
        assert_eq!(below, [2, 3, 4, 5]);
        assert!(trees[0].children.iter().all(|t| t.children.is_empty()));
    }

    #[test]
    fn nothing_nests_to_nothing_and_a_depth_of_zero_counts_as_one() {
        assert_eq!(nest(Vec::<(usize, u8)>::new(), 6), []);
        assert_eq!(
            nest([(0, 'x'), (0, 'y')], 6),
            [Tree { node: 'x', children: vec![] }, Tree { node: 'y', children: vec![] }]
        );
    }
}
