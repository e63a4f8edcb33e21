//! The geometry of the actor network's picture, shared by the app's graph panel and the SVG
//! export so both draw the same thing: how big a node is, its short label, which labels are
//! shown and where (never two overlapping), and how edges between the same two actors are
//! drawn apart as curves.
//!
//! Units are picture points (the panel's screen points, the SVG's user units).

/// A node's radius: larger the more edges and events it has, within bounds.
pub fn node_radius(degree: u32, events: u32) -> f32 {
    let weight = degree as f32 + events as f32 * 0.1;
    3.5 + 1.2 * weight.sqrt().min(10.0)
}

/// Labels longer than this many characters are shortened (the full name is on hover).
pub const LABEL_CHARS: usize = 28;

/// Whether a bracket holds only a period of years, as ACLED dates its state forces
/// ("(2014-)", "(2002-2013)").
fn is_period(bracket: &str) -> bool {
    let inner = bracket.trim_start_matches('(').trim_end_matches(')');
    !inner.is_empty()
        && inner.chars().all(|c| c.is_ascii_digit() || c == '-')
        && inner.chars().any(|c| c.is_ascii_digit())
}

/// `text` without its brackets of years, spaces collapsed.
fn without_periods(text: &str) -> String {
    let mut words: Vec<&str> = Vec::new();
    for word in text.split_whitespace() {
        if !(word.starts_with('(') && word.ends_with(')') && is_period(word)) {
            words.push(word);
        }
    }
    words.join(" ")
}

/// `text` cut between words to at most `max` characters, marked with "…"; a closing
/// bracket that is not a period ("(Brazil)") is kept after the cut.
fn cut_between_words(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let (head, tail) = match text.rfind(" (") {
        Some(at) if text.ends_with(')') && text[at..].chars().count() <= 14 => {
            (&text[..at], &text[at..])
        }
        _ => (text, ""),
    };
    let budget = max.saturating_sub(tail.chars().count() + 1).max(6);
    let mut kept = String::new();
    for word in head.split_whitespace() {
        let next = if kept.is_empty() {
            word.to_string()
        } else {
            format!("{kept} {word}")
        };
        if next.chars().count() > budget {
            break;
        }
        kept = next;
    }
    if kept.is_empty() {
        // One long first word: cut inside it.
        kept = head.chars().take(budget).collect();
    }
    format!("{kept}…{tail}")
}

/// An actor's name as a label: as it is when it is short; else without its brackets of
/// years ("Military Forces of India (2014-)" is "Military Forces of India"), then cut
/// between words to [`LABEL_CHARS`] characters, a closing bracket such as "(Brazil)" kept.
pub fn short_label(name: &str) -> String {
    let name = name.trim();
    if name.chars().count() <= LABEL_CHARS {
        return name.to_string();
    }
    cut_between_words(&without_periods(name), LABEL_CHARS)
}

/// The labels of several actors shown together: each [`short_label`], except that names
/// which would share a label keep more of themselves (their periods, then their whole
/// name), so two actors never look like one ("Police Forces of Kenya (2013-)" and
/// "(2002-2013)").
pub fn short_labels(names: &[&str]) -> Vec<String> {
    let mut labels: Vec<String> = names.iter().map(|n| short_label(n)).collect();
    let shared = |labels: &[String]| {
        let mut count: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for l in labels {
            *count.entry(l.as_str()).or_default() += 1;
        }
        labels
            .iter()
            .map(|l| count[l.as_str()] > 1)
            .collect::<Vec<bool>>()
    };
    let twice = shared(&labels);
    for (i, name) in names.iter().enumerate() {
        if twice[i] {
            labels[i] = cut_between_words(name.trim(), LABEL_CHARS + 14);
        }
    }
    let still = shared(&labels);
    for (i, name) in names.iter().enumerate() {
        if still[i] {
            labels[i] = name.trim().to_string();
        }
    }
    labels
}

/// A label that may be drawn next to its node.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LabelCandidate {
    /// The node's centre.
    pub centre: [f32; 2],
    /// The node's radius.
    pub radius: f32,
    /// The label's width and height.
    pub size: [f32; 2],
    /// How strictly it keeps clear of what is already there.
    pub placing: Placing,
}

