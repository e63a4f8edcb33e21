//! The timeline: counted events as bars per bucket (optionally stacked), reported series as
//! separate diamond markers, notable events as labelled markers. Click a bar to narrow the
//! dates to it; drag across the chart to brush a range; "Reset dates" widens again.

use std::any::Any;
use std::sync::{Arc, Mutex};

use egui::{Color32, Ui};
use egui_plot::{
    Bar, BarChart, HoverPosition, Line, MarkerShape, Plot, PlotUi, Points, Span, Text, VLine,
};

use super::explanation::{asked, Asked};
use super::palette;
use super::panel::{Panel, PanelContext, Slot};
use crate::app::{Action, AppState, CentralTab};
use faultline_core::query::explain::Subject;
use faultline_core::query::{BucketSize, GroupBy, Period, TimeSeries};
use faultline_core::store::date_of;
use faultline_core::text::thousands;

/// The timeline, and what it drew last (for tests): its groups' colours and its date labels.
#[derive(Default)]
pub struct TimelinePanel {
    drawn_groups: Vec<(String, Color32)>,
    axis: Arc<Mutex<AxisLabels>>,
}

/// The date labels under the bars in the last frame.
#[derive(Debug, Clone, Default)]
pub struct AxisLabels {
    /// Each label with the index of the period it stands under.
    pub labels: Vec<(usize, String)>,
    /// The room between two labels, in points (egui_plot draws a label only when it has
    /// more than 60 points and at least its own width).
    pub spacing_points: f64,
}

impl TimelinePanel {
    /// Each group of counted events drawn in the last frame, with its colour.
    pub fn drawn_groups(&self) -> &[(String, Color32)] {
        &self.drawn_groups
    }

    /// The date labels of the last frame.
    pub fn axis_labels(&self) -> AxisLabels {
        self.axis.lock().map(|a| a.clone()).unwrap_or_default()
    }
}

impl Panel for TimelinePanel {
    fn id(&self) -> &'static str {
        "timeline"
    }
    fn title(&self) -> &'static str {
        "Timeline"
    }
    fn slot(&self) -> Slot {
        Slot::Top(CentralTab::Events)
    }
    fn ui(&mut self, ui: &mut Ui, cx: &PanelContext, actions: &mut Vec<Action>) {
        playback_controls(ui, cx, actions);
        self.drawn_groups = show(ui, cx.state, &self.axis, actions);
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// The words of a bucket's tooltip: its counts, its three largest event types, and the
/// reported figures for it (never added to the counts).
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
            let span = r.spans[i]
                .as_ref()
                .map_or(String::new(), |s| format!(" in {s}"));
            text.push_str(&format!(
                "\n{}: {}{v} {}{span} (reported by {}, not counted events)",
                r.name,
                q.prefix(),
                r.unit,
                r.reported_by
            ));
        }
    }
    text
}

/// Playback: play/pause, step, stop, the step's length, window or cumulative, the speed, and
/// which step is shown. While playing it keeps the frames coming and ticks the clock.
fn playback_controls(ui: &mut Ui, cx: &PanelContext, actions: &mut Vec<Action>) {
    use crate::app::PlaybackAction as P;
    use faultline_core::query::playback::{step_at, step_count};
    let state = cx.state;
    let pb = &state.playback;
    let Some(days) = state.dataset.engine.facets().days else {
        return;
    };
    let count = step_count(days, pb.spec);
    ui.horizontal_wrapped(|ui| {
        let (label, hint) = if pb.playing {
            ("Pause", "Pause playback (Space)")
        } else {
            (
                "Play",
                "Step through time: every view shows one step at a time (Space)",
            )
        };
        if ui.button(label).on_hover_text(hint).clicked() {
            actions.push(Action::Playback(P::Toggle));
        }
        if ui
            .button("Step back")
            .on_hover_text("One step back (Left)")
            .clicked()
        {
            actions.push(Action::Playback(P::Step(-1)));
        }
        if ui
            .button("Step on")
            .on_hover_text("One step on (Right)")
            .clicked()
        {
            actions.push(Action::Playback(P::Step(1)));
        }
        if ui
            .add_enabled(pb.index.is_some(), egui::Button::new("Stop"))
            .on_hover_text("End playback and show the dates as before")
            .clicked()
        {
            actions.push(Action::Playback(P::Stop));
        }
        let mut spec = pb.spec;
        let by = ui.label("by");
        egui::ComboBox::from_id_salt("playback-step")
            .selected_text(spec.step.name())
            .show_ui(ui, |ui| {
                for b in BucketSize::ALL {
                    ui.selectable_value(&mut spec.step, b, b.name());
                }
            })
            .response
            .labelled_by(by.id);
        ui.checkbox(&mut spec.cumulative, "Cumulative")
            .on_hover_text("Show everything up to the step, not only the step's own days");
        if spec != pb.spec {
            actions.push(Action::Playback(P::SetSpec(spec)));
        }
        let mut speed = pb.speed;
        let speed_label = ui.label("steps/s");
        if ui
            .add(
                egui::DragValue::new(&mut speed)
                    .range(0.25..=20.0)
                    .speed(0.1),
            )
            .labelled_by(speed_label.id)
            .changed()
        {
            actions.push(Action::Playback(P::SetSpeed(speed)));
        }
        match pb
            .index
            .and_then(|i| step_at(days, pb.spec, i).map(|s| (i, s)))
        {
            Some((i, step)) => ui.strong(format!("{} · step {} of {count}", step.label, i + 1)),
            None => ui.weak(format!("{count} steps")),
        };
    });
    if pb.playing {
        actions.push(Action::Playback(P::Tick(cx.time)));
        let wait = pb.next_at.map_or(0.0, |due| (due - cx.time).max(0.0));
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_secs_f64(wait.min(1.0)));
    }
}

