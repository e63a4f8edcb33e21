//! The analyst's layer window (Edit → Annotations and changes…): annotate a date of the
//! timeline or a place of the map, see and remove the annotations, and the list of changes with Undo and Redo.

use std::any::Any;

use egui::{RichText, Ui};

use super::panel::{Panel, PanelContext, Slot};
use crate::app::{Action, AppState};
use faultline_core::model::{Annotation, DateSpan};

/// The window, with the annotation being written.
#[derive(Default)]
pub struct LayerWindow {
    date: String,
    place: String,
    text: String,
    problem: Option<String>,
    /// The place the map last asked to annotate (filled in once).
    asked_at: Option<[f64; 2]>,
}

/// "31.5, 34.45" (latitude, longitude, as people write them) as `[longitude, latitude]`;
/// empty is no place.
fn parse_place(text: &str) -> Result<Option<[f64; 2]>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let numbers: Vec<f64> = text
        .split([',', ' ', ';'])
        .filter(|t| !t.is_empty())
        .map(|t| t.parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("{text:?} is not a place: write latitude, longitude"))?;
    match numbers[..] {
        [lat, lon] if lat.abs() <= 90.0 && lon.abs() <= 180.0 => Ok(Some([lon, lat])),
        _ => Err(format!(
            "{text:?} is not a place: write latitude, longitude (within ±90 and ±180)"
        )),
    }
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
        if state.annotate_at != self.asked_at {
            self.asked_at = state.annotate_at;
            if let Some([lon, lat]) = state.annotate_at {
                self.place = format!("{lat:.4}, {lon:.4}");
            }
        }
        ui.label(RichText::new("Annotate the timeline or the map").strong());
        egui::Grid::new("annotate").num_columns(2).show(ui, |ui| {
            let label = ui.label("Annotation date");
            ui.add(
                egui::TextEdit::singleline(&mut self.date)
                    .hint_text("2024-10-04, 2024-10, 2024 or 2024-10-01/2024-10-15"),
            )
            .labelled_by(label.id);
            ui.end_row();
            let label = ui.label("Annotation place");
            ui.add(
                egui::TextEdit::singleline(&mut self.place)
                    .hint_text("latitude, longitude (optional; right-click the map)"),
            )
            .labelled_by(label.id);
            ui.end_row();
            let label = ui.label("Annotation text");
            ui.add(egui::TextEdit::singleline(&mut self.text).hint_text("Talks in Jeddah"))
                .labelled_by(label.id);
            ui.end_row();
        });
        if ui.button("Add annotation").clicked() {
            match self.annotation() {
                Ok(annotation) => {
                    actions.push(Action::Annotate(Box::new(annotation)));
                    self.text.clear();
                    self.problem = None;
                }
                Err(problem) => self.problem = Some(problem),
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
                    ui.label(format!("{} · {}", a.label(), a.text));
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

impl LayerWindow {
    /// The annotation the fields describe, or what is wrong with them.
    fn annotation(&self) -> Result<Annotation, String> {
        let date = match self.date.trim() {
            "" => None,
            text => Some(text.parse::<DateSpan>().map_err(|e| e.to_string())?),
        };
        let at = parse_place(&self.place)?;
        if date.is_none() && at.is_none() {
            return Err("Give the annotation a date, a place or both".into());
        }
        if self.text.trim().is_empty() {
            return Err("Write a few words for the annotation".into());
        }
        Ok(Annotation {
            id: String::new(),
            date,
            at,
            text: self.text.trim().to_string(),
        })
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
