//! Reading and writing datasets. One module per format; every error says which file, where
//! and what is wrong.

pub mod acled;
pub mod atomic;
pub mod dates;
pub mod detect;
pub mod gdelt;
pub mod import;
pub mod native;
pub mod problem;
pub mod ucdp;
pub mod validate;

pub use problem::{LoadError, Place, Problem};

use std::path::Path;

use crate::model::Dataset;
use crate::store::Store;

/// The file formats Faultline reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Faultline's native JSON.
    Faultline,
    /// ACLED CSV exports.
    Acled,
    /// UCDP GED, as CSV or GeoJSON/JSON.
    Ucdp,
    /// GDELT 1.0 and 2.0 event exports (tab-separated).
    Gdelt,
}

impl Format {
    /// Every format, in the order `--format` lists them.
    pub const ALL: [Format; 4] = [
        Format::Faultline,
        Format::Acled,
        Format::Ucdp,
        Format::Gdelt,
    ];

    /// The format a name (as [`Format::name`] gives it) stands for.
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The name used in `summary --json` and `--format`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Faultline => "faultline",
            Format::Acled => "acled",
            Format::Ucdp => "ucdp",
            Format::Gdelt => "gdelt",
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
    /// The longest line a line-based format may have (default [`import::MAX_LINE_BYTES`]).
    pub max_line_bytes: Option<u64>,
}

/// A dataset read from a file, with what was skipped on the way.
#[derive(Debug)]
pub struct Opened {
    /// The data, in columns.
    pub store: Store,
    /// The format it was read as.
    pub format: Format,
    /// One problem per skipped record (the first [`import::PROBLEMS_KEPT`]).
    pub problems: Vec<Problem>,
    /// How many input records were skipped.
    pub skipped: usize,
}

impl Opened {
    /// A native dataset, nothing skipped.
    pub fn native(dataset: Dataset) -> Opened {
        Opened {
            store: Store::from_dataset(dataset),
            format: Format::Faultline,
            problems: Vec::new(),
            skipped: 0,
        }
    }

    /// How many input records were read (kept plus skipped).
    pub fn records(&self) -> usize {
        self.store.len() + self.skipped
    }
}

/// Opens a dataset file of any supported format, detected from its content unless
/// `options.format` says otherwise. Reads through a buffered, progress-reporting reader.
pub fn open(path: &Path, options: &OpenOptions) -> Result<Opened, LoadError> {
    use std::io::Read as _;
    let io_error = |source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(io_error)?;
    let total_bytes = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut head = Vec::with_capacity(detect::HEAD_BYTES);
    (&mut file)
        .take(detect::HEAD_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(io_error)?;
    let detected = detect_format(&head, path, options)?;
    let reader = std::io::Cursor::new(head).chain(file);
    read_as(detected, reader, total_bytes, path, options)
}

/// Opens a dataset held in memory, as [`open`] does a file; `path` only names it in messages.
pub fn open_bytes(bytes: &[u8], path: &Path, options: &OpenOptions) -> Result<Opened, LoadError> {
    let head = &bytes[..bytes.len().min(detect::HEAD_BYTES)];
    let detected = detect_format(head, path, options)?;
    read_as(detected, bytes, bytes.len() as u64, path, options)
}

/// The format of a file that starts with `head`: detected, or as `options.format` says.
fn detect_format(
    head: &[u8],
    path: &Path,
    options: &OpenOptions,
) -> Result<detect::Detected, LoadError> {
    Ok(match (options.format, detect::detect(head)) {
        (None, Ok(d)) => d,
        (None, Err(why)) => {
            return Err(LoadError::invalid(path, Problem::new(Place::at(1, 1), why)))
        }
        (Some(Format::Faultline), _) => detect::Detected::Faultline,
        (Some(Format::Acled), _) => detect::Detected::Acled,
        (Some(Format::Gdelt), _) => detect::Detected::Gdelt,
        (Some(Format::Ucdp), _) => {
            let first = head.iter().find(|b| !b.is_ascii_whitespace());
            if matches!(first, Some(b'{') | Some(b'[')) {
                detect::Detected::UcdpJson
            } else {
                detect::Detected::UcdpCsv
            }
        }
    })
}

/// Reads a whole input (from its first byte) as the `detected` format.
pub fn read_as(
    detected: detect::Detected,
    reader: impl std::io::Read,
    total_bytes: u64,
    path: &Path,
    options: &OpenOptions,
) -> Result<Opened, LoadError> {
    use std::io::Read as _;
    let io_error = |source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    };
    // Without a UTF-8 byte-order mark.
    let mut reader = std::io::BufReader::with_capacity(1 << 16, reader);
    let bom = std::io::BufRead::fill_buf(&mut reader).map_err(io_error)?;
    if bom.starts_with(b"\xEF\xBB\xBF") {
        std::io::BufRead::consume(&mut reader, 3);
    }
    let reader = import::ProgressReader::new(reader, total_bytes, options);
    // Line-based formats have short lines; JSON may be one long line.
    let reader = match detected {
        detect::Detected::Acled | detect::Detected::UcdpCsv | detect::Detected::Gdelt => {
            reader.with_line_limit(options.max_line_bytes.unwrap_or(import::MAX_LINE_BYTES))
        }
        detect::Detected::Faultline | detect::Detected::UcdpJson => reader,
    };
    match detected {
        detect::Detected::Faultline => {
            let mut bytes = Vec::with_capacity(total_bytes as usize);
            let mut reader = reader;
            reader
                .read_to_end(&mut bytes)
                .map_err(|e| import::read_error(path, e))?;
            native::store_from_bytes(&bytes, path).map(|store| Opened {
                store,
                format: Format::Faultline,
                problems: Vec::new(),
                skipped: 0,
            })
        }
        detect::Detected::Acled => acled::read(reader, path, options),
        detect::Detected::UcdpCsv => ucdp::read_csv(reader, path, options),
        detect::Detected::UcdpJson => ucdp::read_json(reader, path, options),
        detect::Detected::Gdelt => gdelt::read(reader, path, options),
    }
}
