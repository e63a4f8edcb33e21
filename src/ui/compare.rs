//! The Compare tab: two files (or two actors, countries, types…) of the view side by side
//! over time, their difference per period below, and the table with the gap in words. The
//! numbers are the core's [`Comparison`], the ones the exported chart and CSV give.

use std::any::Any;

use egui::{Color32, RichText, Ui};
use egui_plot::{Bar, BarChart, HoverPosition, Legend, Plot};

use super::palette;
use super::panel::{Panel, PanelContext, Slot};
use crate::app::{Action, CentralTab};
use faultline_core::export::{Chart, ExportKind, FileFormat};
use faultline_core::query::compare::{CompareSpec, Comparison, Measure};
use faultline_core::query::{BucketSize, Filter, GroupBy};

/// Above this many events, a comparison not yet counted by the worker is waited for rather
/// than counted on this thread.
const COUNT_HERE_MAX: usize = 200_000;

/// The comparison panel, with what it drew last (for tests) and what that was counted for
/// (the store, the filter and the settings: it is counted again only when one changes).
#[derive(Default)]
pub struct ComparePanel {
    drawn: Option<Comparison>,
    counted_for: Option<(u64, Filter, CompareSpec)>,
}

impl ComparePanel {
    /// The comparison drawn in the last frame.
    pub fn drawn(&self) -> Option<&Comparison> {
        self.drawn.as_ref()
    }
}

impl Panel for ComparePanel {
    fn id(&self) -> &'static str {
        "compare"
    }
    fn title(&self) -> &'static str {
        "Compare"
    }
    fn slot(&self) -> Slot {
        Slot::Main(CentralTab::Compare)
    }
    fn ui(&mut self, ui: &mut Ui, cx: &PanelContext, actions: &mut Vec<Action>) {
        let state = cx.state;
        let spec = &state.compare;
        let series_spec = spec.series_spec();
        let counted = state.shown.compare == Some(series_spec);
        if !counted && cx.engine.store().len() > COUNT_HERE_MAX {
            controls(ui, spec, self.drawn.as_ref(), actions);
            ui.add_space(24.0);
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Counting…");
            });
            return;
        }
        let key = (
            cx.engine.store().generation(),
            state.shown.filter.clone(),
            spec.clone(),
        );
        if self.counted_for.as_ref() != Some(&key) {
            let series = cx.engine.time_series(&state.shown.filter, series_spec);
            self.drawn = Comparison::of(&series, spec);
            self.counted_for = Some(key);
        }
        controls(ui, spec, self.drawn.as_ref(), actions);
        let Some(comparison) = &self.drawn else {
            ui.add_space(24.0);
            ui.label(format!(
                "Nothing to compare: the events in view fall in fewer than two groups by {}.",
                spec.group_by.label()
            ));
            if spec.group_by == GroupBy::File {
                ui.label(
                    "Add another file to the view (File menu: Add to view…), say ACLED beside \
                     UCDP, or compare by event type, actor or country.",
                );
                if ui.button("Compare event types instead").clicked() {
                    actions.push(Action::SetCompare(Box::new(CompareSpec {
                        group_by: GroupBy::EventType,
                        sides: [None, None],
                        ..spec.clone()
                    })));
                }
            }
            return;
        };
        ui.add_space(4.0);
        ui.label(RichText::new(comparison.summary()).strong());
        let mut note = format!(
            "{} · the band below: {} less {}",
            state.shown.filter.describe(cx.engine.store()),
            comparison.sides[1].name,
            comparison.sides[0].name
        );
        if let Some(unplaced) = comparison.unplaced_note() {
            note += &format!(" · {unplaced}");
        }
        ui.weak(note);
        let height = ui.available_height();
        side_by_side(ui, comparison, (height * 0.45).max(160.0));
        differences(ui, comparison, (height * 0.18).max(80.0));
        table(ui, comparison);
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// What is compared: the grouping, the two groups, events or deaths, the bucket; export.
fn controls(
    ui: &mut Ui,
    spec: &CompareSpec,
    shown: Option<&Comparison>,
    actions: &mut Vec<Action>,
) {
    let mut next = spec.clone();
    ui.horizontal_wrapped(|ui| {
        combo(
            ui,
            "Compare by",
            &mut next.group_by,
            GroupBy::ALL.into_iter().filter(|g| *g != GroupBy::None),
            |g| g.label(),
        );
        if let Some(c) = shown {
            for (k, name) in ["First", "Second"].into_iter().enumerate() {
                let label = ui.label(name);
                egui::ComboBox::from_id_salt(("compare-side", k))
                    .selected_text(faultline_core::text::cut(&c.sides[k].name, 28))
                    .show_ui(ui, |ui| {
                        for group in &c.groups {
                            if ui
                                .selectable_label(*group == c.sides[k].name, group)
                                .clicked()
                            {
                                next.sides[k] = Some(group.clone());
                            }
                        }
                    })
                    .response
                    .labelled_by(label.id);
            }
        }
        combo(ui, "Count", &mut next.measure, Measure::ALL, |m| m.label());
        combo(ui, "Per", &mut next.bucket, BucketSize::ALL, |b| b.name());
        if ui
            .add_enabled(shown.is_some(), egui::Button::new("Export…"))
            .clicked()
        {
            actions.push(Action::Export(ExportKind::new(
                Chart::Compare,
                FileFormat::Png,
            )));
        }
    });
    if next.group_by != spec.group_by {
        next.sides = [None, None];
    }
    if next != *spec {
        actions.push(Action::SetCompare(Box::new(next)));
    }
}

