//! The actor network as SVG (laid out with [`crate::layout`], deterministically) or as an
//! edge-list CSV.

use std::fmt::Write as _;

use crate::layout::ForceLayout;
use crate::model::{ActorKind, RelationKind};
use crate::query::{ActorGraph, EdgeKind};
use crate::store::Store;
use crate::style;

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
    // The legend takes a column on the right; labels run right of their node.
    let legend_w = 190.0;
    let (top, bottom, left, right) = (100.0, 44.0, 24.0, 24.0 + legend_w + 110.0);
    let (lo, hi) = layout.bounds();
    let (area_w, area_h) = ((w - left - right).max(10.0), (h - top - bottom).max(10.0));
    let sx = area_w / f64::from((hi[0] - lo[0]).max(1.0));
    let sy = area_h / f64::from((hi[1] - lo[1]).max(1.0));
    // Fill the area, stretching one axis at most 1.6 times the other.
    let (sx, sy) = (sx.min(sy * 1.6), sy.min(sx * 1.6));
    let cx = f64::from(lo[0] + hi[0]) / 2.0;
    let cy = f64::from(lo[1] + hi[1]) / 2.0;
    let at = |i: usize| {
        let p = layout.positions[i];
        (
            left + area_w / 2.0 + (f64::from(p[0]) - cx) * sx,
            top + area_h / 2.0 + (f64::from(p[1]) - cy) * sy,
        )
    };
    let mut s = super::svg::open_document(w, h, 24.0, title, subtitle);
    let mut kinds_drawn: Vec<RelationKind> = Vec::new();
    let mut interactions_drawn = false;
    // Interactions first, so stated relations are drawn over them.
    for &(a, b, e) in edges
        .iter()
        .filter(|(_, _, e)| !matches!(e.kind, EdgeKind::Stated(_)))
    {
        let ((x1, y1), (x2, y2)) = (at(a), at(b));
        interactions_drawn = true;
        let _ = writeln!(
            s,
            r##"<line class="interaction" x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="{}" stroke-width="{:.1}"/>"##,
            style::INTERACTION.hex(),
            0.6 + (e.events as f64).ln_1p() * 0.5
        );
    }
    for &(a, b, e) in &edges {
        let EdgeKind::Stated(kind) = e.kind else {
            continue;
        };
        if !kinds_drawn.contains(&kind) {
            kinds_drawn.push(kind);
        }
        let ((x1, y1), (x2, y2)) = (at(a), at(b));
        let dash = if kind.is_hostile() {
            r#" stroke-dasharray="6 4""#
        } else {
            ""
        };
        let _ = writeln!(
            s,
            r##"<line class="relation" data-kind="{}" x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="{}" stroke-width="1.6"{dash}/>"##,
            kind.label(),
            style::relation_colour(kind).hex()
        );
        // An arrowhead at the target's edge: who does what to whom.
        let (dx, dy) = (x2 - x1, y2 - y1);
        let len = (dx * dx + dy * dy).sqrt();
        if len > 16.0 {
            let (ux, uy) = (dx / len, dy / len);
            let (tx, ty) = (x2 - ux * 6.0, y2 - uy * 6.0);
            let _ = writeln!(
                s,
                r##"<path class="arrow" d="M{tx:.1},{ty:.1} L{:.1},{:.1} L{:.1},{:.1} Z" fill="{}"/>"##,
                tx - ux * 8.0 - uy * 3.5,
                ty - uy * 8.0 + ux * 3.5,
                tx - ux * 8.0 + uy * 3.5,
                ty - uy * 8.0 - ux * 3.5,
                style::relation_colour(kind).hex()
            );
        }
    }
    let mut actor_kinds: Vec<ActorKind> = Vec::new();
    for (new, &old) in order.iter().enumerate() {
        let (x, y) = at(new);
        let actor = &store.actors()[graph.nodes[old].actor as usize];
        if !actor_kinds.contains(&actor.kind) {
            actor_kinds.push(actor.kind);
        }
        let _ = writeln!(
            s,
            r##"<circle class="actor" cx="{x:.1}" cy="{y:.1}" r="5" fill="{}" stroke="#333333" stroke-width="0.6"/><text x="{:.1}" y="{:.1}" font-size="11" fill="#1a1a1a">{}</text>"##,
            style::actor_kind_colour(actor.kind).hex(),
            x + 7.0,
            y + 4.0,
            xml_escape(&actor.name)
        );
    }
    // The legend: relation kinds drawn, interactions, actor kinds drawn.
    kinds_drawn.sort();
    actor_kinds.sort_by_key(|k| ActorKind::ALL.iter().position(|x| x == k));
    let lx = w - 24.0 - legend_w;
    let mut ly = top + 4.0;
    let _ = writeln!(
        s,
        r##"<g class="legend"><text x="{lx:.1}" y="{ly:.1}" font-size="13" font-weight="bold" fill="#1a1a1a">Relations (as stated)</text>"##
    );
    for kind in &kinds_drawn {
        ly += 18.0;
        let dash = if kind.is_hostile() {
            r#" stroke-dasharray="6 4""#
        } else {
            ""
        };
        let _ = writeln!(
            s,
            r##"<line x1="{lx:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{}" stroke-width="2"{dash}/><text x="{:.1}" y="{ly:.1}" font-size="12" fill="#333333">{}</text>"##,
            ly - 4.0,
            lx + 26.0,
            ly - 4.0,
            style::relation_colour(*kind).hex(),
            lx + 32.0,
            xml_escape(kind.label())
        );
    }
    if interactions_drawn {
        ly += 18.0;
        let _ = writeln!(
            s,
            r##"<line x1="{lx:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{}" stroke-width="2"/><text x="{:.1}" y="{ly:.1}" font-size="12" fill="#333333">together in events</text>"##,
            ly - 4.0,
            lx + 26.0,
            ly - 4.0,
            style::INTERACTION.hex(),
            lx + 32.0,
        );
    }
    ly += 14.0;
    if kinds_drawn.iter().any(|k| k.is_hostile()) {
        ly += 4.0;
        let _ = writeln!(
            s,
            r##"<text x="{lx:.1}" y="{ly:.1}" font-size="11" fill="#555555">dashed: hostile</text>"##
        );
        ly += 10.0;
    }
    ly += 18.0;
    let _ = writeln!(
        s,
        r##"<text x="{lx:.1}" y="{ly:.1}" font-size="13" font-weight="bold" fill="#1a1a1a">Actors</text>"##
    );
    for kind in &actor_kinds {
        ly += 18.0;
        let _ = writeln!(
            s,
            r##"<circle cx="{:.1}" cy="{:.1}" r="5" fill="{}" stroke="#333333" stroke-width="0.6"/><text x="{:.1}" y="{ly:.1}" font-size="12" fill="#333333">{}</text>"##,
            lx + 13.0,
            ly - 4.0,
            style::actor_kind_colour(*kind).hex(),
            lx + 32.0,
            xml_escape(kind.label())
        );
    }
    if order.len() < graph.nodes.len() {
        ly += 24.0;
        let _ = writeln!(
            s,
            r##"<text x="{lx:.1}" y="{ly:.1}" font-size="11" fill="#555555">the {} most connected of {} actors</text>"##,
            order.len(),
            graph.nodes.len()
        );
    }
    s.push_str("</g>\n");
    let _ = writeln!(
        s,
        r##"<text class="source" x="24" y="{:.1}" font-size="12" fill="#555555">{}</text>
</svg>"##,
        h - 14.0,
        xml_escape(source_line)
    );
    s
}
