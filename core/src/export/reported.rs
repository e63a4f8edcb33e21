//! The reported-figures chart as SVG (and PNG through it) and its data as CSV. The geometry
//! is [`crate::layout::reported`], the one the app's painter draws.

use std::fmt::Write as _;

use super::{csv_field, xml_escape};
use crate::layout::reported::{BarStyle, Rect, ReportedLayout, Swatch};
use crate::query::reported::{ChartSeries, ReportedChart};
use crate::style;

/// The colour of the counted events' marks: near black, unlike any series.
const COUNTED: &str = "#1a1a1a";

/// The colour of the `k`-th series.
fn colour(k: usize) -> String {
    style::REPORTED[k % style::REPORTED.len()].hex()
}

/// The chart's data as CSV: one row per figure, with its period's days, the figure as the
/// source gives it, who reported and counted it, and the source's words.
pub fn reported_csv(chart: &ReportedChart) -> String {
    let mut out = String::from(
        "series,unit,period,first_day,last_day,value,qualifier,figure,reported_by,counted_by,quote",
    );
    // With the overlay: the dataset's count over each figure's days, and the gap in words.
    let counted = chart.counted.is_some();
    out.push_str(if counted { ",counted,gap\n" } else { "\n" });
    let day = |d: i32| crate::store::date_of(d).to_string();
    for (i, f) in chart.figures.iter().enumerate() {
        let s = &chart.series[f.series];
        let _ = write!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{}",
            csv_field(&s.name),
            csv_field(&chart.unit),
            csv_field(&f.period),
            day(f.first_day),
            day(f.end_day - 1),
            f.value.map(|v| v.to_string()).unwrap_or_default(),
            f.qualifier.name(),
            csv_field(&f.text),
            csv_field(&s.reported_by),
            csv_field(s.counted_by.as_deref().unwrap_or("")),
            csv_field(&f.quote),
        );
        if let Some(overlay) = &chart.counted {
            let n = overlay.per_figure.get(i).copied().unwrap_or(0);
            let gap = chart.gap_words(i).unwrap_or_default();
            let _ = write!(out, ",{n},{}", csv_field(&gap));
        }
        out.push('\n');
    }
    out
}

/// The title a picture of `chart` carries unless the user gives one: its first series' name
/// ("Drone launches from Iraq toward Israel"), or the unit when it has several.
pub fn default_title(chart: &ReportedChart) -> String {
    let Some(first) = chart.series.first() else {
        return "Reported figures".into();
    };
    if chart.series.len() == 1 {
        return first.name.clone();
    }
    let mut unit = chart.unit.clone();
    if let Some(c) = unit.get(..1) {
        unit.replace_range(..1, &c.to_uppercase());
    }
    let same =
        |f: fn(&ChartSeries) -> &Option<String>| chart.series.iter().all(|s| f(s) == f(first));
    let one_reporter = chart
        .series
        .iter()
        .all(|s| s.reported_by == first.reported_by);
    match (&first.counted_by, same(|s| &s.counted_by), one_reporter) {
        (Some(counter), true, true) => {
            format!(
                "{unit} counted by {counter}, as reported by {}",
                first.reported_by
            )
        }
        (_, _, true) => format!("{unit} as reported by {}", first.reported_by),
        _ => format!("Reported {}", chart.unit),
    }
}

/// One bar's SVG element, drawn by how exact its figure is; `data` are its attributes.
fn bar_shape(style: BarStyle, r: Rect, data: &str, c: &str) -> String {
    let (x0, y0, x1, y1) = (r.x0, r.y0, r.x1, r.y1);
    match style {
        BarStyle::Exact => format!(
            r##"<rect {data} x="{x0:.1}" y="{y0:.1}" width="{:.1}" height="{:.1}" fill="{c}"/>"##,
            x1 - x0,
            y1 - y0
        ),
        BarStyle::About => format!(
            r##"<rect {data} x="{x0:.1}" y="{y0:.1}" width="{:.1}" height="{:.1}" fill="{c}" fill-opacity="0.45" stroke="{c}"/>"##,
            x1 - x0,
            y1 - y0
        ),
        // Open at the top: the figure could be higher.
        BarStyle::AtLeast => format!(
            r##"<path {data} d="M{x0:.1},{y0:.1} L{x0:.1},{y1:.1} L{x1:.1},{y1:.1} L{x1:.1},{y0:.1}" fill="{c}" fill-opacity="0.25" stroke="{c}" stroke-width="2"/>"##
        ),
        BarStyle::AtMost => format!(
            r##"<rect {data} x="{x0:.1}" y="{y0:.1}" width="{:.1}" height="{:.1}" fill="{c}" fill-opacity="0.6"/><line x1="{x0:.1}" y1="{y0:.1}" x2="{x1:.1}" y2="{y0:.1}" stroke="{c}" stroke-width="2" stroke-dasharray="4 3"/>"##,
            x1 - x0,
            y1 - y0
        ),
        BarStyle::Words => format!(
            r##"<rect {data} x="{x0:.1}" y="{y0:.1}" width="{:.1}" height="{:.1}" fill="{c}" fill-opacity="0.5"/>"##,
            x1 - x0,
            y1 - y0
        ),
    }
}

