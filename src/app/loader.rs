//! Loading a file as a [`Job`]: progress, cancel, and a reader's panic turned into a message
//! instead of a lost app.

use std::path::{Path, PathBuf};
use std::time::Duration;

use faultline_core::io::table::ColumnMap;
use faultline_core::io::{self, LoadError, OpenOptions};

use super::dataset::LoadedDataset;
use super::job::{Job, JobFailure, Waker};

/// How a load ended.
pub enum LoadOutcome {
    /// The dataset, ready.
    Loaded(Box<LoadedDataset>),
    /// The file could not be read; the error names the file and where.
    Failed(LoadError),
    /// The user cancelled.
    Cancelled,
    /// The reader panicked or vanished (a bug).
    Crashed(JobFailure),
}

/// What to load, and how.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadRequest {
    /// The file (the first of several).
    pub path: PathBuf,
    /// Further files read into the same view, in order.
    pub also: Vec<PathBuf>,
    /// The embedded dataset comes first in the view (a file was added to it).
    pub with_embedded: bool,
    /// The filter and the view stay as they are (files were added or removed).
    pub keep_view: bool,
    /// Read it as a table through this map.
    pub column_map: Option<ColumnMap>,
    /// The maps chosen before, by header (a table with one of these headers uses its map).
    pub remembered_maps: Vec<(Vec<String>, ColumnMap)>,
}

/// A load in progress.
pub struct Loading {
    /// The file.
    pub path: PathBuf,
    /// The column map and the header it is for, to remember when the load succeeds.
    pub remember: Option<(Vec<String>, ColumnMap)>,
    /// The filter and the view stay as they are when the load succeeds.
    pub keep_view: bool,
    job: Job<Result<LoadedDataset, LoadError>>,
}

impl Loading {
    /// Starts a load; `wake` is called whenever there is progress to show.
    pub fn start(request: LoadRequest, wake: Waker) -> Loading {
        let LoadRequest {
            path,
            also,
            with_embedded,
            keep_view,
            column_map,
            remembered_maps,
        } = request;
        let mut loading = Loading::start_with(path, wake, move |path, options| {
            let options = OpenOptions {
                column_map,
                remembered_maps,
                ..options.clone()
            };
            read_view(path, &also, with_embedded, &options)
        });
        loading.keep_view = keep_view;
        loading
    }

    /// Starts `read` as the load of `path`, as [`Loading::start`] does with the file readers
    /// (tests hand it readers that fail, hang or panic).
    pub fn start_with(
        path: PathBuf,
        wake: Waker,
        read: impl FnOnce(&Path, &OpenOptions) -> Result<LoadedDataset, LoadError> + Send + 'static,
    ) -> Loading {
        let total = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        let file = path.clone();
        let job = Job::start("reader", total, wake, move |cx| {
            let progress = |read: u64, total: u64| cx.progress(read, total);
            let options = OpenOptions {
                progress: Some(&progress),
                cancel: Some(cx.cancel_flag()),
                ..OpenOptions::default()
            };
            read(&file, &options)
        });
        Loading {
            path,
            remember: None,
            keep_view: false,
            job,
        }
    }

    /// Fraction done, 0–1.
    pub fn fraction(&self) -> f32 {
        self.job.fraction()
    }

    /// Asks the loader to stop.
    pub fn cancel(&self) {
        self.job.cancel();
    }

    /// The outcome, if the load has ended.
    pub fn poll(&self) -> Option<LoadOutcome> {
        self.job.poll().map(outcome)
    }

    /// Waits for the outcome (for tests and scripted use).
    pub fn wait(&self, timeout: Duration) -> Option<LoadOutcome> {
        self.job.wait(timeout).map(outcome)
    }
}

/// Reads `path` (after the embedded dataset, when asked) and the files `also` into one view.
/// With several files, each file's skipped records are told in the notes, by file and line.
fn read_view(
    path: &Path,
    also: &[PathBuf],
    with_embedded: bool,
    options: &OpenOptions,
) -> Result<LoadedDataset, LoadError> {
    if also.is_empty() && !with_embedded {
        return io::open(path, options).map(|o| LoadedDataset::new(o, Some(path.to_path_buf())));
    }
    let mut parts = Vec::with_capacity(also.len() + 2);
    if with_embedded {
        let seed = faultline_core::seed::seed_dataset()?;
        parts.push(io::Opened::native(seed).as_file(Path::new(faultline_core::seed::SEED_NAME)));
    }
    let mut skipped_lines = Vec::new();
    for file in std::iter::once(path).chain(also.iter().map(PathBuf::as_path)) {
        let mut opened = io::open(file, options)?;
        let problems = std::mem::take(&mut opened.problems);
        skipped_lines.extend(problems.iter().take(5).map(|p| p.display_in(file)));
        if opened.skipped > problems.len().min(5) {
            skipped_lines.push(format!(
                "{}: and {} more skipped",
                file.display(),
                opened.skipped - problems.len().min(5)
            ));
        }
        parts.push(opened);
    }
    let mut combined = io::combine::combine(parts);
    skipped_lines.append(&mut combined.notes);
    combined.notes = skipped_lines;
    let mut dataset = LoadedDataset::new(combined, Some(path.to_path_buf()));
    // Found here, on the loader's thread, rather than when an event is first selected.
    dataset.engine.possible_matches(&Default::default());
    dataset.also = also.to_vec();
    dataset.with_embedded = with_embedded;
    Ok(dataset)
}

fn outcome(result: Result<Result<LoadedDataset, LoadError>, JobFailure>) -> LoadOutcome {
    match result {
        Ok(Ok(dataset)) => LoadOutcome::Loaded(Box::new(dataset)),
        Ok(Err(LoadError::Cancelled { .. })) => LoadOutcome::Cancelled,
        Ok(Err(e)) => LoadOutcome::Failed(e),
        Err(failure) => LoadOutcome::Crashed(failure),
    }
}
