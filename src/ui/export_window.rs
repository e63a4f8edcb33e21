//! The Export window: which view, as what, with which title and size; then the native save
//! dialog. What it writes is what `faultline export` writes with the same choices.

use std::any::Any;

use egui::{Context, RichText, Ui};

use super::panel::{Panel, PanelContext, Slot};
use crate::app::{Action, AppState, ExportSettings};
use faultline_core::export::{
    brief, brief_request, raster, title_of, Chart, ExportKind, ExportRequest, FileFormat,
};

/// The Export window, with the brief's page list when it was asked for (and what for).
#[derive(Default)]
pub struct ExportWindow {
    pages: Option<(PreviewKey, Vec<String>)>,
}

/// What a page list was made for: the dataset, the filter, the title and the paper.
type PreviewKey = (u64, faultline_core::query::Filter, String, (u32, u32));

impl Panel for ExportWindow {
    fn id(&self) -> &'static str {
        "export"
    }
    fn title(&self) -> &'static str {
        "Export"
    }
    fn slot(&self) -> Slot {
        Slot::Window
    }
    fn ui(&mut self, ui: &mut Ui, cx: &PanelContext, actions: &mut Vec<Action>) {
        show(ui.ctx(), cx.state, &mut self.pages, actions);
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Draws the Export window while it is open (the status bar shows an export being written).
fn show(
    ctx: &Context,
    state: &AppState,
    pages: &mut Option<(PreviewKey, Vec<String>)>,
    actions: &mut Vec<Action>,
) {
    let Some(settings) = &state.export else {
        return;
    };
    let mut edited = settings.clone();
    let mut open = true;
    egui::Window::new("Export")
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .default_width(440.0)
        .pivot(egui::Align2::CENTER_TOP)
        .default_pos(ctx.content_rect().center_top() + egui::vec2(0.0, 90.0))
        .show(ctx, |ui| {
            form(ui, state, &mut edited, actions);
            if edited.kind.chart == Chart::Brief {
                page_list(ui, state, &edited, pages);
            }
        });
    if !open {
        actions.push(Action::SetExport(None));
    } else if edited != *settings {
        actions.push(Action::SetExport(Some(Box::new(edited))));
    }
}

fn form(
    ui: &mut egui::Ui,
    state: &AppState,
    settings: &mut ExportSettings,
    actions: &mut Vec<Action>,
) {
    egui::Grid::new("export-form")
        .num_columns(2)
        .spacing([12.0, 8.0])
        .show(ui, |ui| {
            what_and_as(ui, settings);
            if settings.kind.format.is_picture() {
                picture_fields(ui, state, settings);
            } else if settings.kind.chart == Chart::Brief {
                brief_fields(ui, state, settings);
            } else if settings.kind.format == FileFormat::Csv
                && matches!(settings.kind.chart, Chart::Timeline | Chart::Network)
            {
                ui.label("Ids");
                ui.checkbox(
                    &mut settings.with_ids,
                    "With the ids of the events behind each number",
                );
                ui.end_row();
            }
        });
    ui.add_space(4.0);
    ui.weak(format!(
        "Of: {}",
        state.shown.filter.describe(state.dataset.store())
    ));
    if settings.kind.format == FileFormat::Gif {
        let spec = settings.animation;
        ui.weak(format!(
            "One frame per {}{} of the events' time, each titled with its period; the steps are the playback's (above the timeline).",
            spec.step.name(),
            if spec.cumulative { ", everything up to it" } else { "" }
        ));
    } else if settings.kind.format.is_picture() {
        ui.weak("The picture carries the title, the filter, a legend, the axes and the source; reported figures are marked as reported.");
    }
    ui.separator();
    buttons(ui, state, settings, actions);
}

/// Which view, and as which kind of file.
fn what_and_as(ui: &mut egui::Ui, settings: &mut ExportSettings) {
    ui.label("What");
    ui.horizontal(|ui| {
        for chart in Chart::ALL {
            if ui
                .selectable_label(settings.kind.chart == chart, chart.label())
                .clicked()
                && settings.kind.chart != chart
            {
                *settings = ExportSettings {
                    title: std::mem::take(&mut settings.title),
                    ..ExportSettings::new(ExportKind::new(chart, chart.formats()[0]))
                };
            }
        }
    });
    ui.end_row();
    ui.label("As");
    ui.horizontal(|ui| {
        for &format in settings.kind.chart.formats() {
            ui.radio_value(&mut settings.kind.format, format, format.label());
        }
    });
    ui.end_row();
}

/// The brief's title and paper.
fn brief_fields(ui: &mut egui::Ui, state: &AppState, settings: &mut ExportSettings) {
    title_field(ui, state, settings);
    ui.label("Paper");
    ui.horizontal(|ui| {
        ui.radio_value(&mut settings.size, brief::A4, "A4");
        ui.radio_value(&mut settings.size, brief::LETTER, "US Letter");
    });
    ui.end_row();
}

/// The brief's pages and what starts on each, listed on request (making them draws every
/// chart of the brief).
fn page_list(
    ui: &mut egui::Ui,
    state: &AppState,
    settings: &ExportSettings,
    pages: &mut Option<(PreviewKey, Vec<String>)>,
) {
    let key: PreviewKey = (
        state.dataset.store().generation(),
        state.shown.filter.clone(),
        settings.title.clone(),
        settings.size,
    );
    let current = pages.as_ref().filter(|(k, _)| *k == key);
    match current {
        Some((_, list)) => {
            ui.label(format!("{} pages:", list.len()));
            for line in list {
                ui.weak(line);
            }
        }
        None => {
            if ui.button("List the pages").clicked() {
                let request = state.export_request(settings);
                let engine = &state.dataset.engine;
                let blocks = brief::brief_blocks(engine, &brief_request(engine, &request));
                let list = brief::brief_pages(&blocks, settings.size)
                    .iter()
                    .enumerate()
                    .map(|(i, p)| p.describe(i + 1))
                    .collect();
                *pages = Some((key, list));
            }
        }
    }
}

/// The title, with the default one as hint.
fn title_field(ui: &mut egui::Ui, state: &AppState, settings: &mut ExportSettings) {
    let title_label = ui.label("Title");
    let request = state.export_request(settings);
    let default_title = title_of(
        &state.dataset.engine,
        &ExportRequest {
            title: None,
            ..request
        },
    );
    ui.add(
        egui::TextEdit::singleline(&mut settings.title)
            .hint_text(default_title)
            .desired_width(300.0),
    )
    .labelled_by(title_label.id);
    ui.end_row();
}

/// A picture's title, size and (for PNG) resolution.
fn picture_fields(ui: &mut egui::Ui, state: &AppState, settings: &mut ExportSettings) {
    title_field(ui, state, settings);
    ui.label("Size");
    ui.horizontal(|ui| {
        let width = ui.label("width");
        ui.add(egui::DragValue::new(&mut settings.size.0).range(320..=16384))
            .labelled_by(width.id);
        let height = ui.label("height");
        ui.add(egui::DragValue::new(&mut settings.size.1).range(240..=16384))
            .labelled_by(height.id);
        ui.label("px");
    });
    ui.end_row();

    if settings.kind.format == FileFormat::Png {
        ui.label("Resolution");
        ui.horizontal(|ui| {
            for scale in raster::SCALES {
                ui.radio_value(&mut settings.scale, scale, format!("{scale}×"));
            }
            match raster::pixel_size(settings.size.0, settings.size.1, settings.scale) {
                Ok((w, h)) => ui.weak(format!("{w} × {h} pixels")),
                Err(e) => ui.colored_label(ui.visuals().error_fg_color, e.to_string()),
            };
        });
        ui.end_row();
    }
}

/// "Save…" (disabled while an export is written or when the picture is too large) and
/// "Cancel".
fn buttons(
    ui: &mut egui::Ui,
    state: &AppState,
    settings: &ExportSettings,
    actions: &mut Vec<Action>,
) {
    ui.horizontal(|ui| {
        let busy = state.exporting.is_some();
        let drawable = settings.kind.format != FileFormat::Png
            || raster::pixel_size(settings.size.0, settings.size.1, settings.scale).is_ok();
        if ui
            .add_enabled(
                !busy && drawable,
                egui::Button::new(RichText::new("Save…").strong()),
            )
            .clicked()
        {
            actions.push(Action::ExportDialog);
        }
        if ui.button("Cancel").clicked() {
            actions.push(Action::SetExport(None));
        }
        if let Some(job) = &state.exporting {
            ui.spinner();
            ui.label(format!("Writing {}", job.path.display()));
        }
    });
}
