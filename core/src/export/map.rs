//! The map as a picture (SVG, rasterised for PNG like every chart) and the mapped events as
//! CSV. The picture draws the same answers as the map panel: the outlines and labels of
//! `layout::map`, the markers, clusters, density grid or country totals of `query::map`.

use std::fmt::Write as _;

use crate::basemap::{basemap, ATTRIBUTION};
use crate::layout::map::{
    country_labels, country_outlines, scale_bar, CountryOutline, MapFrame, Projection,
};
use crate::model::GeoBox;
use crate::query::map::{
    legend_values, log_position, mark_radius, ColourBy, CountryTotals, MapLayer, MapPoints,
    MapScene, MapSpec, Precision, SceneLayer,
};
use crate::store::Store;
use crate::style::{self, Rgb};
use crate::text::thousands;

use super::svg::open_document;
use super::{csv_field, xml_escape};

/// What an exported map shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MapExport {
    /// What the events are drawn as.
    pub layer: MapLayer,
    /// What the markers' colour says.
    pub colour_by: ColourBy,
    /// The projection.
    pub projection: Projection,
    /// The part of the world shown; `None` fits the placed events (or the world).
    pub view: Option<GeoBox>,
}

impl Default for MapExport {
    fn default() -> Self {
        MapExport {
            layer: MapLayer::Auto,
            colour_by: ColourBy::EventType,
            projection: Projection::Equirectangular,
            view: None,
        }
    }
}

/// Where the parts of a map picture go.
pub struct MapPage {
    /// The map's top-left corner on the page.
    pub origin: [f32; 2],
    /// The camera over the map's area.
    pub frame: MapFrame,
    /// The page's size.
    pub size: [f32; 2],
    /// The analyst's annotations; those with a place are drawn as pins.
    pub annotations: Vec<crate::model::Annotation>,
}

const MARGIN: f32 = 24.0;
const TOP: f32 = 96.0;
const LEGEND_AND_FOOTER: f32 = 118.0;

impl MapPage {
    /// The page of a `size` picture showing `view` (or the placed events, or the world).
    pub fn new(size: (u32, u32), export: &MapExport, points: &MapPoints) -> MapPage {
        let size = [size.0.max(320) as f32, size.1.max(280) as f32];
        let area = [
            size[0] - 2.0 * MARGIN,
            (size[1] - TOP - LEGEND_AND_FOOTER).max(80.0),
        ];
        let view = export
            .view
            .or_else(|| points.bounds())
            .unwrap_or_else(GeoBox::world);
        MapPage {
            origin: [MARGIN, TOP],
            frame: MapFrame::fit(export.projection, &view, area, 16.0),
            size,
            annotations: Vec::new(),
        }
    }
}

fn hex(c: Rgb) -> String {
    c.hex()
}

