//! The actor list: sortable, searchable, selecting in sync with the graph.

use std::any::Any;

use egui::Ui;
use egui_extras::{Column, TableBuilder};

use super::explanation::asked;
use super::panel::{Panel, PanelContext, Slot};
use crate::app::{Action, AppState, CentralTab, Selection};
use faultline_core::query::explain::Subject;
use faultline_core::text::thousands;

/// A column of the actor list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ActorColumn {
    Name,
    Kind,
    Events,
    Relations,
    Statements,
}

/// The list's own state: its search text and order.
pub struct ActorList {
    search: String,
    sort: ActorColumn,
    descending: bool,
    /// The rows in order, and what they were computed for (dataset generation, search,
    /// column, order).
    rows: Vec<usize>,
    rows_for: Option<(u64, String, ActorColumn, bool)>,
}

impl Default for ActorList {
    fn default() -> Self {
        ActorList {
            search: String::new(),
            sort: ActorColumn::Events,
            descending: true,
            rows: Vec::new(),
            rows_for: None,
        }
    }
}

/// The panel's id (the key of "panels shown").
pub const PANEL_ID: &str = "actors";

impl Panel for ActorList {
    fn id(&self) -> &'static str {
        PANEL_ID
    }
    fn title(&self) -> &'static str {
        "Actor list"
    }
    fn slot(&self) -> Slot {
        Slot::Side(CentralTab::Actors)
    }
    fn ui(&mut self, ui: &mut Ui, cx: &PanelContext, actions: &mut Vec<Action>) {
        self.show(ui, cx.state, actions);
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl ActorList {
    /// The actors listed in the last frame, in order (indices in the store).
    pub fn rows(&self) -> &[usize] {
        &self.rows
    }

    /// Draws the list.
    fn show(&mut self, ui: &mut Ui, state: &AppState, actions: &mut Vec<Action>) {
        ui.horizontal(|ui| {
            let label = ui.label("Actors");
            ui.add(
                egui::TextEdit::singleline(&mut self.search)
                    .hint_text("search names and aliases")
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        });
        let key = (
            state.dataset.store().generation(),
            self.search.clone(),
            self.sort,
            self.descending,
        );
        if self.rows_for.as_ref() != Some(&key) {
            self.rows = self.ordered_rows(state);
            self.rows_for = Some(key);
        }
        let rows = std::mem::take(&mut self.rows);
        self.table(ui, state, &rows, actions);
        self.rows = rows;
    }

    /// The actors matching the search, in the chosen order.
    fn ordered_rows(&self, state: &AppState) -> Vec<usize> {
        let store = state.dataset.store();
        let facets = &state.dataset.facets();
        let needle = self.search.trim().to_lowercase();
        let mut rows: Vec<usize> = (0..store.actors().len())
            .filter(|&i| {
                let a = &store.actors()[i];
                needle.is_empty()
                    || a.name.to_lowercase().contains(&needle)
                    || a.aliases.iter().any(|x| x.to_lowercase().contains(&needle))
            })
            .collect();
        let name = |i: usize| store.actors()[i].name.to_lowercase();
        match self.sort {
            ActorColumn::Name => rows.sort_by_cached_key(|&i| name(i)),
            ActorColumn::Kind => rows.sort_by_key(|&i| (store.actors()[i].kind.label(), name(i))),
            ActorColumn::Events => rows.sort_by_key(|&i| facets.events_of(i)),
            ActorColumn::Relations => rows.sort_by_key(|&i| facets.relations_of(i)),
            ActorColumn::Statements => rows.sort_by_key(|&i| facets.statements_of(i)),
        }
        if self.descending {
            rows.reverse();
        }
        rows
    }

    fn table(&mut self, ui: &mut Ui, state: &AppState, rows: &[usize], actions: &mut Vec<Action>) {
        let store = state.dataset.store();
        let facets = &state.dataset.facets();
        let selected = match state.selection {
            Selection::Actor(a) => Some(a as usize),
            _ => None,
        };
        ui.style_mut().interaction.selectable_labels = false;
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
        TableBuilder::new(ui)
            .id_salt("actor-list")
            .striped(true)
            .sense(egui::Sense::click())
            .column(Column::remainder().at_least(100.0).clip(true))
            .column(Column::initial(90.0).clip(true))
            .columns(Column::initial(48.0).clip(true), 3)
            .max_scroll_height(f32::INFINITY)
            .header(row_height, |mut header| {
                for (title, column) in [
                    ("Name", ActorColumn::Name),
                    ("Kind", ActorColumn::Kind),
                    ("Events", ActorColumn::Events),
                    ("Relations", ActorColumn::Relations),
                    ("Said", ActorColumn::Statements),
                ] {
                    let (_, cell) = header.col(|ui| {
                        ui.strong(title);
                    });
                    if cell
                        .on_hover_text(format!("Sort by {}", title.to_lowercase()))
                        .clicked()
                    {
                        self.descending = self.sort == column && !self.descending;
                        self.sort = column;
                    }
                }
            })
            .body(|body| {
                body.rows(row_height, rows.len(), |mut row| {
                    let i = rows[row.index()];
                    let a = &store.actors()[i];
                    row.set_selected(selected == Some(i));
                    row.col(|ui| {
                        ui.label(&a.name);
                    });
                    row.col(|ui| {
                        ui.label(a.kind.label());
                    });
                    row.col(|ui| {
                        let events = ui
                            .add(
                                egui::Label::new(thousands(facets.events_of(i)))
                                    .sense(egui::Sense::click()),
                            )
                            .on_hover_text("Right-click (or ?): why this number?");
                        if events.clicked() {
                            actions.push(Action::FocusActor(i as u32));
                        }
                        if asked(&events).is_some() {
                            let why = Subject::ActorEvents(i as u32);
                            actions.push(Action::Explain(Some(Box::new(why))));
                        }
                    });
                    for n in [facets.relations_of(i), facets.statements_of(i)] {
                        row.col(|ui| {
                            ui.label(thousands(n));
                        });
                    }
                    if row.response().clicked() {
                        actions.push(Action::FocusActor(i as u32));
                    }
                });
            });
    }
}
