//! Communities of actors: groups more tied to each other than to the rest (Louvain's method:
//! nodes move to the neighbouring group that raises modularity most, then groups become
//! nodes, until nothing moves). Deterministic: nodes are visited in index order and ties go
//! to the smaller group label, so the same graph always gives the same groups.

use std::collections::BTreeMap;

/// A community label per node (`0..n`), 0 for the largest community, then by size (ties:
/// the community of the smaller node index first). `edges` are `(a, b, weight)`; weights
/// below or at zero and self-loops of the input are ignored.
pub fn louvain(n: usize, edges: &[(u32, u32, f64)]) -> Vec<u32> {
    let mut adjacency: Vec<BTreeMap<usize, f64>> = vec![BTreeMap::new(); n];
    for &(a, b, w) in edges {
        let (a, b) = (a as usize, b as usize);
        if a == b || a >= n || b >= n || w.is_nan() || w <= 0.0 || !w.is_finite() {
            continue;
        }
        *adjacency[a].entry(b).or_default() += w;
        *adjacency[b].entry(a).or_default() += w;
    }
    let mut graph = Level {
        adjacency: adjacency
            .into_iter()
            .map(|m| m.into_iter().collect())
            .collect(),
        self_loops: vec![0.0; n],
    };
    // Which group of the current level each original node is in.
    let mut membership: Vec<usize> = (0..n).collect();
    for _ in 0..32 {
        let (groups, moved) = graph.move_nodes();
        if !moved {
            break;
        }
        for m in membership.iter_mut() {
            *m = groups[*m];
        }
        graph = graph.aggregate(&groups);
    }
    by_size(&membership)
}

/// One level of the method: a weighted graph (each edge listed at both ends) with self-loops.
struct Level {
    adjacency: Vec<Vec<(usize, f64)>>,
    self_loops: Vec<f64>,
}

impl Level {
    /// Moves nodes between groups while modularity rises; the groups (renumbered `0..k` in
    /// order of first node) and whether any node moved.
    fn move_nodes(&self) -> (Vec<usize>, bool) {
        let n = self.adjacency.len();
        let degree: Vec<f64> = (0..n)
            .map(|i| self.adjacency[i].iter().map(|e| e.1).sum::<f64>() + 2.0 * self.self_loops[i])
            .collect();
        let m2: f64 = degree.iter().sum();
        let mut group: Vec<usize> = (0..n).collect();
        if m2 <= 0.0 {
            return (group, false);
        }
        let mut total = degree.clone();
        let mut moved = false;
        for _ in 0..64 {
            let mut improved = false;
            for i in 0..n {
                let own = group[i];
                let mut to: BTreeMap<usize, f64> = BTreeMap::new();
                for &(j, w) in &self.adjacency[i] {
                    *to.entry(group[j]).or_default() += w;
                }
                total[own] -= degree[i];
                let gain = |c: usize, w: f64| w - total[c] * degree[i] / m2;
                let mut best = (own, gain(own, to.get(&own).copied().unwrap_or(0.0)));
                for (&c, &w) in &to {
                    let g = gain(c, w);
                    if g > best.1 + 1e-12 {
                        best = (c, g);
                    }
                }
                total[best.0] += degree[i];
                if best.0 != own {
                    group[i] = best.0;
                    improved = true;
                    moved = true;
                }
            }
            if !improved {
                break;
            }
        }
        // Renumber 0..k in order of first node.
        let mut renumber: BTreeMap<usize, usize> = BTreeMap::new();
        let mut next = 0;
        let groups = group
            .iter()
            .map(|&g| {
                *renumber.entry(g).or_insert_with(|| {
                    next += 1;
                    next - 1
                })
            })
            .collect();
        (groups, moved)
    }

    /// The graph of the groups: one node per group, edges summed, inner edges as self-loops.
    fn aggregate(&self, groups: &[usize]) -> Level {
        let k = groups.iter().max().map_or(0, |m| m + 1);
        let mut adjacency: Vec<BTreeMap<usize, f64>> = vec![BTreeMap::new(); k];
        let mut self_loops = vec![0.0; k];
        for (i, edges) in self.adjacency.iter().enumerate() {
            let gi = groups[i];
            self_loops[gi] += self.self_loops[i];
            for &(j, w) in edges {
                let gj = groups[j];
                if gi == gj {
                    // Each inner edge is met from both ends.
                    self_loops[gi] += w / 2.0;
                } else {
                    *adjacency[gi].entry(gj).or_default() += w;
                }
            }
        }
        Level {
            adjacency: adjacency
                .into_iter()
                .map(|m| m.into_iter().collect())
                .collect(),
            self_loops,
        }
    }
}

/// Relabels groups 0 (largest) upward; ties by the smallest node in the group.
fn by_size(membership: &[usize]) -> Vec<u32> {
    let mut sizes: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
    for (node, &g) in membership.iter().enumerate() {
        let e = sizes.entry(g).or_insert((0, node));
        e.0 += 1;
    }
    let mut order: Vec<(usize, usize, usize)> = sizes
        .into_iter()
        .map(|(g, (size, first))| (g, size, first))
        .collect();
    order.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    let label: BTreeMap<usize, u32> = order
        .iter()
        .enumerate()
        .map(|(rank, &(g, _, _))| (g, rank as u32))
        .collect();
    membership.iter().map(|g| label[g]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `groups` cliques of `size` nodes (weight 1), each tied to the next by one edge, with a
    /// deterministic sprinkling of extra inner edges weights.
    fn planted(groups: usize, size: usize) -> (usize, Vec<(u32, u32, f64)>) {
        let mut edges = Vec::new();
        for g in 0..groups {
            let base = g * size;
            for a in 0..size {
                for b in a + 1..size {
                    // Not quite cliques: every seventh pair is missing.
                    if (a * 31 + b * 17 + g) % 7 != 0 {
                        edges.push(((base + a) as u32, (base + b) as u32, 1.0));
                    }
                }
            }
            let next = ((g + 1) % groups) * size;
            edges.push((base as u32, next as u32, 1.0));
        }
        (groups * size, edges)
    }

    #[test]
    fn planted_communities_are_found_exactly() {
        let (n, edges) = planted(5, 12);
        let labels = louvain(n, &edges);
        for g in 0..5 {
            let block = &labels[g * 12..(g + 1) * 12];
            assert!(block.iter().all(|&l| l == block[0]), "group {g}: {block:?}");
        }
        let distinct: std::collections::BTreeSet<u32> = labels.iter().copied().collect();
        assert_eq!(distinct.len(), 5, "{labels:?}");
        // The same graph gives the same labels; the edges' order does not matter.
        let mut reversed = edges.clone();
        reversed.reverse();
        assert_eq!(louvain(n, &edges), labels);
        let again = louvain(n, &reversed);
        for g in 0..5 {
            let block = &again[g * 12..(g + 1) * 12];
            assert!(block.iter().all(|&l| l == block[0]));
        }
    }

    #[test]
    fn labels_go_by_size_and_isolated_nodes_stand_alone() {
        // A triangle, a pair, and an isolated node.
        let edges = [(0, 1, 1.0), (1, 2, 1.0), (0, 2, 1.0), (3, 4, 1.0)];
        let labels = louvain(6, &edges);
        assert_eq!(labels, vec![0, 0, 0, 1, 1, 2]);
        assert_eq!(louvain(0, &[]), Vec::<u32>::new());
        // Bad weights and self-loops are ignored rather than trusted.
        let odd = [(0, 0, 5.0), (0, 1, f64::NAN), (1, 2, -1.0)];
        assert_eq!(louvain(3, &odd), vec![0, 1, 2]);
    }
}
