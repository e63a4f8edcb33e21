//! The analyst's layer window (Edit → Annotations and changes…): annotate a date of the
//! timeline, see and remove the annotations, and the list of changes with Undo and Redo.

use std::any::Any;

use egui::{RichText, Ui};

use super::panel::{Panel, PanelContext, Slot};
use crate::app::{Action, AppState};
use faultline_core::model::DateSpan;

/// The window, with the annotation being written.
#[derive(Default)]
pub struct LayerWindow {
    date: String,
    text: String,
    problem: Option<String>,
}

impl Panel for LayerWindow {
    fn id(&self) -> &'static str {
        "layer"
    }
    fn title(&self) -> &'static str {
        "Annotations and changes"
    }
    fn slot(&self) -> Slot {
        Slot::Window
    }
    fn ui(&mut self, ui: &mut Ui, cx: &PanelContext, actions: &mut Vec<Action>) {
        if !cx.state.show_changes {
            return;
        }
        let mut open = true;
        egui::Window::new("Annotations and changes")
            .open(&mut open)
            .default_width(420.0)
            .show(ui.ctx(), |ui| self.contents(ui, cx.state, actions));
        if !open {
            actions.push(Action::ShowChanges(false));
        }
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl LayerWindow {
    fn contents(&mut self, ui: &mut Ui, state: &AppState, actions: &mut Vec<Action>) {
        ui.label(RichText::new("Annotate the timeline").strong());
        egui::Grid::new("annotate").num_columns(2).show(ui, |ui| {
            let label = ui.label("Annotation date");
            ui.add(
                egui::TextEdit::singleline(&mut self.date)
                    .hint_text("2024-10-04, 2024-10, 2024 or 2024-10-01/2024-10-15"),
            )
            .labelled_by(label.id);
            ui.end_row();
            let label = ui.label("Annotation text");
            ui.add(egui::TextEdit::singleline(&mut self.text).hint_text("Talks in Jeddah"))
                .labelled_by(label.id);
            ui.end_row();
        });
        if ui.button("Add annotation").clicked() {
            match (self.date.parse::<DateSpan>(), self.text.trim()) {
                (Err(e), _) => self.problem = Some(e.to_string()),
                (Ok(_), "") => self.problem = Some("Write a few words for the annotation".into()),
                (Ok(date), text) => {
                    actions.push(Action::Annotate(date, text.to_string()));
                    self.text.clear();
                    self.problem = None;
                }
            }
        }
        if let Some(problem) = &self.problem {
            ui.colored_label(ui.visuals().error_fg_color, problem);
        }
        let annotations = &state.layer.workspace.annotations;
        if !annotations.is_empty() {
            ui.separator();
            for a in annotations {
                ui.horizontal(|ui| {
                    ui.label(format!("{} · {}", a.date.label(), a.text));
                    if ui
                        .small_button("Remove")
                        .on_hover_text("Remove this annotation (Undo brings it back)")
                        .clicked()
                    {
                        actions.push(Action::RemoveAnnotation(a.id.clone()));
                    }
                });
            }
        }
        ui.separator();
        changes(ui, state, actions);
    }
}

/// The changes made, newest last, and the ones undone; Undo and Redo.
fn changes(ui: &mut Ui, state: &AppState, actions: &mut Vec<Action>) {
    let layer = &state.layer;
    ui.label(RichText::new("Changes").strong());
    ui.horizontal(|ui| {
        if ui
            .add_enabled(!layer.changes().is_empty(), egui::Button::new("Undo"))
            .on_hover_text("Ctrl+Z")
            .clicked()
        {
            actions.push(Action::Undo);
        }
        if ui
            .add_enabled(!layer.undone().is_empty(), egui::Button::new("Redo"))
            .on_hover_text("Ctrl+Shift+Z")
            .clicked()
        {
            actions.push(Action::Redo);
        }
        let saved = match (&layer.path, layer.unsaved) {
            (Some(path), false) => format!("saved in {}", path.display()),
            (Some(path), true) => format!("not yet saved in {} (Ctrl+S)", path.display()),
            (None, _) => "not saved as a workspace yet (Ctrl+S)".to_string(),
        };
        ui.weak(saved);
    });
    if layer.changes().is_empty() && layer.undone().is_empty() {
        ui.weak("No changes yet.");
    }
    for what in layer.changes() {
        ui.label(what);
    }
    for what in layer.undone() {
        ui.weak(format!("undone: {what}"));
    }
}
