//! SVG rendering of charts. Plain SVG 1.1 with a generic font stack, so any viewer or
//! rasteriser draws it the same way.

use std::fmt::Write as _;

use super::timeline::TimelineChart;
use super::xml_escape;
use crate::style;
use crate::text::thousands;

/// The colour of counted group `g` of `ts` (the rule the app draws with too).
fn group_colour(ts: &crate::query::TimeSeries, g: usize) -> String {
    ts.group_colour(g).hex()
}

/// The colour of the `k`-th reported series.
fn reported_colour(k: usize) -> String {
    style::REPORTED[k % style::REPORTED.len()].hex()
}
const FONT: &str = "Ubuntu, 'DejaVu Sans', Arial, sans-serif";

/// The start of every exported SVG: size, white background, title and subtitle at `left`.
pub fn open_document(w: f64, h: f64, left: f64, title: &str, subtitle: &str) -> String {
    format!(
        r##"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{FONT}">
<rect width="{w}" height="{h}" fill="#ffffff"/>
<text x="{left}" y="44" font-size="26" font-weight="bold" fill="#1a1a1a" class="title">{}</text>
<text x="{left}" y="74" font-size="15" fill="#555555" class="subtitle">{}</text>
"##,
        xml_escape(title),
        xml_escape(subtitle)
    )
}

/// Where the parts of a timeline picture go, decided before anything is drawn.
struct TimelineFrame<'a> {
    /// Reported series drawn: those with a figure in view, on the same scale as counts.
    charted: Vec<&'a crate::query::aggregate::AlignedReport>,
    source_lines: Vec<String>,
    left: f64,
    top: f64,
    plot_w: f64,
    plot_h: f64,
    height: f64,
    /// The y axis: its top value and its step.
    y_max: f64,
    step: f64,
    /// The width of one period.
    slot: f64,
}

