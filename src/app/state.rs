//! Everything the views read: the open dataset, the filter, the chart settings, the
//! selection, messages. Views never change it directly: they return [`super::Action`]s.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::dataset::LoadedDataset;
use super::export_job::{ExportSettings, Exporting};
use super::loader::Loading;
use super::query_worker::Preparing;
use faultline_core::export::map::MapExport;
use faultline_core::export::ExportRequest;
use faultline_core::io::table::ColumnMap;
use faultline_core::layout::map::{MapFrame, Projection};
use faultline_core::query::explain::Explanation;
use faultline_core::query::map::{ColourBy, MapLayer, MapSpec};
use faultline_core::query::playback::PlaybackSpec;
use faultline_core::query::reported::ReportedSpec;
use faultline_core::query::{Filter, GraphSpec, SeriesSpec, Sort, View};

/// What is selected, shown in the details panel and highlighted in the views.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Selection {
    /// Nothing.
    #[default]
    None,
    /// An event (row index in the store).
    Event(u32),
    /// An actor (index in the store).
    Actor(u32),
    /// A stated relation (index in the dataset's relations).
    Relation(u32),
}

/// What the centre of the window shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum CentralTab {
    /// The timeline and the event list.
    #[default]
    Events,
    /// The actor graph, the actor list and the statements.
    Actors,
    /// The figures the sources reported, never mixed with counted events.
    Reported,
    /// Where the events took place.
    Map,
    /// Two files (or other groups) side by side over time.
    Compare,
}

/// Playback: stepping the date filter through the dataset's time (not kept between runs).
#[derive(Debug, Clone, PartialEq)]
pub struct PlaybackState {
    /// Step length, window or cumulative.
    pub spec: PlaybackSpec,
    /// The step shown, while playback is on.
    pub index: Option<usize>,
    /// Stepping on by itself.
    pub playing: bool,
    /// Steps per second.
    pub speed: f32,
    /// When the next step is due (the app's clock, seconds); `None` until the first tick.
    pub next_at: Option<f64>,
    /// The filter's dates before playback began, given back when it stops.
    pub dates_before: (Option<chrono::NaiveDate>, Option<chrono::NaiveDate>),
}

impl Default for PlaybackState {
    fn default() -> Self {
        PlaybackState {
            spec: PlaybackSpec::default(),
            index: None,
            playing: false,
            speed: 2.0,
            next_at: None,
            dates_before: (None, None),
        }
    }
}

/// What the map shows and where it looks; kept between runs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MapSettings {
    /// What the events are drawn as.
    pub layer: MapLayer,
    /// What the markers' colour says.
    pub colour_by: ColourBy,
    /// The projection.
    pub projection: Projection,
    /// The camera; `None` until the map is first drawn (it then fits the events).
    pub camera: Option<MapFrame>,
    /// Filter every view to what the map shows ("Filter to map view").
    pub follow_view: bool,
}

impl Default for MapSettings {
    fn default() -> Self {
        MapSettings {
            layer: MapLayer::Auto,
            colour_by: ColourBy::EventType,
            projection: Projection::Equirectangular,
            camera: None,
            follow_view: false,
        }
    }
}

impl MapSettings {
    /// What the map computes, once it has a camera.
    pub fn spec(&self) -> Option<MapSpec> {
        self.camera.map(|frame| MapSpec {
            layer: self.layer,
            colour_by: self.colour_by,
            frame,
        })
    }

    /// What an exported map shows: the same layer, colours, projection and part of the world.
    pub fn export(&self) -> MapExport {
        MapExport {
            layer: self.layer,
            colour_by: self.colour_by,
            projection: self.projection,
            view: self.camera.map(|c| c.visible()),
        }
    }
}

/// What the actor graph shows; kept between runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GraphSettings {
    /// Draw the interactions derived from events (actor 1 × actor 2).
    pub interactions: bool,
    /// Relation kinds not drawn.
    pub hidden_relations: Vec<faultline_core::model::RelationKind>,
    /// Actor kinds not drawn.
    pub hidden_actor_kinds: Vec<faultline_core::model::ActorKind>,
    /// Hide actors with no visible edge.
    pub hide_isolated: bool,
    /// Show only the selected actor's neighbourhood.
    pub ego: bool,
    /// How many hops the neighbourhood reaches (1–3).
    pub ego_hops: u8,
    /// Show at most this many actors: the most connected ones (a large import's network is
    /// unreadable whole).
    pub max_actors: usize,
    /// Pinned actors (by id) and where, in layout units.
    pub pins: std::collections::BTreeMap<String, [f32; 2]>,
    /// Colour actors by community instead of kind.
    pub communities: bool,
    /// Lay out in LinLog mode (communities as tight, separate clumps).
    pub lin_log: bool,
    /// Draw interactions only when they stand for at least this many events.
    pub min_edge_events: u32,
}

