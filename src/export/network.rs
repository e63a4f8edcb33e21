//! The actor network as SVG (laid out with [`crate::layout`], deterministically) or as an
//! edge-list CSV.

use std::fmt::Write as _;

use crate::layout::ForceLayout;
use crate::query::{ActorGraph, EdgeKind};
use crate::store::Store;

use super::{csv_field, xml_escape};

/// The network's edges as CSV: one row per edge, stated relations with their first quote.
pub fn network_csv(store: &Store, graph: &ActorGraph) -> String {
    let mut out = String::from("from,to,kind,events,fatalities,source_quote\n");
    for e in &graph.edges {
        let from = store.actor_name(graph.nodes[e.from as usize].actor);
        let to = store.actor_name(graph.nodes[e.to as usize].actor);
        let (kind, quote) = match e.kind {
            EdgeKind::Interaction => ("interaction".to_string(), String::new()),
            EdgeKind::SameSide => ("same side".to_string(), String::new()),
            EdgeKind::Stated(k) => (
                k.label().to_string(),
                e.relation
                    .and_then(|r| store.meta.relations.get(r))
                    .and_then(|r| r.sources.first())
                    .map(|s| s.quote.clone())
                    .unwrap_or_default(),
            ),
        };
        let _ = writeln!(
            out,
            "{},{},{},{},{},{}",
            csv_field(from),
            csv_field(to),
            csv_field(&kind),
            e.events,
            e.fatalities,
            csv_field(&quote)
        );
    }
    out
}

/// The network as an SVG picture: the `limit` most connected actors, laid out
/// deterministically, stated relations as coloured arrows, interactions in grey.
pub fn network_svg(
    store: &Store,
    graph: &ActorGraph,
    title: &str,
    subtitle: &str,
    source_line: &str,
    (width, height): (u32, u32),
    limit: usize,
) -> String {
    let mut order: Vec<usize> = (0..graph.nodes.len()).collect();
    order.sort_by_key(|&i| {
        let n = &graph.nodes[i];
        (std::cmp::Reverse(n.events + 3 * n.relations), i)
    });
    order.truncate(limit.max(1));
    order.sort_unstable();
    let mut index = vec![usize::MAX; graph.nodes.len()];
    for (new, &old) in order.iter().enumerate() {
        index[old] = new;
    }
    let edges: Vec<(usize, usize, &crate::query::network::GraphEdge)> = graph
        .edges
        .iter()
        .filter(|e| index[e.from as usize] != usize::MAX && index[e.to as usize] != usize::MAX)
        .map(|e| (index[e.from as usize], index[e.to as usize], e))
        .collect();
    let mut layout = ForceLayout::new(
        order.len(),
        edges
            .iter()
            .map(|&(a, b, e)| {
                let w = match e.kind {
                    EdgeKind::Stated(_) => 1.5,
                    _ => (1.0 + e.events as f32).ln().max(0.3),
                };
                (a as u32, b as u32, w)
            })
            .collect(),
        2024,
    );
    for _ in 0..500 {
        layout.step();
    }
    let (w, h) = (f64::from(width.max(320)), f64::from(height.max(240)));
    let (top, bottom, side) = (100.0, 40.0, 120.0);
    let (lo, hi) = layout.bounds();
    let sx = (w - 2.0 * side) / f64::from((hi[0] - lo[0]).max(1.0));
    let sy = (h - top - bottom) / f64::from((hi[1] - lo[1]).max(1.0));
    let scale = sx.min(sy);
    let cx = f64::from(lo[0] + hi[0]) / 2.0;
    let cy = f64::from(lo[1] + hi[1]) / 2.0;
    let at = |i: usize| {
        let p = layout.positions[i];
        (
            w / 2.0 + (f64::from(p[0]) - cx) * scale,
            top + (h - top - bottom) / 2.0 + (f64::from(p[1]) - cy) * scale,
        )
    };
    let mut s = super::svg::open_document(w, h, 24.0, title, subtitle);
    for &(a, b, e) in &edges {
        let ((x1, y1), (x2, y2)) = (at(a), at(b));
        match e.kind {
            EdgeKind::Stated(kind) => {
                let dash = if kind.is_hostile() {
                    r#" stroke-dasharray="6 4""#
                } else {
                    ""
                };
                let _ = writeln!(
                    s,
                    r##"<line class="relation" data-kind="{}" x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="#0072B2" stroke-width="1.6"{dash}/>"##,
                    kind.label()
                );
            }
            _ => {
                let _ = writeln!(
                    s,
                    r##"<line class="interaction" x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="#bbbbbb" stroke-width="{:.1}"/>"##,
                    0.6 + (e.events as f64).ln_1p() * 0.5
                );
            }
        }
    }
    for (new, &old) in order.iter().enumerate() {
        let (x, y) = at(new);
        let name = store.actor_name(graph.nodes[old].actor);
        let _ = writeln!(
            s,
            r##"<circle class="actor" cx="{x:.1}" cy="{y:.1}" r="5" fill="#E69F00" stroke="#333333" stroke-width="0.6"/><text x="{:.1}" y="{:.1}" font-size="11" fill="#1a1a1a">{}</text>"##,
            x + 7.0,
            y + 4.0,
            xml_escape(name)
        );
    }
    let _ = writeln!(
        s,
        r##"<text class="source" x="24" y="{:.1}" font-size="12" fill="#555555">{}</text>
</svg>"##,
        h - 14.0,
        xml_escape(source_line)
    );
    s
}
