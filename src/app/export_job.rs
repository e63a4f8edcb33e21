//! Writing an export as a [`Job`]: a large event list or a 4× picture takes a moment, and the
//! window keeps drawing meanwhile. A failure (or a panic) becomes a message; the file it was
//! meant to replace is untouched (the write is atomic).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use faultline_core::export::map::MapExport;
use faultline_core::export::{render, ExportError, ExportKind, ExportRequest};
use faultline_core::query::reported::ReportedSpec;
use faultline_core::query::{Engine, Filter, GraphSpec, SeriesSpec};

use super::job::{Job, JobFailure, Waker};

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
    /// CSV: the ids of the events behind each number too.
    pub with_ids: bool,
    /// GIF: the playback steps it animates.
    pub animation: faultline_core::query::playback::PlaybackSpec,
}

impl ExportSettings {
    /// The CLI's defaults for `kind`, so the same choices give the same file.
    pub fn new(kind: ExportKind) -> ExportSettings {
        ExportSettings {
            kind,
            title: String::new(),
            scale: 1,
            with_ids: false,
            animation: Default::default(),
            size: if kind.chart == faultline_core::export::Chart::Brief {
                faultline_core::export::brief::A4
            } else {
                (1200, 675)
            },
        }
    }

    /// The request for the export engine, over what the screen shows: its filter, timeline
    /// settings, graph settings, reported figures' chart, map and annotations.
    pub fn request<'a>(&self, screen: Screen<'a>) -> ExportRequest<'a> {
        ExportRequest {
            annotations: screen.annotations,
            kind: self.kind,
            filter: screen.filter,
            spec: screen.spec,
            graph: screen.graph,
            reported: screen.reported.clone(),
            skipped: screen.skipped,
            with_ids: self.with_ids,
            title: (!self.title.trim().is_empty()).then(|| self.title.clone()),
            size: self.size,
            scale: self.scale,
            map: screen.map,
            animation: (self.animation, 500),
            compare: screen.compare.clone(),
        }
    }
}

/// What the screen shows, as an export draws it.
pub struct Screen<'a> {
    /// The filter.
    pub filter: &'a Filter,
    /// The timeline's settings.
    pub spec: SeriesSpec,
    /// The graph's settings.
    pub graph: GraphSpec,
    /// The reported figures' chart.
    pub reported: &'a ReportedSpec,
    /// The map's settings and view.
    pub map: MapExport,
    /// Records skipped when the dataset was read.
    pub skipped: usize,
    /// The analyst's annotations.
    pub annotations: &'a [faultline_core::model::Annotation],
    /// The comparison's settings.
    pub compare: &'a faultline_core::query::compare::CompareSpec,
}

/// Why an export wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum ExportFailure {
    /// The picture or table could not be made.
    #[error(transparent)]
    Render(#[from] ExportError),
    /// The file could not be written.
    #[error("cannot write the file: {0}")]
    Write(#[from] std::io::Error),
    /// The exporter crashed.
    #[error(transparent)]
    Crashed(#[from] JobFailure),
}

/// What the exporter is given: everything it needs, owned, so it runs on its own thread.
pub struct ExportOrder {
    /// The dataset's queries.
    pub engine: Arc<Engine>,
    /// The Export window's choices.
    pub settings: ExportSettings,
    /// The filter on screen.
    pub filter: Filter,
    /// The timeline's settings on screen.
    pub spec: SeriesSpec,
    /// The graph's settings on screen.
    pub graph: GraphSpec,
    /// The reported figures' chart on screen.
    pub reported: ReportedSpec,
    /// The map's settings and view on screen.
    pub map: MapExport,
    /// Records skipped when the dataset was read.
    pub skipped: usize,
    /// The analyst's annotations.
    pub annotations: Vec<faultline_core::model::Annotation>,
    /// The comparison's settings on screen.
    pub compare: faultline_core::query::compare::CompareSpec,
    /// Where to write.
    pub path: PathBuf,
}

/// An export being written.
pub struct Exporting {
    /// Where to.
    pub path: PathBuf,
    job: Job<Result<(), ExportFailure>>,
}

impl Exporting {
    /// Renders and writes on a worker thread; `wake` is called when it is done.
    pub fn start(order: ExportOrder, wake: Waker) -> Exporting {
        let path = order.path.clone();
        let job = Job::start("exporter", 0, wake, move |_| {
            let request = order.settings.request(Screen {
                filter: &order.filter,
                spec: order.spec,
                graph: order.graph.clone(),
                reported: &order.reported,
                map: order.map,
                skipped: order.skipped,
                annotations: &order.annotations,
                compare: &order.compare,
            });
            let bytes = render(&order.engine, &request)?;
            faultline_core::io::atomic::write_atomic(&order.path, &bytes)?;
            Ok(())
        });
        Exporting { path, job }
    }

    /// The outcome, once written (or failed).
    pub fn poll(&self) -> Option<Result<(), ExportFailure>> {
        self.job.poll().map(|r| r.unwrap_or_else(|e| Err(e.into())))
    }

    /// Waits for the outcome (for tests and scripted use).
    pub fn wait(&self, timeout: Duration) -> Option<Result<(), ExportFailure>> {
        self.job
            .wait(timeout)
            .map(|r| r.unwrap_or_else(|e| Err(e.into())))
    }
}