impl GraphSettings {
    /// The graph these settings show, with `focus` (the selected actor's id) always in it
    /// and, when the neighbourhood is on, at its centre.
    pub fn spec(&self, focus: Option<String>) -> GraphSpec {
        GraphSpec {
            top_n: self.max_actors.max(1),
            hops: (self.ego && focus.is_some()).then_some(self.ego_hops.clamp(1, 3)),
            focus,
            hidden_relations: self.hidden_relations.clone(),
            hidden_actor_kinds: self.hidden_actor_kinds.clone(),
            hide_isolated: self.hide_isolated,
            interactions: self.interactions,
            pins: self.pins.clone(),
            communities: self.communities,
            lin_log: self.lin_log,
            min_edge_events: self.min_edge_events.max(1),
        }
    }
}

impl Default for GraphSettings {
    fn default() -> Self {
        GraphSettings {
            interactions: true,
            hidden_relations: Vec::new(),
            hidden_actor_kinds: Vec::new(),
            hide_isolated: false,
            ego: false,
            ego_hops: 1,
            communities: false,
            max_actors: 60,
            pins: Default::default(),
            lin_log: true,
            min_edge_events: 1,
        }
    }
}

/// Light, dark, or whatever the system says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThemeChoice {
    /// Follow the system.
    #[default]
    System,
    /// Light.
    Light,
    /// Dark.
    Dark,
}

/// A dismissible message (errors of failed loads, row problems of partial ones).
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// One line.
    pub title: String,
    /// Details, one problem per line.
    pub details: Vec<String>,
    /// An error (red) or information.
    pub is_error: bool,
}

/// Which panels the user has hidden or shown, by panel id; a panel not listed is shown.
/// (Saved as a JSON object of booleans, as earlier releases saved their three panels.)
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PanelsShown(pub std::collections::BTreeMap<String, bool>);

impl PanelsShown {
    /// Whether the panel `id` is shown.
    pub fn is_shown(&self, id: &str) -> bool {
        self.0.get(id).copied().unwrap_or(true)
    }

    /// Shows or hides the panel `id`.
    pub fn set(&mut self, id: &str, shown: bool) {
        self.0.insert(id.to_string(), shown);
    }
}

/// What is kept between runs (eframe storage).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Recently opened files, newest first.
    pub recent: Vec<PathBuf>,
    /// The last filter.
    pub filter: Filter,
    /// The last chart settings.
    pub spec: SeriesSpec,
    /// Theme.
    pub theme: ThemeChoice,
    /// Panels shown.
    pub panels: PanelsShown,
    /// The centre's tab.
    pub tab: CentralTab,
    /// The actor graph's settings.
    pub graph: GraphSettings,
    /// The column maps chosen for tables, by the header they were chosen for.
    pub column_maps: Vec<(Vec<String>, ColumnMap)>,
    /// The map's settings and camera.
    pub map: MapSettings,
}

impl Settings {
    /// The settings of a first run: the app opens on the reported figures' chart, the
    /// embedded dataset's headline.
    pub fn first_run() -> Settings {
        Settings {
            tab: CentralTab::Reported,
            ..Settings::default()
        }
    }
}

/// A table being mapped in the column-mapping window: the file, its columns and first rows,
/// and the map so far.
#[derive(Debug, Clone, PartialEq)]
pub struct MappingDraft {
    /// The table.
    pub path: PathBuf,
    /// Its columns.
    pub columns: Vec<String>,
    /// Its first rows.
    pub preview: Vec<Vec<String>>,
    /// The map being made.
    pub map: ColumnMap,
}

/// How many messages are shown at once (the oldest go first).
pub const MESSAGES_SHOWN: usize = 4;

/// How many recent files are remembered.
pub const RECENT_LIMIT: usize = 10;

