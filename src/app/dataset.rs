//! A dataset as the app holds it: the query engine over its store, plus what it was read
//! from, what was skipped, and the option lists the filters panel offers.

use std::path::PathBuf;
use std::sync::Arc;

use faultline_core::io::workspace::Corrected;
use faultline_core::io::{Format, Opened, Problem};
use faultline_core::model::Correction;
use faultline_core::query::{Engine, Facets};
use faultline_core::store::Store;

/// The open dataset.
pub struct LoadedDataset {
    /// Queries over the store.
    pub engine: Arc<Engine>,
    /// The file it came from (the first of several); `None` for the embedded dataset.
    pub path: Option<PathBuf>,
    /// The further files read into the same view, in order.
    pub also: Vec<PathBuf>,
    /// The embedded dataset is in the view too, before the files (a file was added to it).
    pub with_embedded: bool,
    /// The format it was read as.
    pub format: Format,
    /// Problems of skipped rows (the first ones).
    pub problems: Vec<Problem>,
    /// How many rows were skipped.
    pub skipped: usize,
    /// What the reader noted (the encoding it read, rows it folded, tags it recognised).
    pub notes: Vec<String>,
    /// When it was opened from a workspace: the layer, the includes and the own records.
    pub workspace: Option<Box<faultline_core::io::workspace::OpenedWorkspace>>,
    /// The file layer of the store that holds the analyst's own records, if any.
    pub own_layer: Option<usize>,
    /// Which revision of the analyst's own records the store shows (`None`: not known).
    pub own_revision: Option<u64>,
    /// The analyst's corrections the store was asked to show.
    pub corrections: Vec<Correction>,
    /// Those it shows, each with the value it replaced.
    pub corrected: Vec<Corrected>,
}

/// An engine over `store` with its option lists counted (on the calling thread, a loader's
/// rather than the first frame's) and the notes folded for the free-text filter in the
/// background while the user looks at the first views (0.2 s at a million events), so the
/// first search is as quick as the next; a search typed before it is done waits for it.
fn ready_engine(store: Store) -> Arc<Engine> {
    let engine = Arc::new(Engine::new(Arc::new(store)));
    engine.facets();
    let ahead = engine.clone();
    let _ = std::thread::Builder::new()
        .name("faultline-search".into())
        .spawn(move || ahead.prepare_search());
    engine
}

impl LoadedDataset {
    /// Wraps what a reader returned.
    pub fn new(opened: Opened, path: Option<PathBuf>) -> LoadedDataset {
        let engine = ready_engine(opened.store);
        let (corrections, corrected) = opened
            .workspace
            .as_ref()
            .map(|w| (w.layer.corrections.clone(), w.corrected.clone()))
            .unwrap_or_default();
        LoadedDataset {
            engine,
            path,
            also: Vec::new(),
            with_embedded: false,
            format: opened.format,
            problems: opened.problems,
            skipped: opened.skipped,
            notes: opened.notes,
            workspace: opened.workspace,
            own_layer: None,
            own_revision: None,
            corrections,
            corrected,
        }
    }

    /// A dataset over an engine already made (its queries' caches kept), read from no file.
    pub fn of_engine(engine: Arc<Engine>) -> LoadedDataset {
        LoadedDataset {
            engine,
            path: None,
            also: Vec::new(),
            with_embedded: false,
            format: Format::Faultline,
            problems: Vec::new(),
            skipped: 0,
            notes: Vec::new(),
            workspace: None,
            own_layer: None,
            own_revision: None,
            corrections: Vec::new(),
            corrected: Vec::new(),
        }
    }

    /// The embedded seed dataset.
    pub fn seed() -> Result<LoadedDataset, faultline_core::io::LoadError> {
        let seed = Opened::native(faultline_core::seed::seed_dataset()?);
        let name = std::path::Path::new(faultline_core::seed::SEED_NAME);
        Ok(LoadedDataset::new(seed.as_file(name), None))
    }

    /// The store.
    pub fn store(&self) -> &Store {
        self.engine.store()
    }

    /// The option lists of the filters and the per-actor counts.
    pub fn facets(&self) -> &Facets {
        self.engine.facets()
    }

    /// The same dataset over another store (its files, problems and notes kept), with an
    /// engine of its own.
    pub fn with_store(&self, store: Store) -> LoadedDataset {
        let engine = ready_engine(store);
        LoadedDataset {
            engine,
            path: self.path.clone(),
            also: self.also.clone(),
            with_embedded: self.with_embedded,
            format: self.format,
            problems: self.problems.clone(),
            skipped: self.skipped,
            notes: self.notes.clone(),
            workspace: self.workspace.clone(),
            own_layer: self.own_layer,
            own_revision: self.own_revision,
            corrections: self.corrections.clone(),
            corrected: self.corrected.clone(),
        }
    }

    /// The correction shown for the first of `fields` of event `id`, if the analyst
    /// corrected one.
    pub fn corrected(
        &self,
        id: &str,
        fields: &[faultline_core::model::Field],
    ) -> Option<&Corrected> {
        self.corrected
            .iter()
            .find(|c| c.correction.event == id && fields.contains(&c.correction.field))
    }

    /// The files on disk in the view, in order.
    pub fn paths(&self) -> Vec<PathBuf> {
        self.path.iter().chain(&self.also).cloned().collect()
    }

    /// The dataset's title.
    pub fn title(&self) -> &str {
        &self.store().meta.title
    }
}