/// The chart as an SVG picture of `size` CSS pixels.
pub fn reported_svg(
    chart: &ReportedChart,
    title: &str,
    source_line: &str,
    size: (u32, u32),
) -> String {
    let (w, h) = (f64::from(size.0.max(320)), f64::from(size.1.max(240)));
    let subtitle = format!(
        "{} as reported, not counted events · each bar covers the days its figure covers",
        chart.unit
    );
    let mut s = super::svg::open_document(w, h, 24.0, title, &subtitle);
    let layout = ReportedLayout::new(
        chart,
        Rect {
            x0: 8.0,
            y0: 92.0,
            x1: w as f32 - 8.0,
            y1: h as f32 - 34.0,
        },
    );
    let p = layout.plot;
    for (y, text) in &layout.y_ticks {
        let _ = writeln!(
            s,
            r##"<line x1="{:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#e3e3e3"/><text x="{:.1}" y="{:.1}" font-size="12" fill="#555555" text-anchor="end">{}</text>"##,
            p.x0,
            p.x1,
            p.x0 - 8.0,
            y + 4.0,
            xml_escape(text)
        );
    }
    let _ = writeln!(
        s,
        r##"<text transform="translate(22 {:.1}) rotate(-90)" font-size="13" fill="#555555" text-anchor="middle">{}</text>"##,
        (p.y0 + p.y1) / 2.0,
        xml_escape(&layout.unit)
    );
    for bar in &layout.bars {
        let c = colour(bar.series);
        let r = bar.rect;
        let figure = &chart.figures[bar.figure];
        let data = format!(
            r#"class="figure" data-series="{}" data-period="{}" data-figure="{}""#,
            xml_escape(&chart.series[bar.series].id),
            xml_escape(&figure.period),
            xml_escape(&figure.text)
        );
        let shape = bar_shape(bar.style, r, &data, &c);
        let _ = writeln!(
            s,
            r##"{shape}<text x="{:.1}" y="{:.1}" font-size="14" font-weight="bold" fill="{c}" text-anchor="middle">{}</text>"##,
            bar.value.x,
            bar.value.y,
            xml_escape(&bar.value.text)
        );
    }
    for mark in &layout.counted {
        let _ = writeln!(
            s,
            r##"<line class="counted" x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{COUNTED}" stroke-width="3"/><text x="{:.1}" y="{:.1}" font-size="11" fill="{COUNTED}" text-anchor="middle">{}</text>"##,
            mark.x0,
            mark.y,
            mark.x1,
            mark.y,
            mark.label.x,
            mark.label.y,
            xml_escape(&mark.label.text)
        );
    }
    let _ = writeln!(
        s,
        r##"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#1a1a1a"/>"##,
        p.x0, p.y1, p.x1, p.y1
    );
    for label in &layout.periods {
        let _ = writeln!(
            s,
            r##"<text class="period" x="{:.1}" y="{:.1}" font-size="12" fill="#333333" text-anchor="middle">{}</text>"##,
            label.x,
            label.y,
            xml_escape(&label.text)
        );
    }
    for line in &layout.legend {
        let label = &line.label;
        let (x, y) = (label.x, label.y);
        let _ = match line.swatch {
            Swatch::Series(k) => writeln!(
                s,
                r##"<rect x="{:.1}" y="{:.1}" width="12" height="12" fill="{}"/>"##,
                x - 18.0,
                y - 10.0,
                colour(k)
            ),
            Swatch::Counted => writeln!(
                s,
                r##"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{COUNTED}" stroke-width="3"/>"##,
                x - 18.0,
                y - 4.0,
                x - 6.0,
                y - 4.0
            ),
            Swatch::None => Ok(()),
        };
        let _ = writeln!(
            s,
            r##"<text class="legend" x="{x:.1}" y="{y:.1}" font-size="13" fill="#1a1a1a">{}</text>"##,
            xml_escape(&label.text)
        );
    }
    let _ = writeln!(
        s,
        r##"<text class="source" x="24" y="{:.1}" font-size="12" fill="#555555">{}</text>"##,
        h - 14.0,
        xml_escape(source_line)
    );
    s.push_str("</svg>\n");
    s
}