/// The whole state of the app.
pub struct AppState {
    /// The open dataset.
    pub dataset: LoadedDataset,
    /// The active filter.
    pub filter: Filter,
    /// Timeline settings.
    pub spec: SeriesSpec,
    /// Event list order.
    pub sort: Sort,
    /// What is selected.
    pub selection: Selection,
    /// A load in progress.
    pub loading: Option<Loading>,
    /// Messages to show until dismissed.
    pub messages: Vec<Message>,
    /// Recently opened files.
    pub recent: Vec<PathBuf>,
    /// Theme.
    pub theme: ThemeChoice,
    /// Panels shown.
    pub panels: PanelsShown,
    /// The About window is open.
    pub show_about: bool,
    /// The command palette is open.
    pub palette_open: bool,
    /// Playback through time.
    pub playback: PlaybackState,
    /// The row-problems window is open.
    pub show_problems: bool,
    /// The filters panel should focus its search box (Ctrl+F).
    pub focus_search: bool,
    /// The centre's tab.
    pub tab: CentralTab,
    /// The actor graph's settings.
    pub graph: GraphSettings,
    /// The map's settings and camera.
    pub map: MapSettings,
    /// What the views show: the filter, chart settings and order whose results are ready.
    /// It trails `filter`/`spec`/`sort` while a large dataset is being re-queried.
    pub shown: View,
    /// The view being computed in the background.
    pub preparing: Option<Preparing>,
    /// The Export window's choices, while it is open.
    pub export: Option<ExportSettings>,
    /// An export being written.
    pub exporting: Option<Exporting>,
    /// The column maps chosen for tables, by header (kept between runs).
    pub column_maps: Vec<(Vec<String>, ColumnMap)>,
    /// A table being mapped, while the column-mapping window is open.
    pub mapping: Option<MappingDraft>,
    /// The reported figures' chart: which series, counted events overlaid or not.
    pub reported: ReportedSpec,
    /// The analyst's layer (annotations, notes), its undo history and its workspace file.
    pub layer: super::AnalystLayer,
    /// The comparison view's settings (which groups, events or deaths).
    pub compare: faultline_core::query::compare::CompareSpec,
    /// The list of changes is open.
    pub show_changes: bool,
    /// A place (`[longitude, latitude]`) the map asked to annotate, for the annotations
    /// window to fill in.
    pub annotate_at: Option<[f64; 2]>,
    /// The window that adds an event is open.
    pub show_add_event: bool,
    /// How far apart two events of different datasets may be and still be possibly the same.
    pub match_rules: faultline_core::query::matches::MatchRules,
    /// Where the layer is kept after every change until it is saved (none: not kept).
    pub recovery: Option<PathBuf>,
    /// The answer to "why this number?", while its window is open.
    pub explanation: Option<Explanation>,
}

impl AppState {
    /// A state showing `dataset`, with settings restored.
    pub fn new(dataset: LoadedDataset, settings: Settings) -> AppState {
        AppState {
            dataset,
            filter: settings.filter,
            spec: settings.spec,
            sort: Sort::default(),
            selection: Selection::None,
            loading: None,
            messages: Vec::new(),
            recent: settings.recent,
            theme: settings.theme,
            panels: settings.panels,
            show_about: false,
            palette_open: false,
            playback: PlaybackState::default(),
            show_problems: false,
            focus_search: false,
            tab: settings.tab,
            graph: settings.graph,
            map: settings.map,
            shown: View::default(),
            preparing: None,
            export: None,
            exporting: None,
            column_maps: settings.column_maps,
            mapping: None,
            reported: ReportedSpec::default(),
            layer: super::AnalystLayer::default(),
            show_changes: false,
            annotate_at: None,
            compare: Default::default(),
            show_add_event: false,
            match_rules: Default::default(),
            recovery: None,
            explanation: None,
        }
    }

    /// The id of the selected actor, if an actor is selected.
    pub fn selected_actor_id(&self) -> Option<String> {
        match self.selection {
            Selection::Actor(a) => self
                .dataset
                .store()
                .actors()
                .get(a as usize)
                .map(|a| a.id.clone()),
            _ => None,
        }
    }

    /// What the actor graph shows now: its settings, around the selected actor.
    pub fn graph_spec(&self) -> GraphSpec {
        self.graph.spec(self.selected_actor_id())
    }

    /// The view the user asked for (it may not be ready yet). The graph is part of it only
    /// while its tab is shown.
    pub fn wanted(&self) -> View {
        View {
            filter: self.filter.clone(),
            spec: self.spec,
            sort: self.sort,
            graph: (self.tab == CentralTab::Actors).then(|| self.graph_spec()),
            map: (self.tab == CentralTab::Map)
                .then(|| self.map.spec())
                .flatten(),
            compare: (self.tab == CentralTab::Compare).then(|| self.compare.series_spec()),
        }
    }

    /// True while the views show older results than asked for.
    pub fn is_updating(&self) -> bool {
        self.shown != self.wanted()
    }

    /// Shows a message; only the newest [`MESSAGES_SHOWN`] stay, so a string of failures
    /// never buries the window under dialogs.
    pub fn notify(&mut self, message: Message) {
        self.messages.push(message);
        if self.messages.len() > MESSAGES_SHOWN {
            self.messages.remove(0);
        }
    }

    /// What to persist.
    pub fn settings(&self) -> Settings {
        Settings {
            recent: self.recent.clone(),
            filter: self.filter.clone(),
            spec: self.spec,
            theme: self.theme,
            panels: self.panels.clone(),
            tab: self.tab,
            graph: self.graph.clone(),
            column_maps: self.column_maps.clone(),
            map: self.map,
        }
    }

    /// The export `settings` ask for, of what the screen shows: its filter, timeline, graph
    /// and reported figures.
    pub fn export_request<'a>(&'a self, settings: &ExportSettings) -> ExportRequest<'a> {
        settings.request(super::export_job::Screen {
            filter: &self.shown.filter,
            spec: self.shown.spec,
            graph: self.graph_spec(),
            reported: &self.reported,
            map: self.map.export(),
            skipped: self.dataset.skipped,
            annotations: &self.layer.workspace.annotations,
            compare: &self.compare,
        })
    }

    /// The window title: the dataset's title and the app's name.
    pub fn window_title(&self) -> String {
        format!("{} — Faultline", self.dataset.title())
    }
}
