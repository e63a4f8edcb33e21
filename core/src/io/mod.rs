//! Reading and writing datasets. One module per format; every error says which file, where
//! and what is wrong.

pub mod acled;
pub mod acled_aggregated;
pub mod acled_json;
pub mod atomic;
pub mod combine;
pub mod csv_image;
pub mod csv_records;
pub mod dates;
pub mod detect;
pub mod encoding;
pub mod gdelt;
pub mod import;
pub mod json_records;
pub mod native;
pub mod parquet;
pub mod problem;
pub mod spreadsheet;
pub mod table;
pub mod ucdp;
pub mod untrusted;
pub mod validate;
pub mod workspace;

pub use problem::{LoadError, Place, Problem};

use std::path::Path;

use crate::model::Dataset;
use crate::store::{FileLayer, Store};

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
    /// Any other table of events, read through a column map.
    Table,
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
            Format::Table => "table",
        }
    }
}

/// How to open a file.
#[derive(Default, Clone)]
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
    /// Read the text as this encoding instead of detecting it (`--encoding`).
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Read a table through this column map (`--map`), whatever its columns.
    pub column_map: Option<table::ColumnMap>,
    /// Column maps the user chose for tables with these headers before; a table with one of
    /// these headers is read with its map.
    pub remembered_maps: Vec<(Vec<String>, table::ColumnMap)>,
    /// The sheet of a workbook to read (`--sheet`); by default the first whose columns are a
    /// format Faultline knows.
    pub sheet: Option<String>,
    /// How many groups of an aggregated file become series (`--groups`; default
    /// [`acled_aggregated::DEFAULT_GROUPS`]).
    pub series_groups: Option<usize>,
    /// The workspaces being opened that include this file, outermost first (a workspace
    /// among its own includes is a loop, refused).
    pub including: Vec<std::path::PathBuf>,
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
    /// How many input records were read as reported figures rather than events (ACLED's
    /// aggregated data).
    pub figure_records: usize,
    /// What the reader did that the user should know, one line each ("read as
    /// windows-1252", "monadic ACLED export: 5,658 rows folded into 4,006 events").
    pub notes: Vec<String>,
    /// When the file is a workspace: its layer, its includes and what became of them.
    pub workspace: Option<Box<workspace::OpenedWorkspace>>,
}

impl Opened {
    /// A native dataset, nothing skipped.
    pub fn native(dataset: Dataset) -> Opened {
        Opened::whole(Store::from_dataset(dataset), Format::Faultline)
    }

    /// A store read as `format` with nothing skipped and nothing to note.
    pub fn whole(store: Store, format: Format) -> Opened {
        Opened {
            store,
            format,
            problems: Vec::new(),
            skipped: 0,
            figure_records: 0,
            notes: Vec::new(),
            workspace: None,
        }
    }

    /// The same, its store's one file layer the file at `path`.
    pub fn as_file(mut self, path: &Path) -> Opened {
        // A workspace's view is its included files'.
        if self.workspace.is_some() {
            return self;
        }
        let layer = FileLayer::whole(
            &path.display().to_string(),
            self.format.name(),
            self.store.len(),
            self.skipped,
        );
        self.store.files = vec![layer];
        self
    }

    /// How many input records were read (events and figures kept, plus skipped).
    pub fn records(&self) -> usize {
        self.store.len() + self.figure_records + self.skipped
    }
}

/// Opens a dataset file of any supported format, detected from its content unless
/// `options.format` says otherwise. Reads through a buffered, progress-reporting reader that
/// hands the readers UTF-8 whatever the text's encoding (see [`encoding`]).
pub fn open(path: &Path, options: &OpenOptions) -> Result<Opened, LoadError> {
    read_file(path, options).map(|opened| opened.as_file(path))
}

