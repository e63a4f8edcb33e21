//! "Why this number?": the window that answers for a number on screen — what it counts,
//! among which events, the rows behind it with their sources' own words, and a button that
//! shows exactly those rows in the event list; for a reported figure, who said it, who
//! counted it, and the quote.

use std::any::Any;

use egui::{Context, RichText, Ui};

use super::panel::{Panel, PanelContext, Slot};

use crate::app::{Action, AppState, CentralTab};
use faultline_core::query::explain::Explanation;
use faultline_core::store::Store;
use faultline_core::text::thousands;

/// How many rows the window lists (the button shows them all in the event list).
pub const ROWS_LISTED: usize = 50;

/// The words of a menu entry or a hover hint that asks for an answer.
pub const WHY: &str = "Why this number?";

super::windows::window_panel!(
    /// The answer to "why this number?".
    ExplanationWindow,
    "explanation",
    "Why this number?",
    show
);

/// How the user asked "why this number?" of a widget showing a number: by a right-click
/// (where), or by `?` while it has the keyboard focus.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Asked {
    /// A right-click at this point.
    Pointer(egui::Pos2),
    /// The `?` key.
    Key,
}

/// Whether (and how) this frame asks why `response`'s number is what it is.
pub fn asked(response: &egui::Response) -> Option<Asked> {
    if response.secondary_clicked() {
        let at = response.ctx.input(|i| i.pointer.interact_pos());
        return Some(at.map_or(Asked::Key, Asked::Pointer));
    }
    let key = response.has_focus()
        && response
            .ctx
            .input(|i| i.key_pressed(egui::Key::Questionmark));
    key.then_some(Asked::Key)
}

/// Draws the answer while there is one.
fn show(ctx: &Context, state: &AppState, actions: &mut Vec<Action>) {
    let Some(why) = &state.explanation else {
        return;
    };
    let mut open = true;
    egui::Window::new(WHY)
        .open(&mut open)
        .default_width(560.0)
        .pivot(egui::Align2::CENTER_TOP)
        .default_pos(ctx.content_rect().center_top() + egui::vec2(0.0, 90.0))
        .show(ctx, |ui| answer(ui, state.dataset.store(), why, actions));
    if !open {
        actions.push(Action::Explain(None));
    }
}

fn answer(ui: &mut Ui, store: &Store, why: &Explanation, actions: &mut Vec<Action>) {
    ui.heading(&why.number);
    ui.label(RichText::new(&why.what).strong());
    ui.weak(format!("Among {}.", why.among));
    if let Some(figure) = &why.figure {
        ui.separator();
        ui.label(format!("{} · {}", figure.figure, figure.period));
        ui.label(format!("Reported by {}", figure.reported_by));
        if let Some(counter) = &figure.counted_by {
            ui.label(format!("Counted by {counter}, as the reporter says"));
        }
        for (place, words) in &figure.quotes {
            ui.group(|ui| {
                ui.label(RichText::new(format!("“{words}”")).italics());
                ui.weak(format!("— {place}"));
            });
        }
        return;
    }
    ui.horizontal(|ui| {
        let n = why.rows.len();
        let label = format!(
            "Show {} in the event list",
            if n == 1 {
                "this event".to_string()
            } else {
                format!("these {} events", thousands(n))
            }
        );
        if ui.add_enabled(n > 0, egui::Button::new(label)).clicked() {
            actions.push(Action::SetFilter(Box::new(why.show.clone())));
            actions.push(Action::SetTab(CentralTab::Events));
        }
    });
    ui.separator();
    egui::ScrollArea::vertical()
        .max_height(420.0)
        .show(ui, |ui| rows(ui, store, &why.rows, actions));
}

/// The rows, each with its date, type, actors and place, and its first source's words.
fn rows(ui: &mut Ui, store: &Store, rows: &[u32], actions: &mut Vec<Action>) {
    for &r in rows.iter().take(ROWS_LISTED) {
        let e = store.row(r as usize);
        let actors: Vec<&str> = e.all_actors().map(|a| store.actor_name(a)).collect();
        let place = [e.place(), e.country()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
        ui.horizontal_wrapped(|ui| {
            if ui
                .link(format!("{} · {}", e.date().label(), e.event_type()))
                .on_hover_text("Select this event")
                .clicked()
            {
                actions.push(Action::SelectEvent(Some(r)));
            }
            ui.label(actors.join(" · "));
            if !place.is_empty() {
                ui.weak(place);
            }
        });
        let event = store.event(r as usize);
        if let Some(source) = event.sources.first() {
            let publisher = store
                .meta
                .sources
                .iter()
                .find(|s| s.id == source.source)
                .map_or(source.source.as_str(), |s| s.publisher.as_str());
            ui.label(RichText::new(format!("“{}” — {publisher}", source.quote)).italics());
        } else if let Some(src) = e.source() {
            ui.weak(format!("Source: {src}"));
        }
        ui.add_space(4.0);
    }
    if rows.len() > ROWS_LISTED {
        ui.weak(format!(
            "and {} more: show them all in the event list",
            thousands(rows.len() - ROWS_LISTED)
        ));
    }
}
