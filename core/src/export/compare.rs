//! The comparison as a picture and a table: two groups' bars side by side per period, the
//! difference (second less first) in a band below, the whole gap in words.

use std::fmt::Write as _;

use super::svg::{open_document, wrap};
use super::{csv_field, xml_escape};
use crate::query::compare::Comparison;
use crate::store::date_of;
use crate::text::thousands;

/// Everything the picture shows beside the numbers.
#[derive(Debug, Clone)]
pub struct CompareChart<'a> {
    /// The numbers.
    pub comparison: &'a Comparison,
    /// Title.
    pub title: String,
    /// The filter in words.
    pub subtitle: String,
    /// "Source: …" line.
    pub source_line: String,
    /// Size in CSS pixels.
    pub width: u32,
    /// Height in CSS pixels.
    pub height: u32,
}

impl<'a> CompareChart<'a> {
    /// A chart of `comparison` with a default title: "Events per month: A beside B".
    pub fn new(comparison: &'a Comparison, subtitle: String, source_line: String) -> Self {
        let [a, b] = &comparison.sides;
        let measure = comparison.measure.label();
        CompareChart {
            comparison,
            title: format!(
                "{}{} per {}: {} beside {}",
                measure[..1].to_uppercase(),
                &measure[1..],
                comparison.bucket.name(),
                a.name,
                b.name
            ),
            subtitle,
            source_line,
            width: 1200,
            height: 675,
        }
    }
}

/// The table: `period,start,end,<first>,<second>,difference` (second less first).
pub fn compare_csv(c: &Comparison) -> String {
    let mut out = format!(
        "period,start,end,{},{},difference\n",
        csv_field(&c.sides[0].name),
        csv_field(&c.sides[1].name)
    );
    for (i, p) in c.periods.iter().enumerate() {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{}",
            csv_field(&p.key),
            date_of(p.start),
            date_of(p.end - 1),
            c.sides[0].values[i],
            c.sides[1].values[i],
            c.difference(i)
        );
    }
    out
}

