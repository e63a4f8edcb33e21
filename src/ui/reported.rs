//! The reported figures: what the sources said, each figure a bar over exactly the days it
//! covers, with who counted, who reported and where it was quoted; optionally the dataset's
//! own events counted over the same days, drawn apart. The geometry is the core's
//! [`ReportedLayout`], the one the exported pictures draw.

use std::any::Any;
use std::sync::Arc;

use egui::{Align2, Color32, FontId, Pos2, Rect, Sense, Shape, Stroke, Ui};

use super::palette;
use super::panel::{Panel, PanelContext, Slot};
use crate::app::{Action, CentralTab};
use faultline_core::export::reported::default_title;
use faultline_core::export::{Chart, ExportKind};
use faultline_core::layout::reported::{self as geometry, BarStyle, ReportedLayout, Swatch};
use faultline_core::query::explain::Subject;
use faultline_core::query::reported::{
    reported_chart_for, units, ReportedChart, ReportedError, ReportedSpec,
};
use faultline_core::query::Filter;

/// What a chart was computed for: the dataset, the choice of series and the counted filter.
type ChartKey = (u64, ReportedSpec, Option<Filter>);

/// The reported figures' panel, with its last chart (recomputed only when the dataset, the
/// choice or, with the overlay, the filter changes) and its last layout (for tests).
#[derive(Default)]
pub struct ReportedPanel {
    chart: Option<(ChartKey, Result<Arc<ReportedChart>, ReportedError>)>,
    drawn: Option<ReportedLayout>,
}

impl ReportedPanel {
    /// The chart as laid out in the last frame.
    pub fn drawn(&self) -> Option<&ReportedLayout> {
        self.drawn.as_ref()
    }

    /// The chart shown (computed when its inputs change).
    fn chart(&mut self, cx: &PanelContext) -> Result<Arc<ReportedChart>, ReportedError> {
        let spec = cx.state.reported.clone();
        let store = cx.engine.store();
        let filter = &cx.state.shown.filter;
        let key = (
            store.generation(),
            spec.clone(),
            spec.counted.then(|| filter.clone()),
        );
        match &self.chart {
            Some((k, chart)) if *k == key => chart.clone(),
            _ => {
                let chart = reported_chart_for(store, &spec, filter, || cx.engine.rows(filter))
                    .map(Arc::new);
                self.chart = Some((key, chart.clone()));
                chart
            }
        }
    }
}

