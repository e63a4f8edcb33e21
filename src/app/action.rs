//! What the views ask for ([`Action`]), and [`apply`]: the one place state changes. `apply`
//! does no I/O and starts nothing: what must happen outside the state (a dialog, a load, an
//! export) it returns as [`Effect`]s, which the [`super::Runtime`] carries out.

use std::path::PathBuf;

use chrono::NaiveDate;

use super::dataset::LoadedDataset;
use super::export_job::{ExportFailure, ExportSettings};
use super::layer::{AnalystLayer, CorrectRequest, SavedView};
use super::loader::{LoadOutcome, LoadRequest};
use super::state::MappingDraft;
use super::state::RECENT_LIMIT;
use super::state::{
    AppState, CentralTab, GraphSettings, MapSettings, Message, Selection, ThemeChoice,
};
use faultline_core::export::ExportKind;
use faultline_core::io::problem::PROBLEMS_SHOWN;
use faultline_core::io::table::ColumnMap;
use faultline_core::io::LoadError;
use faultline_core::model::{Annotation, Note, NoteTarget};
use faultline_core::query::explain::{explain, Subject};
use faultline_core::query::playback::{step_at, step_count, PlaybackSpec};
use faultline_core::query::reported::ReportedSpec;
use faultline_core::query::{BucketSize, Filter, GroupBy, Sort};
use faultline_core::text::{plural, thousands};

/// What the playback controls ask for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PlaybackAction {
    /// Start (from the first step, or on from the step shown).
    Play,
    /// Stop stepping on; the step stays shown.
    Pause,
    /// Play when paused, pause when playing (Space).
    Toggle,
    /// End playback and give the filter its dates back.
    Stop,
    /// Show the step this many steps on (back when negative), paused.
    Step(i32),
    /// Step length and window or cumulative.
    SetSpec(PlaybackSpec),
    /// Steps per second.
    SetSpeed(f32),
    /// The clock, once a frame while playing (seconds since the app started).
    Tick(f64),
}

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
    /// Open several files in the background, as one view.
    OpenSeveral(Vec<PathBuf>),
    /// Read a file into the view beside what is open (File → Add to view…).
    AddToView(PathBuf),
    /// Ask the user for a file to add to the view.
    AddToViewDialog,
    /// Ask the user where the workspace's included file `i` (which could not be read) is now.
    LocateDialog(usize),
    /// The workspace's included file `i` is now at this path: read it into the view, and
    /// name it there when the workspace is saved.
    Locate(usize, PathBuf),
    /// Take file `i` of the view (its index in the store's files) out of the view.
    RemoveFile(usize),
    /// Open a table in the background through a column map (from the mapping window).
    OpenWithMap(PathBuf, ColumnMap),
    /// Change the column-mapping window's draft, or close it (`None`).
    SetMapping(Option<Box<MappingDraft>>),
    /// Ask the user for a file to open.
    OpenDialog,
    /// Ask the user for a folder of Parquet shards to open.
    OpenFolderDialog,
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
    /// Open or close the command palette.
    ShowPalette(bool),
    /// Play, pause, step or stop playback, or change how it steps.
    Playback(PlaybackAction),
    /// Theme.
    SetTheme(ThemeChoice),
    /// Show or hide a panel (by its id).
    ShowPanel(String, bool),
    /// Focus the search box.
    FocusSearch,
    /// The search box has the focus it was asked to take.
    SearchFocused,
    /// Select a stated relation (its sources show in the details).
    SelectRelation(u32),
    /// Show the events or the actors in the centre.
    SetTab(CentralTab),
    /// Change what the actor graph shows.
    SetGraph(Box<GraphSettings>),
    /// Change what the map shows or where it looks.
    SetMap(Box<MapSettings>),
    /// Change what the comparison puts side by side.
    SetCompare(Box<faultline_core::query::compare::CompareSpec>),
    /// Open the Export window, set to this view and format.
    Export(ExportKind),
    /// Change the Export window's choices, or close it (`None`).
    SetExport(Option<Box<ExportSettings>>),
    /// Ask where to save the Export window's choices, then save there.
    ExportDialog,
    /// Change which reported series are charted and whether counted events are overlaid.
    SetReported(Box<ReportedSpec>),
    /// Say why a number on screen is what it is ("why this number?"), or close the answer.
    Explain(Option<Box<Subject>>),
    /// Save an export of what is on screen to this file (in the background).
    ExportTo(Box<ExportSettings>, PathBuf),
    /// Add an annotation: a date at its precision (the timeline), a place (the map), or
    /// both, and words; its id is given when it is added.
    Annotate(Box<Annotation>),
    /// Open the annotations window with this place (`[longitude, latitude]`) to annotate.
    AnnotateAt([f64; 2]),
    /// Correct a field of an event (the original kept), or (`value: None`) take the
    /// correction back.
    Correct(Box<CorrectRequest>),
    /// Remove the annotation with this id.
    RemoveAnnotation(String),
    /// Set (or, with no text and no tags, clear) the note on an event or an actor.
    SetNote(Note),
    /// Mark two events (by id) as the same happening (`Some(true)`), different ones
    /// (`Some(false)`), or forget the mark (`None`).
    Mark(String, String, Option<bool>),
    /// Add an event the analyst read of, with its source's words (to their own records).
    AddEvent(Box<super::layer::NewEvent>),
    /// Show or hide the window that adds an event.
    ShowAddEvent(bool),
    /// How far apart (km) two events of different datasets may be and still be possibly
    /// the same.
    SetMatchDistance(f64),
    /// Undo the last change to the analyst's layer.
    Undo,
    /// Redo the last change undone.
    Redo,
    /// Show or hide the list of changes.
    ShowChanges(bool),
    /// Save the workspace (Ctrl+S): to its file, or ask where the first time.
    SaveWorkspace,
    /// Ask where to save the workspace, then save there.
    SaveWorkspaceAs,
    /// Save the workspace to this file.
    SaveWorkspaceTo(PathBuf),
    /// The workspace was written to this file, or could not be (why).
    WorkspaceWritten(PathBuf, Option<String>),
}

