//! The geometry of the reported-figures chart, drawn alike by the app's painter and the SVG
//! exporter: each figure a bar over exactly the days its period covers, its value above it,
//! its period under the axis, the y scale, and the legend below the plot (never over data).
//!
//! Bars by how exact the figure is: exact ones filled; "about" ones lighter, with "~"; "at
//! least" ones open at the top (the figure could be higher); "at most" ones dashed at the top;
//! figures given only in words a mark on the axis with the words, no height.

use crate::model::Qualifier;
use crate::query::reported::ReportedChart;
use crate::text::{text_width, wrap};

/// A rectangle in picture units (y grows downward).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left.
    pub x0: f32,
    /// Top.
    pub y0: f32,
    /// Right.
    pub x1: f32,
    /// Bottom.
    pub y1: f32,
}

/// How a bar is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BarStyle {
    /// An exact figure: a filled bar.
    Exact,
    /// "About": a lighter bar.
    About,
    /// "At least": a bar open at the top.
    AtLeast,
    /// "At most": a bar whose top is dashed.
    AtMost,
    /// A figure in words only: a mark on the axis, no height.
    Words,
}

/// Text at a point.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    /// Where the text's anchor is.
    pub x: f32,
    /// The text's baseline.
    pub y: f32,
    /// The text.
    pub text: String,
    /// Centred on `x` (else starting at `x`).
    pub centred: bool,
}

/// One figure's shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Index into the chart's figures.
    pub figure: usize,
    /// Index into the chart's series (its colour).
    pub series: usize,
    /// The bar (for words, a thin band on the axis).
    pub rect: Rect,
    /// How to draw it.
    pub style: BarStyle,
    /// The figure written above the bar.
    pub value: Label,
}

/// The dataset's own count over a figure's days: a dark line across the bar at its height.
#[derive(Debug, Clone, PartialEq)]
pub struct CountedMark {
    /// Index into the chart's figures.
    pub figure: usize,
    /// Left end of the line.
    pub x0: f32,
    /// Right end.
    pub x1: f32,
    /// Its height.
    pub y: f32,
    /// "3 counted", under the line.
    pub label: Label,
}

/// What stands left of a legend line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Swatch {
    /// The colour of series `k`.
    Series(usize),
    /// The counted events' dark line.
    Counted,
    /// Nothing (undated figures, continued lines).
    None,
}

/// One line of the legend.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendLine {
    /// What stands left of it.
    pub swatch: Swatch,
    /// Its words.
    pub label: Label,
}

/// The chart laid out in a box.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportedLayout {
    /// The plot area (the axes' box).
    pub plot: Rect,
    /// The y axis: each tick's height and value.
    pub y_ticks: Vec<(f32, String)>,
    /// The unit, written along the y axis.
    pub unit: String,
    /// The figures.
    pub bars: Vec<Bar>,
    /// The periods, under the axis (staggered on two rows when they would touch).
    pub periods: Vec<Label>,
    /// The legend below the plot, line by line: each series' caption, the undated figures
    /// in words, the counted events' caption; the swatch stands left of the label.
    pub legend: Vec<LegendLine>,
    /// The counted events overlaid, when the chart has them.
    pub counted: Vec<CountedMark>,
    /// The bottom of everything drawn.
    pub bottom: f32,
}

/// Height of one legend row.
const LEGEND_ROW: f32 = 20.0;
/// Type size of labels.
const TEXT: f32 = 13.0;