/// The chart as an SVG document.
pub fn compare_svg(chart: &CompareChart) -> String {
    let c = chart.comparison;
    let (w, h) = (
        f64::from(chart.width.max(360)),
        f64::from(chart.height.max(300)),
    );
    let (left, right, top) = (72.0, 28.0, 104.0);
    let mut notes = format!("{}.", c.summary());
    if let Some(unplaced) = c.unplaced_note() {
        notes += &format!(" {unplaced}.");
    }
    let notes = wrap(&format!("{notes} {}", chart.source_line), 150);
    let bottom = 74.0 + 18.0 * notes.len() as f64;
    let plot_w = (w - left - right).max(10.0);
    let plot_h = (h - top - bottom).max(40.0);
    // Bars take the upper three quarters, the difference the band below.
    let (bars_h, gap_h) = (plot_h * 0.72, plot_h * 0.22);
    let gap_top = top + plot_h - gap_h;
    let n = c.periods.len().max(1);
    let slot = plot_w / n as f64;
    let highest = c
        .sides
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let step = crate::layout::scale::nice_step(highest, 4.0);
    let y_max = (highest / step).ceil() * step;
    let y = |v: f64| top + bars_h - v / y_max * bars_h;
    let mut s = open_document(w, h, left, &chart.title, &chart.subtitle);
    let mut v = 0.0;
    while v <= y_max + step * 0.01 {
        let _ = writeln!(
            s,
            r##"<line x1="{left}" y1="{0:.1}" x2="{1:.1}" y2="{0:.1}" stroke="#e2e2e2"/><text x="{2:.1}" y="{3:.1}" font-size="12" fill="#555555" text-anchor="end">{4}</text>"##,
            y(v),
            left + plot_w,
            left - 8.0,
            y(v) + 4.0,
            thousands(v as usize)
        );
        v += step;
    }
    let bar_w = (slot * 0.4).min(28.0);
    for (k, side) in c.sides.iter().enumerate() {
        let _ = writeln!(s, r#"<g class="side" fill="{}">"#, side.colour.hex());
        for (i, &value) in side.values.iter().enumerate() {
            if value == 0 {
                continue;
            }
            let x = left + slot * (i as f64 + 0.5) + if k == 0 { -bar_w } else { 0.0 };
            let _ = writeln!(
                s,
                r#"<rect x="{x:.1}" y="{:.1}" width="{bar_w:.1}" height="{:.1}"><title>{}</title></rect>"#,
                y(value as f64),
                top + bars_h - y(value as f64),
                xml_escape(&c.words(i))
            );
        }
        s.push_str("</g>\n");
    }
    let _ = writeln!(
        s,
        r##"<line x1="{left}" y1="{0:.1}" x2="{1:.1}" y2="{0:.1}" stroke="#1a1a1a"/>"##,
        top + bars_h,
        left + plot_w
    );
    differences(&mut s, c, [left, gap_top, plot_w, gap_h], slot, bar_w);
    let room = |chars: usize| chars as f64 * 7.0 + 24.0;
    for tick in crate::query::date_ticks(&c.periods, c.bucket, slot, &room) {
        let _ = writeln!(
            s,
            r##"<text class="bucket-label" x="{:.1}" y="{:.1}" font-size="12" fill="#333333" text-anchor="middle">{}</text>"##,
            left + slot * (tick.period as f64 + 0.5),
            top + plot_h + 18.0,
            xml_escape(&tick.label)
        );
    }
    legend(&mut s, c, left, top + plot_h + 42.0);
    for (k, line) in notes.iter().enumerate() {
        let _ = writeln!(
            s,
            r##"<text class="source" x="{left}" y="{:.1}" font-size="12" fill="#555555">{}</text>"##,
            h - 14.0 - 18.0 * (notes.len() - 1 - k) as f64,
            xml_escape(line)
        );
    }
    s.push_str("</svg>\n");
    s
}

/// The band of differences: a bar up where the second side has more, down where it has
/// fewer, around a zero line, with the largest gap written at the band's side.
fn differences(
    s: &mut String,
    c: &Comparison,
    [left, top, width, height]: [f64; 4],
    slot: f64,
    bar_w: f64,
) {
    let largest = (0..c.periods.len())
        .map(|i| c.difference(i).unsigned_abs())
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let zero = top + height / 2.0;
    let _ = writeln!(
        s,
        r##"<g class="difference"><line x1="{left}" y1="{zero:.1}" x2="{:.1}" y2="{zero:.1}" stroke="#8a8a8a"/><text x="{:.1}" y="{:.1}" font-size="11" fill="#555555" text-anchor="end">±{}</text>"##,
        left + width,
        left - 8.0,
        top + 4.0,
        thousands(largest as usize)
    );
    for i in 0..c.periods.len() {
        let d = c.difference(i);
        if d == 0 {
            continue;
        }
        let length = d.unsigned_abs() as f64 / largest * (height / 2.0);
        let y = if d > 0 { zero - length } else { zero };
        let _ = writeln!(
            s,
            r##"<rect x="{:.1}" y="{y:.1}" width="{:.1}" height="{length:.1}" fill="{}"><title>{}</title></rect>"##,
            left + slot * (i as f64 + 0.5) - bar_w / 2.0,
            bar_w,
            if d > 0 { "#3a3a3a" } else { "#9a9a9a" },
            xml_escape(&c.words(i))
        );
    }
    s.push_str("</g>\n");
}

fn legend(s: &mut String, c: &Comparison, left: f64, y: f64) {
    let mut x = left;
    for side in &c.sides {
        let _ = writeln!(
            s,
            r##"<rect x="{x:.1}" y="{:.1}" width="12" height="12" fill="{}"/><text x="{:.1}" y="{y:.1}" font-size="13" fill="#1a1a1a" class="legend">{}</text>"##,
            y - 10.0,
            side.colour.hex(),
            x + 18.0,
            xml_escape(&side.name)
        );
        x += 36.0 + side.name.chars().count() as f64 * 7.5;
    }
    let _ = writeln!(
        s,
        r##"<text x="{x:.1}" y="{y:.1}" font-size="13" fill="#555555" class="legend">band below: {} less {} (dark: more in {}, light: fewer)</text>"##,
        xml_escape(&c.sides[1].name),
        xml_escape(&c.sides[0].name),
        xml_escape(&c.sides[1].name)
    );
}
