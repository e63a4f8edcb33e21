//! Loading a file on a background thread, with progress, cancel, and a worker panic turned
//! into a message instead of a lost app.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use super::dataset::LoadedDataset;
use faultline_core::io::{self, LoadError, OpenOptions};

/// How a load ended.
pub enum LoadOutcome {
    /// The dataset, ready.
    Loaded(Box<LoadedDataset>),
    /// The file could not be read; the message names the file and where.
    Failed(LoadError),
    /// The user cancelled.
    Cancelled,
    /// The reader panicked (a bug): the message says so.
    Crashed(String),
}

/// A load in progress.
pub struct Loading {
    /// The file.
    pub path: PathBuf,
    read_bytes: Arc<AtomicU64>,
    total_bytes: Arc<AtomicU64>,
    cancel: Arc<AtomicBool>,
    outcome: mpsc::Receiver<LoadOutcome>,
}

impl Loading {
    /// Starts loading `path`; `wake` is called whenever there is progress to show.
    pub fn start(path: PathBuf, wake: impl Fn() + Send + Sync + 'static) -> Loading {
        Loading::start_with(path, wake, |path, options| {
            io::open(path, options).map(|o| LoadedDataset::new(o, Some(path.to_path_buf())))
        })
    }

    /// Starts `read` on a worker thread, as [`Loading::start`] does with the file readers
    /// (tests hand it readers that fail, hang or panic).
    pub fn start_with(
        path: PathBuf,
        wake: impl Fn() + Send + Sync + 'static,
        read: impl FnOnce(&std::path::Path, &OpenOptions) -> Result<LoadedDataset, LoadError>
            + Send
            + 'static,
    ) -> Loading {
        let read_bytes = Arc::new(AtomicU64::new(0));
        let total_bytes = Arc::new(AtomicU64::new(
            std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0),
        ));
        let cancel = Arc::new(AtomicBool::new(false));
        let (sender, outcome) = mpsc::channel();
        let job = {
            let (path, read_bytes, total_bytes, cancel) = (
                path.clone(),
                read_bytes.clone(),
                total_bytes.clone(),
                cancel.clone(),
            );
            move || {
                let wake = Arc::new(wake);
                let progress = {
                    let wake = wake.clone();
                    move |read: u64, total: u64| {
                        read_bytes.store(read, Ordering::Relaxed);
                        total_bytes.store(total, Ordering::Relaxed);
                        wake();
                    }
                };
                let result = catch_unwind(AssertUnwindSafe(|| {
                    let options = OpenOptions {
                        progress: Some(&progress),
                        cancel: Some(&cancel),
                        ..OpenOptions::default()
                    };
                    read(&path, &options)
                }));
                let outcome = match result {
                    Ok(Ok(dataset)) => LoadOutcome::Loaded(Box::new(dataset)),
                    Ok(Err(LoadError::Cancelled { .. })) => LoadOutcome::Cancelled,
                    Ok(Err(e)) => LoadOutcome::Failed(e),
                    Err(panic) => LoadOutcome::Crashed(format!(
                        "{}: the reader crashed ({}). This is a bug in Faultline; the open dataset was kept.{}",
                        path.display(),
                        super::panic_text(panic.as_ref()),
                        crate::crash::last_report()
                            .map(|r| format!(" A crash report was written to {}.", r.display()))
                            .unwrap_or_default()
                    )),
                };
                let _ = sender.send(outcome);
                wake();
            }
        };
        // If the thread cannot start, the sender is dropped and `poll` reports it.
        let _ = std::thread::Builder::new()
            .name("faultline-loader".into())
            .spawn(job);
        Loading {
            path,
            read_bytes,
            total_bytes,
            cancel,
            outcome,
        }
    }

    /// Fraction done, 0–1.
    pub fn fraction(&self) -> f32 {
        let total = self.total_bytes.load(Ordering::Relaxed).max(1);
        (self.read_bytes.load(Ordering::Relaxed) as f64 / total as f64).min(1.0) as f32
    }

    /// Asks the loader to stop.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// The outcome, if the load has ended.
    pub fn poll(&self) -> Option<LoadOutcome> {
        match self.outcome.try_recv() {
            Ok(o) => Some(o),
            Err(mpsc::TryRecvError::Empty) => None,
            Err(mpsc::TryRecvError::Disconnected) => Some(LoadOutcome::Crashed(format!(
                "{}: the loader stopped without an answer; the open dataset was kept.",
                self.path.display()
            ))),
        }
    }

    /// Waits for the outcome (for tests and scripted use).
    pub fn wait(&self, timeout: Duration) -> Option<LoadOutcome> {
        self.outcome.recv_timeout(timeout).ok()
    }
}
