//! The actor network as shown ([`GraphView`], laid out by the query layer) as SVG, or as an
//! edge list in CSV.

use std::fmt::Write as _;

use crate::layout::graph_picture;
use crate::model::{ActorKind, RelationKind};
use crate::query::network::GraphRows;
use crate::query::{EdgeKind, GraphView};
use crate::store::Store;
use crate::style;

use super::{csv_field, xml_escape};

/// The network's edges as CSV: one row per edge shown, stated relations with their first
/// quote; then one row per actor shown (`kind` "actor", no `to`), so isolated actors are there
/// too.
pub fn network_csv(store: &Store, view: &GraphView, ids: Option<&GraphRows>) -> String {
    let mut out = String::from("from,to,kind,events,fatalities,source_quote");
    out.push_str(if ids.is_some() { ",ids\n" } else { "\n" });
    let name = |n: u32| store.actor_name(view.nodes[n as usize].node.actor);
    let actor = |n: u32| view.nodes[n as usize].node.actor;
    // The ids behind a number, space-separated; a stated relation's own id.
    let id_list = |rows: Option<&Vec<u32>>| {
        let list: Vec<&str> = rows
            .map(|rows| rows.iter().map(|&r| store.row(r as usize).id()).collect())
            .unwrap_or_default();
        format!(",{}", csv_field(&list.join(" ")))
    };
    for e in &view.edges {
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
        let behind = ids.map(|g| match e.kind {
            EdgeKind::Stated(_) => format!(
                ",{}",
                csv_field(
                    &e.relation
                        .and_then(|r| store.meta.relations.get(r))
                        .map(|r| r.id.clone())
                        .unwrap_or_default()
                )
            ),
            kind => {
                let (x, y) = (actor(e.from), actor(e.to));
                id_list(
                    g.edges
                        .get(&(x.min(y), x.max(y), kind == EdgeKind::SameSide)),
                )
            }
        });
        let _ = writeln!(
            out,
            "{},{},{},{},{},{}{}",
            csv_field(name(e.from)),
            csv_field(name(e.to)),
            csv_field(&kind),
            e.events,
            e.fatalities,
            csv_field(&quote),
            behind.unwrap_or_default()
        );
    }
    for n in &view.nodes {
        let behind = ids.map(|g| id_list(g.actors.get(&n.node.actor)));
        let _ = writeln!(
            out,
            "{},,actor,{},{},{}",
            csv_field(store.actor_name(n.node.actor)),
            n.node.events,
            n.node.fatalities,
            behind.unwrap_or_default()
        );
    }
    out
}

/// Where the picture's parts go: the plot area and the scale from layout units to pixels.
struct Frame {
    left: f64,
    top: f64,
    area: (f64, f64),
    centre: (f64, f64),
    scale: (f64, f64),
}

