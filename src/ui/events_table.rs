//! The event list: virtualised (only visible rows are laid out, so a million rows scroll
//! smoothly), sortable by clicking a header, selectable by click or arrow keys.

use std::any::Any;

use egui::{Key, Ui};
use egui_extras::{Column, TableBuilder};

use super::panel::{Panel, PanelContext, Slot};
use crate::app::{Action, AppState, CentralTab, Selection};
use faultline_core::model::Field;
use faultline_core::query::{Sort, SortColumn};
use faultline_core::store::EventView;

const COLUMNS: [(&str, SortColumn); 7] = [
    ("Date", SortColumn::Date),
    ("Type", SortColumn::Type),
    ("Actor 1", SortColumn::Actor1),
    ("Actor 2", SortColumn::Actor2),
    ("Location", SortColumn::Location),
    ("Deaths", SortColumn::Fatalities),
    ("Source", SortColumn::Source),
];

fn location(event: &EventView) -> String {
    match (event.place(), event.country()) {
        (Some(p), Some(c)) if p != c => format!("{p}, {c}"),
        (Some(p), _) => p.to_string(),
        (None, Some(c)) => c.to_string(),
        (None, None) => String::new(),
    }
}

fn event_type(event: &EventView) -> String {
    match event.sub_event_type() {
        Some(sub) => format!("{} / {sub}", event.event_type()),
        None => event.event_type().to_string(),
    }
}

/// A small painted triangle: up for ascending, down for descending (the bundled fonts have
/// no arrow glyphs).
fn sort_marker(ui: &mut Ui, descending: bool) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
    let c = rect.center();
    let (tip, base) = if descending { (4.0, -4.0) } else { (-4.0, 4.0) };
    let points = vec![
        egui::pos2(c.x, c.y + tip),
        egui::pos2(c.x - 4.0, c.y + base),
        egui::pos2(c.x + 4.0, c.y + base),
    ];
    let colour = ui.visuals().strong_text_color();
    ui.painter().add(egui::Shape::convex_polygon(
        points,
        colour,
        egui::Stroke::NONE,
    ));
}

/// The event list, with its export button. It remembers the selection it last showed, so an
/// event selected elsewhere (on the map, in the timeline's answer window) is scrolled to.
#[derive(Default)]
pub struct EventList {
    shown_selection: Option<u32>,
}

impl Panel for EventList {
    fn id(&self) -> &'static str {
        "events"
    }
    fn title(&self) -> &'static str {
        "Event list"
    }
    fn slot(&self) -> Slot {
        Slot::Main(CentralTab::Events)
    }
    fn ui(&mut self, ui: &mut Ui, cx: &PanelContext, actions: &mut Vec<Action>) {
        toolbar(ui, actions);
        let selected = match cx.state.selection {
            Selection::Event(e) => Some(e),
            _ => None,
        };
        let newly_selected = (selected != self.shown_selection)
            .then_some(selected)
            .flatten();
        self.shown_selection = selected;
        show(ui, cx.state, newly_selected, actions);
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// "Export events…" above the list.
fn toolbar(ui: &mut Ui, actions: &mut Vec<Action>) {
    ui.horizontal(|ui| {
        if ui
            .button("Export events…")
            .on_hover_text("The filtered event list as CSV or Faultline JSON")
            .clicked()
        {
            actions.push(Action::Export(
                faultline_core::export::ExportKind::EVENTS_CSV,
            ));
        }
    });
}

/// Up and down move the selection through the list (unless a text field has the keyboard);
/// returns the row to scroll to.
fn arrow_keys(
    ui: &Ui,
    rows: &[u32],
    selected: Option<u32>,
    actions: &mut Vec<Action>,
) -> Option<usize> {
    if ui.ctx().egui_wants_keyboard_input() || rows.is_empty() {
        return None;
    }
    let (down, up) = ui.input(|i| (i.key_pressed(Key::ArrowDown), i.key_pressed(Key::ArrowUp)));
    if !(down || up) {
        return None;
    }
    let at = selected.and_then(|s| rows.iter().position(|&r| r == s));
    let next = match (at, down) {
        (None, _) => 0,
        (Some(i), true) => (i + 1).min(rows.len() - 1),
        (Some(i), false) => i.saturating_sub(1),
    };
    actions.push(Action::SelectEvent(Some(rows[next])));
    Some(next)
}

/// Draws the event list, scrolled to `newly_selected` when an event was just selected.
/// The list's columns, sized to fit beside both side panels on a laptop screen (every column
/// can be widened); a File column last when the view holds several files.
fn table_of_columns(ui: &mut Ui, several_files: bool) -> TableBuilder<'_> {
    let mut table = TableBuilder::new(ui)
        .id_salt("events")
        .striped(true)
        .resizable(true)
        .sense(egui::Sense::click())
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(Column::initial(90.0).at_least(60.0))
        .column(Column::initial(170.0).at_least(60.0).clip(true))
        .column(Column::initial(140.0).at_least(60.0).clip(true))
        .column(Column::initial(130.0).at_least(60.0).clip(true))
        .column(Column::initial(130.0).at_least(60.0).clip(true))
        .column(Column::initial(52.0).at_least(40.0))
        .column(Column::remainder().at_least(50.0).clip(true));
    if several_files {
        table = table.column(Column::initial(120.0).at_least(50.0).clip(true));
    }
    table.min_scrolled_height(0.0)
}