/// How strictly a label keeps clear.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placing {
    /// Drawn right of its node whatever it overlaps (the selected or hovered actor).
    Always,
    /// Never over another label, but it may cover nodes (a community's leading actor, so
    /// that a tight clump still says what it is).
    OverNodes,
    /// Over neither labels nor nodes.
    Clear,
}

/// A placed label's box: left, top, right, bottom.
pub type LabelBox = [f32; 4];

fn overlaps(a: &LabelBox, b: &LabelBox) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

/// The gap between a node and its label.
const LABEL_GAP: f32 = 3.0;

/// Where each label goes, or `None` when it is hidden: candidates are taken in the order
/// given (put the most important first), each at the first of eight places around its node
/// (right, left, above, below, then the corners) where it stays inside `bounds` (left, top,
/// right, bottom) and covers neither a label placed before it nor any node of `nodes`
/// (centre, radius), as its [`Placing`] says.
pub fn place_labels(
    candidates: &[LabelCandidate],
    nodes: &[([f32; 2], f32)],
    bounds: LabelBox,
) -> Vec<Option<LabelBox>> {
    let mut grid = Grid::new(bounds);
    for &(centre, radius) in nodes {
        grid.add_disc(centre, radius);
    }
    candidates
        .iter()
        .map(|c| {
            let [x, y] = c.centre;
            let [w, h] = c.size;
            let r = c.radius + LABEL_GAP;
            // The corners sit just outside the node's disc.
            let d = r * 0.72;
            let spots = [
                [x + r, y - h / 2.0],
                [x - r - w, y - h / 2.0],
                [x - w / 2.0, y - r - h],
                [x - w / 2.0, y + r],
                [x + d, y - d - h],
                [x + d, y + d],
                [x - d - w, y - d - h],
                [x - d - w, y + d],
            ];
            let boxes = spots.map(|[l, t]| [l, t, l + w, t + h]);
            let inside = |b: &LabelBox| {
                b[0] >= bounds[0] && b[1] >= bounds[1] && b[2] <= bounds[2] && b[3] <= bounds[3]
            };
            let chosen = match c.placing {
                Placing::Always => Some(boxes[0]),
                Placing::OverNodes => boxes.into_iter().find(|b| inside(b) && !grid.hits_label(b)),
                Placing::Clear => boxes.into_iter().find(|b| inside(b) && !grid.hits(b)),
            };
            if let Some(b) = chosen {
                grid.add(b);
            }
            chosen
        })
        .collect()
}

/// Whether a box and a disc overlap.
fn box_meets_disc(b: &LabelBox, centre: [f32; 2], radius: f32) -> bool {
    let nx = centre[0].clamp(b[0], b[2]);
    let ny = centre[1].clamp(b[1], b[3]);
    (nx - centre[0]).powi(2) + (ny - centre[1]).powi(2) < radius * radius
}

/// Placed boxes and nodes' discs, bucketed by a coarse grid so a check looks only at its
/// neighbourhood.
struct Grid {
    origin: [f32; 2],
    cell: f32,
    columns: usize,
    rows: usize,
    boxes: Vec<Vec<LabelBox>>,
    discs: Vec<Vec<([f32; 2], f32)>>,
}

impl Grid {
    fn new(bounds: LabelBox) -> Grid {
        let cell = 48.0;
        let width = (bounds[2] - bounds[0]).clamp(1.0, 1e5);
        let height = (bounds[3] - bounds[1]).clamp(1.0, 1e5);
        let columns = (width / cell).ceil() as usize + 1;
        let rows = (height / cell).ceil() as usize + 1;
        Grid {
            origin: [bounds[0], bounds[1]],
            cell,
            columns,
            rows,
            boxes: vec![Vec::new(); columns * rows],
            discs: vec![Vec::new(); columns * rows],
        }
    }