impl Frame {
    fn new(view: &GraphView, (w, h): (f64, f64), legend_w: f64) -> Frame {
        let (top, bottom, left, right) = (100.0, 44.0, 24.0, 24.0 + legend_w + 110.0);
        let (mut lo, mut hi) = ([f64::MAX; 2], [f64::MIN; 2]);
        for n in &view.nodes {
            for a in 0..2 {
                lo[a] = lo[a].min(f64::from(n.position[a]));
                hi[a] = hi[a].max(f64::from(n.position[a]));
            }
        }
        if view.nodes.is_empty() {
            (lo, hi) = ([0.0; 2], [1.0; 2]);
        }
        let area = ((w - left - right).max(10.0), (h - top - bottom).max(10.0));
        let sx = area.0 / (hi[0] - lo[0]).max(1.0);
        let sy = area.1 / (hi[1] - lo[1]).max(1.0);
        Frame {
            left,
            top,
            area,
            centre: ((lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0),
            // Fill the area, stretching one axis at most 1.6 times the other.
            scale: (sx.min(sy * 1.6), sy.min(sx * 1.6)),
        }
    }

    /// The scale nodes are sized for: the smaller of the two axes'.
    fn radius_scale(&self) -> f32 {
        self.scale.0.min(self.scale.1) as f32
    }

    fn at(&self, p: [f32; 2]) -> (f64, f64) {
        (
            self.left + self.area.0 / 2.0 + (f64::from(p[0]) - self.centre.0) * self.scale.0,
            self.top + self.area.1 / 2.0 + (f64::from(p[1]) - self.centre.1) * self.scale.1,
        )
    }
}

const LEGEND_WIDTH: f64 = 190.0;

/// The network as an SVG picture of exactly what the view shows, where it shows it: stated
/// relations as coloured arrows (hostile ones dashed), interactions in grey, a legend.
pub fn network_svg(
    store: &Store,
    view: &GraphView,
    title: &str,
    subtitle: &str,
    source_line: &str,
    (width, height): (u32, u32),
) -> String {
    let (w, h) = (f64::from(width.max(320)), f64::from(height.max(240)));
    let frame = Frame::new(view, (w, h), LEGEND_WIDTH);
    let mut s = super::svg::open_document(w, h, 24.0, title, subtitle);
    draw_edges(&mut s, store, view, &frame);
    draw_nodes(&mut s, store, view, &frame);
    draw_legend(
        &mut s,
        store,
        view,
        (w - 24.0 - LEGEND_WIDTH, frame.top + 4.0),
    );
    let _ = writeln!(
        s,
        r##"<text class="source" x="24" y="{:.1}" font-size="12" fill="#555555">{}</text>
</svg>"##,
        h - 14.0,
        xml_escape(source_line)
    );
    s
}

/// An edge's path: a straight line, or a quadratic curve when it shares its two actors with
/// other edges; and the direction it arrives in (for the arrowhead).
fn edge_path(
    from: (f64, f64),
    to: (f64, f64),
    (bend, curvature): (f32, f32),
) -> (String, (f64, f64)) {
    let control = graph_picture::bend_control(
        [from.0 as f32, from.1 as f32],
        [to.0 as f32, to.1 as f32],
        bend,
        (graph_picture::EDGE_SPACING, curvature),
    );
    match control {
        None => (
            format!("M{:.1},{:.1} L{:.1},{:.1}", from.0, from.1, to.0, to.1),
            (to.0 - from.0, to.1 - from.1),
        ),
        Some([cx, cy]) => {
            let (cx, cy) = (f64::from(cx), f64::from(cy));
            (
                format!(
                    "M{:.1},{:.1} Q{cx:.1},{cy:.1} {:.1},{:.1}",
                    from.0, from.1, to.0, to.1
                ),
                (to.0 - cx, to.1 - cy),
            )
        }
    }
}

fn draw_edges(s: &mut String, store: &Store, view: &GraphView, frame: &Frame) {
    let name = |n: u32| xml_escape(store.actor_name(view.nodes[n as usize].node.actor));
    let ends = |e: &crate::query::network::GraphEdge| {
        (
            frame.at(view.nodes[e.from as usize].position),
            frame.at(view.nodes[e.to as usize].position),
        )
    };
    let pairs: Vec<(u32, u32)> = view.edges.iter().map(|e| (e.from, e.to)).collect();
    let bends = graph_picture::edge_bends(&pairs);
    let curvature = graph_picture::curvature(view.nodes.len(), view.edges.len());
    // Interactions first, so stated relations are drawn over them.
    for (i, e) in view
        .edges
        .iter()
        .enumerate()
        .filter(|(_, e)| !matches!(e.kind, EdgeKind::Stated(_)))
    {
        let (from, to) = ends(e);
        let (d, _) = edge_path(from, to, (bends[i], curvature));
        let _ = writeln!(
            s,
            r##"<path class="interaction" data-from="{}" data-to="{}" d="{d}" fill="none" stroke="{}" stroke-width="{:.1}"/>"##,
            name(e.from),
            name(e.to),
            style::INTERACTION.hex(),
            0.6 + (e.events as f64).ln_1p() * 0.5
        );
    }
    for (i, e) in view.edges.iter().enumerate() {
        let EdgeKind::Stated(kind) = e.kind else {
            continue;
        };
        let (from, (x2, y2)) = ends(e);
        let dash = if kind.is_hostile() {
            r#" stroke-dasharray="6 4""#
        } else {
            ""
        };
        let colour = style::relation_colour(kind).hex();
        let target = f64::from(view.drawn_radius(e.to as usize, frame.radius_scale()));
        let (d, (dx, dy)) = edge_path(from, (x2, y2), (bends[i], curvature));
        let _ = writeln!(
            s,
            r##"<path class="relation" data-kind="{}" data-from="{}" data-to="{}" d="{d}" fill="none" stroke="{colour}" stroke-width="1.6"{dash}/>"##,
            kind.label(),
            name(e.from),
            name(e.to),
        );
        // An arrowhead at the target's rim: who does what to whom.
        let len = (dx * dx + dy * dy).sqrt();
        if len > 16.0 {
            let (ux, uy) = (dx / len, dy / len);
            let (tx, ty) = (x2 - ux * (target + 1.0), y2 - uy * (target + 1.0));
            let _ = writeln!(
                s,
                r##"<path class="arrow" d="M{tx:.1},{ty:.1} L{:.1},{:.1} L{:.1},{:.1} Z" fill="{colour}"/>"##,
                tx - ux * 8.0 - uy * 3.5,
                ty - uy * 8.0 + ux * 3.5,
                tx - ux * 8.0 + uy * 3.5,
                ty - uy * 8.0 - ux * 3.5,
            );
        }
    }
}

/// The legend's actor section: the communities when actors are coloured by them, else the
/// actor kinds shown; each entry's label and colour.
fn actor_legend(view: &GraphView, kinds: &[ActorKind]) -> (&'static str, Vec<(String, String)>) {
    if view.by_community {
        let entries = view
            .community_legend()
            .into_iter()
            .map(|(name, colour)| (name, colour.hex()))
            .collect();
        ("Communities", entries)
    } else {
        let entries = kinds
            .iter()
            .map(|k| (k.label().to_string(), style::actor_kind_colour(*k).hex()))
            .collect();
        ("Actors", entries)
    }
}

/// The label font size of the picture.
const LABEL_SIZE: f32 = 11.0;

/// The network's labels as the picture places them: each node's short label and its box
/// (left, top, right, bottom), or `None` when it would overlap a more connected one. The
/// same rule as the panel's: the most connected first, each on the first free side.
pub fn network_labels(
    view: &GraphView,
    (width, height): (u32, u32),
) -> Vec<(String, Option<graph_picture::LabelBox>)> {
    let (w, h) = (f64::from(width.max(320)), f64::from(height.max(240)));
    let frame = Frame::new(view, (w, h), LEGEND_WIDTH);
    place_labels(view, &frame)
}

fn place_labels(view: &GraphView, frame: &Frame) -> Vec<(String, Option<graph_picture::LabelBox>)> {
    let n = view.nodes.len();
    let order = view.label_order();
    let labels = &view.labels;
    let candidates: Vec<graph_picture::LabelCandidate> = order
        .iter()
        .map(|&i| {
            let (x, y) = frame.at(view.nodes[i].position);
            graph_picture::LabelCandidate {
                centre: [x as f32, y as f32],
                radius: view.drawn_radius(i, frame.radius_scale()),
                size: [
                    crate::text::text_width(&labels[i], LABEL_SIZE),
                    LABEL_SIZE * 1.25,
                ],
                placing: view.label_placing(i),
            }
        })
        .collect();
    let bounds = [
        12.0,
        frame.top as f32 - 12.0,
        (frame.left + frame.area.0) as f32 + 100.0,
        (frame.top + frame.area.1) as f32 + 30.0,
    ];
    let discs: Vec<([f32; 2], f32)> = (0..n)
        .map(|i| {
            let (x, y) = frame.at(view.nodes[i].position);
            (
                [x as f32, y as f32],
                view.drawn_radius(i, frame.radius_scale()),
            )
        })
        .collect();
    let mut placed = vec![None; n];
    for (&i, spot) in order
        .iter()
        .zip(graph_picture::place_labels(&candidates, &discs, bounds))
    {
        placed[i] = spot;
    }
    labels.iter().cloned().zip(placed).collect()
}

fn draw_nodes(s: &mut String, store: &Store, view: &GraphView, frame: &Frame) {
    let labels = place_labels(view, frame);
    for (i, n) in view.nodes.iter().enumerate() {
        let (x, y) = frame.at(n.position);
        let actor = &store.actors()[n.node.actor as usize];
        let name = xml_escape(&actor.name);
        let _ = writeln!(
            s,
            r##"<circle class="actor" data-actor="{name}" cx="{x:.1}" cy="{y:.1}" r="{:.1}" fill="{}" stroke="#333333" stroke-width="0.6"><title>{name}</title></circle>"##,
            view.drawn_radius(i, frame.radius_scale()),
            view.node_colour(i, store).hex(),
        );
    }
    for (label, spot) in labels {
        let Some([left, _, _, bottom]) = spot else {
            continue;
        };
        let _ = writeln!(
            s,
            r##"<text class="label" x="{left:.1}" y="{:.1}" font-size="{LABEL_SIZE}" fill="#1a1a1a">{}</text>"##,
            bottom - LABEL_SIZE * 0.3,
            xml_escape(&label)
        );
    }
}

/// The legend: the relation kinds drawn, interactions, the actor kinds drawn, and how many of
/// the actors are shown.
fn draw_legend(s: &mut String, store: &Store, view: &GraphView, (lx, mut ly): (f64, f64)) {
    let mut relation_kinds: Vec<RelationKind> = Vec::new();
    let mut interactions = false;
    for e in &view.edges {
        match e.kind {
            EdgeKind::Stated(k) if !relation_kinds.contains(&k) => relation_kinds.push(k),
            EdgeKind::Stated(_) => {}
            _ => interactions = true,
        }
    }
    relation_kinds.sort();
    let mut actor_kinds: Vec<ActorKind> = Vec::new();
    for n in &view.nodes {
        let kind = store.actors()[n.node.actor as usize].kind;
        if !actor_kinds.contains(&kind) {
            actor_kinds.push(kind);
        }
    }
    actor_kinds.sort_by_key(|k| ActorKind::ALL.iter().position(|x| x == k));
    let heading = |s: &mut String, y: f64, text: &str| {
        let _ = writeln!(
            s,
            r##"<text x="{lx:.1}" y="{y:.1}" font-size="13" font-weight="bold" fill="#1a1a1a">{text}</text>"##
        );
    };
    let line = |s: &mut String, y: f64, colour: String, dashed: bool, label: &str| {
        let dash = if dashed {
            r#" stroke-dasharray="6 4""#
        } else {
            ""
        };
        let _ = writeln!(
            s,
            r##"<line x1="{lx:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{colour}" stroke-width="2"{dash}/><text x="{:.1}" y="{y:.1}" font-size="12" fill="#333333">{}</text>"##,
            y - 4.0,
            lx + 26.0,
            y - 4.0,
            lx + 32.0,
            xml_escape(label)
        );
    };
    let _ = writeln!(s, r#"<g class="legend">"#);
    heading(s, ly, "Relations (as stated)");
    for kind in &relation_kinds {
        ly += 18.0;
        line(
            s,
            ly,
            style::relation_colour(*kind).hex(),
            kind.is_hostile(),
            kind.label(),
        );
    }
    if interactions {
        ly += 18.0;
        line(s, ly, style::INTERACTION.hex(), false, "together in events");
    }
    ly += 14.0;
    if relation_kinds.iter().any(|k| k.is_hostile()) {
        ly += 4.0;
        let _ = writeln!(
            s,
            r##"<text x="{lx:.1}" y="{ly:.1}" font-size="11" fill="#555555">dashed: hostile</text>"##
        );
        ly += 10.0;
    }
    ly += 18.0;
    let (title, entries) = actor_legend(view, &actor_kinds);
    heading(s, ly, title);
    for (label, colour) in entries {
        ly += 18.0;
        let _ = writeln!(
            s,
            r##"<circle cx="{:.1}" cy="{:.1}" r="5" fill="{colour}" stroke="#333333" stroke-width="0.6"/><text x="{:.1}" y="{ly:.1}" font-size="12" fill="#333333">{}</text>"##,
            lx + 13.0,
            ly - 4.0,
            lx + 32.0,
            xml_escape(&label)
        );
    }
    if view.nodes.len() < view.total_actors {
        ly += 24.0;
        let _ = writeln!(
            s,
            r##"<text x="{lx:.1}" y="{ly:.1}" font-size="11" fill="#555555">{} of {} actors shown</text>"##,
            view.nodes.len(),
            view.total_actors
        );
    }
    s.push_str("</g>\n");
}
