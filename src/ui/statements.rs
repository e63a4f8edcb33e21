//! Who said what: the statements of the selected actor (or of everyone), each with its
//! verbatim quote and its source.

use std::any::Any;

use egui::{RichText, Ui};

use super::panel::{Panel, PanelContext, Slot};
use crate::app::{Action, AppState, CentralTab, Selection};
use faultline_core::model::Statement;
use faultline_core::store::Store;

/// The statements list.
pub struct Statements;

/// The panel's id (the key of "panels shown").
pub const PANEL_ID: &str = "statements";

impl Panel for Statements {
    fn id(&self) -> &'static str {
        PANEL_ID
    }
    fn title(&self) -> &'static str {
        "Statements"
    }
    fn slot(&self) -> Slot {
        Slot::Side(CentralTab::Actors)
    }
    fn ui(&mut self, ui: &mut Ui, cx: &PanelContext, _actions: &mut Vec<Action>) {
        statements(ui, cx.state);
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Who said what: the selected actor's statements, or everyone's.
fn statements(ui: &mut Ui, state: &AppState) {
    let store = state.dataset.store();
    let speaker = match state.selection {
        Selection::Actor(a) => store.actors().get(a as usize).map(|a| a.id.as_str()),
        _ => None,
    };
    let list: Vec<_> = store
        .meta
        .statements
        .iter()
        .filter(|s| speaker.is_none_or(|id| s.speaker == id))
        .collect();
    ui.label(
        RichText::new(match speaker {
            Some(_) => format!("Statements of the selected actor ({})", list.len()),
            None => format!("Statements ({})", list.len()),
        })
        .strong(),
    );
    if list.is_empty() {
        ui.weak("No statements.");
    }
    egui::ScrollArea::vertical()
        .id_salt("statements")
        .show(ui, |ui| {
            for s in list {
                let who = store
                    .actor_index(&s.speaker)
                    .map_or(s.speaker.as_str(), |i| store.actor_name(i));
                let when = s.date.map_or_else(|| "undated".to_string(), |d| d.label());
                ui.group(|ui| {
                    ui.horizontal_wrapped(|ui| {
                        ui.strong(who);
                        ui.weak(format!("· {when}"));
                        if let Some(t) = &s.topic {
                            ui.weak(format!("· {t}"));
                        }
                    });
                    statement_words(ui, store, s);
                });
            }
        });
}

/// What was said: the speaker's own words in quotation marks with the publication that
/// quotes them; or, when the source only tells what was said, the source's account as the
/// source's words, never in quotation marks under the speaker's name.
pub fn statement_words(ui: &mut Ui, store: &Store, statement: &Statement) {
    let publisher = |id: &str| {
        store
            .meta
            .sources
            .iter()
            .find(|x| x.id == id)
            .map_or(id.to_string(), |x| x.publisher.clone())
    };
    match &statement.quote {
        Some(quote) => {
            ui.label(RichText::new(format!("“{quote}”")).italics());
            for r in &statement.sources {
                ui.weak(format!("— {}", publisher(&r.source)));
            }
        }
        None => {
            for r in &statement.sources {
                ui.weak(format!(
                    "In the words of {}, not the speaker's:",
                    publisher(&r.source)
                ));
                ui.label(&r.quote);
            }
        }
    }
}
