//! Edit → Add an event…: an event the analyst read of, with the source that says so and its
//! words (required), added to their own records (saved with the workspace, undoable).

use std::any::Any;

use egui::{RichText, Ui};

use super::panel::{Panel, PanelContext, Slot};
use crate::app::layer::NewEvent;
use crate::app::Action;
use faultline_core::model::DateSpan;

/// The form, as it is being filled.
#[derive(Default)]
pub struct AddEventWindow {
    fields: [String; 14],
    problem: Option<String>,
}

/// The form's fields: label, hint.
const FIELDS: [(&str, &str); 14] = [
    ("Event date", "2024-10-04, 2024-10, 2024 or START/END"),
    ("Event type", "Explosions/Remote violence"),
    ("First actor", "name"),
    ("Second actor", "name"),
    ("Place", "town or site"),
    ("Country", ""),
    ("Latitude", "degrees north"),
    ("Longitude", "degrees east"),
    ("Deaths reported", "a number"),
    ("What happened", "in your words"),
    ("Source publisher", "Shafaq News"),
    ("Source title", "headline"),
    ("Source address", "https://… (optional)"),
    ("Source's words", "the sentence that says it happened"),
];

impl Panel for AddEventWindow {
    fn id(&self) -> &'static str {
        "add-event"
    }
    fn title(&self) -> &'static str {
        "Add an event"
    }
    fn slot(&self) -> Slot {
        Slot::Window
    }
    fn ui(&mut self, ui: &mut Ui, cx: &PanelContext, actions: &mut Vec<Action>) {
        if !cx.state.show_add_event {
            return;
        }
        let mut open = true;
        egui::Window::new("Add an event")
            .open(&mut open)
            .default_width(420.0)
            .show(ui.ctx(), |ui| self.contents(ui, actions));
        if !open {
            actions.push(Action::ShowAddEvent(false));
        }
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl AddEventWindow {
    fn contents(&mut self, ui: &mut Ui, actions: &mut Vec<Action>) {
        ui.label(
            RichText::new(
                "Every event you add names its source and quotes its words; it is kept in \
                 your workspace, never in the data files.",
            )
            .weak(),
        );
        egui::Grid::new("add-event").num_columns(2).show(ui, |ui| {
            for ((label, hint), value) in FIELDS.iter().zip(&mut self.fields) {
                let label = ui.label(*label);
                ui.add(egui::TextEdit::singleline(value).hint_text(*hint))
                    .labelled_by(label.id);
                ui.end_row();
            }
        });
        if ui.button("Add event").clicked() {
            match self.event() {
                Ok(new) => match new.problem() {
                    Some(problem) => self.problem = Some(problem.to_string()),
                    None => {
                        actions.push(Action::AddEvent(Box::new(new)));
                        self.fields = Default::default();
                        self.problem = None;
                    }
                },
                Err(problem) => self.problem = Some(problem),
            }
        }
        if let Some(problem) = &self.problem {
            ui.colored_label(ui.visuals().error_fg_color, problem);
        }
    }

    /// The event the fields describe, or what cannot be read.
    fn event(&self) -> Result<NewEvent, String> {
        let f = &self.fields;
        let date = if f[0].trim().is_empty() {
            None
        } else {
            Some(f[0].parse::<DateSpan>().map_err(|e| e.to_string())?)
        };
        let number = |text: &str, what: &str, range: std::ops::RangeInclusive<f64>| {
            let text = text.trim();
            if text.is_empty() {
                return Ok(None);
            }
            match text.parse::<f64>() {
                Ok(v) if range.contains(&v) => Ok(Some(v)),
                _ => Err(format!(
                    "{what} {text:?} is not a number from {} to {}",
                    range.start(),
                    range.end()
                )),
            }
        };
        let latitude = number(&f[6], "Latitude", -90.0..=90.0)?;
        let longitude = number(&f[7], "Longitude", -180.0..=180.0)?;
        let coordinates = match (latitude, longitude) {
            (Some(a), Some(b)) => Some((a, b)),
            (None, None) => None,
            _ => return Err("Give both the latitude and the longitude, or neither".into()),
        };
        let fatalities = match f[8].trim() {
            "" => None,
            text => Some(
                text.parse::<u32>()
                    .map_err(|_| format!("Deaths {text:?} is not a whole number"))?,
            ),
        };
        Ok(NewEvent {
            date,
            event_type: f[1].clone(),
            actors: [f[2].clone(), f[3].clone()],
            place: f[4].clone(),
            country: f[5].clone(),
            coordinates,
            fatalities,
            description: f[9].clone(),
            publisher: f[10].clone(),
            title: f[11].clone(),
            url: f[12].clone(),
            quote: f[13].clone(),
        })
    }
}