/// The map picture.
pub fn map_svg(
    page: &MapPage,
    scene: &MapScene,
    points: &MapPoints,
    totals: &CountryTotals,
    title: &str,
    subtitle: &str,
    source: &str,
) -> String {
    let [w, h] = page.size;
    let [ox, oy] = page.origin;
    let frame = &page.frame;
    let [mw, mh] = frame.size;
    let mut out = open_document(f64::from(w), f64::from(h), f64::from(ox), title, subtitle);
    // A nested viewport clips the map to its area (no clip path: nothing referenced by id,
    // so several maps can sit in one HTML brief).
    let _ = writeln!(
        out,
        r#"<svg x="{ox}" y="{oy}" width="{mw}" height="{mh}" viewBox="0 0 {mw} {mh}" overflow="hidden">"#
    );
    let _ = writeln!(
        out,
        r#"<rect width="{mw}" height="{mh}" fill="{}"/>"#,
        hex(style::SEA)
    );
    graticule_svg(&mut out, frame);
    let (resolution, outlines) = country_outlines(frame);
    let shaded = matches!(scene.layer, SceneLayer::Countries);
    let by = points.colour_by;
    countries_svg(
        &mut out,
        &outlines,
        resolution,
        shaded.then_some((totals, by)),
    );
    match &scene.layer {
        SceneLayer::Marks(marks) => marks_svg(&mut out, marks, points),
        SceneLayer::Density(grid) => density_svg(&mut out, grid),
        SceneLayer::Countries => {}
    }
    labels_svg(&mut out, frame, &outlines, resolution);
    pins_svg(&mut out, frame, &page.annotations);
    scale_bar_svg(&mut out, frame);
    let _ = writeln!(
        out,
        r##"</svg>
<rect x="{ox}" y="{oy}" width="{mw}" height="{mh}" fill="none" stroke="#8a8a8a" stroke-width="0.8"/>"##
    );
    let legend_top = oy + mh + 22.0;
    legend_svg(
        &mut out,
        scene,
        points,
        totals,
        [ox, legend_top],
        w - 2.0 * ox,
    );
    let placed = points.len();
    let mut notes = vec![format!(
        "{} of {} placed events in view",
        thousands(scene.visible),
        thousands(placed)
    )];
    let approximate = points.approximate_count();
    if approximate > 0 {
        let rings = if matches!(scene.layer, SceneLayer::Marks(_)) {
            " (rings: the centre of an area)"
        } else {
            " (at the centre of an area)"
        };
        notes.push(format!(
            "{} placed only approximately{rings}",
            thousands(approximate)
        ));
    }
    notes.extend(points.unplaced_note());
    let _ = writeln!(
        out,
        r##"<text x="{ox}" y="{}" font-size="12" fill="#555555" class="notes">{}</text>
<text x="{ox}" y="{}" font-size="12" fill="#555555" class="source">{}</text>
<text x="{ox}" y="{}" font-size="12" fill="#555555" class="attribution">{}</text>
</svg>"##,
        h - 50.0,
        xml_escape(&notes.join(" · ")),
        h - 32.0,
        xml_escape(source),
        h - 14.0,
        xml_escape(ATTRIBUTION),
    );
    out
}

/// Markers: filled discs for events placed exactly, rings for approximate places, clusters
/// with their count.
fn marks_svg(out: &mut String, marks: &[crate::query::map::Mark], points: &MapPoints) {
    out.push_str("<g class=\"marks\">\n");
    for m in marks {
        let colour = points
            .classes
            .get(m.class as usize)
            .map_or(style::OTHER, |c| c.colour);
        let r = mark_radius(m);
        let [x, y] = m.at;
        let (fill, stroke, width) = if m.approximate {
            ("none".to_string(), hex(colour), 2.0)
        } else {
            (hex(colour), "#ffffff".to_string(), 0.8)
        };
        let _ = write!(
            out,
            r#"<circle class="mark" data-count="{}" data-approximate="{}" cx="{x:.1}" cy="{y:.1}" r="{r:.1}" fill="{fill}" fill-opacity="0.85" stroke="{stroke}" stroke-width="{width}"/>"#,
            m.count, m.approximate
        );
        if m.count > 1 {
            let _ = write!(
                out,
                r##"<text x="{x:.1}" y="{:.1}" font-size="10" text-anchor="middle" fill="#1a1a1a">{}</text>"##,
                y + 3.5,
                thousands(m.count as usize)
            );
        }
        out.push('\n');
    }
    out.push_str("</g>\n");
}

/// The density grid: one square per cell with events, on the log ramp.
fn density_svg(out: &mut String, grid: &crate::query::map::DensityGrid) {
    out.push_str("<g class=\"density\">\n");
    for (k, &count) in grid.counts.iter().enumerate() {
        if count == 0 {
            continue;
        }
        let (c, r) = (k % grid.columns, k / grid.columns);
        let colour = style::ramp(log_position(u64::from(count), u64::from(grid.max)));
        let _ = writeln!(
            out,
            r#"<rect class="bin" data-count="{count}" x="{}" y="{}" width="{s}" height="{s}" fill="{}" fill-opacity="0.85"/>"#,
            c as f32 * grid.cell,
            r as f32 * grid.cell,
            hex(colour),
            s = grid.cell,
        );
    }
    out.push_str("</g>\n");
}