/// What [`apply`] asks the outside world to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Start loading a file, cancelling a load in progress; with the column map and the
    /// header to remember it for, when there is one.
    Load(LoadRequest, Option<Vec<String>>),
    /// Stop the load in progress.
    CancelLoad,
    /// Ask the user for a dataset to open (then [`Action::Open`]).
    PickDataset,
    /// Ask the user for a dataset to add to the view (then [`Action::AddToView`]).
    PickDatasetToAdd,
    /// Ask the user where an included file is now (then [`Action::Locate`]).
    PickDatasetToLocate(usize),
    /// Ask the user for a folder of Parquet shards to open (then [`Action::Open`]).
    PickFolder,
    /// Ask the user where to save an export, proposing a file name (then [`Action::ExportTo`]).
    PickExportFile(Box<ExportSettings>, String),
    /// Start writing an export of what is on screen.
    StartExport(Box<ExportSettings>, PathBuf),
    /// Ask the user where to save the workspace (then [`Action::SaveWorkspaceTo`]).
    PickWorkspaceFile,
    /// Write the workspace: its own records, the layer and the view's files, to this file.
    WriteWorkspace(Box<super::layer::WorkspaceSave>, PathBuf),
    /// Keep the layer in the recovery file (after a change).
    WriteRecovery(Box<super::layer::WorkspaceSave>, PathBuf),
    /// Remove the recovery file (the layer is saved).
    RemoveRecovery(PathBuf),
}

fn remember(state: &mut AppState, path: &std::path::Path) {
    state.recent.retain(|p| p != path);
    state.recent.insert(0, path.to_path_buf());
    state.recent.truncate(RECENT_LIMIT);
}

/// Ends playback without giving dates back (the user set them).
fn end_playback(state: &mut AppState) {
    state.playback.index = None;
    state.playback.playing = false;
}