fn combo<T: Copy + PartialEq>(
    ui: &mut Ui,
    name: &str,
    value: &mut T,
    options: impl IntoIterator<Item = T>,
    label: impl Fn(T) -> &'static str,
) {
    let response = ui.label(name);
    egui::ComboBox::from_id_salt(("compare", name))
        .selected_text(label(*value))
        .show_ui(ui, |ui| {
            for option in options {
                ui.selectable_value(value, option, label(option));
            }
        })
        .response
        .labelled_by(response.id);
}

/// A bar per side per period, side by side.
fn side_by_side(ui: &mut Ui, c: &Comparison, height: f32) {
    let words: Vec<String> = (0..c.periods.len()).map(|i| c.words(i)).collect();
    period_plot("compare-bars", c, height, c.measure.label())
        .legend(Legend::default())
        .label_formatter(move |pos: &HoverPosition<'_>| {
            let x = match pos {
                HoverPosition::NearDataPoint { position, .. } => position.x,
                HoverPosition::Elsewhere { position } => position.x,
            };
            let i = x.round();
            (i >= 0.0 && (i as usize) < words.len()).then(|| words[i as usize].clone())
        })
        .show(ui, |plot| {
            for (k, side) in c.sides.iter().enumerate() {
                let colour = palette::colour(side.colour);
                let offset = if k == 0 { -0.2 } else { 0.2 };
                let bars = side
                    .values
                    .iter()
                    .enumerate()
                    .map(|(i, &v)| {
                        Bar::new(i as f64 + offset, v as f64)
                            .width(0.4)
                            .fill(colour)
                    })
                    .collect();
                plot.bar_chart(BarChart::new(side.name.clone(), bars).color(colour));
            }
        });
}

/// The second side less the first per period: up where it has more, down where fewer.
fn differences(ui: &mut Ui, c: &Comparison, height: f32) {
    let n = c.periods.len();
    let more = ui.visuals().strong_text_color();
    let fewer = Color32::from_gray(150);
    period_plot("compare-difference", c, height, "difference").show(ui, |plot| {
        let bars = (0..n)
            .map(|i| {
                let d = c.difference(i);
                Bar::new(i as f64, d as f64)
                    .width(0.5)
                    .fill(if d >= 0 { more } else { fewer })
            })
            .collect();
        plot.bar_chart(BarChart::new("difference", bars));
    });
}

/// A plot over the comparison's periods, one slot each, labelled by period, that stays put
/// (no drag or zoom: the periods are the axis).
fn period_plot(id: &str, c: &Comparison, height: f32, y_label: &str) -> Plot<'static> {
    let labels: Vec<String> = c.periods.iter().map(|p| p.label.clone()).collect();
    Plot::new(id)
        .height(height)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .include_y(0.0)
        .include_x(-0.6)
        .include_x(labels.len() as f64 - 0.4)
        .y_axis_label(y_label.to_string())
        .x_axis_formatter(move |mark, _| period_label(&labels, mark.value))
}

fn period_label(labels: &[String], value: f64) -> String {
    if (value - value.round()).abs() > 1e-6 || value < 0.0 {
        return String::new();
    }
    labels
        .get(value.round() as usize)
        .cloned()
        .unwrap_or_default()
}

/// Period by period: both values, the difference, and the gap in words.
fn table(ui: &mut Ui, c: &Comparison) {
    egui::ScrollArea::vertical()
        .id_salt("compare-table")
        .show(ui, |ui| {
            egui::Grid::new("compare-grid")
                .striped(true)
                .num_columns(4)
                .show(ui, |ui| {
                    ui.strong("Period");
                    ui.strong(&c.sides[0].name);
                    ui.strong(&c.sides[1].name);
                    ui.strong("Difference");
                    ui.end_row();
                    for i in 0..c.periods.len() {
                        ui.label(&c.periods[i].label).on_hover_text(c.words(i));
                        ui.label(faultline_core::text::thousands(
                            c.sides[0].values[i] as usize,
                        ));
                        ui.label(faultline_core::text::thousands(
                            c.sides[1].values[i] as usize,
                        ));
                        ui.label(signed(c.difference(i)));
                        ui.end_row();
                    }
                });
        });
}

/// "+3", "-3" or "0".
fn signed(difference: i64) -> String {
    match difference {
        0 => "0".into(),
        d if d > 0 => format!("+{}", faultline_core::text::thousands(d as usize)),
        d => format!(
            "-{}",
            faultline_core::text::thousands(d.unsigned_abs() as usize)
        ),
    }
}