    /// The cells a box touches (clamped to the grid: boxes outside share the edge cells).
    fn cells(&self, b: &LabelBox) -> impl Iterator<Item = usize> + '_ {
        let index = |v: f32, o: f32, n: usize| {
            let i = ((v - o) / self.cell).floor();
            if i.is_finite() {
                (i.max(0.0) as usize).min(n - 1)
            } else {
                0
            }
        };
        let (c0, c1) = (
            index(b[0], self.origin[0], self.columns),
            index(b[2], self.origin[0], self.columns),
        );
        let (r0, r1) = (
            index(b[1], self.origin[1], self.rows),
            index(b[3], self.origin[1], self.rows),
        );
        (r0..=r1).flat_map(move |r| (c0..=c1).map(move |c| r * self.columns + c))
    }

    fn hits(&self, b: &LabelBox) -> bool {
        self.cells(b).any(|i| {
            self.boxes[i].iter().any(|other| overlaps(b, other))
                || self.discs[i]
                    .iter()
                    .any(|&(centre, radius)| box_meets_disc(b, centre, radius))
        })
    }

    fn hits_label(&self, b: &LabelBox) -> bool {
        self.cells(b)
            .any(|i| self.boxes[i].iter().any(|other| overlaps(b, other)))
    }

    fn add(&mut self, b: LabelBox) {
        let cells: Vec<usize> = self.cells(&b).collect();
        for i in cells {
            self.boxes[i].push(b);
        }
    }

    fn add_disc(&mut self, centre: [f32; 2], radius: f32) {
        if !(centre[0].is_finite() && centre[1].is_finite() && radius.is_finite()) {
            return;
        }
        let b = [
            centre[0] - radius,
            centre[1] - radius,
            centre[0] + radius,
            centre[1] + radius,
        ];
        let cells: Vec<usize> = self.cells(&b).collect();
        for i in cells {
            self.discs[i].push((centre, radius));
        }
    }
}

/// How far each edge bends, in units of the spacing between parallel edges: 0 for an edge
/// alone between its two actors; for several between the same two (an interaction and stated
/// relations, either way), spread evenly on both sides of the straight line, so none hides
/// another. The sign is for the direction from the lower to the higher node index, so an
/// edge and its reverse bend apart.
pub fn edge_bends(ends: &[(u32, u32)]) -> Vec<f32> {
    let mut groups: std::collections::HashMap<(u32, u32), Vec<usize>> =
        std::collections::HashMap::new();
    for (i, &(a, b)) in ends.iter().enumerate() {
        groups.entry((a.min(b), a.max(b))).or_default().push(i);
    }
    let mut bends = vec![0.0; ends.len()];
    for members in groups.values() {
        let m = members.len() as f32;
        for (k, &i) in members.iter().enumerate() {
            let offset = k as f32 - (m - 1.0) / 2.0;
            let (a, b) = ends[i];
            bends[i] = if a <= b { offset } else { -offset };
        }
    }
    bends
}

/// The gap between edges drawn apart between the same two actors.
pub const EDGE_SPACING: f32 = 7.0;

/// How much every edge curves, as a share of its length: dense graphs (more than two edges
/// per actor) draw edges as gentle arcs, as Gephi does, so lines that cross at a node or run
/// side by side can be told apart; sparse graphs draw them straight.
pub fn curvature(nodes: usize, edges: usize) -> f32 {
    if edges > 2 * nodes {
        0.12
    } else {
        0.0
    }
}

/// The control point of a quadratic curve from `from` to `to`, its middle `bend` × `spacing`
/// plus `curvature` × its length to the left of the line; `None` for a straight edge.
pub fn bend_control(
    from: [f32; 2],
    to: [f32; 2],
    bend: f32,
    (spacing, curvature): (f32, f32),
) -> Option<[f32; 2]> {
    if bend == 0.0 && curvature == 0.0 {
        return None;
    }
    let (dx, dy) = (to[0] - from[0], to[1] - from[1]);
    let len = (dx * dx + dy * dy).sqrt();
    if len < 1e-3 {
        return None;
    }
    // A quadratic curve's middle lies halfway to its control point: double the offset.
    let off = 2.0 * (bend * spacing + curvature * len);
    Some([
        (from[0] + to[0]) / 2.0 - dy / len * off,
        (from[1] + to[1]) / 2.0 + dx / len * off,
    ])
}

