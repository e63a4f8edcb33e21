//! Writing an export on a background thread: a large event list or a 4× picture takes a
//! moment, and the window keeps drawing meanwhile. A failure (or a panic) becomes a message;
//! the file it was meant to replace is untouched (the write is atomic).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::{mpsc, Arc};
use std::time::Duration;

use faultline_core::export::{render, ExportKind, ExportRequest};
use faultline_core::query::{Engine, Filter, SeriesSpec};

/// The Export window's choices: what, as what, and how the picture looks.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportSettings {
    /// Which view, as which kind of file.
    pub kind: ExportKind,
    /// The picture's title (pictures only); empty for the default.
    pub title: String,
    /// PNG resolution: 1, 2 or 4.
    pub scale: u32,
    /// Picture size in CSS pixels.
    pub size: (u32, u32),
}

impl ExportSettings {
    /// The CLI's defaults for `kind`, so the same choices give the same file.
    pub fn new(kind: ExportKind) -> ExportSettings {
        ExportSettings {
            kind,
            title: String::new(),
            scale: 1,
            size: (1200, 675),
        }
    }

    /// The request for the export engine, over `filter` and `spec`.
    pub fn request<'a>(&self, filter: &'a Filter, spec: SeriesSpec) -> ExportRequest<'a> {
        ExportRequest {
            kind: self.kind,
            filter,
            spec,
            title: (!self.title.trim().is_empty()).then(|| self.title.clone()),
            size: self.size,
            scale: self.scale,
        }
    }
}

/// An export being written.
pub struct Exporting {
    /// Where to.
    pub path: PathBuf,
    outcome: mpsc::Receiver<Result<(), String>>,
}

impl Exporting {
    /// Renders and writes on a worker thread; `wake` is called when it is done.
    pub fn start(
        engine: Arc<Engine>,
        settings: ExportSettings,
        filter: Filter,
        spec: SeriesSpec,
        path: PathBuf,
        wake: impl Fn() + Send + Sync + 'static,
    ) -> Exporting {
        let (sender, outcome) = mpsc::channel();
        let job = {
            let path = path.clone();
            move || {
                let result = catch_unwind(AssertUnwindSafe(|| {
                    let bytes = render(&engine, &settings.request(&filter, spec))
                        .map_err(|e| e.to_string())?;
                    faultline_core::io::atomic::write_atomic(&path, &bytes)
                        .map_err(|e| e.to_string())
                }));
                let outcome = result.unwrap_or_else(|panic| {
                    Err(format!(
                        "the exporter crashed ({}); this is a bug in Faultline{}",
                        crate::crash::panic_text(panic.as_ref()),
                        crate::crash::last_report()
                            .map(|r| format!(". A crash report was written to {}", r.display()))
                            .unwrap_or_default()
                    ))
                });
                let _ = sender.send(outcome);
                wake();
            }
        };
        let _ = std::thread::Builder::new()
            .name("faultline-export".into())
            .spawn(job);
        Exporting { path, outcome }
    }

    /// The outcome, once written (or failed).
    pub fn poll(&self) -> Option<Result<(), String>> {
        match self.outcome.try_recv() {
            Ok(o) => Some(o),
            Err(mpsc::TryRecvError::Empty) => None,
            Err(mpsc::TryRecvError::Disconnected) => {
                Some(Err("the exporter stopped without an answer".into()))
            }
        }
    }

    /// Waits for the outcome (for tests and scripted use).
    pub fn wait(&self, timeout: Duration) -> Option<Result<(), String>> {
        self.outcome.recv_timeout(timeout).ok()
    }
}