impl<'a> TimelineFrame<'a> {
    fn new(chart: &TimelineChart<'a>) -> TimelineFrame<'a> {
        let ts = chart.series;
        let (w, h) = (
            f64::from(chart.width.max(320)),
            f64::from(chart.height.max(240)),
        );
        let (left, right, top) = (72.0, 28.0, 104.0);
        let charted: Vec<_> = ts.charted_reports().collect();
        let legend_rows = ts.groups.len().div_ceil(3) + charted.len();
        let source_lines = wrap(&chart.source_line, 150);
        let bottom = 48.0 + 20.0 * legend_rows as f64 + 18.0 * source_lines.len() as f64 + 16.0;
        let plot_w = (w - left - right).max(10.0);
        let max_count = ts.totals().iter().copied().max().unwrap_or(0) as f64;
        let max_reported = charted
            .iter()
            .flat_map(|r| r.values.iter().flatten().map(|v| v.0))
            .fold(0.0, f64::max);
        let highest = max_count.max(max_reported).max(1.0);
        let step = crate::layout::scale::nice_step(highest, 5.0);
        TimelineFrame {
            charted,
            source_lines,
            left,
            top,
            plot_w,
            plot_h: (h - top - bottom).max(10.0),
            height: h,
            y_max: (highest / step).ceil() * step,
            step,
            slot: plot_w / ts.periods.len().max(1) as f64,
        }
    }

    fn y(&self, v: f64) -> f64 {
        self.top + self.plot_h - v / self.y_max * self.plot_h
    }

    fn x(&self, i: usize) -> f64 {
        self.left + self.slot * (i as f64 + 0.5)
    }

    fn axis_y(&self) -> f64 {
        self.top + self.plot_h
    }
}

/// The timeline chart as an SVG document.
pub fn timeline_svg(chart: &TimelineChart) -> String {
    let ts = chart.series;
    let frame = TimelineFrame::new(chart);
    let width = f64::from(chart.width.max(320));
    let mut s = open_document(
        width,
        frame.height,
        frame.left,
        &chart.title,
        &chart.subtitle,
    );
    grid(&mut s, &frame);
    annotations(&mut s, &frame, &chart.annotations);
    bars(&mut s, &frame, ts);
    reported_marks(&mut s, &frame, ts);
    x_axis(&mut s, &frame, ts);
    legend(&mut s, &frame, ts);
    footer(&mut s, &frame, ts);
    s.push_str("</svg>\n");
    s
}

/// Horizontal grid lines with their values, and the y axis's title.
fn grid(s: &mut String, f: &TimelineFrame) {
    let left = f.left;
    let mut v = 0.0;
    while v <= f.y_max + 1e-9 {
        let yy = f.y(v);
        let _ = writeln!(
            s,
            r##"<line x1="{left}" y1="{yy:.1}" x2="{:.1}" y2="{yy:.1}" stroke="#e3e3e3"/><text x="{:.1}" y="{:.1}" font-size="12" fill="#555555" text-anchor="end">{}</text>"##,
            left + f.plot_w,
            left - 8.0,
            yy + 4.0,
            thousands(v as usize)
        );
        v += f.step;
    }
    let axis_label = if f.charted.is_empty() {
        "events"
    } else {
        "events (bars) · reported figures (diamonds)"
    };
    let _ = writeln!(
        s,
        r##"<text transform="translate(18 {:.1}) rotate(-90)" font-size="13" fill="#555555" text-anchor="middle">{axis_label}</text>"##,
        f.top + f.plot_h / 2.0
    );
}

/// The analyst's annotations: a light band over the periods each covers, a dashed line at
/// its start, and its date and words at the top of the plot (staggered, so neighbours do not
/// overprint).
fn annotations(
    s: &mut String,
    f: &TimelineFrame,
    placed: &[crate::query::aggregate::PlacedAnnotation],
) {
    for (k, a) in placed.iter().enumerate() {
        let x0 = f.x(a.first) - f.slot / 2.0;
        let x1 = f.x(a.last) + f.slot / 2.0;
        let _ = writeln!(
            s,
            r##"<g class="annotation"><rect x="{x0:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="#8a6d00" fill-opacity="0.10"/><line x1="{x0:.1}" y1="{:.1}" x2="{x0:.1}" y2="{:.1}" stroke="#8a6d00" stroke-dasharray="4 3"/><text x="{:.1}" y="{:.1}" font-size="12" fill="#6b5500">{}</text></g>"##,
            f.top,
            (x1 - x0).max(1.0),
            f.plot_h,
            f.top,
            f.axis_y(),
            x0 + 4.0,
            f.top + 14.0 + 16.0 * (k % 4) as f64,
            xml_escape(&format!("{} · {}", a.date, crate::text::cut(&a.text, 60)))
        );
    }
}

/// Counted events as bars stacked by group, with the totals above them when they fit.
fn bars(s: &mut String, f: &TimelineFrame, ts: &crate::query::TimeSeries) {
    let totals = ts.totals();
    let bar_w = f.slot * 0.78;
    for (i, period) in ts.periods.iter().enumerate() {
        let mut base = 0.0;
        for (g, group) in ts.groups.iter().enumerate() {
            let c = f64::from(group.counts[i]);
            if c == 0.0 {
                continue;
            }
            let (y0, y1) = (f.y(base + c), f.y(base));
            let _ = writeln!(
                s,
                r#"<rect class="bar" data-period="{}" data-group="{}" data-count="{c}" x="{:.2}" y="{y0:.2}" width="{bar_w:.2}" height="{:.2}" fill="{}"/>"#,
                xml_escape(&period.key),
                xml_escape(&group.name),
                f.x(i) - bar_w / 2.0,
                y1 - y0,
                group_colour(ts, g)
            );
            base += c;
        }
        if totals[i] > 0 && ts.periods.len() <= 60 {
            let _ = writeln!(
                s,
                r##"<text x="{:.1}" y="{:.1}" font-size="12" fill="#1a1a1a" text-anchor="middle">{}</text>"##,
                f.x(i),
                f.y(base) - 5.0,
                thousands(totals[i] as usize)
            );
        }
    }
}

/// Reported figures: diamonds (with their values when few), joined where periods follow each
/// other, never stacked on the bars.
fn reported_marks(s: &mut String, f: &TimelineFrame, ts: &crate::query::TimeSeries) {
    let labelled = ts.labels_reported_values();
    for (k, r) in f.charted.iter().enumerate() {
        let colour = reported_colour(k);
        for (i, pair) in r.values.windows(2).enumerate() {
            if let [Some((a, _)), Some((b, _))] = pair {
                let _ = writeln!(
                    s,
                    r##"<line class="reported-trend" x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{colour}" stroke-width="1.5"/>"##,
                    f.x(i),
                    f.y(*a),
                    f.x(i + 1),
                    f.y(*b)
                );
            }
        }
        for (i, value) in r.values.iter().enumerate() {
            let Some((v, q)) = value else { continue };
            let (cx, cy) = (f.x(i), f.y(*v));
            // A figure for part of the bucket says which part.
            let span = r.spans[i]
                .as_ref()
                .map_or(String::new(), |s| format!(" ({})", xml_escape(s)));
            let _ = write!(
                s,
                r##"<path class="reported" data-series="{}" data-period="{}" data-value="{v}" d="M{cx:.1},{:.1} L{:.1},{cy:.1} L{cx:.1},{:.1} L{:.1},{cy:.1} Z" fill="{colour}" stroke="#ffffff"/>"##,
                xml_escape(&r.id),
                xml_escape(&ts.periods[i].key),
                cy - 7.0,
                cx + 7.0,
                cy + 7.0,
                cx - 7.0,
            );
            if labelled || !span.is_empty() {
                let _ = write!(
                    s,
                    r##"<text x="{:.1}" y="{:.1}" font-size="12" fill="{colour}">{}{v}{span}</text>"##,
                    cx + 10.0,
                    cy + 4.0,
                    q.prefix()
                );
            }
            s.push('\n');
        }
    }
}

/// The x axis and its labels (every k-th when crowded).
fn x_axis(s: &mut String, f: &TimelineFrame, ts: &crate::query::TimeSeries) {
    let axis_y = f.axis_y();
    let _ = writeln!(
        s,
        r##"<line x1="{}" y1="{axis_y:.1}" x2="{:.1}" y2="{axis_y:.1}" stroke="#1a1a1a"/>"##,
        f.left,
        f.left + f.plot_w
    );
    // Dates at every range, each with room for its text (12 px type, about 7 px a character)
    // and space around it.
    let room = |chars: usize| chars as f64 * 7.0 + 24.0;
    for tick in crate::query::date_ticks(&ts.periods, ts.bucket, f.slot, &room) {
        let _ = writeln!(
            s,
            r##"<text class="bucket-label" x="{:.1}" y="{:.1}" font-size="12" fill="#333333" text-anchor="middle">{}</text>"##,
            f.x(tick.period),
            axis_y + 18.0,
            xml_escape(&tick.label)
        );
    }
}

/// The legend: counted groups three to a row, then each reported series on a row of its own.
fn legend(s: &mut String, f: &TimelineFrame, ts: &crate::query::TimeSeries) {
    let mut entries: Vec<(String, String, bool)> = ts
        .groups
        .iter()
        .enumerate()
        .map(|(g, group)| {
            let name = if ts.group_by == crate::query::GroupBy::None {
                "Counted events".to_string()
            } else {
                group.name.clone()
            };
            (name, group_colour(ts, g), false)
        })
        .collect();
    for (k, r) in f.charted.iter().enumerate() {
        entries.push((
            format!(
                "{} — reported by {} (not counted events)",
                r.name, r.reported_by
            ),
            reported_colour(k),
            true,
        ));
    }
    let legend_top = f.axis_y() + 40.0;
    let group_rows = ts.groups.len().div_ceil(3);
    for (k, (name, colour, reported)) in entries.iter().enumerate() {
        let (col, row) = if *reported {
            (0, group_rows + k - ts.groups.len())
        } else {
            (k % 3, k / 3)
        };
        let lx = f.left + col as f64 * (f.plot_w / 3.0);
        let ly = legend_top + row as f64 * 20.0;
        if *reported {
            let _ = write!(
                s,
                r#"<path d="M{:.1},{:.1} L{:.1},{:.1} L{:.1},{:.1} L{:.1},{:.1} Z" fill="{colour}"/>"#,
                lx + 6.0,
                ly - 6.0,
                lx + 12.0,
                ly,
                lx + 6.0,
                ly + 6.0,
                lx,
                ly
            );
        } else {
            let _ = write!(
                s,
                r#"<rect x="{lx:.1}" y="{:.1}" width="12" height="12" fill="{colour}"/>"#,
                ly - 6.0
            );
        }
        let _ = writeln!(
            s,
            r##"<text class="legend" x="{:.1}" y="{:.1}" font-size="12" fill="#333333">{}</text>"##,
            lx + 18.0,
            ly + 4.0,
            xml_escape(name)
        );
    }
}

/// The note on events not drawn, and the source line.
fn footer(s: &mut String, f: &TimelineFrame, ts: &crate::query::TimeSeries) {
    let source_top = f.height - 14.0 - 18.0 * (f.source_lines.len() as f64 - 1.0);
    if ts.unplaced > 0 {
        let _ = writeln!(
            s,
            r##"<text x="{}" y="{:.1}" font-size="11" fill="#777777">{} events dated less precisely than a {} are not drawn.</text>"##,
            f.left,
            source_top - 20.0,
            ts.unplaced,
            ts.bucket.name()
        );
    }
    for (k, line) in f.source_lines.iter().enumerate() {
        let _ = writeln!(
            s,
            r##"<text class="source" x="{}" y="{:.1}" font-size="12" fill="#555555">{}</text>"##,
            f.left,
            source_top + 18.0 * k as f64,
            xml_escape(line)
        );
    }
}

/// Splits text into lines of at most `width` characters, at spaces.
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split(' ') {
        let last = lines.last_mut().expect("never empty");
        if !last.is_empty() && last.chars().count() + 1 + word.chars().count() > width {
            lines.push(word.to_string());
        } else {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    lines
}