fn graticule_svg(out: &mut String, frame: &MapFrame) {
    let (lons, lats) = frame.graticule();
    let [w, h] = frame.size;
    out.push_str(&format!(
        "<g class=\"graticule\" stroke=\"{}\" stroke-width=\"0.6\" fill=\"none\">\n",
        hex(style::GRATICULE)
    ));
    for lon in lons {
        let x = frame.to_screen(lon, 0.0)[0];
        let _ = writeln!(out, r#"<line x1="{x:.1}" y1="0" x2="{x:.1}" y2="{h}"/>"#);
    }
    for lat in lats {
        let y = frame.to_screen(0.0, lat)[1];
        let _ = writeln!(out, r#"<line x1="0" y1="{y:.1}" x2="{w}" y2="{y:.1}"/>"#);
    }
    out.push_str("</g>\n");
}

fn countries_svg(
    out: &mut String,
    outlines: &[CountryOutline],
    resolution: crate::basemap::Resolution,
    totals: Option<(&CountryTotals, ColourBy)>,
) {
    let map = basemap(resolution);
    let max = totals.map_or(0, |(t, by)| t.max_value(by));
    out.push_str("<g class=\"countries\" fill-rule=\"evenodd\">\n");
    for o in outlines {
        let name = &map.countries[o.country].name;
        let events = totals.map_or(0, |(t, by)| t.value(name, by));
        let fill = if events > 0 {
            style::ramp(log_position(events, max))
        } else {
            style::LAND
        };
        let path = |lines: &[Vec<[f32; 2]>], close: bool| {
            let mut d = String::new();
            for line in lines {
                for (k, [x, y]) in line.iter().enumerate() {
                    let _ = write!(d, "{}{x:.1} {y:.1}", if k == 0 { "M" } else { "L" });
                }
                if close {
                    d.push('Z');
                }
            }
            d
        };
        let _ = writeln!(
            out,
            r#"<path class="country" data-name="{}" data-events="{events}" d="{}" fill="{}"/><path d="{}" fill="none" stroke="{}" stroke-width="0.6"/>"#,
            xml_escape(name),
            path(&o.rings, true),
            hex(fill),
            path(&o.borders, false),
            hex(style::BORDER)
        );
    }
    out.push_str("</g>\n");
}

fn labels_svg(
    out: &mut String,
    frame: &MapFrame,
    outlines: &[CountryOutline],
    resolution: crate::basemap::Resolution,
) {
    for (_, name, [x, y]) in country_labels(frame, outlines, resolution, 6.5) {
        let _ = writeln!(
            out,
            r##"<text class="country-name" x="{x:.1}" y="{y:.1}" font-size="11" text-anchor="middle" fill="#5a5650">{}</text>"##,
            xml_escape(&name)
        );
    }
}

/// The annotations with a place: a pin in the timeline annotations' amber, and the words.
fn pins_svg(out: &mut String, frame: &MapFrame, annotations: &[crate::model::Annotation]) {
    for ([x, y], a) in frame.pins(annotations) {
        let _ = writeln!(
            out,
            r##"<g class="annotation"><path d="M{x:.1},{y:.1} l-5,-9 a5.6,5.6 0 1 1 10,0 z" fill="#8a6d00" stroke="#ffffff" stroke-width="1"/><text x="{:.1}" y="{:.1}" font-size="12" fill="#6b5500" stroke="#ffffff" stroke-width="3" paint-order="stroke">{}</text></g>"##,
            x + 8.0,
            y - 8.0,
            xml_escape(&a.text)
        );
    }
}

fn scale_bar_svg(out: &mut String, frame: &MapFrame) {
    let bar = scale_bar(frame, 120.0);
    let (x, y) = (12.0, frame.size[1] - 14.0);
    let _ = writeln!(
        out,
        r##"<g class="scale-bar"><rect x="{}" y="{}" width="{}" height="22" fill="#ffffff" fill-opacity="0.8"/><line x1="{x}" y1="{y}" x2="{:.1}" y2="{y}" stroke="#1a1a1a" stroke-width="2"/><text x="{x}" y="{}" font-size="11" fill="#1a1a1a">{}</text></g>"##,
        x - 4.0,
        y - 16.0,
        bar.pixels + 8.0,
        x + bar.pixels,
        y - 4.0,
        xml_escape(&bar.label)
    );
}

fn legend_svg(
    out: &mut String,
    scene: &MapScene,
    points: &MapPoints,
    totals: &CountryTotals,
    [x, y]: [f32; 2],
    width: f32,
) {
    out.push_str("<g class=\"legend\">\n");
    let ramp = |out: &mut String, label: &str, max: u64| {
        let _ = write!(
            out,
            r##"<text x="{x}" y="{y}" font-size="12" fill="#1a1a1a">{}</text>"##,
            xml_escape(label)
        );
        let left = x + 190.0;
        let bar = 240.0f32;
        for k in 0..48 {
            let t = k as f32 / 47.0;
            let _ = write!(
                out,
                r#"<rect x="{:.1}" y="{}" width="5.2" height="12" fill="{}"/>"#,
                left + t * (bar - 5.0),
                y - 10.0,
                hex(style::ramp(t))
            );
        }
        for v in legend_values(max) {
            let t = log_position(v, max);
            let _ = write!(
                out,
                r##"<text x="{:.1}" y="{}" font-size="10" text-anchor="middle" fill="#333333">{}</text>"##,
                left + t * (bar - 5.0) + 2.5,
                y + 14.0,
                thousands(v as usize)
            );
        }
        out.push('\n');
    };
    match &scene.layer {
        SceneLayer::Density(grid) => ramp(out, "Events per 4-pixel cell", u64::from(grid.max)),
        SceneLayer::Countries => {
            let by = points.colour_by;
            ramp(out, CountryTotals::legend_title(by), totals.max_value(by))
        }
        SceneLayer::Marks(_) => {
            let mut cx = x;
            let mut cy = y;
            for class in &points.classes {
                let w = 24.0 + class.name.chars().count() as f32 * 6.6;
                if cx + w > x + width {
                    cx = x;
                    cy += 18.0;
                }
                let _ = write!(
                    out,
                    r##"<circle cx="{}" cy="{}" r="5" fill="{}"/><text x="{}" y="{}" font-size="12" fill="#1a1a1a">{}</text>"##,
                    cx + 5.0,
                    cy - 4.0,
                    hex(class.colour),
                    cx + 14.0,
                    cy,
                    xml_escape(&class.name)
                );
                cx += w + 10.0;
            }
            let _ = write!(
                out,
                r##"<circle cx="{}" cy="{}" r="5" fill="none" stroke="#555555" stroke-width="2"/><text x="{}" y="{}" font-size="12" fill="#1a1a1a">approximate place</text>"##,
                x + 5.0,
                cy + 14.0,
                x + 14.0,
                cy + 18.0
            );
            out.push('\n');
        }
    }
    out.push_str("</g>\n");
}

/// The placed events as CSV: id, date, latitude, longitude, precision (exact or
/// approximate), type, fatalities; then the filtered events without coordinates are not
/// listed (they are counted in the picture's notes).
pub fn map_csv(store: &Store, points: &MapPoints) -> String {
    let precision = Precision::of(store);
    let mut out = String::from("id,date,latitude,longitude,precision,event_type,fatalities\n");
    for &r in &points.rows {
        let e = store.row(r as usize);
        let Some((lat, lon)) = e.coordinates() else {
            continue;
        };
        let placed = match precision.of_row(r as usize) {
            crate::query::map::Placement::Exact => "exact",
            crate::query::map::Placement::Approximate => "approximate",
        };
        let _ = writeln!(
            out,
            "{},{},{lat},{lon},{placed},{},{}",
            csv_field(e.id()),
            e.date(),
            csv_field(e.event_type()),
            e.fatalities().map_or(String::new(), |f| f.to_string())
        );
    }
    out
}

/// The spec of an exported map's scene.
pub fn scene_spec(export: &MapExport, page: &MapPage) -> MapSpec {
    MapSpec {
        layer: export.layer,
        colour_by: export.colour_by,
        frame: page.frame,
    }
}
