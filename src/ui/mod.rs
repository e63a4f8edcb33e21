//! The views: one module per panel. Each reads the [`crate::app::AppState`] and returns
//! [`crate::app::Action`]s; none does I/O or walks every event per frame (they ask the
//! query engine, which caches).

pub mod actor_graph;
pub mod actor_list;
pub mod details;
pub mod events_table;
pub mod export_window;
pub mod filters;
pub mod menu;
pub mod palette;
pub mod status_bar;
pub mod timeline;
pub mod windows;
