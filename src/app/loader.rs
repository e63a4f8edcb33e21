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
    /// The file.
    pub path: PathBuf,
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
    job: Job<Result<LoadedDataset, LoadError>>,
}

impl Loading {
    /// Starts a load; `wake` is called whenever there is progress to show.
    pub fn start(request: LoadRequest, wake: Waker) -> Loading {
        let LoadRequest {
            path,
            column_map,
            remembered_maps,
        } = request;
        Loading::start_with(path, wake, move |path, options| {
            let options = OpenOptions {
                column_map,
                remembered_maps,
                ..options.clone()
            };
            io::open(path, &options).map(|o| LoadedDataset::new(o, Some(path.to_path_buf())))
        })
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

fn outcome(result: Result<Result<LoadedDataset, LoadError>, JobFailure>) -> LoadOutcome {
    match result {
        Ok(Ok(dataset)) => LoadOutcome::Loaded(Box::new(dataset)),
        Ok(Err(LoadError::Cancelled { .. })) => LoadOutcome::Cancelled,
        Ok(Err(e)) => LoadOutcome::Failed(e),
        Err(failure) => LoadOutcome::Crashed(failure),
    }
}