fn show(ui: &mut Ui, state: &AppState, newly_selected: Option<u32>, actions: &mut Vec<Action>) {
    let store = state.dataset.store();
    let rows = state
        .dataset
        .engine
        .sorted_rows(&state.shown.filter, state.shown.sort);
    let selected = match state.selection {
        Selection::Event(e) => Some(e),
        _ => None,
    };

    let scroll_to = arrow_keys(ui, &rows, selected, actions)
        .or_else(|| newly_selected.and_then(|s| rows.iter().position(|&r| r == s)));

    // Text in rows is not selectable, so a click anywhere on a row selects the row.
    ui.style_mut().interaction.selectable_labels = false;
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    // With several files, a column says which one each event came from.
    let several_files = store.files.len() > 1;
    let mut table = table_of_columns(ui, several_files);
    if let Some(i) = scroll_to {
        table = table.scroll_to_row(i, None);
    }
    table
        .header(row_height + 2.0, |mut header| {
            for (name, column) in COLUMNS {
                let (_, cell) = header.col(|ui| {
                    ui.strong(name);
                    if state.sort.column == column {
                        sort_marker(ui, state.sort.descending);
                    }
                });
                if cell
                    .on_hover_text(format!("Sort by {}", name.to_lowercase()))
                    .clicked()
                {
                    let descending = state.sort.column == column && !state.sort.descending;
                    actions.push(Action::SetSort(Sort { column, descending }));
                }
            }
            if several_files {
                header.col(|ui| {
                    ui.strong("File");
                });
            }
        })
        .body(|body| {
            body.rows(row_height, rows.len(), |mut row| {
                let r = rows[row.index()];
                let event = store.row(r as usize);
                // A value the analyst corrected is in italics, the file's value on hover.
                let cell = |ui: &mut Ui, text: String, fields: &[Field]| {
                    let replaced = state.dataset.corrected(event.id(), fields);
                    match replaced.map(|c| c.replaced.as_str()) {
                        Some(replaced) => ui
                            .label(egui::RichText::new(text).italics())
                            .on_hover_text(match replaced {
                                "" => "Corrected; the file gives none".to_string(),
                                _ => format!("Corrected; the file says {replaced}"),
                            }),
                        None => ui.label(text),
                    };
                };
                row.set_selected(selected == Some(r));
                row.col(|ui| cell(ui, event.date().label(), &[Field::Date]));
                row.col(|ui| {
                    let fields = [Field::EventType, Field::SubEventType];
                    cell(ui, event_type(&event), &fields);
                });
                for (actor, field) in [
                    (event.actor1(), Field::Actor1),
                    (event.actor2(), Field::Actor2),
                ] {
                    row.col(|ui| {
                        let name = actor.map(|a| store.actor_name(a).to_string());
                        cell(ui, name.unwrap_or_default(), &[field]);
                    });
                }
                row.col(|ui| {
                    let fields = [Field::Place, Field::Admin1, Field::Country];
                    cell(ui, location(&event), &fields);
                });
                row.col(|ui| {
                    let deaths = event.fatalities().map(|d| d.to_string());
                    cell(ui, deaths.unwrap_or_default(), &[Field::Fatalities]);
                });
                row.col(|ui| {
                    ui.label(event.source().unwrap_or_default());
                });
                if several_files {
                    row.col(|ui| {
                        ui.label(event.file().map_or("", |f| f.name.as_str()));
                    });
                }
                if row.response().clicked() {
                    actions.push(Action::SelectEvent(Some(r)));
                }
            });
        });
}
