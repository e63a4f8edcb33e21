//! The column-mapping window: a table Faultline does not know opens here. It shows the
//! table's first rows and, for each field, which column holds it (a first guess from the
//! column names to start from); "Import" reads the table with that map, which is remembered
//! for files with the same header.

use std::any::Any;

use egui::{Context, RichText, Ui};
use egui_extras::{Column, TableBuilder};

use super::panel::{Panel, PanelContext, Slot};
use crate::app::{Action, AppState, MappingDraft};
use faultline_core::io::table::FIELDS;

/// The column-mapping window.
pub struct ColumnMapWindow;

impl Panel for ColumnMapWindow {
    fn id(&self) -> &'static str {
        "column-map"
    }
    fn title(&self) -> &'static str {
        "Column map"
    }
    fn slot(&self) -> Slot {
        Slot::Window
    }
    fn ui(&mut self, ui: &mut Ui, cx: &PanelContext, actions: &mut Vec<Action>) {
        show(ui.ctx(), cx.state, actions);
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// What "—" (no column) stands for in the field choices.
const NONE: &str = "—";

fn show(ctx: &Context, state: &AppState, actions: &mut Vec<Action>) {
    let Some(draft) = &state.mapping else {
        return;
    };
    let mut edited = draft.clone();
    let mut open = true;
    egui::Window::new("Read a table of events")
        .open(&mut open)
        .default_width(720.0)
        .pivot(egui::Align2::CENTER_TOP)
        .default_pos(ctx.content_rect().center_top() + egui::vec2(0.0, 70.0))
        .show(ctx, |ui| {
            ui.label(format!(
                "{} is not a format Faultline knows. Say which column holds what: a date, and an actor, a type or a place.",
                draft.path.display()
            ));
            ui.add_space(6.0);
            fields(ui, &mut edited);
            ui.add_space(6.0);
            preview(ui, draft);
            ui.separator();
            buttons(ui, &edited, actions);
        });
    if !open {
        actions.push(Action::SetMapping(None));
    } else if edited != *draft {
        actions.push(Action::SetMapping(Some(Box::new(edited))));
    }
}

/// One choice of column per field.
fn fields(ui: &mut Ui, draft: &mut MappingDraft) {
    egui::Grid::new("column-map-fields")
        .num_columns(4)
        .spacing([10.0, 6.0])
        .show(ui, |ui| {
            for (k, (field, _, meaning)) in FIELDS.iter().enumerate() {
                let label = ui.label(*meaning);
                let chosen = draft.map.columns.get(*field).cloned();
                let shown = chosen.clone().unwrap_or_else(|| NONE.to_string());
                egui::ComboBox::from_id_salt(("column-for", *field))
                    .selected_text(&shown)
                    .width(170.0)
                    .show_ui(ui, |ui| {
                        if ui.selectable_label(chosen.is_none(), NONE).clicked() {
                            draft.map.columns.remove(*field);
                        }
                        for column in &draft.columns {
                            let on = chosen.as_deref() == Some(column.as_str());
                            if ui.selectable_label(on, column).clicked() {
                                draft.map.columns.insert(field.to_string(), column.clone());
                            }
                        }
                    })
                    .response
                    .labelled_by(label.id);
                if k % 2 == 1 {
                    ui.end_row();
                }
            }
        });
}

/// The table's first rows.
fn preview(ui: &mut Ui, draft: &MappingDraft) {
    ui.label(RichText::new("The first rows").strong());
    egui::ScrollArea::horizontal()
        .id_salt("column-map-preview")
        .show(ui, |ui| {
            TableBuilder::new(ui)
                .id_salt("column-map-preview-table")
                .striped(true)
                .columns(
                    Column::auto().at_least(60.0).clip(true),
                    draft.columns.len(),
                )
                .header(20.0, |mut header| {
                    for c in &draft.columns {
                        header.col(|ui| {
                            ui.strong(c);
                        });
                    }
                })
                .body(|mut body| {
                    for row in &draft.preview {
                        body.row(18.0, |mut r| {
                            for k in 0..draft.columns.len() {
                                r.col(|ui| {
                                    ui.label(row.get(k).map(String::as_str).unwrap_or(""));
                                });
                            }
                        });
                    }
                });
        });
}

/// "Import" (when the map is enough) and "Cancel".
fn buttons(ui: &mut Ui, draft: &MappingDraft, actions: &mut Vec<Action>) {
    let check = draft.map.check();
    ui.horizontal(|ui| {
        let import = ui.add_enabled(
            check.is_ok(),
            egui::Button::new(RichText::new("Import").strong()),
        );
        if import.clicked() {
            actions.push(Action::OpenWithMap(draft.path.clone(), draft.map.clone()));
        }
        if ui.button("Cancel").clicked() {
            actions.push(Action::SetMapping(None));
        }
        match check {
            Ok(()) => ui.weak(format!("--map \"{}\"", draft.map.describe())),
            Err(why) => ui.colored_label(ui.visuals().warn_fg_color, why),
        };
    });
}
