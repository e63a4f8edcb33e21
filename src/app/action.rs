//! What the views ask for, and the one place where it happens.

use std::path::PathBuf;

use chrono::NaiveDate;

use super::dataset::LoadedDataset;
use super::export_job::{ExportSettings, Exporting};
use super::loader::{LoadOutcome, Loading};
use super::state::{AppState, Message, Selection, ThemeChoice, RECENT_LIMIT};
use faultline_core::export::ExportKind;
use faultline_core::io::problem::PROBLEMS_SHOWN;
use faultline_core::query::{BucketSize, Filter, GroupBy, Sort};

/// A request from a view.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Replace the filter.
    SetFilter(Box<Filter>),
    /// Narrow (or widen) the date range; `None` ends are open.
    SetDateRange(Option<NaiveDate>, Option<NaiveDate>),
    /// Clear the date range.
    ResetDates,
    /// Clear every filter.
    ClearFilters,
    /// Select an event (or nothing).
    SelectEvent(Option<u32>),
    /// Select an actor and show its events.
    FocusActor(u32),
    /// Select an actor without filtering.
    SelectActor(u32),
    /// Timeline bucket size.
    SetBucket(BucketSize),
    /// Timeline grouping.
    SetGroupBy(GroupBy),
    /// Event list order.
    SetSort(Sort),
    /// Open a file in the background.
    Open(PathBuf),
    /// Show the native open dialog.
    OpenDialog,
    /// Stop the load in progress.
    CancelLoad,
    /// Close the dataset and go back to the embedded one.
    CloseDataset,
    /// Dismiss message `i`.
    DismissMessage(usize),
    /// Show or hide the row problems of the open dataset.
    ShowProblems(bool),
    /// Show or hide the About window.
    ShowAbout(bool),
    /// Theme.
    SetTheme(ThemeChoice),
    /// Focus the search box.
    FocusSearch,
    /// Select a stated relation (its sources show in the details).
    SelectRelation(u32),
    /// Show the events or the actors in the centre.
    SetTab(super::state::CentralTab),
    /// Change what the actor graph shows.
    SetGraph(Box<super::state::GraphSettings>),
    /// Open the Export window, set to this view and format.
    Export(ExportKind),
    /// Change the Export window's choices, or close it (`None`).
    SetExport(Option<Box<ExportSettings>>),
    /// Ask where to save the Export window's choices (native dialog), then save there.
    ExportDialog,
    /// Save an export of what is on screen to this file (in the background).
    ExportTo(Box<ExportSettings>, PathBuf),
}

fn remember(state: &mut AppState, path: &std::path::Path) {
    state.recent.retain(|p| p != path);
    state.recent.insert(0, path.to_path_buf());
    state.recent.truncate(RECENT_LIMIT);
}

fn replace_dataset(state: &mut AppState, dataset: LoadedDataset) {
    if let Some(path) = &dataset.path {
        let path = path.clone();
        remember(state, &path);
    }
    if dataset.skipped > 0 {
        let name = dataset
            .path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        let mut details: Vec<String> = dataset
            .problems
            .iter()
            .take(PROBLEMS_SHOWN)
            .map(|p| p.display_in(std::path::Path::new(&name)))
            .collect();
        if dataset.skipped > PROBLEMS_SHOWN {
            details.push(format!("and {} more", dataset.skipped - PROBLEMS_SHOWN));
        }
        state.notify(Message {
            title: format!(
                "Imported {} of {} records from {name}; {} skipped",
                dataset.store().len(),
                dataset.store().len() + dataset.skipped,
                dataset.skipped
            ),
            details,
            is_error: false,
        });
    }
    state.dataset = dataset;
    state.filter = Filter::default();
    state.selection = Selection::None;
}