fn read_file(path: &Path, options: &OpenOptions) -> Result<Opened, LoadError> {
    use std::io::Read as _;
    let io_error = |source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    };
    // A folder is the Parquet shards of one dataset.
    if path.is_dir() {
        return parquet::open(path, options);
    }
    let mut file = std::fs::File::open(path).map_err(io_error)?;
    let total_bytes = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut head = Vec::with_capacity(detect::HEAD_BYTES);
    (&mut file)
        .take(detect::HEAD_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(io_error)?;
    if parquet::is_parquet(&head) || parquet::is_arrow_ipc(&head) {
        return parquet::open(path, options);
    }
    if parquet::is_feather_v1(&head) {
        return Err(feather_v1(path));
    }
    if spreadsheet::is_workbook(&head) {
        let mut bytes = head;
        bytes.reserve(total_bytes as usize);
        file.read_to_end(&mut bytes).map_err(io_error)?;
        return spreadsheet::open(bytes, path, options);
    }
    open_text(head, file, total_bytes, path, options)
}

/// A Feather v1 file: the format before Arrow IPC, which the Arrow readers no longer read.
fn feather_v1(path: &Path) -> LoadError {
    LoadError::invalid(
        path,
        Problem::new(
            Place::at(1, 1),
            "this is a Feather v1 file (the format before 2020), which Faultline cannot read: save it again as Feather v2 (pyarrow.feather.write_feather, R arrow::write_feather) or as Parquet",
        ),
    )
}

/// Opens a dataset held in memory, as [`open`] does a file; `path` only names it in messages.
pub fn open_bytes(bytes: &[u8], path: &Path, options: &OpenOptions) -> Result<Opened, LoadError> {
    let opened = if parquet::is_parquet(bytes) || parquet::is_arrow_ipc(bytes) {
        parquet::open_bytes(bytes, path, options)
    } else if parquet::is_feather_v1(bytes) {
        Err(feather_v1(path))
    } else if spreadsheet::is_workbook(bytes) {
        spreadsheet::open(bytes.to_vec(), path, options)
    } else {
        open_text_bytes(bytes, path, options)
    };
    opened.map(|opened| opened.as_file(path))
}

/// Opens text held in memory (never a workbook).
fn open_text_bytes(bytes: &[u8], path: &Path, options: &OpenOptions) -> Result<Opened, LoadError> {
    let split = bytes.len().min(detect::HEAD_BYTES);
    let (head, rest) = bytes.split_at(split);
    open_text(head.to_vec(), rest, bytes.len() as u64, path, options)
}

