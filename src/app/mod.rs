//! The app's state layer: what the views read ([`AppState`]), what they ask for ([`Action`]),
//! the one place state changes ([`apply`], which returns [`Effect`]s instead of doing I/O),
//! the [`Runtime`] that carries effects out, and the one background [`Job`] type behind
//! loads, exports and queries. No egui here: the shell and the panels are in `crate::ui`.

pub mod action;
pub mod dataset;
pub mod dialogs;
pub mod export_job;
pub mod job;
pub mod layer;
pub mod loader;
pub mod query_worker;
pub mod runtime;
pub mod state;

pub use action::{apply, finish_load, poll_export, poll_load, Action, Effect, PlaybackAction};
pub use dataset::LoadedDataset;
pub use export_job::ExportSettings;
pub use job::{Job, JobFailure, Waker};
pub use layer::AnalystLayer;
pub use runtime::Runtime;
pub use state::{
    AppState, CentralTab, GraphSettings, MapSettings, MappingDraft, Message, PanelsShown,
    PlaybackState, Selection, Settings, ThemeChoice,
};
