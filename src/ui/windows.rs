//! Floating windows: messages (failed loads, row problems), About.

use std::any::Any;

use egui::{Context, RichText, Ui};

use super::menu::SHORTCUTS;
use super::panel::{Panel, PanelContext, Slot};
use crate::app::{Action, AppState};

/// Declares a panel that is a floating window drawn by `draw(ctx, state, actions)`.
macro_rules! window_panel {
    ($(#[$doc:meta])* $name:ident, $id:literal, $title:literal, $draw:path) => {
        $(#[$doc])*
        pub struct $name;

        impl Panel for $name {
            fn id(&self) -> &'static str {
                $id
            }
            fn title(&self) -> &'static str {
                $title
            }
            fn slot(&self) -> Slot {
                Slot::Window
            }
            fn ui(&mut self, ui: &mut Ui, cx: &PanelContext, actions: &mut Vec<Action>) {
                $draw(ui.ctx(), cx.state, actions);
            }
            fn as_any(&self) -> &dyn Any {
                self
            }
        }
    };
}

pub(crate) use window_panel;

window_panel!(
    /// The messages: failed loads, skipped rows, finished exports.
    Messages,
    "messages",
    "Messages",
    messages
);
window_panel!(
    /// The row problems of the open dataset (File → Row problems…).
    RowProblems,
    "row-problems",
    "Row problems",
    problems
);
window_panel!(
    /// The About window.
    About,
    "about",
    "About",
    about
);

/// Messages, each dismissible.
pub fn messages(ctx: &Context, state: &AppState, actions: &mut Vec<Action>) {
    for (i, m) in state.messages.iter().enumerate() {
        egui::Window::new(if m.is_error { "Problem" } else { "Note" })
            .id(egui::Id::unique(("faultline-message", i)))
            .collapsible(false)
            .resizable(true)
            .default_width(520.0)
            .anchor(egui::Align2::CENTER_TOP, [0.0, 60.0 + 30.0 * i as f32])
            .show(ctx, |ui| {
                let title = RichText::new(&m.title).strong();
                ui.label(if m.is_error {
                    title.color(ui.visuals().error_fg_color)
                } else {
                    title
                });
                egui::ScrollArea::vertical()
                    .max_height(240.0)
                    .show(ui, |ui| {
                        for line in &m.details {
                            ui.monospace(line);
                        }
                    });
                if ui.button("Dismiss").clicked() {
                    actions.push(Action::DismissMessage(i));
                }
            });
    }
}

/// The row problems of the open dataset.
fn problems(ctx: &Context, state: &AppState, actions: &mut Vec<Action>) {
    if !state.show_problems {
        return;
    }
    let mut open = true;
    let name = state
        .dataset
        .path
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    egui::Window::new("Row problems")
        .open(&mut open)
        .default_width(640.0)
        .show(ctx, |ui| {
            ui.label(format!(
                "{} rows of {name} were skipped; the first {} are listed.",
                state.dataset.skipped,
                state.dataset.problems.len()
            ));
            egui::ScrollArea::vertical().show(ui, |ui| {
                for p in &state.dataset.problems {
                    ui.monospace(p.display_in(std::path::Path::new(&name)));
                }
            });
        });
    if !open {
        actions.push(Action::ShowProblems(false));
    }
}

/// The About window: what Faultline is, where the data comes from, the shortcuts.
fn about(ctx: &Context, state: &AppState, actions: &mut Vec<Action>) {
    if !state.show_about {
        return;
    }
    let mut open = true;
    egui::Window::new("About Faultline")
        .open(&mut open)
        .default_width(480.0)
        .show(ctx, |ui| {
            ui.label(format!("Faultline {}", env!("CARGO_PKG_VERSION")));
            ui.label("Read armed-conflict event datasets through linked views. Faultline opens no network connection.");
            ui.separator();
            ui.label(RichText::new("Data").strong());
            ui.label("The embedded dataset is built by hand from a Shafaq News article of 21 November 2024; every record quotes the sentence it rests on. Monthly drone-launch figures are as reported by Maariv.");
            ui.label("ACLED data: Armed Conflict Location & Event Data Project, subject to ACLED's terms of use. UCDP GED: Uppsala Conflict Data Program, CC BY 4.0. GDELT: the GDELT Project.");
            let store = state.dataset.store();
            ui.label(format!("Open now: {}", store.meta.title));
            ui.separator();
            ui.label(RichText::new("Keyboard shortcuts").strong());
            egui::Grid::new("shortcuts").show(ui, |ui| {
                for (keys, what) in SHORTCUTS {
                    ui.monospace(keys);
                    ui.label(what);
                    ui.end_row();
                }
            });
        });
    if !open {
        actions.push(Action::ShowAbout(false));
    }
}