/// Opens a text file whose first bytes are `head` and whose other bytes `rest` gives: its
/// encoding decided (a byte-order mark, `options.encoding`, else UTF-8 unless the bytes say
/// otherwise), its format detected from the decoded head, then read.
fn open_text(
    head: Vec<u8>,
    rest: impl std::io::Read,
    total_bytes: u64,
    path: &Path,
    options: &OpenOptions,
) -> Result<Opened, LoadError> {
    use std::io::Read as _;
    let sniffed = encoding::sniff(&head);
    let encoding = options.encoding.or(sniffed.encoding);
    let mut decoded_head = encoding::decode_all(&head[sniffed.bom_len..], encoding);
    // Lines ending in CR alone ("CSV (Macintosh)") are read as lines ending in newlines.
    let cr_alone = csv_records::lines_end_in_cr_alone(&decoded_head);
    if cr_alone {
        csv_records::cr_as_newline(&mut decoded_head);
    }
    let remembered;
    let (detected, options) = match detect_format(&decoded_head, path, options) {
        Ok(detected) => (detected, options),
        Err(error) => match table::preview(&decoded_head) {
            // A table with a header the user mapped before is read with that map.
            Some((columns, _)) if remembered_map(options, &columns).is_some() => {
                remembered = OpenOptions {
                    column_map: remembered_map(options, &columns),
                    ..options.clone()
                };
                (detect::Detected::Table, &remembered)
            }
            // A header with rows; a lone header line is no table of events.
            Some((columns, preview)) if !preview.is_empty() => {
                return Err(LoadError::UnknownTable {
                    path: path.to_path_buf(),
                    columns,
                    preview,
                })
            }
            _ => return Err(error),
        },
    };
    let raw = std::io::Cursor::new(head).chain(rest);
    let mut raw = raw;
    // Skip the byte-order mark.
    std::io::copy(
        &mut (&mut raw).take(sniffed.bom_len as u64),
        &mut std::io::sink(),
    )
    .map_err(|source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    // JSON is UTF-8 by definition: a JSON file is decoded only when its mark or the user
    // names another encoding, and a byte that is not UTF-8 stays an error there.
    let is_json = matches!(
        detected,
        detect::Detected::Faultline | detect::Detected::UcdpJson | detect::Detected::AcledJson
    );
    if is_json && encoding.is_none() {
        return read_as(detected, raw, total_bytes, path, options);
    }
    let reader = encoding::DecodingReader::new(raw, encoding);
    let report = reader.report();
    let mut opened = if cr_alone {
        let reader = csv_records::CrAsNewline::new(reader);
        let mut opened = read_as(detected, reader, total_bytes, path, options)?;
        opened.notes.push(
            "the file's lines end in a carriage return alone (as Excel's \"CSV (Macintosh)\" writes them): each is read as a line".into(),
        );
        opened
    } else {
        read_as(detected, reader, total_bytes, path, options)?
    };
    let note = report.lock().ok().and_then(|r| r.note());
    if let Some(note) = note {
        opened.notes.insert(0, note);
    }
    Ok(opened)
}

/// The map the user chose before for a table with these columns.
fn remembered_map(options: &OpenOptions, columns: &[String]) -> Option<table::ColumnMap> {
    options
        .remembered_maps
        .iter()
        .find(|(header, _)| header == columns)
        .map(|(_, map)| map.clone())
}

/// The format of a file that starts with `head`: detected, or as `options.format` says.
fn detect_format(
    head: &[u8],
    path: &Path,
    options: &OpenOptions,
) -> Result<detect::Detected, LoadError> {
    if options.column_map.is_some() {
        return Ok(detect::Detected::Table);
    }
    Ok(match (options.format, detect::detect(head)) {
        (None, Ok(d)) => d,
        (None, Err(why)) => {
            return Err(LoadError::invalid(path, Problem::new(Place::at(1, 1), why)))
        }
        (Some(Format::Faultline), _) => detect::Detected::Faultline,
        (Some(Format::Table), _) => {
            return Err(LoadError::invalid(
                path,
                Problem::new(
                    Place::at(1, 1),
                    "a table is read with a column map (--map date=COLUMN,…)",
                ),
            ))
        }
        (Some(Format::Acled), Ok(d @ detect::Detected::AcledAggregated))
        | (Some(Format::Acled), Ok(d @ detect::Detected::AcledJson)) => d,
        (Some(Format::Acled), _) => {
            let first = head.iter().find(|b| !b.is_ascii_whitespace());
            if matches!(first, Some(b'{') | Some(b'[')) {
                detect::Detected::AcledJson
            } else {
                detect::Detected::Acled
            }
        }
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
        detect::Detected::Acled
        | detect::Detected::AcledAggregated
        | detect::Detected::UcdpCsv
        | detect::Detected::Gdelt
        | detect::Detected::Table => {
            reader.with_line_limit(options.max_line_bytes.unwrap_or(import::MAX_LINE_BYTES))
        }
        detect::Detected::Faultline | detect::Detected::UcdpJson | detect::Detected::AcledJson => {
            reader
        }
    };
    match detected {
        detect::Detected::Faultline => {
            let mut reader = reader;
            let bytes = reader.read_all().map_err(|e| import::read_error(path, e))?;
            let (store, layer) = native::store_and_workspace_from_bytes(&bytes, path)?;
            if layer.is_empty() {
                Ok(Opened::whole(store, Format::Faultline))
            } else {
                workspace::assemble(path, store, layer, options)
            }
        }
        detect::Detected::Acled | detect::Detected::Table => acled::read(reader, path, options),
        detect::Detected::UcdpCsv => ucdp::read_csv(reader, path, options),
        detect::Detected::UcdpJson => ucdp::read_json(reader, path, options),
        detect::Detected::AcledJson => acled_json::read(reader, path, options),
        detect::Detected::AcledAggregated => acled_aggregated::read(reader, path, options),
        detect::Detected::Gdelt => gdelt::read(reader, path, options),
    }
}