/// Playback: moves through the steps of the dataset's time and shows the step through the
/// filter's dates, so every view follows.
fn playback(state: &mut AppState, action: PlaybackAction) {
    let Some(days) = state.dataset.engine.facets().days else {
        return;
    };
    let pb = &mut state.playback;
    let count = step_count(days, pb.spec);
    let last = count.saturating_sub(1);
    let begin = |pb: &mut crate::app::state::PlaybackState, filter: &Filter| {
        if pb.index.is_none() {
            pb.dates_before = (filter.from, filter.to);
        }
    };
    match action {
        PlaybackAction::Play | PlaybackAction::Toggle if !pb.playing => {
            begin(pb, &state.filter);
            pb.index = Some(match pb.index {
                Some(i) if i < last => i,
                _ => 0,
            });
            pb.playing = true;
            pb.next_at = None;
        }
        PlaybackAction::Play => {}
        PlaybackAction::Pause | PlaybackAction::Toggle => pb.playing = false,
        PlaybackAction::Stop => {
            if pb.index.take().is_some() {
                (state.filter.from, state.filter.to) = pb.dates_before;
            }
            pb.playing = false;
            return;
        }
        PlaybackAction::Step(delta) => {
            begin(pb, &state.filter);
            let at = pb.index.map_or(0, |i| i as i64 + i64::from(delta));
            pb.index = Some(at.clamp(0, last as i64) as usize);
            pb.playing = false;
        }
        PlaybackAction::SetSpec(spec) => {
            pb.spec = spec;
            let count = step_count(days, spec);
            pb.index = pb.index.map(|i| i.min(count.saturating_sub(1)));
        }
        PlaybackAction::SetSpeed(speed) => pb.speed = speed.clamp(0.25, 20.0),
        PlaybackAction::Tick(now) => {
            if !pb.playing {
                return;
            }
            let interval = 1.0 / f64::from(pb.speed);
            match pb.next_at {
                None => pb.next_at = Some(now + interval),
                Some(due) if now >= due => match pb.index {
                    Some(i) if i < last => {
                        pb.index = Some(i + 1);
                        pb.next_at = Some(now + interval);
                    }
                    _ => pb.playing = false,
                },
                Some(_) => return,
            }
        }
    }
    if let Some(step) = pb.index.and_then(|i| step_at(days, pb.spec, i)) {
        state.filter.from = Some(step.from);
        state.filter.to = Some(step.to);
    }
}

/// New map settings; with "Filter to map view" on, the region filter follows the camera
/// (and goes when it is turned off).
fn set_map(state: &mut AppState, map: MapSettings) {
    let was_following = state.map.follow_view;
    state.map = map;
    if map.follow_view {
        if let Some(camera) = map.camera {
            state.filter.region = Some(camera.visible());
        }
    } else if was_following {
        state.filter.region = None;
    }
}

fn replace_dataset(state: &mut AppState, dataset: LoadedDataset) {
    if let Some(path) = &dataset.path {
        // The recovery file is no file of the user's: it stays out of Open recent.
        if Some(path) != state.recovery.as_ref() {
            let path = path.clone();
            remember(state, &path);
        }
    }
    if dataset.skipped > 0 {
        state.notify(skipped_rows_message(&dataset));
    } else if !dataset.notes.is_empty() {
        let name = dataset.path.as_ref().map(|p| p.display().to_string());
        state.notify(Message {
            title: format!("Opened {}", name.unwrap_or_default()),
            details: dataset.notes.clone(),
            is_error: false,
        });
    }
    // The reported figures' tab shows nothing for a dataset that reports none.
    if state.tab == CentralTab::Reported && dataset.store().meta.series.is_empty() {
        state.tab = CentralTab::Events;
    }
    state.dataset = dataset;
    state.filter = Filter::default();
    state.playback = crate::app::state::PlaybackState::default();
    // The map fits the new events when it is next drawn.
    state.map.camera = None;
    state.map.follow_view = false;
    state.selection = Selection::None;
    state.reported = ReportedSpec::default();
    state.explanation = None;
}

/// Shows the analyst's layer in the view when the view does not show it as it is now: their
/// own records (an event added, undone or redone, or a file opened while the layer holds
/// some) replace their layer of the store, the other files' events untouched; and the
/// fields they corrected say the corrected values (the view's earlier corrections taken back
/// first).
pub fn show_own_records(state: &mut AppState) {
    let layer = &state.layer;
    let dataset = &state.dataset;
    let own_shown = dataset.own_revision == Some(layer.own_revision)
        || (dataset.own_layer.is_none() && layer.own.events.is_empty());
    let corrections_shown = dataset.corrections == layer.workspace.corrections;
    if own_shown && corrections_shown {
        state.dataset.own_revision = Some(layer.own_revision);
        return;
    }
    use faultline_core::io::workspace::{apply_corrections, revert_corrections};
    let mut store = dataset.store().clone();
    revert_corrections(&mut store, &dataset.corrected);
    let mut own_layer = dataset.own_layer;
    if !own_shown {
        store = faultline_core::io::combine::with_own_records(
            store,
            dataset.own_layer,
            &layer.own,
            (YOUR_EVENTS_PATH, YOUR_EVENTS_NAME),
        );
        own_layer = Some(own_layer.unwrap_or(store.files.len().saturating_sub(1)));
    }
    let (corrected, problems) = apply_corrections(&mut store, &layer.workspace.corrections);
    let mut shown = dataset.with_store(store);
    shown.own_layer = own_layer;
    shown.own_revision = Some(layer.own_revision);
    shown.corrections = layer.workspace.corrections.clone();
    shown.corrected = corrected;
    state.dataset = shown;
    if !problems.is_empty() {
        state.notify(Message {
            title: format!("{} not applied", plural(problems.len(), "correction")),
            details: problems,
            is_error: false,
        });
    }
    if !own_shown {
        // Rows may have moved: nothing stays selected by its old row.
        state.selection = Selection::None;
        state.explanation = None;
    }
}

