//! Dependencies between measures form a directed graph that must stay acyclic.

use std::collections::{HashMap, HashSet};

/// Whether adding the edge `from → to` ("from depends on to") to `edges` would create a cycle,
/// i.e. whether `from` is already reachable from `to`. Returns the cycle path if so.
pub fn cycle_with(edges: &[(i64, i64)], from: i64, to: i64) -> Option<Vec<i64>> {
    if from == to {
        return Some(vec![from, to]);
    }
    let mut next: HashMap<i64, Vec<i64>> = HashMap::new();
    for (a, b) in edges {
        next.entry(*a).or_default().push(*b);
    }
    // Depth-first search from `to` looking for `from`, remembering the path.
    let mut stack = vec![(to, vec![from, to])];
    let mut seen = HashSet::new();
    while let Some((node, path)) = stack.pop() {
        if node == from {
            return Some(path);
        }
        if !seen.insert(node) {
            continue;
        }
        for n in next.get(&node).into_iter().flatten() {
            let mut p = path.clone();
            p.push(*n);
            stack.push((*n, p));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_cycles() {
        let edges = [(1, 2), (2, 3)];
        assert_eq!(cycle_with(&edges, 3, 1), Some(vec![3, 1, 2, 3]));
        assert_eq!(cycle_with(&edges, 1, 3), None);
        assert_eq!(cycle_with(&edges, 4, 4), Some(vec![4, 4]));
        assert_eq!(cycle_with(&[], 1, 2), None);
    }
}