/// The bucket and stacking choices, "Reset dates" and "Export chart…".
fn controls(ui: &mut Ui, state: &AppState, ts: &TimeSeries, actions: &mut Vec<Action>) {
    let spec = state.shown.spec;
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
                for g in GroupBy::stackings(state.dataset.store()) {
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
            .button("Annotate…")
            .on_hover_text("Put your own note on a date or a range of the timeline")
            .clicked()
        {
            actions.push(Action::ShowChanges(true));
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
}

/// Draws the timeline panel; returns the groups drawn with their colours.
fn show(
    ui: &mut Ui,
    state: &AppState,
    axis: &Arc<Mutex<AxisLabels>>,
    actions: &mut Vec<Action>,
) -> Vec<(String, Color32)> {
    let engine = &state.dataset.engine;
    let view = &state.shown;
    let ts: Arc<TimeSeries> = engine.time_series(&view.filter, view.spec);
    let by_type = engine.time_series(&view.filter, view.type_spec());
    controls(ui, state, &ts, actions);
    if ts.periods.is_empty() {
        ui.centered_and_justified(|ui| ui.weak("No dated events match the filters."));
        return Vec::new();
    }
    legend(ui, state, &ts);
    let brush_id = ui.scope_id().with("timeline-brush");
    let brush_start: Option<f64> = ui.data(|d| d.get_temp(brush_id));
    let mut drawn = Vec::new();
    let response = plot(&ts, &by_type, axis).show(ui, |plot_ui| {
        drawn = bars(plot_ui, &ts);
        reported(plot_ui, &ts);
        notable(plot_ui, state, &ts);
        annotations(plot_ui, state, &ts);
        if let (Some(start), Some(now)) = (brush_start, plot_ui.pointer_coordinate()) {
            plot_ui.span(
                Span::new("brush", start.min(now.x)..=start.max(now.x))
                    .fill(Color32::from_rgba_unmultiplied(120, 120, 120, 40)),
            );
        }
        plot_ui.pointer_coordinate()
    });
    bar_widgets(ui, &response.transform, (&ts, view.spec), &by_type, actions);
    clicks_and_brush(ui, &response, brush_id, &ts.periods, actions);
    if response.response.secondary_clicked() {
        let at = response.response.interact_pointer_pos();
        if let Some(why) = at.and_then(|pos| figure_at(&response.transform, &ts, pos)) {
            actions.push(Action::Explain(Some(Box::new(why))));
        }
    }
    drawn
}

/// The legend, above the plot so that it never covers a bar: each group's colour, each
/// reported series' diamond, the notable events' dashed line.
fn legend(ui: &mut Ui, state: &AppState, ts: &TimeSeries) {
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 6.0;
        // The marks are painted, not typed: the body font has no diamond.
        let mark = |ui: &mut Ui| {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
            rect
        };
        let swatch = |ui: &mut Ui, colour: Color32| {
            let rect = mark(ui);
            ui.painter().rect_filled(rect, 1.0, colour);
        };
        for (g, group) in ts.groups.iter().enumerate() {
            swatch(ui, palette::colour(ts.group_colour(g)));
            let name = match ts.group_by {
                GroupBy::None => "Counted events",
                _ => group.name.as_str(),
            };
            ui.label(name);
        }
        for (k, report) in ts.charted_reports().enumerate() {
            let rect = mark(ui);
            let c = rect.center();
            let r = rect.width() / 2.0;
            ui.painter().add(egui::Shape::convex_polygon(
                vec![
                    c - egui::vec2(0.0, r),
                    c + egui::vec2(r, 0.0),
                    c + egui::vec2(0.0, r),
                    c - egui::vec2(r, 0.0),
                ],
                palette::reported(k),
                egui::Stroke::NONE,
            ));
            ui.label(format!(
                "{} (reported by {})",
                report.name, report.reported_by
            ));
        }
        if !state.dataset.facets().notable.is_empty() {
            let rect = mark(ui);
            ui.painter().extend(egui::Shape::dashed_line(
                &[rect.center_top(), rect.center_bottom()],
                egui::Stroke::new(1.5, Color32::GRAY),
                2.0,
                2.0,
            ));
            ui.label("Notable events");
        }
    });
}