/// Which file layer of a freshly read view holds the analyst's own records: the
/// workspace file's, or the one made for them before the view was saved.
fn own_layer_of(dataset: &LoadedDataset) -> Option<usize> {
    let workspace = dataset
        .workspace
        .as_ref()
        .map(|w| w.path.display().to_string());
    dataset
        .store()
        .files
        .iter()
        .position(|f| Some(&f.path) == workspace.as_ref() || f.path == YOUR_EVENTS_PATH)
}

/// The layer of the analyst's events in a view that is not a saved workspace yet.
pub const YOUR_EVENTS_PATH: &str = "faultline:yours";
/// Its name, as the Files list shows it.
pub const YOUR_EVENTS_NAME: &str = "your events";

/// Puts a workspace's layer and view on screen. From the recovery file, the layer is
/// unsaved and belongs to the workspace it was last saved as (if any).
fn restore_layer(state: &mut AppState, mut layer: AnalystLayer, view: Option<SavedView>) {
    let recovered = layer.path.is_some() && layer.path == state.recovery;
    if recovered {
        layer.path = view.as_ref().and_then(|v| v.saved_as.clone());
        layer.unsaved = true;
        state.notify(Message {
            title: "Recovered your annotations and notes from the last session".into(),
            details: vec![format!(
                "{} and {}; not saved as a workspace yet (Ctrl+S)",
                plural(layer.workspace.annotations.len(), "annotation"),
                plural(layer.workspace.notes.len(), "note")
            )],
            is_error: false,
        });
    }
    state.layer = layer;
    if let Some(view) = view {
        view.restore(state);
    }
}

/// Puts the view read again with a file added or removed in place of the open one, keeping
/// the filter and the view; says what each file gave.
fn add_files(state: &mut AppState, dataset: LoadedDataset) {
    let files = &dataset.store().files;
    let mut details: Vec<String> = files
        .iter()
        .map(|f| {
            let mut line = format!("{}: {} ({})", f.name, plural(f.events, "event"), f.format);
            if f.skipped > 0 {
                line += &format!("; {} skipped", thousands(f.skipped));
            }
            if f.replaced > 0 {
                line += &format!("; {} replaced by a newer release", thousands(f.replaced));
            }
            line
        })
        .collect();
    details.extend(dataset.notes.iter().cloned());
    state.notify(Message {
        title: format!(
            "{} in view: {}",
            plural(files.len(), "file"),
            plural(dataset.store().len(), "event")
        ),
        details,
        is_error: false,
    });
    state.dataset = dataset;
    state.selection = Selection::None;
    state.explanation = None;
}

/// "Imported N of M records from FILE; K skipped", with the first problems.
fn skipped_rows_message(dataset: &LoadedDataset) -> Message {
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
    details.extend(dataset.notes.iter().cloned());
    let kept = dataset.store().len();
    Message {
        title: format!(
            "Imported {kept} of {} records from {name}; {} skipped",
            kept + dataset.skipped,
            dataset.skipped
        ),
        details,
        is_error: false,
    }
}

/// Applies an action to the state and says what else must happen. The only place state
/// changes in response to the user; it does no I/O.
pub fn apply(state: &mut AppState, action: Action) -> Vec<Effect> {
    let history = (state.layer.changes().len(), state.layer.undone().len());
    let mut effects = apply_action(state, action);
    show_own_records(state);
    count_marks_once(state);
    let changed = history != (state.layer.changes().len(), state.layer.undone().len());
    if let (true, Some(recovery)) = (changed, &state.recovery) {
        let save = super::layer::workspace_file(state, recovery);
        effects.push(Effect::WriteRecovery(Box::new(save), recovery.clone()));
    }
    effects
}