/// Applies an action to the state. The only place state changes in response to the user.
pub fn apply(
    state: &mut AppState,
    action: Action,
    wake: &(impl Fn() + Clone + Send + Sync + 'static),
) {
    match action {
        Action::SetFilter(filter) => state.filter = *filter,
        Action::SetDateRange(from, to) => {
            state.filter.from = from;
            state.filter.to = to;
        }
        Action::ResetDates => {
            state.filter.from = None;
            state.filter.to = None;
        }
        Action::ClearFilters => state.filter = Filter::default(),
        Action::SelectEvent(e) => {
            state.selection = e.map_or(Selection::None, Selection::Event);
        }
        Action::SelectActor(a) => state.selection = Selection::Actor(a),
        Action::FocusActor(a) => {
            state.selection = Selection::Actor(a);
            let id = state.dataset.store().actors()[a as usize].id.clone();
            state.filter.actors = vec![id];
        }
        Action::SetBucket(b) => state.spec.bucket = b,
        Action::SetGroupBy(g) => state.spec.group_by = g,
        Action::SetSort(s) => state.sort = s,
        Action::Open(path) => {
            if let Some(previous) = state.loading.take() {
                previous.cancel();
            }
            let wake = wake.clone();
            state.loading = Some(Loading::start(path, wake));
        }
        Action::OpenDialog => {
            if let Some(path) = state.dialogs.pick_dataset() {
                apply(state, Action::Open(path), wake);
            }
        }
        Action::CancelLoad => {
            if let Some(loading) = &state.loading {
                loading.cancel();
            }
        }
        Action::CloseDataset => match LoadedDataset::seed() {
            Ok(seed) => replace_dataset(state, seed),
            Err(e) => state.notify(Message {
                title: "The embedded dataset cannot be read".into(),
                details: vec![e.to_string()],
                is_error: true,
            }),
        },
        Action::DismissMessage(i) => {
            if i < state.messages.len() {
                state.messages.remove(i);
            }
        }
        Action::ShowProblems(show) => state.show_problems = show,
        Action::ShowAbout(show) => state.show_about = show,
        Action::SetTheme(t) => state.theme = t,
        Action::FocusSearch => state.focus_search = true,
        Action::SelectRelation(r) => state.selection = Selection::Relation(r),
        Action::SetTab(t) => state.tab = t,
        Action::SetGraph(g) => state.graph = *g,
        Action::Export(kind) => {
            let mut settings = match &state.export {
                Some(open) => open.clone(),
                None => ExportSettings::new(kind),
            };
            settings.kind = kind;
            state.export = Some(settings);
        }
        Action::SetExport(settings) => state.export = settings.map(|s| *s),
        Action::ExportDialog => {
            let Some(settings) = state.export.clone() else {
                return;
            };
            if state.exporting.is_some() {
                return;
            }
            let engine = &state.dataset.engine;
            let request = settings.request(&state.shown.filter, state.shown.spec);
            let name = faultline_core::export::default_file_name(engine, &request);
            // The native dialog asks before replacing an existing file.
            if let Some(path) = state.dialogs.save_export(&name, settings.kind.extension()) {
                apply(state, Action::ExportTo(Box::new(settings), path), wake);
            }
        }
        Action::ExportTo(settings, path) => {
            if let Some(busy) = &state.exporting {
                let message = Message {
                    title: format!(
                        "Still writing {}; export {} when it is done",
                        busy.path.display(),
                        path.display()
                    ),
                    details: Vec::new(),
                    is_error: true,
                };
                state.notify(message);
                return;
            }
            state.export = None;
            state.exporting = Some(Exporting::start(
                state.dataset.engine.clone(),
                *settings,
                state.shown.filter.clone(),
                state.shown.spec,
                path,
                wake.clone(),
            ));
        }
    }
}

/// Takes the outcome of a finished export into the state: a message either way.
pub fn finish_export(state: &mut AppState, outcome: Result<(), String>) {
    let Some(job) = state.exporting.take() else {
        return;
    };
    let path = job.path.display();
    state.notify(match outcome {
        Ok(()) => Message {
            title: format!("Exported {path}"),
            details: Vec::new(),
            is_error: false,
        },
        Err(e) => Message {
            title: format!("Could not export to {path}: nothing was written"),
            details: vec![e],
            is_error: true,
        },
    });
}

/// Checks the export in progress; returns true when it ended this call.
pub fn poll_export(state: &mut AppState) -> bool {
    match state.exporting.as_ref().and_then(|e| e.poll()) {
        Some(outcome) => {
            finish_export(state, outcome);
            true
        }
        None => false,
    }
}

/// Takes the outcome of a finished load into the state. A failed, cancelled or crashed load
/// keeps the open dataset and its filter.
pub fn finish_load(state: &mut AppState, outcome: LoadOutcome) {
    let path = state
        .loading
        .take()
        .map(|l| l.path.display().to_string())
        .unwrap_or_default();
    match outcome {
        LoadOutcome::Loaded(dataset) => replace_dataset(state, *dataset),
        LoadOutcome::Cancelled => state.notify(Message {
            title: format!("Loading {path} was cancelled; the open dataset is unchanged"),
            details: Vec::new(),
            is_error: false,
        }),
        LoadOutcome::Failed(error) => {
            let text = error.to_string();
            let mut lines = text.lines();
            let title = lines.next().unwrap_or_default().to_string();
            state.notify(Message {
                title: format!("Could not open {path}: the open dataset is unchanged"),
                details: std::iter::once(title)
                    .chain(lines.map(|l| l.trim().to_string()))
                    .collect(),
                is_error: true,
            });
        }
        LoadOutcome::Crashed(text) => state.notify(Message {
            title: format!("Could not open {path}"),
            details: vec![text],
            is_error: true,
        }),
    }
}

/// Checks the load in progress; returns true when it ended this call.
pub fn poll_load(state: &mut AppState) -> bool {
    let outcome = state.loading.as_ref().and_then(|l| l.poll());
    match outcome {
        Some(o) => {
            finish_load(state, o);
            true
        }
        None => false,
    }
}