impl ReportedLayout {
    /// Lays `chart` out in `area`, leaving room below the plot for the period labels and the
    /// legend (so that the legend never covers data).
    pub fn new(chart: &ReportedChart, area: Rect) -> ReportedLayout {
        // The legend's lines, wrapped to the width: each series' caption (its first line
        // beside the swatch), the undated figures, the counted events' caption.
        let room = (area.x1 - area.x0 - 64.0 - 18.0 - 16.0).max(120.0);
        let mut lines: Vec<(Swatch, String)> = Vec::new();
        let mut add = |swatch: Swatch, text: &str| {
            for (n, line) in wrap(text, room, TEXT).into_iter().enumerate() {
                lines.push((if n == 0 { swatch } else { Swatch::None }, line));
            }
        };
        for (k, s) in chart.series.iter().enumerate() {
            add(Swatch::Series(k), &s.caption());
        }
        for words in &chart.undated {
            add(Swatch::None, words);
        }
        if let Some(c) = &chart.counted {
            add(Swatch::Counted, &c.caption);
        }
        let legend_rows = lines.len();
        let below = 2.0 * 16.0 + 8.0 + LEGEND_ROW * legend_rows as f32;
        let plot = Rect {
            x0: area.x0 + 64.0,
            y0: area.y0 + 22.0,
            x1: (area.x1 - 16.0).max(area.x0 + 80.0),
            y1: (area.y1 - below).max(area.y0 + 60.0),
        };
        // The x axis in days, with a margin on each side.
        let span = (chart.end_day - chart.first_day).max(1) as f32;
        let pad = (span * 0.03).max(1.0);
        let (d0, d1) = (chart.first_day as f32 - pad, chart.end_day as f32 + pad);
        let x = |day: i32| plot.x0 + (day as f32 - d0) / (d1 - d0) * (plot.x1 - plot.x0);
        let counted = chart.counted.as_ref().map(|c| c.per_figure.as_slice());
        let highest = chart
            .figures
            .iter()
            .filter_map(|f| f.value)
            .chain(counted.unwrap_or_default().iter().map(|&n| f64::from(n)))
            .fold(0.0, f64::max)
            .max(1.0);
        let step = super::scale::nice_step(highest * 1.1, 5.0);
        let top = (highest * 1.1 / step).ceil() * step;
        let y = |v: f64| plot.y1 - (v / top) as f32 * (plot.y1 - plot.y0);
        let y_ticks = (0..)
            .map(|k| f64::from(k) * step)
            .take_while(|v| *v <= top + 1e-9)
            .map(|v| (y(v), format!("{v}")))
            .collect();
        // Figures over the same days share their width, side by side (the figures are in
        // order of their days, so those over the same days are neighbours).
        let mut bars = Vec::new();
        let mut run_start = 0;
        for (i, f) in chart.figures.iter().enumerate() {
            let same_days = |g: &crate::query::reported::Figure| {
                g.first_day == f.first_day && g.end_day == f.end_day
            };
            if !same_days(&chart.figures[run_start]) {
                run_start = i;
            }
            let run = chart.figures[run_start..]
                .iter()
                .take_while(|g| same_days(g))
                .count();
            let slot = (i - run_start) as f32;
            let (left, right) = (x(f.first_day), x(f.end_day));
            let gap = ((right - left) * 0.08).min(4.0);
            let width = ((right - left - 2.0 * gap) / run as f32).max(2.0);
            let x0 = left + gap + slot * width;
            let x1 = x0 + width;
            let (style, rect) = match f.value {
                Some(v) => (
                    match f.qualifier {
                        Qualifier::Exact => BarStyle::Exact,
                        Qualifier::About => BarStyle::About,
                        Qualifier::AtLeast => BarStyle::AtLeast,
                        Qualifier::AtMost => BarStyle::AtMost,
                    },
                    Rect {
                        x0,
                        y0: y(v),
                        x1,
                        y1: plot.y1,
                    },
                ),
                None => (
                    BarStyle::Words,
                    Rect {
                        x0,
                        y0: plot.y1 - 4.0,
                        x1,
                        y1: plot.y1,
                    },
                ),
            };
            let value = Label {
                x: (x0 + x1) / 2.0,
                y: rect.y0 - 5.0,
                text: f.text.clone(),
                centred: true,
            };
            bars.push(Bar {
                figure: i,
                series: f.series,
                rect,
                style,
                value,
            });
        }
        let periods = period_labels(chart, &x, plot.y1);
        let mut counted_marks = Vec::new();
        for (bar, &n) in bars.iter().zip(counted.unwrap_or_default()) {
            let line_y = y(f64::from(n));
            counted_marks.push(CountedMark {
                figure: bar.figure,
                x0: bar.rect.x0 - 2.0,
                x1: bar.rect.x1 + 2.0,
                y: line_y,
                label: Label {
                    x: (bar.rect.x0 + bar.rect.x1) / 2.0,
                    y: (line_y + 13.0).min(plot.y1 - 2.0),
                    text: format!("{n} counted"),
                    centred: true,
                },
            });
        }
        let mut line_y = plot.y1 + 2.0 * 16.0 + 8.0 + LEGEND_ROW * 0.75;
        let mut legend = Vec::new();
        for (swatch, text) in lines {
            legend.push(LegendLine {
                swatch,
                label: Label {
                    x: plot.x0 + 18.0,
                    y: line_y,
                    text,
                    centred: false,
                },
            });
            line_y += LEGEND_ROW;
        }
        ReportedLayout {
            plot,
            counted: counted_marks,
            y_ticks,
            unit: chart.unit.clone(),
            bars,
            periods,
            legend,
            bottom: plot.y1 + below,
        }
    }
}