fn apply_action(state: &mut AppState, action: Action) -> Vec<Effect> {
    match action {
        Action::SetFilter(filter) => {
            // Removing the map's region ends "Filter to map view".
            if filter.region.is_none() {
                state.map.follow_view = false;
            }
            state.filter = *filter;
        }
        Action::SetDateRange(from, to) => {
            state.filter.from = from;
            state.filter.to = to;
        }
        Action::ResetDates => {
            end_playback(state);
            state.filter.from = None;
            state.filter.to = None;
        }
        Action::ClearFilters => {
            state.filter = Filter::default();
            state.map.follow_view = false;
            end_playback(state);
        }
        Action::SelectEvent(e) => {
            state.selection = e.map_or(Selection::None, Selection::Event);
        }
        Action::SelectActor(a) => state.selection = Selection::Actor(a),
        Action::FocusActor(a) => {
            if let Some(actor) = state.dataset.store().actors().get(a as usize) {
                state.filter.actors = vec![actor.id.clone()];
                state.selection = Selection::Actor(a);
            }
        }
        Action::SetBucket(b) => state.spec.bucket = b,
        Action::SetGroupBy(g) => state.spec.group_by = g,
        Action::SetSort(s) => state.sort = s,
        action @ (Action::Open(_)
        | Action::OpenSeveral(_)
        | Action::AddToView(_)
        | Action::AddToViewDialog
        | Action::LocateDialog(_)
        | Action::Locate(..)
        | Action::RemoveFile(_)
        | Action::OpenWithMap(..)
        | Action::OpenDialog
        | Action::OpenFolderDialog
        | Action::CancelLoad
        | Action::CloseDataset) => return apply_to_files(state, action),
        Action::SetMapping(draft) => state.mapping = draft.map(|d| *d),
        Action::DismissMessage(i) => {
            if i < state.messages.len() {
                state.messages.remove(i);
            }
        }
        Action::ShowProblems(show) => state.show_problems = show,
        Action::ShowAbout(show) => state.show_about = show,
        Action::ShowPalette(show) => state.palette_open = show,
        Action::Playback(p) => playback(state, p),
        Action::SetTheme(t) => state.theme = t,
        Action::ShowPanel(id, shown) => state.panels.set(&id, shown),
        Action::FocusSearch => state.focus_search = true,
        Action::SearchFocused => state.focus_search = false,
        Action::SelectRelation(r) => state.selection = Selection::Relation(r),
        Action::SetTab(t) => state.tab = t,
        Action::SetGraph(g) => state.graph = *g,
        Action::SetMap(m) => set_map(state, *m),
        Action::SetCompare(spec) => state.compare = *spec,
        Action::SetReported(spec) => state.reported = *spec,
        Action::Explain(subject) => {
            state.explanation =
                subject.and_then(|s| explain(&state.dataset.engine, &state.shown.filter, &s));
        }
        Action::Export(kind) => {
            let mut settings = state
                .export
                .clone()
                .unwrap_or_else(|| ExportSettings::new(kind));
            settings.kind = kind;
            // An animated GIF steps as the playback controls do.
            settings.animation = state.playback.spec;
            state.export = Some(settings);
        }
        Action::SetExport(settings) => state.export = settings.map(|s| *s),
        Action::ExportDialog => return export_dialog(state),
        Action::ExportTo(settings, path) => return export_to(state, settings, path),
        action @ (Action::Annotate(..)
        | Action::Correct(_)
        | Action::RemoveAnnotation(_)
        | Action::SetNote(_)
        | Action::Mark(..)
        | Action::AddEvent(_)
        | Action::Undo
        | Action::Redo
        | Action::SaveWorkspace
        | Action::SaveWorkspaceAs
        | Action::SaveWorkspaceTo(_)
        | Action::WorkspaceWritten(..)) => return apply_to_layer(state, action),
        Action::ShowAddEvent(on) => state.show_add_event = on,
        Action::SetMatchDistance(km) => set_match_distance(state, km),
        Action::ShowChanges(on) => state.show_changes = on,
        Action::AnnotateAt(at) => {
            state.show_changes = true;
            state.annotate_at = Some(at);
        }
    }
    Vec::new()
}

/// While possibly-same events are counted once, the filter follows the analyst's marks (a
/// pair marked the same counted once, a pair marked different counted twice).
fn count_marks_once(state: &mut AppState) {
    let marks: Vec<(String, String, bool)> = match state.filter.once_within_km {
        Some(_) => state
            .layer
            .workspace
            .marks
            .iter()
            .map(|m| (m.events[0].clone(), m.events[1].clone(), m.same))
            .collect(),
        None => Vec::new(),
    };
    if state.filter.once_marks != marks {
        state.filter.once_marks = marks;
    }
}

/// Sets how far apart possibly-same events may be; counting them once follows the distance.
fn set_match_distance(state: &mut AppState, km: f64) {
    state.match_rules.max_km = km.clamp(0.1, 1000.0);
    if state.filter.once_within_km.is_some() {
        state.filter.once_within_km = Some(km.round().clamp(1.0, 1000.0) as u16);
    }
}

