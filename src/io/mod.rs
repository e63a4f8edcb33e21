//! Reading and writing datasets. One module per format; every error says which file, where
//! and what is wrong.

pub mod atomic;
pub mod dates;
pub mod native;
pub mod problem;
pub mod validate;

pub use problem::{LoadError, Place, Problem};

use std::path::Path;

use crate::model::Dataset;

/// The file formats Faultline reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Format {
    /// Faultline's native JSON.
    Faultline,
}

impl Format {
    /// The name used in `summary --json` and `--format`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Faultline => "faultline",
        }
    }
}

/// How to open a file.
#[derive(Default)]
pub struct OpenOptions<'a> {
    /// Force a format instead of detecting it from the content.
    pub format: Option<Format>,
    /// Fail on the first bad record instead of skipping it.
    pub strict: bool,
    /// Called with (bytes read, total bytes) as the file is read.
    pub progress: Option<&'a (dyn Fn(u64, u64) + Sync)>,
    /// Set to true (from another thread) to stop reading; the load then fails as cancelled.
    pub cancel: Option<&'a std::sync::atomic::AtomicBool>,
}

/// A dataset read from a file, with what was skipped on the way.
#[derive(Debug)]
pub struct Opened {
    /// The data.
    pub dataset: Dataset,
    /// The format it was read as.
    pub format: Format,
    /// One problem per skipped record (empty for a clean file).
    pub problems: Vec<Problem>,
}

impl Opened {
    /// A native dataset, nothing skipped.
    pub fn native(dataset: Dataset) -> Opened {
        Opened {
            dataset,
            format: Format::Faultline,
            problems: Vec::new(),
        }
    }

    /// How many input records were skipped.
    pub fn skipped(&self) -> usize {
        self.problems.len()
    }
}

/// Opens a dataset file of any supported format.
pub fn open(path: &Path, options: &OpenOptions) -> Result<Opened, LoadError> {
    let _ = options;
    native::load(path).map(Opened::native)
}