/// Points along a quadratic curve (for hit-testing and arrowheads): `steps + 1` points from
/// `from` to `to`.
pub fn curve_points(
    from: [f32; 2],
    control: [f32; 2],
    to: [f32; 2],
    steps: usize,
) -> Vec<[f32; 2]> {
    (0..=steps.max(1))
        .map(|k| {
            let t = k as f32 / steps.max(1) as f32;
            let u = 1.0 - t;
            [
                u * u * from[0] + 2.0 * u * t * control[0] + t * t * to[0],
                u * u * from[1] + 2.0 * u * t * control[1] + t * t * to[1],
            ]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_lose_their_years_then_are_cut_between_words() {
        assert_eq!(
            short_label("Military Forces of India (2014-)"),
            "Military Forces of India"
        );
        assert_eq!(
            short_label("Police Forces of India (2014-) Border Security Force"),
            "Police Forces of India…"
        );
        assert_eq!(
            short_label("Unidentified Gang and/or Police Militia (Brazil)"),
            "Unidentified Gang… (Brazil)"
        );
        assert_eq!(short_label("United States"), "United States");
        assert_eq!(short_label("  Hamas  "), "Hamas");
        let long = short_label(&"x".repeat(100));
        assert!(long.chars().count() <= LABEL_CHARS + 1, "{long}");
        for name in [
            "NAF: United Armed Forces of Novorossiya",
            "Military Forces of Yemen (2016-) Supreme Political Council",
        ] {
            assert!(short_label(name).chars().count() <= LABEL_CHARS, "{name}");
        }
    }

    #[test]
    fn actors_shown_together_never_share_a_label() {
        let names = [
            "Police Forces of Kenya (2013-)",
            "Police Forces of Kenya (2002-2013)",
            "Military Forces of Libya (2014-) Haftar Faction",
            "Military Forces of Libya (2016-) Government of National Accord",
            "Taliban",
        ];
        let labels = short_labels(&names);
        assert_eq!(labels[0], "Police Forces of Kenya (2013-)");
        assert_eq!(labels[1], "Police Forces of Kenya (2002-2013)");
        assert_eq!(labels[2], "Military Forces of Libya (2014-) Haftar…");
        assert_eq!(labels[4], "Taliban");
        let distinct: std::collections::HashSet<&String> = labels.iter().collect();
        assert_eq!(distinct.len(), names.len(), "{labels:?}");
        // Alone, each is short.
        assert_eq!(short_labels(&names[..1]), ["Police Forces of Kenya"]);
    }

    fn candidate(x: f32, y: f32, w: f32) -> LabelCandidate {
        LabelCandidate {
            centre: [x, y],
            radius: 4.0,
            size: [w, 12.0],
            placing: Placing::Clear,
        }
    }

    #[test]
    fn labels_move_aside_rather_than_overlap_and_are_hidden_when_no_side_is_free() {
        let bounds = [0.0, 0.0, 400.0, 300.0];
        // Two nodes side by side: the second label goes left or elsewhere, not over the first.
        let placed = place_labels(
            &[candidate(100.0, 100.0, 80.0), candidate(120.0, 100.0, 80.0)],
            &[],
            bounds,
        );
        let (a, b) = (placed[0].unwrap(), placed[1].unwrap());
        assert!(!overlaps(&a, &b), "{a:?} {b:?}");
        assert_eq!(a[0], 100.0 + 4.0 + LABEL_GAP, "the first goes right");
        // Five on one spot: the four sides, then hidden (the corners overlap the sides).
        let stacked = place_labels(&[candidate(200.0, 150.0, 60.0); 5], &[], bounds);
        assert_eq!(stacked.iter().filter(|p| p.is_some()).count(), 4);
        assert!(stacked[4].is_none());
        // At the picture's left edge with a node on its right, a corner is taken.
        let cornered = place_labels(
            &[candidate(10.0, 100.0, 50.0)],
            &[([40.0, 100.0], 5.0)],
            bounds,
        );
        let b = cornered[0].unwrap();
        assert!(b[0] > 10.0 && b[3] < 100.0, "above right: {b:?}");
        // A label never covers a node: with a node right of this one, it goes left.
        let beside = place_labels(
            &[candidate(100.0, 100.0, 50.0)],
            &[([100.0, 100.0], 4.0), ([130.0, 100.0], 6.0)],
            bounds,
        );
        let b = beside[0].unwrap();
        assert!(b[2] <= 100.0, "{b:?}");
        // Boxed in by nodes on every side, a clear label is hidden, a leader's is not.
        let ring: Vec<([f32; 2], f32)> = (0..16)
            .map(|k| {
                let a = k as f32 * std::f32::consts::TAU / 16.0;
                ([200.0 + 14.0 * a.cos(), 150.0 + 14.0 * a.sin()], 5.0)
            })
            .collect();
        let clear = candidate(200.0, 150.0, 40.0);
        let leader = LabelCandidate {
            placing: Placing::OverNodes,
            ..clear
        };
        assert_eq!(place_labels(&[clear], &ring, bounds), vec![None]);
        assert!(place_labels(&[leader], &ring, bounds)[0].is_some());
        // A label that cannot fit inside the picture is hidden unless it must show.
        let edge = place_labels(&[candidate(398.0, 2.0, 500.0)], &[], bounds);
        assert_eq!(edge, vec![None]);
        let forced = place_labels(
            &[LabelCandidate {
                placing: Placing::Always,
                ..candidate(398.0, 2.0, 500.0)
            }],
            &[],
            bounds,
        );
        assert!(forced[0].is_some());
    }

    #[test]
    fn no_two_of_many_placed_labels_overlap() {
        let mut s = 9u64;
        let mut next = || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s % 1000) as f32
        };
        let candidates: Vec<LabelCandidate> = (0..800)
            .map(|_| candidate(next(), next() * 0.7, 20.0 + next() / 10.0))
            .collect();
        let nodes: Vec<([f32; 2], f32)> = candidates.iter().map(|c| (c.centre, c.radius)).collect();
        let placed: Vec<LabelBox> = place_labels(&candidates, &nodes, [0.0, 0.0, 1000.0, 700.0])
            .into_iter()
            .flatten()
            .collect();
        assert!(placed.len() > 100, "{} placed", placed.len());
        for i in 0..placed.len() {
            for j in (i + 1)..placed.len() {
                assert!(!overlaps(&placed[i], &placed[j]), "{i} and {j}");
            }
            for &(centre, radius) in &nodes {
                assert!(
                    !box_meets_disc(&placed[i], centre, radius),
                    "{i} covers a node"
                );
            }
        }
    }

    #[test]
    fn parallel_edges_bend_apart_and_a_lone_edge_stays_straight() {
        let bends = edge_bends(&[(0, 1), (1, 0), (2, 3), (0, 1)]);
        assert_eq!(bends[2], 0.0);
        // Three between 0 and 1: offsets −1, 0, +1 as seen from 0 to 1.
        let mut seen: Vec<f32> = vec![bends[0], -bends[1], bends[3]];
        seen.sort_by(f32::total_cmp);
        assert_eq!(seen, vec![-1.0, 0.0, 1.0]);
        // The control point of a bent edge is off the line, on the side the sign says.
        let c = bend_control([0.0, 0.0], [10.0, 0.0], 1.0, (5.0, 0.0)).unwrap();
        assert_eq!(c, [5.0, 10.0]);
        let mid = curve_points([0.0, 0.0], c, [10.0, 0.0], 2)[1];
        assert_eq!(mid, [5.0, 5.0], "the curve passes one spacing off the line");
        assert!(bend_control([0.0, 0.0], [10.0, 0.0], 0.0, (5.0, 0.0)).is_none());
        // In a dense graph a lone edge arcs by a share of its length.
        assert_eq!(curvature(10, 15), 0.0);
        let arc = bend_control([0.0, 0.0], [100.0, 0.0], 0.0, (5.0, curvature(10, 30)));
        let mid = curve_points([0.0, 0.0], arc.unwrap(), [100.0, 0.0], 2)[1];
        assert!((mid[1] - 12.0).abs() < 1e-3, "{mid:?}");
    }
}
