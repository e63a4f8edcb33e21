//! The status bar: how many events the filters keep, what the filters are, load progress.

use std::any::Any;

use egui::Ui;

use super::panel::{Panel, PanelContext, Slot};
use crate::app::{Action, AppState};
use faultline_core::text::thousands;

/// The status bar.
pub struct StatusBar;

impl Panel for StatusBar {
    fn id(&self) -> &'static str {
        "status"
    }
    fn title(&self) -> &'static str {
        "Status bar"
    }
    fn slot(&self) -> Slot {
        Slot::StatusBar
    }
    fn ui(&mut self, ui: &mut Ui, cx: &PanelContext, actions: &mut Vec<Action>) {
        show(ui, cx.state, actions);
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Draws the status bar.
fn show(ui: &mut Ui, state: &AppState, actions: &mut Vec<Action>) {
    ui.horizontal(|ui| {
        let store = state.dataset.store();
        let filter = &state.shown.filter;
        let shown = state.dataset.engine.rows(filter).len();
        let mut text = format!("{} of {} events", thousands(shown), thousands(store.len()));
        if !filter.is_empty() {
            text.push_str(&format!(" · filters: {}", filter.describe(store)));
        }
        if state.dataset.skipped > 0 {
            text.push_str(&format!(
                " · {} rows skipped on import",
                thousands(state.dataset.skipped)
            ));
        }
        ui.label(text);
        if state.is_updating() {
            ui.spinner();
            ui.weak("updating…");
        }
        if let Some(job) = &state.exporting {
            ui.separator();
            ui.spinner();
            ui.label(format!("Exporting {}", job.path.display()));
        }
        if let Some(loading) = &state.loading {
            ui.separator();
            ui.label(format!("Loading {}", loading.path.display()));
            ui.add(
                egui::ProgressBar::new(loading.fraction())
                    .desired_width(160.0)
                    .show_percentage(),
            );
            if ui.button("Cancel").clicked() {
                actions.push(Action::CancelLoad);
            }
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(100));
        }
    });
}
