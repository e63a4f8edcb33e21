//! The timeline: counted events as bars per bucket (optionally stacked), reported series as
//! separate diamond markers, notable events as labelled markers. Click a bar to narrow the
//! dates to it; drag across the chart to brush a range; "Reset dates" widens again.

use std::sync::Arc;

use egui::{Color32, Ui};
use egui_plot::{
    Bar, BarChart, HoverPosition, Legend, MarkerShape, Plot, Points, Span, Text, VLine,
};

use super::palette;
use crate::app::{Action, AppState};
use faultline_core::query::{BucketSize, GroupBy, TimeSeries};
use faultline_core::store::date_of;
use faultline_core::summary::thousands;

/// The colour of a group: its rank among the dataset's values of that column, so a type has
/// the same colour whatever the filter.
fn group_colour(state: &AppState, group_by: GroupBy, name: &str) -> Color32 {
    let facets = &state.dataset.facets();
    let list = match group_by {
        GroupBy::None => return palette::EVENTS,
        GroupBy::EventType => &facets.event_types,
        GroupBy::SubEventType => &facets.sub_event_types,
        GroupBy::Country => &facets.countries,
        GroupBy::Source => &facets.sources,
        GroupBy::Actor => {
            let store = state.dataset.store();
            return facets
                .actors
                .iter()
                .position(|(a, _)| store.actor_name(*a) == name)
                .map_or(palette::OTHER, palette::category);
        }
    };
    list.iter()
        .position(|(v, _)| v == name)
        .map_or(palette::OTHER, palette::category)
}

fn tooltip(ts: &TimeSeries, by_type: &TimeSeries, i: usize) -> String {
    let Some(period) = ts.periods.get(i) else {
        return String::new();
    };
    let total: u32 = ts.groups.iter().map(|g| g.counts[i]).sum();
    let deaths: u64 = ts.groups.iter().map(|g| g.fatalities[i]).sum();
    let mut text = format!(
        "{}\n{} events · {} deaths",
        period.label,
        thousands(total as usize),
        thousands(deaths as usize)
    );
    let mut types: Vec<(&str, u32)> = by_type
        .groups
        .iter()
        .filter_map(|g| {
            let n = by_type.period_of(period.start).map_or(0, |p| g.counts[p]);
            (n > 0).then_some((g.name.as_str(), n))
        })
        .collect();
    types.sort_by_key(|t| std::cmp::Reverse(t.1));
    for (name, n) in types.iter().take(3) {
        text.push_str(&format!("\n  {name}: {n}"));
    }
    for r in &ts.reported {
        if let Some((v, q)) = r.values[i] {
            text.push_str(&format!(
                "\n{}: {}{v} {} (reported by {}, not counted events)",
                r.name,
                q.prefix(),
                r.unit,
                r.reported_by
            ));
        }
    }
    text
}