/// The periods under the axis (`x` places a day, the axis is at `axis_y`), each once, on a
/// second row when it would touch its left neighbour.
fn period_labels(chart: &ReportedChart, x: &dyn Fn(i32) -> f32, axis_y: f32) -> Vec<Label> {
    let mut periods: Vec<Label> = Vec::new();
    let mut row_ends = [f32::MIN; 2];
    for f in &chart.figures {
        let text = f.period.clone();
        let centre = (x(f.first_day) + x(f.end_day)) / 2.0;
        if periods
            .iter()
            .any(|p| p.text == text && (p.x - centre).abs() < 1.0)
        {
            continue;
        }
        let half = text_width(&text, TEXT) / 2.0;
        let row = if centre - half > row_ends[0] + 6.0 {
            0
        } else {
            1
        };
        row_ends[row] = centre + half;
        periods.push(Label {
            x: centre,
            y: axis_y + 16.0 + 16.0 * row as f32,
            text,
            centred: true,
        });
    }
    periods
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::reported::{ChartSeries, Figure, ReportedChart};
    use crate::store::day_number;

    fn day(s: &str) -> i32 {
        day_number(s.parse().unwrap())
    }

    fn figure(first: &str, last: &str, value: Option<f64>, qualifier: Qualifier) -> Figure {
        Figure {
            series: 0,
            observation: 0,
            first_day: day(first),
            end_day: day(last) + 1,
            value,
            qualifier,
            text: value.map_or("hundreds".into(), |v| v.to_string()),
            period: format!("{first}–{last}"),
            quote: String::new(),
            note: None,
        }
    }

    fn chart(figures: Vec<Figure>) -> ReportedChart {
        ReportedChart {
            unit: "attacks".into(),
            series: vec![ChartSeries {
                id: "s".into(),
                name: "S".into(),
                reported_by: "R".into(),
                counted_by: None,
                quoted_in: Vec::new(),
            }],
            first_day: figures.iter().map(|f| f.first_day).min().unwrap(),
            end_day: figures.iter().map(|f| f.end_day).max().unwrap(),
            figures,
            undated: vec!["S: 6 (undated)".into()],
            counted: None,
        }
    }

    const AREA: Rect = Rect {
        x0: 0.0,
        y0: 0.0,
        x1: 1000.0,
        y1: 600.0,
    };

    #[test]
    fn bars_cover_their_days_and_stand_as_high_as_their_figures() {
        let c = chart(vec![
            figure("2024-08-01", "2024-08-31", Some(6.0), Qualifier::Exact),
            figure("2024-09-01", "2024-09-30", Some(31.0), Qualifier::Exact),
            figure("2024-10-01", "2024-10-31", Some(90.0), Qualifier::Exact),
            figure("2024-11-01", "2024-11-21", Some(65.0), Qualifier::About),
        ]);
        let l = ReportedLayout::new(&c, AREA);
        let width = |b: &Bar| b.rect.x1 - b.rect.x0;
        let height = |b: &Bar| b.rect.y1 - b.rect.y0;
        // 31 days, 30 days, 31 days, 21 days: widths in proportion.
        assert!((width(&l.bars[0]) - width(&l.bars[2])).abs() < 0.01);
        assert!(width(&l.bars[3]) < width(&l.bars[1]) * 0.75);
        assert!((height(&l.bars[2]) / height(&l.bars[0]) - 15.0).abs() < 0.01);
        assert!(
            l.bars[1].rect.x0 > l.bars[0].rect.x1,
            "in time order, apart"
        );
        assert_eq!(l.bars[3].style, BarStyle::About);
        assert_eq!(l.bars[2].value.text, "90");
        // The legend is below the plot, never over it.
        assert!(l.legend.iter().all(|line| line.label.y > l.plot.y1));
        assert!(l
            .periods
            .iter()
            .all(|p| p.y > l.plot.y1 && p.y < l.legend[0].label.y));
        assert_eq!(l.legend.len(), 2, "the series, then the undated figure");
        assert_eq!(l.legend[0].swatch, Swatch::Series(0));
        assert_eq!(l.legend[1].swatch, Swatch::None);
        assert!(l.bottom <= AREA.y1 + 1.0);
        // The y axis reaches above the highest bar.
        assert!(l.y_ticks.last().unwrap().0 <= l.bars[2].rect.y0);
    }

    #[test]
    fn a_figure_in_words_has_no_height_and_bounds_are_marked() {
        let c = chart(vec![
            figure("2023-10-17", "2024-11-21", None, Qualifier::Exact),
            figure("2024-11-01", "2024-11-30", Some(5.0), Qualifier::AtLeast),
        ]);
        let l = ReportedLayout::new(&c, AREA);
        assert_eq!(l.bars[0].style, BarStyle::Words);
        assert!(l.bars[0].rect.y1 - l.bars[0].rect.y0 <= 4.0);
        assert_eq!(l.bars[0].value.text, "hundreds");
        assert_eq!(l.bars[1].style, BarStyle::AtLeast);
    }

    #[test]
    fn long_captions_wrap_and_push_the_plot_up() {
        let mut c = chart(vec![figure(
            "2024-08-01",
            "2024-08-31",
            Some(6.0),
            Qualifier::Exact,
        )]);
        let one_line = ReportedLayout::new(&c, AREA);
        c.series[0].name = "word ".repeat(60);
        let wrapped = ReportedLayout::new(&c, AREA);
        let series_lines = wrapped.legend.len() - 1;
        assert!(series_lines >= 3, "{series_lines} lines");
        assert!(wrapped
            .legend
            .iter()
            .all(|line| text_width(&line.label.text, TEXT) <= AREA.x1 - line.label.x));
        assert_eq!(wrapped.legend[0].swatch, Swatch::Series(0));
        assert_eq!(wrapped.legend[1].swatch, Swatch::None);
        assert!(wrapped.plot.y1 < one_line.plot.y1 - 2.0 * LEGEND_ROW + 1.0);
        assert!(wrapped.bottom <= AREA.y1 + 1.0);
        assert_eq!(wrap("", 100.0, 13.0), vec![String::new()]);
        assert_eq!(wrap("a b", 1.0, 13.0), vec!["a", "b"]);
    }
}