/// The actions on what is read into the view: open, add, locate or remove files, cancel a
/// load, close.
fn apply_to_files(state: &mut AppState, action: Action) -> Vec<Effect> {
    match action {
        Action::Open(path) => return vec![load(state, path, None)],
        Action::OpenSeveral(mut paths) => {
            if paths.is_empty() {
                return Vec::new();
            }
            let first = paths.remove(0);
            let mut effect = load(state, first, None);
            if let Effect::Load(request, _) = &mut effect {
                request.also = paths;
            }
            return vec![effect];
        }
        Action::AddToView(path) => return add_to_view(state, path),
        Action::AddToViewDialog => return vec![Effect::PickDatasetToAdd],
        Action::LocateDialog(i) => return vec![Effect::PickDatasetToLocate(i)],
        Action::Locate(i, path) => {
            let include = state
                .dataset
                .workspace
                .as_ref()
                .and_then(|w| w.includes.get(i))
                .map(|s| s.include.path.clone());
            if let Some(include) = include {
                if !state.layer.located.contains(&include) {
                    state.layer.located.push(include);
                }
                return add_to_view(state, path);
            }
        }
        Action::RemoveFile(i) => return remove_file(state, i),
        Action::OpenWithMap(path, map) => {
            let header = state
                .mapping
                .take()
                .filter(|d| d.path == path)
                .map(|d| d.columns);
            let mut effect = load(state, path, Some(map));
            if let Effect::Load(_, remember) = &mut effect {
                *remember = header;
            }
            return vec![effect];
        }
        Action::OpenDialog => return vec![Effect::PickDataset],
        Action::OpenFolderDialog => return vec![Effect::PickFolder],
        Action::CancelLoad => return vec![Effect::CancelLoad],
        Action::CloseDataset => match LoadedDataset::seed() {
            Ok(seed) => replace_dataset(state, seed),
            Err(e) => state.notify(Message {
                title: "The embedded dataset cannot be read".into(),
                details: vec![e.to_string()],
                is_error: true,
            }),
        },
        // The other actions are not about files (`apply_action` sends only these here).
        _ => {}
    }
    Vec::new()
}

/// Corrects a field of an event of the view (or takes the correction back); the original
/// is what the view shows now, unless an earlier correction of the field stands.
fn correct(state: &mut AppState, request: CorrectRequest) {
    let store = state.dataset.store();
    let Some(&row) = store
        .rows_of_ids([request.event.as_str()])
        .get(&request.event)
    else {
        return;
    };
    let original = match state
        .layer
        .workspace
        .correction(&request.event, request.field)
    {
        Some(earlier) => earlier.original.clone(),
        None => store.field_text(row, request.field),
    };
    request.apply_to(&mut state.layer, original);
}

