//! The GUI: the shell ([`shell::FaultlineApp`]) and one module per panel. Every panel
//! implements [`panel::Panel`]: it reads a [`panel::PanelContext`] and pushes
//! [`crate::app::Action`]s; none does I/O or walks every event per frame (they ask the query
//! engine, which caches, and heavy answers are prepared off the UI thread).

pub mod actor_graph;
pub mod actor_list;
pub mod add_event_window;
pub mod column_map_window;
pub mod command_palette;
pub mod compare;
mod corrections;
pub mod details;
pub mod events_table;
pub mod explanation;
pub mod export_window;
pub mod filters;
mod graph_canvas;
pub mod layer_window;
pub mod map;
pub mod menu;
pub mod palette;
pub mod panel;
pub mod reported;
pub mod shell;
pub mod statements;
pub mod status_bar;
pub mod timeline;
pub mod windows;

pub use panel::{Panel, PanelContext, Slot};
pub use shell::{mark_launch, run, FaultlineApp};

/// Every panel of the app, in the order the shell draws each slot's panels. Adding a panel is
/// one module and one line here.
pub fn registry() -> Vec<Box<dyn Panel>> {
    vec![
        Box::new(menu::MenuBar),
        Box::new(status_bar::StatusBar),
        Box::new(filters::FiltersPanel),
        Box::new(details::DetailsPanel::default()),
        Box::new(reported::ReportedPanel::default()),
        Box::new(timeline::TimelinePanel::default()),
        Box::new(map::MapPanel::default()),
        Box::new(compare::ComparePanel::default()),
        Box::new(events_table::EventList::default()),
        Box::new(actor_graph::ActorGraphPanel::default()),
        Box::new(actor_list::ActorList::default()),
        Box::new(statements::Statements),
        Box::new(windows::Messages),
        Box::new(windows::RowProblems),
        Box::new(windows::About),
        Box::new(layer_window::LayerWindow::default()),
        Box::new(add_event_window::AddEventWindow::default()),
        Box::new(explanation::ExplanationWindow),
        Box::new(export_window::ExportWindow::default()),
        Box::new(column_map_window::ColumnMapWindow),
        Box::new(command_palette::CommandPalette::default()),
    ]
}