/// The room an axis date label of `chars` characters takes, with space around it, in points:
/// egui_plot draws a label only with more than 60 points of room and at least its width
/// (about 8 points a character in the body font).
fn label_room(chars: usize) -> f64 {
    (chars as f64 * 8.5 + 24.0).max(66.0)
}

/// The plot: fixed axes (the chart is navigated by the filter, not by panning), date labels
/// at every range (every period when they fit, else month starts, quarters, years, decades:
/// [`faultline_core::query::date_ticks`]), tooltips.
fn plot(
    ts: &Arc<TimeSeries>,
    by_type: &Arc<TimeSeries>,
    axis: &Arc<Mutex<AxisLabels>>,
) -> Plot<'static> {
    let n = ts.periods.len();
    let (tooltip_ts, by_type) = (ts.clone(), by_type.clone());
    // The labels the spacer chooses each frame, for the formatter to write.
    let (spacer_axis, format_axis) = (axis.clone(), axis.clone());
    let (spacer_periods, bucket) = (ts.clone(), ts.bucket);
    Plot::new("timeline")
        .x_grid_spacer(move |input| {
            // The plot's smallest grid step is 8 points: so many periods per point.
            let periods_per_point = input.base_step_size / 8.0;
            let period_points = 1.0 / periods_per_point.max(f64::MIN_POSITIVE);
            let chosen = faultline_core::query::date_ticks(
                &spacer_periods.periods,
                bucket,
                period_points,
                &label_room,
            );
            // The step egui_plot judges the room by: the closest two labels (or the whole
            // range for one label).
            let step = chosen
                .windows(2)
                .map(|w| (w[1].period - w[0].period) as f64)
                .fold(f64::INFINITY, f64::min)
                .min(spacer_periods.periods.len() as f64)
                .max(1.0);
            let marks = chosen
                .iter()
                .map(|t| egui_plot::GridMark {
                    value: t.period as f64,
                    step_size: step,
                })
                .collect();
            if let Ok(mut shared) = spacer_axis.lock() {
                shared.labels = chosen.into_iter().map(|t| (t.period, t.label)).collect();
                shared.spacing_points = step / periods_per_point.max(f64::MIN_POSITIVE);
            }
            marks
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
            let period = v.round() as usize;
            format_axis
                .lock()
                .ok()
                .and_then(|a| {
                    a.labels
                        .iter()
                        .find(|(p, _)| *p == period)
                        .map(|(_, l)| l.clone())
                })
                .unwrap_or_default()
        })
        .label_formatter(move |pos: &HoverPosition<'_>| {
            let x = match pos {
                HoverPosition::NearDataPoint { position, .. } => position.x,
                HoverPosition::Elsewhere { position } => position.x,
            };
            let i = x.round();
            (i >= 0.0 && (i as usize) < n).then(|| tooltip(&tooltip_ts, &by_type, i as usize))
        })
}

/// Counted events: one bar chart per group, stacked, coloured by the series' own rule, with
/// the totals above the bars when there is room. Returns each group's name and colour.
fn bars(plot_ui: &mut PlotUi, ts: &TimeSeries) -> Vec<(String, Color32)> {
    let mut charts: Vec<BarChart> = Vec::new();
    let mut drawn = Vec::new();
    for (g, group) in ts.groups.iter().enumerate() {
        let colour = palette::colour(ts.group_colour(g));
        let bars: Vec<Bar> = group
            .counts
            .iter()
            .enumerate()
            .map(|(i, &c)| Bar::new(i as f64, f64::from(c)).width(0.8).fill(colour))
            .collect();
        let name = match ts.group_by {
            GroupBy::None => "Counted events".to_string(),
            _ => group.name.clone(),
        };
        let refs: Vec<&BarChart> = charts.iter().collect();
        drawn.push((group.name.clone(), colour));
        let chart = BarChart::new(name, bars).color(colour).stack_on(&refs);
        charts.push(chart);
    }
    for chart in charts {
        plot_ui.bar_chart(chart);
    }
    if ts.periods.len() <= 40 {
        for (i, total) in ts.totals().iter().enumerate() {
            if *total > 0 {
                plot_ui.text(
                    Text::new("", [i as f64, f64::from(*total)].into(), total.to_string())
                        .anchor(egui::Align2::CENTER_BOTTOM),
                );
            }
        }
    }
    drawn
}