/// Draws the timeline panel.
pub fn show(ui: &mut Ui, state: &AppState, actions: &mut Vec<Action>) {
    let engine = &state.dataset.engine;
    let view = &state.shown;
    let spec = view.spec;
    let ts: Arc<TimeSeries> = engine.time_series(&view.filter, spec);
    let by_type = engine.time_series(&view.filter, view.type_spec());

    ui.horizontal(|ui| {
        let bucket_label = ui.label("Bucket");
        egui::ComboBox::from_id_salt("bucket")
            .selected_text(spec.bucket.name())
            .show_ui(ui, |ui| {
                for b in BucketSize::ALL {
                    if ui.selectable_label(spec.bucket == b, b.name()).clicked() {
                        actions.push(Action::SetBucket(b));
                    }
                }
            })
            .response
            .labelled_by(bucket_label.id);
        let stack_label = ui.label("Stack by");
        egui::ComboBox::from_id_salt("stack")
            .selected_text(spec.group_by.label())
            .show_ui(ui, |ui| {
                for g in [
                    GroupBy::None,
                    GroupBy::EventType,
                    GroupBy::Actor,
                    GroupBy::Country,
                ] {
                    if ui.selectable_label(spec.group_by == g, g.label()).clicked() {
                        actions.push(Action::SetGroupBy(g));
                    }
                }
            })
            .response
            .labelled_by(stack_label.id);
        let has_dates = state.filter.from.is_some() || state.filter.to.is_some();
        if ui
            .add_enabled(has_dates, egui::Button::new("Reset dates"))
            .on_hover_text("Show every date again")
            .clicked()
        {
            actions.push(Action::ResetDates);
        }
        if ui
            .button("Export chart…")
            .on_hover_text("This chart as PNG, SVG or CSV (Ctrl+E)")
            .clicked()
        {
            actions.push(Action::Export(
                faultline_core::export::ExportKind::TIMELINE_PNG,
            ));
        }
        if ts.unplaced > 0 {
            ui.weak(format!(
                "{} events dated less precisely than a {} are not drawn",
                thousands(ts.unplaced as usize),
                spec.bucket.name()
            ));
        }
    });

    if ts.periods.is_empty() {
        ui.centered_and_justified(|ui| ui.weak("No dated events match the filters."));
        return;
    }

    let brush_id = ui.scope_id().with("timeline-brush");
    let brush_start: Option<f64> = ui.data(|d| d.get_temp(brush_id));
    let periods = ts.periods.clone();
    let labels = periods.clone();
    let tooltip_ts = ts.clone();
    let by_type_for_bars = by_type.clone();
    let n = periods.len();

    // One axis label per period when they fit, else every k-th.
    let label_step = (n as f64 / 12.0).ceil().max(1.0);
    let plot = Plot::new("timeline")
        .legend(
            Legend::default()
                .position(egui_plot::Corner::LeftTop)
                .background_alpha(0.85),
        )
        .x_grid_spacer(move |input| {
            let (lo, hi) = input.bounds;
            let first = (lo / label_step).ceil() as i64;
            let last = (hi / label_step).floor() as i64;
            (first..=last)
                .map(|k| egui_plot::GridMark {
                    value: k as f64 * label_step,
                    step_size: label_step,
                })
                .collect()
        })
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .sense(egui::Sense::click_and_drag())
        .include_y(0.0)
        .include_x(-0.6)
        .include_x(n as f64 - 0.4)
        .y_axis_label("events")
        .x_axis_formatter(move |mark, _range| {
            let v = mark.value;
            if (v - v.round()).abs() > 1e-6 || v < 0.0 {
                return String::new();
            }
            labels
                .get(v.round() as usize)
                .map(|p| p.label.clone())
                .unwrap_or_default()
        })
        .label_formatter(move |pos: &HoverPosition<'_>| {
            let x = match pos {
                HoverPosition::NearDataPoint { position, .. } => position.x,
                HoverPosition::Elsewhere { position } => position.x,
            };
            let i = x.round();
            (i >= 0.0 && (i as usize) < n).then(|| tooltip(&tooltip_ts, &by_type, i as usize))
        });

    let response = plot.show(ui, |plot_ui| {
        let mut charts: Vec<BarChart> = Vec::new();
        for group in &ts.groups {
            let colour = group_colour(state, spec.group_by, &group.name);
            let bars: Vec<Bar> = group
                .counts
                .iter()
                .enumerate()
                .map(|(i, &c)| Bar::new(i as f64, f64::from(c)).width(0.8).fill(colour))
                .collect();
            let name = match spec.group_by {
                GroupBy::None => "Counted events".to_string(),
                _ => group.name.clone(),
            };
            let refs: Vec<&BarChart> = charts.iter().collect();
            let chart = BarChart::new(name, bars).color(colour).stack_on(&refs);
            charts.push(chart);
        }
        for chart in charts {
            plot_ui.bar_chart(chart);
        }
        // Counts above the bars, when there is room for them.
        if n <= 40 {
            for (i, total) in ts.totals().iter().enumerate() {
                if *total > 0 {
                    plot_ui.text(
                        Text::new("", [i as f64, f64::from(*total)].into(), total.to_string())
                            .anchor(egui::Align2::CENTER_BOTTOM),
                    );
                }
            }
        }
        // Rates ("launches per day") are not on the same scale as counts: they stay in the
        // details panel and the tooltips.
        let charted = ts.reported.iter().filter(|r| !r.unit.contains("per "));
        for (k, report) in charted.enumerate() {
            let points: Vec<[f64; 2]> = report
                .values
                .iter()
                .enumerate()
                .filter_map(|(i, v)| v.map(|(value, _)| [i as f64, value]))
                .collect();
            if points.is_empty() {
                continue;
            }
            let colour = palette::reported(k);
            let name = format!("{} (reported by {})", report.name, report.reported_by);
            for p in &points {
                plot_ui.text(
                    Text::new("", [p[0] + 0.15, p[1]].into(), format!("{}", p[1]))
                        .color(colour)
                        .anchor(egui::Align2::LEFT_CENTER),
                );
            }
            plot_ui.points(
                Points::new(name, points)
                    .shape(MarkerShape::Diamond)
                    .filled(true)
                    .radius(6.0)
                    .color(colour),
            );
        }
        // Notable events as labelled markers.
        let store = state.dataset.store();
        for (k, &row) in state.dataset.facets().notable.iter().enumerate() {
            let event = store.row(row as usize);
            let (first, last) = event.days();
            let Some(bucket) = spec.bucket.place(first, last) else {
                continue;
            };
            let Some(p) = ts.period_of(bucket) else {
                continue;
            };
            plot_ui.vline(
                VLine::new("Notable events", p as f64)
                    .color(Color32::GRAY)
                    .style(egui_plot::LineStyle::dashed_loose()),
            );
            let label = faultline_core::io::problem::cut(event.description(), 36);
            // Stagger the labels so neighbours do not overprint each other.
            let bounds = plot_ui.plot_bounds();
            let (bottom, top) = (bounds.min()[1], bounds.max()[1]);
            let y = top - (top - bottom) * 0.07 * (k % 4) as f64;
            plot_ui.text(
                Text::new("Notable events", [p as f64, y].into(), label)
                    .anchor(egui::Align2::LEFT_TOP)
                    .color(Color32::GRAY),
            );
        }
        if let (Some(start), Some(now)) = (brush_start, plot_ui.pointer_coordinate()) {
            plot_ui.span(
                Span::new("brush", start.min(now.x)..=start.max(now.x))
                    .fill(Color32::from_rgba_unmultiplied(120, 120, 120, 40)),
            );
        }
        plot_ui.pointer_coordinate()
    });

    let pointer = response.inner;
    let resp = &response.response;
    // Each bar is also a widget: clickable, with its numbers as the accessible label (screen
    // readers, keyboard, UI tests) and as its tooltip.
    if n <= 400 {
        let totals = ts.totals();
        for (i, period) in periods.iter().enumerate() {
            let height = f64::from(totals[i]).max(0.0);
            let rect = response.transform.rect_from_values(
                &egui_plot::PlotPoint::new(i as f64 - 0.4, 0.0),
                &egui_plot::PlotPoint::new(i as f64 + 0.4, height),
            );
            // Keep empty buckets clickable: at least a few points tall.
            let rect = if rect.height() < 6.0 {
                egui::Rect::from_min_max(rect.min - egui::vec2(0.0, 6.0), rect.max)
            } else {
                rect
            };
            let label = format!("{}: {} events", period.label, totals[i]);
            let bar = ui
                .interact(rect, ui.scope_id().with(("bar", i)), egui::Sense::click())
                .on_hover_text(tooltip(&ts, &by_type_for_bars, i));
            bar.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
            if bar.clicked() {
                actions.push(Action::SetDateRange(
                    Some(date_of(period.start)),
                    Some(date_of(period.end - 1)),
                ));
            }
        }
    }
    let period_at = |x: f64| -> Option<usize> {
        let i = x.round();
        (i >= 0.0 && (i as usize) < n).then_some(i as usize)
    };
    if resp.drag_started() {
        if let Some(p) = pointer {
            ui.data_mut(|d| d.insert_temp(brush_id, p.x));
        }
    }
    if resp.drag_stopped() {
        let start: Option<f64> = ui.data_mut(|d| d.remove_temp(brush_id));
        if let (Some(a), Some(b)) = (
            start.and_then(period_at),
            pointer.and_then(|p| period_at(p.x)),
        ) {
            let (lo, hi) = (a.min(b), a.max(b));
            actions.push(Action::SetDateRange(
                Some(date_of(periods[lo].start)),
                Some(date_of(periods[hi].end - 1)),
            ));
        }
    } else if resp.clicked() {
        if let Some(i) = pointer.and_then(|p| period_at(p.x)) {
            actions.push(Action::SetDateRange(
                Some(date_of(periods[i].start)),
                Some(date_of(periods[i].end - 1)),
            ));
        }
    }
}