/// The actions on the analyst's layer: annotations, notes, marks, added events, undo and
/// redo, and saving the workspace.
fn apply_to_layer(state: &mut AppState, action: Action) -> Vec<Effect> {
    match action {
        Action::Annotate(annotation) => {
            let mut annotation = *annotation;
            annotation.text = annotation.text.trim().to_string();
            let what = format!("Annotated {}: {}", annotation.label(), annotation.text);
            state.layer.change(what, |w| {
                annotation.id = w.next_annotation_id();
                w.annotations.push(annotation);
            });
        }
        Action::Correct(request) => correct(state, *request),
        Action::RemoveAnnotation(id) => {
            let what = state
                .layer
                .workspace
                .annotations
                .iter()
                .find(|a| a.id == id)
                .map(|a| format!("Removed the annotation of {}", a.label()));
            if let Some(what) = what {
                state
                    .layer
                    .change(what, |w| w.annotations.retain(|a| a.id != id));
            }
        }
        Action::SetNote(note) => {
            let what = match &note.about {
                NoteTarget::Event(id) => format!("Noted event {id}"),
                NoteTarget::Actor(id) => format!("Noted actor {id}"),
            };
            state.layer.change(what, |w| w.set_note(note));
        }
        Action::Mark(a, b, same) => {
            let what = match same {
                Some(true) => format!("Marked {a} and {b} as the same event"),
                Some(false) => format!("Marked {a} and {b} as different events"),
                None => format!("Unmarked {a} and {b}"),
            };
            state.layer.change(what, |w| w.set_mark(&a, &b, same));
        }
        // An event without its date, type or source's words is not added (the form says why).
        Action::AddEvent(new) if new.problem().is_none() => {
            let what = format!(
                "Added an event: {} on {} ({})",
                new.event_type.trim(),
                new.date.map(|d| d.label()).unwrap_or_default(),
                new.publisher.trim()
            );
            let known = state.dataset.store().actors().to_vec();
            state.layer.change_own(what, |own| {
                new.add_to(own, &known);
            });
        }
        Action::Undo => {
            if let Some(what) = state.layer.undo() {
                state.notify(Message {
                    title: format!("Undone: {what}"),
                    details: Vec::new(),
                    is_error: false,
                });
            }
        }
        Action::Redo => {
            if let Some(what) = state.layer.redo() {
                state.notify(Message {
                    title: format!("Redone: {what}"),
                    details: Vec::new(),
                    is_error: false,
                });
            }
        }
        Action::SaveWorkspace => match state.layer.path.clone() {
            Some(path) => return vec![write_workspace(state, path)],
            None => return vec![Effect::PickWorkspaceFile],
        },
        Action::SaveWorkspaceAs => return vec![Effect::PickWorkspaceFile],
        Action::SaveWorkspaceTo(path) => return vec![write_workspace(state, path)],
        Action::WorkspaceWritten(path, None) => {
            state.layer.path = Some(path.clone());
            state.layer.unsaved = false;
            state.notify(Message {
                title: format!("Saved the workspace {}", path.display()),
                details: Vec::new(),
                is_error: false,
            });
            if let Some(recovery) = &state.recovery {
                return vec![Effect::RemoveRecovery(recovery.clone())];
            }
        }
        Action::WorkspaceWritten(path, Some(why)) => state.notify(Message {
            title: format!("Could not save the workspace {}", path.display()),
            details: vec![why],
            is_error: true,
        }),
        // The other actions are not the layer's (`apply_action` sends only these here).
        _ => {}
    }
    Vec::new()
}

/// The effect that writes the workspace to `path`: the view's files as includes, the
/// analyst's layer, and the view as it is now.
fn write_workspace(state: &AppState, path: PathBuf) -> Effect {
    Effect::WriteWorkspace(Box::new(super::layer::workspace_file(state, &path)), path)
}

/// The effect that loads `path`, with the maps the user chose before.
fn load(state: &AppState, path: PathBuf, column_map: Option<ColumnMap>) -> Effect {
    let request = LoadRequest {
        path,
        also: Vec::new(),
        with_embedded: false,
        keep_view: false,
        column_map,
        remembered_maps: state.column_maps.clone(),
    };
    Effect::Load(request, None)
}

/// The effect that reads the view again with `path` added after its files (and after the
/// embedded dataset, when that is what is open).
fn add_to_view(state: &AppState, path: PathBuf) -> Vec<Effect> {
    let dataset = &state.dataset;
    let mut files = dataset.paths();
    files.push(path);
    let first = files.remove(0);
    let mut effect = load(state, first, None);
    if let Effect::Load(request, _) = &mut effect {
        request.also = files;
        request.with_embedded = dataset.path.is_none() || dataset.with_embedded;
        request.keep_view = true;
    }
    vec![effect]
}

/// The effect that reads the view again without its file `i` (the embedded dataset again
/// when nothing else is left); the filter forgets the file.
fn remove_file(state: &mut AppState, i: usize) -> Vec<Effect> {
    let dataset = &state.dataset;
    let Some(removed) = dataset.store().files.get(i) else {
        return Vec::new();
    };
    let removed_path = removed.path.clone();
    let with_embedded = dataset.with_embedded && i != 0;
    let offset = usize::from(dataset.with_embedded);
    let mut files = dataset.paths();
    if i >= offset && i - offset < files.len() {
        files.remove(i - offset);
    }
    state.filter.files.retain(|p| *p != removed_path);
    if files.is_empty() {
        return match LoadedDataset::seed() {
            Ok(seed) => {
                replace_dataset(state, seed);
                Vec::new()
            }
            Err(_) => Vec::new(),
        };
    }
    let first = files.remove(0);
    let mut effect = load(state, first, None);
    if let Effect::Load(request, _) = &mut effect {
        request.also = files;
        request.with_embedded = with_embedded;
        request.keep_view = true;
    }
    vec![effect]
}

fn export_dialog(state: &AppState) -> Vec<Effect> {
    let (Some(settings), None) = (&state.export, &state.exporting) else {
        return Vec::new();
    };
    let request = state.export_request(settings);
    let name = faultline_core::export::default_file_name(&state.dataset.engine, &request);
    vec![Effect::PickExportFile(Box::new(settings.clone()), name)]
}