/// Reported series as labelled diamonds, apart from the counted bars. Rates ("launches per
/// day") are not on the same scale as counts: they stay in the details panel and tooltips.
fn reported(plot_ui: &mut PlotUi, ts: &TimeSeries) {
    let labelled = ts.labels_reported_values();
    for (k, report) in ts.charted_reports().enumerate() {
        let points: Vec<[f64; 2]> = report
            .values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|(value, _)| [i as f64, value]))
            .collect();
        let colour = palette::reported(k);
        let name = format!("{} (reported by {})", report.name, report.reported_by);
        // Figures in consecutive periods are joined; a gap stays a gap.
        for run in points.chunk_by(|a, b| b[0] - a[0] == 1.0) {
            if run.len() > 1 {
                plot_ui.line(Line::new(name.clone(), run.to_vec()).color(colour));
            }
        }
        for p in &points {
            // A figure for part of the bucket always says which part.
            let text = match &report.spans[p[0] as usize] {
                Some(span) => format!("{} ({span})", p[1]),
                None if labelled => format!("{}", p[1]),
                None => continue,
            };
            plot_ui.text(
                Text::new("", [p[0] + 0.15, p[1]].into(), text)
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
}

/// Notable events as dashed lines with staggered labels.
fn notable(plot_ui: &mut PlotUi, state: &AppState, ts: &TimeSeries) {
    let store = state.dataset.store();
    for (k, &row) in state.dataset.facets().notable.iter().enumerate() {
        let event = store.row(row as usize);
        let (first, last) = event.days();
        let Some(bucket) = ts.bucket.place(first, last) else {
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
        let label = faultline_core::text::cut(event.description(), 36);
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
}

/// The analyst's annotations: a light band over the buckets each covers, a dashed line at
/// its start, and its date and words (placed by the rule the exported chart uses).
fn annotations(plot_ui: &mut PlotUi, state: &AppState, ts: &TimeSeries) {
    let colour = Color32::from_rgb(0xc8, 0xa2, 0x00);
    let bounds = plot_ui.plot_bounds();
    let (bottom, top) = (bounds.min()[1], bounds.max()[1]);
    for (k, a) in ts
        .place_annotations(&state.layer.workspace.annotations)
        .iter()
        .enumerate()
    {
        let (x0, x1) = (a.first as f64 - 0.5, a.last as f64 + 0.5);
        // A span named "" draws no name of its own: the words are the label below.
        plot_ui.span(Span::new("", x0..=x1).fill(Color32::from_rgba_unmultiplied(200, 162, 0, 28)));
        plot_ui.vline(
            VLine::new("Annotations", x0)
                .color(colour)
                .style(egui_plot::LineStyle::dashed_loose()),
        );
        // Below the notable events' labels, which stagger from the top.
        let y = top - (top - bottom) * (0.32 + 0.07 * (k % 4) as f64);
        let label = format!("{} · {}", a.date, faultline_core::text::cut(&a.text, 40));
        plot_ui.text(
            Text::new("Annotations", [x0, y].into(), label)
                .anchor(egui::Align2::LEFT_TOP)
                .color(colour),
        );
    }
}

/// Each bar is also a widget: clickable, with its numbers as the accessible label (screen
/// readers, keyboard, UI tests) and as its tooltip.
fn bar_widgets(
    ui: &mut Ui,
    transform: &egui_plot::PlotTransform,
    (ts, spec): (&TimeSeries, faultline_core::query::SeriesSpec),
    by_type: &TimeSeries,
    actions: &mut Vec<Action>,
) {
    if ts.periods.len() > 400 {
        return;
    }
    let totals = ts.totals();
    for (i, period) in ts.periods.iter().enumerate() {
        let height = f64::from(totals[i]).max(0.0);
        let rect = transform.rect_from_values(
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
            .on_hover_text(format!(
                "{}\nClick: narrow the dates to it · right-click (or ?): why this number?",
                tooltip(ts, by_type, i)
            ));
        bar.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
        if bar.clicked() {
            actions.push(date_range(&period_span(&ts.periods, i, i)));
        }
        if let Some(how) = asked(&bar) {
            // The part of a stacked bar under the pointer (the whole bar from the keyboard).
            let group = match how {
                Asked::Pointer(pos) => stacked_part(ts, i, transform.value_from_position(pos).y),
                Asked::Key => None,
            };
            actions.push(Action::Explain(Some(Box::new(Subject::Bucket {
                spec,
                period: i,
                group,
            }))));
        }
        if ts.groups.len() > 1 {
            part_widgets(ui, transform, (ts, spec), i, actions);
        }
    }
}

/// Each part of a stacked bar is a widget too ("Oct 2024: 2 Battles"): reachable by
/// keyboard and by screen readers, and asked on its own.
fn part_widgets(
    ui: &mut Ui,
    transform: &egui_plot::PlotTransform,
    (ts, spec): (&TimeSeries, faultline_core::query::SeriesSpec),
    i: usize,
    actions: &mut Vec<Action>,
) {
    let mut bottom = 0.0;
    for (g, group) in ts.groups.iter().enumerate() {
        let n = group.counts[i];
        if n == 0 {
            continue;
        }
        let top = bottom + f64::from(n);
        let rect = transform.rect_from_values(
            &egui_plot::PlotPoint::new(i as f64 - 0.4, bottom),
            &egui_plot::PlotPoint::new(i as f64 + 0.4, top),
        );
        bottom = top;
        let label = format!("{}: {n} {}", ts.periods[i].label, group.name);
        let part = ui
            .interact(
                rect,
                ui.scope_id().with(("part", i, g)),
                egui::Sense::click(),
            )
            .on_hover_text(format!(
                "{label}\nClick: narrow the dates to it · right-click (or ?): why this number?"
            ));
        part.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
        if part.clicked() {
            actions.push(date_range(&period_span(&ts.periods, i, i)));
        }
        if asked(&part).is_some() {
            actions.push(Action::Explain(Some(Box::new(Subject::Bucket {
                spec,
                period: i,
                group: Some(g),
            }))));
        }
    }
}

/// The reported figure whose diamond is under `pos` (within a few points), if any.
fn figure_at(
    transform: &egui_plot::PlotTransform,
    ts: &TimeSeries,
    pos: egui::Pos2,
) -> Option<Subject> {
    for report in ts.charted_reports() {
        for (i, value) in report.values.iter().enumerate() {
            let (Some((value, _)), Some(index)) = (value, report.observations[i]) else {
                continue;
            };
            let at = transform.position_from_point(&egui_plot::PlotPoint::new(i as f64, *value));
            if at.distance(pos) <= 10.0 {
                return Some(Subject::Figure {
                    series: report.id.clone(),
                    index,
                });
            }
        }
    }
    None
}

/// The group whose part of the stacked bar of period `i` holds the height `value` (groups
/// stack from the bottom in order); `None` when the bar is not stacked or `value` is above it.
fn stacked_part(ts: &TimeSeries, i: usize, value: f64) -> Option<usize> {
    if ts.groups.len() < 2 {
        return None;
    }
    let mut top = 0.0;
    for (g, group) in ts.groups.iter().enumerate() {
        top += f64::from(group.counts[i]);
        if value < top {
            return Some(g);
        }
    }
    None
}

/// The days of periods `lo..=hi`.
fn period_span(periods: &[Period], lo: usize, hi: usize) -> (i32, i32) {
    (periods[lo].start, periods[hi].end - 1)
}

fn date_range((first, last): &(i32, i32)) -> Action {
    Action::SetDateRange(Some(date_of(*first)), Some(date_of(*last)))
}

/// A click on the plot narrows the dates to a period; a drag across it, to a range.
fn clicks_and_brush(
    ui: &mut Ui,
    response: &egui_plot::PlotResponse<Option<egui_plot::PlotPoint>>,
    brush_id: egui::Id,
    periods: &[Period],
    actions: &mut Vec<Action>,
) {
    let pointer = response.inner;
    let resp = &response.response;
    let period_at = |x: f64| -> Option<usize> {
        let i = x.round();
        (i >= 0.0 && (i as usize) < periods.len()).then_some(i as usize)
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
            actions.push(date_range(&period_span(periods, a.min(b), a.max(b))));
        }
    } else if resp.clicked() {
        if let Some(i) = pointer.and_then(|p| period_at(p.x)) {
            actions.push(date_range(&period_span(periods, i, i)));
        }
    }
}