impl Panel for ReportedPanel {
    fn id(&self) -> &'static str {
        "reported"
    }
    fn title(&self) -> &'static str {
        "Reported figures"
    }
    fn slot(&self) -> Slot {
        Slot::Main(CentralTab::Reported)
    }
    fn ui(&mut self, ui: &mut Ui, cx: &PanelContext, actions: &mut Vec<Action>) {
        controls(ui, cx, actions);
        match self.chart(cx) {
            Ok(chart) => {
                ui.add_space(4.0);
                ui.heading(default_title(&chart));
                ui.weak(format!(
                    "{} as the sources reported them, not events this dataset counts; each \
                     bar covers the days its figure covers. Hover a bar for the source's words.",
                    chart.unit
                ));
                self.drawn = Some(draw(ui, &chart, actions));
            }
            Err(e) => {
                self.drawn = None;
                ui.add_space(24.0);
                ui.label(format!("Nothing to chart here: {e}."));
                ui.label(
                    "Reported figures are numbers a source gave (\"90 drone attacks in \
                     October\"), kept apart from the events the dataset counts.",
                );
                if ui.button("Show the timeline of counted events").clicked() {
                    actions.push(Action::SetTab(CentralTab::Events));
                }
            }
        }
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// The row above the chart: which unit, the overlay, export, and the way to the counted
/// events.
fn controls(ui: &mut Ui, cx: &PanelContext, actions: &mut Vec<Action>) {
    let store = cx.engine.store();
    let spec = &cx.state.reported;
    ui.horizontal(|ui| {
        let units = units(store);
        if units.len() > 1 {
            let shown_unit = spec
                .series
                .first()
                .and_then(|id| store.meta.series.iter().find(|s| &s.id == id))
                .map(|s| s.unit.clone())
                .or_else(|| faultline_core::query::reported::headline_unit(store))
                .unwrap_or_default();
            let label = ui.label("Figures in");
            egui::ComboBox::from_id_salt("reported-unit")
                .selected_text(&shown_unit)
                .show_ui(ui, |ui| {
                    for unit in &units {
                        if ui.selectable_label(*unit == shown_unit, unit).clicked() {
                            let series = store
                                .meta
                                .series
                                .iter()
                                .filter(|s| &s.unit == unit)
                                .map(|s| s.id.clone())
                                .collect();
                            actions.push(Action::SetReported(Box::new(ReportedSpec {
                                series,
                                ..spec.clone()
                            })));
                        }
                    }
                })
                .response
                .labelled_by(label.id);
        }
        let mut counted = spec.counted;
        if ui
            .checkbox(&mut counted, "Overlay counted events")
            .on_hover_text(
                "Draw how many of this dataset's events (under the current filter) lie \
                 wholly within each figure's days, as a dark line. They are the dataset's \
                 own count, not the source's figure.",
            )
            .changed()
        {
            actions.push(Action::SetReported(Box::new(ReportedSpec {
                counted,
                ..spec.clone()
            })));
        }
        if ui.button("Export…").clicked() {
            actions.push(Action::Export(ExportKind::new(
                Chart::Reported,
                Chart::Reported.formats()[0],
            )));
        }
        if ui
            .link("Counted events: the timeline")
            .on_hover_text("The events the dataset counts, per month, week or day")
            .clicked()
        {
            actions.push(Action::SetTab(CentralTab::Events));
        }
    });
}

/// A point of the layout on screen.
fn pos(x: f32, y: f32) -> Pos2 {
    Pos2::new(x, y)
}

/// Paints `chart` in the rest of the panel and shows the tooltip of the bar under the
/// pointer; returns the layout drawn.
fn draw(ui: &mut Ui, chart: &ReportedChart, actions: &mut Vec<Action>) -> ReportedLayout {
    let area = ui.available_rect_before_wrap();
    let response = ui.allocate_rect(area, Sense::click());
    let layout = ReportedLayout::new(
        chart,
        geometry::Rect {
            x0: area.min.x,
            y0: area.min.y + 4.0,
            x1: area.max.x,
            y1: area.max.y - 4.0,
        },
    );
    let painter = ui.painter_at(area);
    let text_colour = ui.visuals().text_color();
    let weak = ui.visuals().weak_text_color();
    let grid = ui.visuals().widgets.noninteractive.bg_stroke.color;
    let font = FontId::proportional(13.0);
    let p = layout.plot;
    for (y, text) in &layout.y_ticks {
        painter.line_segment([pos(p.x0, *y), pos(p.x1, *y)], Stroke::new(1.0, grid));
        painter.text(
            pos(p.x0 - 8.0, *y),
            Align2::RIGHT_CENTER,
            text,
            font.clone(),
            weak,
        );
    }
    let unit = painter.layout_no_wrap(layout.unit.clone(), font.clone(), weak);
    let unit_at = pos(area.min.x + 4.0, (p.y0 + p.y1) / 2.0 + unit.size().x / 2.0);
    painter.add(
        egui::epaint::TextShape::new(unit_at, unit, weak).with_angle(-std::f32::consts::FRAC_PI_2),
    );
    let mut hovered = None;
    for bar in &layout.bars {
        let colour = palette::reported(bar.series);
        let r = Rect::from_min_max(pos(bar.rect.x0, bar.rect.y0), pos(bar.rect.x1, bar.rect.y1));
        paint_bar(&painter, r, bar.style, colour);
        painter.text(
            pos(bar.value.x, bar.value.y),
            Align2::CENTER_BOTTOM,
            &bar.value.text,
            FontId::proportional(15.0),
            colour,
        );
        let reach = r.expand2(egui::vec2(0.0, 8.0)).with_min_y(r.min.y - 20.0);
        if response.hover_pos().is_some_and(|h| reach.contains(h)) {
            hovered = Some(bar.figure);
        }
    }
    for mark in &layout.counted {
        painter.line_segment(
            [pos(mark.x0, mark.y), pos(mark.x1, mark.y)],
            Stroke::new(3.0, text_colour),
        );
        painter.text(
            pos(mark.label.x, mark.label.y),
            Align2::CENTER_BOTTOM,
            &mark.label.text,
            FontId::proportional(11.0),
            text_colour,
        );
    }
    painter.line_segment(
        [pos(p.x0, p.y1), pos(p.x1, p.y1)],
        Stroke::new(1.0, text_colour),
    );
    for label in &layout.periods {
        painter.text(
            pos(label.x, label.y),
            Align2::CENTER_BOTTOM,
            &label.text,
            font.clone(),
            text_colour,
        );
    }
    for line in &layout.legend {
        let at = pos(line.label.x, line.label.y);
        match line.swatch {
            Swatch::Series(k) => {
                painter.rect_filled(
                    Rect::from_min_size(at + egui::vec2(-18.0, -12.0), egui::vec2(12.0, 12.0)),
                    0.0,
                    palette::reported(k),
                );
            }
            Swatch::Counted => {
                painter.line_segment(
                    [at + egui::vec2(-18.0, -6.0), at + egui::vec2(-6.0, -6.0)],
                    Stroke::new(3.0, text_colour),
                );
            }
            Swatch::None => {}
        }
        painter.text(
            at,
            Align2::LEFT_BOTTOM,
            &line.label.text,
            font.clone(),
            text_colour,
        );
    }
    if let Some(i) = hovered {
        if response.secondary_clicked() {
            let figure = &chart.figures[i];
            actions.push(Action::Explain(Some(Box::new(Subject::Figure {
                series: chart.series[figure.series].id.clone(),
                index: figure.observation,
            }))));
        }
        response.on_hover_ui_at_pointer(|ui| figure_tooltip(ui, chart, i));
    }
    layout
}

/// One bar, drawn by how exact its figure is.
fn paint_bar(painter: &egui::Painter, r: Rect, style: BarStyle, colour: Color32) {
    match style {
        BarStyle::Exact => {
            painter.rect_filled(r, 0.0, colour);
        }
        BarStyle::About => {
            painter.rect_filled(r, 0.0, colour.gamma_multiply(0.45));
            painter.rect_stroke(r, 0.0, Stroke::new(1.0, colour), egui::StrokeKind::Inside);
        }
        BarStyle::AtLeast => {
            // Open at the top: the figure could be higher.
            painter.rect_filled(r, 0.0, colour.gamma_multiply(0.25));
            painter.add(Shape::line(
                vec![
                    r.left_top(),
                    r.left_bottom(),
                    r.right_bottom(),
                    r.right_top(),
                ],
                Stroke::new(2.0, colour),
            ));
        }
        BarStyle::AtMost => {
            painter.rect_filled(r, 0.0, colour.gamma_multiply(0.6));
            painter.extend(Shape::dashed_line(
                &[r.left_top(), r.right_top()],
                Stroke::new(2.0, colour),
                4.0,
                3.0,
            ));
        }
        BarStyle::Words => {
            painter.rect_filled(r, 0.0, colour.gamma_multiply(0.5));
        }
    }
}

/// The tooltip of figure `i`: the figure, its period, its series' caption and the source's
/// words.
fn figure_tooltip(ui: &mut Ui, chart: &ReportedChart, i: usize) {
    let Some(f) = chart.figures.get(i) else {
        return;
    };
    let series = &chart.series[f.series];
    ui.set_max_width(420.0);
    ui.strong(format!("{} {} · {}", f.text, chart.unit, f.period));
    ui.label(series.caption());
    if !f.quote.is_empty() {
        ui.label(egui::RichText::new(format!("“{}”", f.quote)).italics());
    }
    if let Some(note) = &f.note {
        ui.label(note);
    }
    ui.weak("Right-click: why this number?");
    if let Some(counted) = &chart.counted {
        if let Some(n) = counted.per_figure.get(i) {
            if let Some(gap) = chart.gap_words(i) {
                ui.strong(gap);
            }
            ui.label(format!(
                "{n} events in this dataset lie wholly within these days (the dataset's \
                 count, not the source's figure)"
            ));
        }
    }
}