fn export_to(state: &mut AppState, settings: Box<ExportSettings>, path: PathBuf) -> Vec<Effect> {
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
        return Vec::new();
    }
    state.export = None;
    vec![Effect::StartExport(settings, path)]
}

/// Takes the outcome of a finished export into the state: a message either way.
pub fn finish_export(state: &mut AppState, outcome: Result<(), ExportFailure>) {
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
            details: vec![e.to_string()],
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
    let loading = state.loading.take();
    let path = loading
        .as_ref()
        .map(|l| l.path.display().to_string())
        .unwrap_or_default();
    match outcome {
        LoadOutcome::Loaded(dataset) => {
            let keep_view = loading.as_ref().is_some_and(|l| l.keep_view);
            if let Some((header, map)) = loading.and_then(|l| l.remember) {
                state.column_maps.retain(|(h, _)| *h != header);
                state.column_maps.push((header, map));
            }
            if keep_view {
                add_files(state, *dataset);
            } else {
                let workspace = dataset.workspace.as_ref().map(|w| {
                    let view = w.layer.view.clone();
                    (
                        AnalystLayer::opened(w.layer.clone(), w.own.clone(), Some(w.path.clone())),
                        view,
                    )
                });
                replace_dataset(state, *dataset);
                match workspace {
                    // A workspace brings its layer and its view back; the recovery file
                    // brings them back unsaved, for the workspace they belong to.
                    Some((layer, view)) => {
                        let view = view.and_then(|v| serde_json::from_value::<SavedView>(v).ok());
                        restore_layer(state, layer, view);
                        // The store shows the workspace's own records as the layer has them.
                        state.dataset.own_revision = Some(state.layer.own_revision);
                    }
                    // A plain file keeps the layer (nothing the analyst wrote is dropped),
                    // but it is no longer the workspace's: Ctrl+S asks where.
                    None => state.layer.path = None,
                }
            }
            state.dataset.own_layer = own_layer_of(&state.dataset);
            show_own_records(state);
        }
        LoadOutcome::Failed(LoadError::UnknownTable {
            path,
            columns,
            preview,
        }) => {
            // The column-mapping window opens on a first guess.
            let map = ColumnMap::guess(&columns);
            state.mapping = Some(MappingDraft {
                path,
                columns,
                preview,
                map,
            });
        }
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
        LoadOutcome::Crashed(failure) => state.notify(Message {
            title: format!("Could not open {path}"),
            details: vec![format!("{path}: {failure}. The open dataset was kept.")],
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::Settings;

    fn seed_state() -> AppState {
        AppState::new(LoadedDataset::seed().unwrap(), Settings::default())
    }

    #[test]
    fn actions_that_need_the_outside_world_return_effects_and_change_nothing_else() {
        let mut state = seed_state();
        let path = PathBuf::from("x.csv");
        let effects = apply(&mut state, Action::Open(path.clone()));
        let [Effect::Load(request, None)] = effects.as_slice() else {
            panic!("{effects:?}");
        };
        assert_eq!(request.path, path);
        assert!(state.loading.is_none(), "apply starts no job itself");
        assert_eq!(
            apply(&mut state, Action::OpenDialog),
            vec![Effect::PickDataset]
        );
        assert_eq!(
            apply(&mut state, Action::CancelLoad),
            vec![Effect::CancelLoad]
        );
    }

    #[test]
    fn an_export_dialog_proposes_a_name_and_saving_closes_the_window() {
        let mut state = seed_state();
        assert!(
            apply(&mut state, Action::ExportDialog).is_empty(),
            "no window, no dialog"
        );
        apply(&mut state, Action::Export(ExportKind::TIMELINE_PNG));
        let effects = apply(&mut state, Action::ExportDialog);
        let [Effect::PickExportFile(settings, name)] = effects.as_slice() else {
            panic!("{effects:?}");
        };
        assert!(name.ends_with(".png"), "{name}");
        let path = PathBuf::from("out.png");
        let effects = apply(&mut state, Action::ExportTo(settings.clone(), path.clone()));
        assert_eq!(effects, vec![Effect::StartExport(settings.clone(), path)]);
        assert!(state.export.is_none());
    }

    #[test]
    fn panels_are_shown_and_hidden_by_id() {
        let mut state = seed_state();
        assert!(state.panels.is_shown("filters"));
        apply(&mut state, Action::ShowPanel("filters".into(), false));
        assert!(!state.panels.is_shown("filters"));
        assert!(state.panels.is_shown("details"));
    }
}
