//! The command line: `faultline [FILE...]`, `faultline summary`, `faultline convert`.
//! Exit codes: 0 success; 2 invalid input (message on stderr starting `error:`); 1 other
//! failures.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use faultline_core::export::map::MapExport;
use faultline_core::io::{self, LoadError, OpenOptions, Opened};
use faultline_core::layout::map::Projection;
use faultline_core::model::GeoBox;
use faultline_core::query::map::{ColourBy, MapLayer};
use faultline_core::query::reported::ReportedSpec;
use faultline_core::seed;
use faultline_core::summary::{render_text, Summary};

/// Faultline: read armed-conflict event datasets through linked views.
#[derive(Debug, Parser)]
#[command(name = "faultline", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// What to do; without a command, open the app.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Datasets to open in the app (native JSON, ACLED/UCDP CSV, UCDP GeoJSON, GDELT TSV).
    pub files: Vec<PathBuf>,
}

/// The input flags shared by the commands that read a dataset.
#[derive(Debug, Clone, clap::Args)]
pub struct InputArgs {
    /// Read the input as this format instead of detecting it from its content.
    #[arg(long, value_parser = format_parser())]
    pub format: Option<io::Format>,
    /// Fail on the first bad record instead of skipping it and reporting it.
    #[arg(long)]
    pub strict: bool,
    /// Read the text as this encoding ("utf-8", "windows-1252", "latin1", "utf-16le", …)
    /// instead of detecting it.
    #[arg(long, value_parser = encoding_parser)]
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Read a table of events whose columns Faultline does not know, saying which column is
    /// which: date=COLUMN (required) and any of actor1, actor2, type, subtype, country,
    /// admin1, place, lat, lon, fatalities, notes, id, source (e.g.
    /// --map "date=Date,actor1=Perpetrator,type=Category,lat=Y,lon=X").
    #[arg(long, value_parser = faultline_core::io::table::ColumnMap::parse)]
    pub map: Option<faultline_core::io::table::ColumnMap>,
    /// Read this sheet of an Excel or OpenDocument workbook instead of the first whose
    /// columns Faultline knows.
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// For ACLED's aggregated data: how many groups (country · admin1 · event type, the
    /// largest first) become reported series.
    #[arg(long, value_name = "N", default_value_t = faultline_core::io::acled_aggregated::DEFAULT_GROUPS)]
    pub groups: usize,
}

fn encoding_parser(label: &str) -> Result<&'static encoding_rs::Encoding, String> {
    faultline_core::io::encoding::for_label(label).ok_or_else(|| {
        format!(
            "{label:?} is not an encoding (try utf-8, windows-1252, latin1, utf-16le, utf-16be)"
        )
    })
}

/// A command.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate a dataset and print what it holds (no FILE: the embedded dataset; several:
    /// the files in one view, with what each gave).
    Summary {
        /// The datasets to read, as one view; omit for the embedded seed dataset.
        files: Vec<PathBuf>,
        /// Print one JSON object instead of a table.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Export a chart as PNG or SVG, its data as CSV, or the filtered events as CSV or native
    /// JSON (no FILE: the embedded dataset).
    Export(Box<ExportArgs>),
    /// Write a brief of the dataset under the filter flags — its reported figures, timeline,
    /// actor network, top actors, places and event types, statements, sources and method —
    /// as a PDF or one self-contained HTML file (no FILE: the embedded dataset).
    Brief(Box<BriefArgs>),
    /// Write a dataset in the native format, or as Parquet when --out ends in .parquet (no
    /// INPUT: the embedded dataset).
    Convert {
        /// The datasets to read (files, or folders of Parquet shards; several are merged as
        /// one view shows them); omit for the embedded seed dataset.
        inputs: Vec<PathBuf>,
        /// Where to write the native JSON, or Parquet for a .parquet name (replaced only on
        /// success).
        #[arg(long, short)]
        out: PathBuf,
        #[command(flatten)]
        input_args: InputArgs,
    },
}

/// Which chart to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ChartArg {
    /// The reported figures, each over the days it covers (.png, .svg or .csv).
    Series,
    /// Events (and reported figures) over time.
    Timeline,
    /// The actor network.
    Actors,
    /// Where the events took place (.png, .svg, or the placed events as .csv).
    Map,
    /// The filtered event list (.csv or .json).
    Events,
    /// Two groups side by side over time with the difference (.png, .svg or .csv): two
    /// files by default (--group-by source), or two of --group-by's groups.
    Compare,
}

/// What a comparison counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MeasureArg {
    /// Events.
    Events,
    /// Deaths.
    Deaths,
}

/// Bucket widths on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BucketArg {
    /// Days.
    Day,
    /// ISO weeks.
    Week,
    /// Months.
    Month,
    /// Quarters.
    Quarter,
    /// Years.
    Year,
}

/// Groupings on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GroupArg {
    /// By event type.
    Type,
    /// By actor 1.
    Actor,
    /// By the file each event came from (with several files).
    #[value(alias = "file")]
    Source,
    /// No grouping.
    None,
}

/// The filter flags of `export` and `brief`.
#[derive(Debug, Clone, clap::Args)]
pub struct FilterArgs {
    /// First day (YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<chrono::NaiveDate>,
    /// Last day (YYYY-MM-DD).
    #[arg(long)]
    pub to: Option<chrono::NaiveDate>,
    /// Only events with this actor (name or id; repeat for several).
    #[arg(long)]
    pub actor: Vec<String>,
    /// Only events of this type (repeat for several).
    #[arg(long = "type")]
    pub event_type: Vec<String>,
    /// Only events in this country (repeat for several).
    #[arg(long)]
    pub country: Vec<String>,
    /// Only events mentioning these words.
    #[arg(long)]
    pub text: Option<String>,
    /// Only events whose coordinates lie in this box: WEST,SOUTH,EAST,NORTH in degrees (a box
    /// across the antimeridian has WEST > EAST).
    #[arg(long, value_parser = GeoBox::parse, allow_hyphen_values = true)]
    pub bbox: Option<GeoBox>,
}

/// Paper sizes of the brief.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PaperArg {
    /// ISO A4.
    A4,
    /// US Letter.
    Letter,
}

/// The `brief` command's flags.
#[derive(Debug, Clone, clap::Args)]
pub struct BriefArgs {
    /// The datasets to read, as one view; omit for the embedded seed dataset.
    pub files: Vec<PathBuf>,
    /// Output file: .pdf (pages) or .html (one self-contained page).
    #[arg(long, short)]
    pub out: PathBuf,
    /// Title (default: the dataset's).
    #[arg(long)]
    pub title: Option<String>,
    /// Paper size of the PDF.
    #[arg(long, value_enum, default_value = "a4")]
    pub paper: PaperArg,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[command(flatten)]
    pub input: InputArgs,
}

/// The `export` command's flags.
#[derive(Debug, Clone, clap::Args)]
pub struct ExportArgs {
    /// The datasets to read, as one view; omit for the embedded seed dataset.
    pub files: Vec<PathBuf>,
    /// Which chart.
    #[arg(long, value_enum)]
    pub chart: ChartArg,
    /// Output file; its extension picks the format: .png, .svg, .csv (and .json for events).
    #[arg(long, short)]
    pub out: PathBuf,
    /// Bucket width of the timeline.
    #[arg(long, value_enum, default_value = "month")]
    pub bucket: BucketArg,
    /// Stack the timeline's bars by this.
    #[arg(long, value_enum, default_value = "none")]
    pub group_by: GroupArg,
    /// Resolution multiplier for PNG (1, 2 or 4).
    #[arg(long, default_value_t = 1, value_parser = parse_scale)]
    pub scale: u32,
    /// Width in pixels (at scale 1; 320 to 16384).
    #[arg(long, default_value_t = 1200, value_parser = clap::value_parser!(u32).range(320..=16384))]
    pub width: u32,
    /// Height in pixels (at scale 1; 240 to 16384).
    #[arg(long, default_value_t = 675, value_parser = clap::value_parser!(u32).range(240..=16384))]
    pub height: u32,
    /// Title (default: from the data).
    #[arg(long)]
    pub title: Option<String>,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Comparison: count events or deaths.
    #[arg(long, value_enum, default_value = "events")]
    pub measure: MeasureArg,
    /// Comparison: a group to put side by side (give it twice: first, then second; default:
    /// the two largest). With the default --group-by, the files' names.
    #[arg(long, value_name = "NAME")]
    pub side: Vec<String>,
    /// Reported figures: chart this series (its id; repeat for several of one unit; default:
    /// every series of the unit with the most dated figures).
    #[arg(long)]
    pub series: Vec<String>,
    /// Reported figures: overlay the dataset's events (under the filter flags) counted over
    /// each figure's days.
    #[arg(long)]
    pub counted: bool,
    /// CSV of the timeline or the network: add the ids of the events behind each number
    /// (space-separated; a stated relation's own id).
    #[arg(long)]
    pub with_ids: bool,
    /// Actor network: show at most this many actors, the most connected ones.
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub top: u32,
    /// Actor network: always show this actor (name or id); with --hops, only its neighbourhood.
    #[arg(long)]
    pub around: Option<String>,
    /// Actor network: how many hops of --around's neighbourhood to show (1 to 3).
    #[arg(long, requires = "around", value_parser = clap::value_parser!(u8).range(1..=3))]
    pub hops: Option<u8>,
    /// Actor network: draw only these stated relation kinds (comma-separated, e.g.
    /// "backs,member_of"; default: all).
    #[arg(long, value_delimiter = ',')]
    pub relations: Vec<String>,
    /// Actor network: leave out actors of these kinds (comma-separated, e.g. "person,state").
    #[arg(long, value_delimiter = ',')]
    pub hide_kinds: Vec<String>,
    /// Actor network: leave out the interactions derived from events (stated relations only).
    #[arg(long)]
    pub no_interactions: bool,
    /// Actor network: leave out actors with no edge shown.
    #[arg(long)]
    pub hide_isolated: bool,
    /// Actor network: colour actors by community (groups more tied to each other than to
    /// the rest) instead of by kind.
    #[arg(long)]
    pub communities: bool,
    /// Actor network: lay out with linear attraction instead of LinLog (LinLog, the
    /// default, draws communities as tight, separate clumps).
    #[arg(long)]
    pub linear_layout: bool,
    /// Actor network: draw an interaction only when at least N events stand behind it
    /// (stated relations are always drawn).
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub min_edge_events: u32,
    /// Animate: draw the timeline, the actor network or the map once per step of the events'
    /// time, each frame titled with its period; --out is a .gif, or a folder for numbered PNG
    /// frames.
    #[arg(long, value_enum)]
    pub animate: Option<BucketArg>,
    /// Animate: each frame shows everything up to its step, not only the step's own days.
    #[arg(long, requires = "animate")]
    pub cumulative: bool,
    /// Animate: how long each frame of a GIF shows, in milliseconds.
    #[arg(long, default_value_t = 500, requires = "animate", value_parser = clap::value_parser!(u16).range(20..=10_000))]
    pub frame_ms: u16,
    /// Map: the projection.
    #[arg(long, default_value = "equirect", value_parser = key_parser(Projection::ALL.map(Projection::key), Projection::from_key))]
    pub projection: Projection,
    /// Map: what the markers' colour says.
    #[arg(long = "color-by", default_value = "type", value_parser = key_parser(ColourBy::ALL.map(ColourBy::key), ColourBy::from_key))]
    pub colour_by: ColourBy,
    /// Map: draw the events as markers, their density, or countries shaded by their events
    /// ("auto": markers, or density over 20,000 events in view).
    #[arg(long, default_value = "auto", value_parser = key_parser(MapLayer::ALL.map(MapLayer::key), MapLayer::from_key))]
    pub layer: MapLayer,
    #[command(flatten)]
    pub input: InputArgs,
}

/// A flag whose values are the keys of a core enum, listed in `--help` and in errors.
fn key_parser<T: Clone + Send + Sync + 'static, const N: usize>(
    keys: [&'static str; N],
    from_key: fn(&str) -> Option<T>,
) -> impl clap::builder::TypedValueParser<Value = T> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(keys)
        .try_map(move |key: String| from_key(&key).ok_or_else(|| format!("unknown value {key}")))
}

/// `--format`: the names of the core's formats, listed in `--help` and in errors.
fn format_parser() -> impl clap::builder::TypedValueParser<Value = io::Format> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(io::Format::ALL.map(io::Format::name))
        .map(|name: String| io::Format::from_name(&name).unwrap_or(io::Format::Faultline))
}

fn parse_scale(text: &str) -> Result<u32, String> {
    match text {
        "1" => Ok(1),
        "2" => Ok(2),
        "4" => Ok(4),
        _ => Err(format!("{text:?} is not 1, 2 or 4")),
    }
}

/// Exit code for invalid input.
pub const EXIT_BAD_INPUT: u8 = 2;
/// Exit code for any other failure.
pub const EXIT_FAILURE: u8 = 1;

/// What a command read: the data, and each file's skipped records to report.
pub struct Input {
    /// The files' data as one view (or the embedded dataset).
    pub opened: Opened,
    /// Each file read, its problems and how many of its records it skipped.
    pub skipped_rows: Vec<(PathBuf, Vec<io::Problem>, usize)>,
}

/// Reads the named files as one view, or the embedded dataset when there are none.
pub fn open_input(files: &[PathBuf], args: &InputArgs) -> Result<Input, LoadError> {
    let options = OpenOptions {
        format: args.format,
        strict: args.strict,
        encoding: args.encoding,
        column_map: args.map.clone(),
        sheet: args.sheet.clone(),
        series_groups: Some(args.groups),
        ..OpenOptions::default()
    };
    if files.is_empty() {
        return Ok(Input {
            opened: seed::seed_dataset().map(Opened::native)?,
            skipped_rows: Vec::new(),
        });
    }
    let mut parts = Vec::with_capacity(files.len());
    let mut skipped_rows = Vec::new();
    for path in files {
        let mut opened = io::open(path, &options)?;
        let problems = std::mem::take(&mut opened.problems);
        skipped_rows.push((path.clone(), problems, opened.skipped));
        parts.push(opened);
    }
    let opened = if parts.len() == 1 {
        parts.remove(0)
    } else {
        io::combine::combine(parts)
    };
    Ok(Input {
        opened,
        skipped_rows,
    })
}

fn report_load_error(err: &LoadError) -> ExitCode {
    eprintln!("error: {err}");
    ExitCode::from(if err.is_bad_input() {
        EXIT_BAD_INPUT
    } else {
        EXIT_FAILURE
    })
}

/// Prints the row problems of a partial import to stderr, file by file (the first 20 of
/// each, then a count).
fn report_row_problems(input: &Input) {
    for (path, problems, skipped) in &input.skipped_rows {
        if *skipped > 0 {
            eprintln!(
                "warning: {} record(s) skipped:\n{}",
                skipped,
                io::problem::list_problems(path, problems, *skipped).trim_end()
            );
        }
    }
}

/// The format a summary names: the file's, or each format of several files joined by "+"
/// ("acled+ucdp").
fn format_of(opened: &Opened) -> String {
    let mut names: Vec<&str> = Vec::new();
    for layer in &opened.store.files {
        if !names.contains(&layer.format.as_str()) {
            names.push(&layer.format);
        }
    }
    if names.is_empty() {
        opened.format.name().to_string()
    } else {
        names.join("+")
    }
}

/// Runs the `summary` command.
pub fn summary(files: &[PathBuf], json: bool, args: &InputArgs) -> ExitCode {
    let input = match open_input(files, args) {
        Ok(o) => o,
        Err(e) => return report_load_error(&e),
    };
    let opened = &input.opened;
    let mut summary = Summary::of(&opened.store, &format_of(opened), opened.skipped);
    summary.annotations = annotations_of(opened).len();
    summary.corrections = opened.workspace.as_ref().map_or(0, |w| w.corrected.len());
    summary.figure_records = opened.figure_records;
    summary.records += opened.figure_records;
    summary.notes = opened.notes.clone();
    let text = if json {
        match serde_json::to_string_pretty(&summary) {
            Ok(text) => text + "\n",
            Err(e) => {
                eprintln!("error: cannot write the summary: {e}");
                return ExitCode::from(EXIT_FAILURE);
            }
        }
    } else {
        render_text(&summary, &opened.store)
    };
    if let Err(e) = write_stdout(&text) {
        eprintln!("error: cannot write the summary: {e}");
        return ExitCode::from(EXIT_FAILURE);
    }
    report_row_problems(&input);
    // The process ends here and the system takes its memory back at once: freeing a million
    // events piece by piece first would only make the command slower.
    std::mem::forget(input);
    ExitCode::SUCCESS
}

/// Writes to standard output. A reader that stops early (`faultline summary | head`) is not
/// an error: the rest is simply not wanted.
fn write_stdout(text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Runs the `convert` command.
pub fn convert(inputs: &[PathBuf], out: &Path, args: &InputArgs) -> ExitCode {
    let input = match open_input(inputs, args) {
        Ok(o) => o,
        Err(e) => return report_load_error(&e),
    };
    report_row_problems(&input);
    let opened = input.opened;
    let is_parquet = out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("parquet"));
    let saved = if is_parquet {
        io::parquet::save_store(out, &opened.store)
    } else {
        io::native::save(out, &opened.store.to_dataset())
    };
    if let Err(e) = saved {
        eprintln!("error: {}: cannot write: {e}", out.display());
        return ExitCode::from(EXIT_FAILURE);
    }
    eprintln!(
        "wrote {} ({} events, {} actors)",
        out.display(),
        opened.store.len(),
        opened.store.actors().len()
    );
    ExitCode::SUCCESS
}

/// Runs the `export` command.
pub fn export(args: &ExportArgs) -> ExitCode {
    use faultline_core::export::ExportRequest;
    use faultline_core::query::Engine;

    let bad = |message: String| {
        eprintln!("error: {message}");
        ExitCode::from(EXIT_BAD_INPUT)
    };
    let kind = match args.animate {
        Some(_) => match animation_kind(args) {
            Ok(kind) => kind,
            Err(message) => return bad(message),
        },
        None => match export_kind(args) {
            Ok(kind) => kind,
            Err(message) => return bad(message),
        },
    };
    let opened = match open_input(&args.files, &args.input) {
        Ok(o) => o.opened,
        Err(e) => return report_load_error(&e),
    };
    let opened_skipped = opened.skipped;
    let annotations = annotations_of(&opened);
    let store = std::sync::Arc::new(opened.store);
    let (filter, graph) = match (filter_of(&args.filter, &store), graph_spec_of(args, &store)) {
        (Ok(filter), Ok(graph)) => (filter, graph),
        (Err(message), _) | (_, Err(message)) => return bad(message),
    };
    let engine = Engine::new(store);
    let compare = match compare_spec_of(args, &engine, &filter) {
        Ok(spec) => spec,
        Err(message) => return bad(message),
    };
    let request = ExportRequest {
        kind,
        filter: &filter,
        spec: series_spec_of(args),
        compare,
        annotations: &annotations,
        graph,
        reported: ReportedSpec {
            series: args.series.clone(),
            counted: args.counted,
        },
        skipped: opened_skipped,
        with_ids: args.with_ids,
        title: args.title.clone(),
        size: (args.width, args.height),
        scale: args.scale,
        map: MapExport {
            layer: args.layer,
            colour_by: args.colour_by,
            projection: args.projection,
            view: args.filter.bbox,
        },
        animation: (
            faultline_core::query::playback::PlaybackSpec {
                step: bucket_of(args.animate.unwrap_or(BucketArg::Month)),
                cumulative: args.cumulative,
            },
            args.frame_ms,
        ),
    };
    if args.animate.is_some() && kind.format == faultline_core::export::FileFormat::Png {
        write_frames(&engine, &request, &args.out)
    } else {
        render_and_write(&engine, &request, &args.out)
    }
}

/// The annotations of a workspace read (none for a plain dataset).
fn annotations_of(opened: &Opened) -> Vec<faultline_core::model::Annotation> {
    opened
        .workspace
        .as_ref()
        .map(|w| w.layer.annotations.clone())
        .unwrap_or_default()
}

/// What `--animate` writes: a GIF when `--out` ends in .gif, else PNG frames into a folder;
/// only the timeline, the network and the map animate.
fn animation_kind(args: &ExportArgs) -> Result<faultline_core::export::ExportKind, String> {
    use faultline_core::export::{Chart, ExportKind, FileFormat};
    let chart = chart_of(args.chart);
    if !matches!(chart, Chart::Timeline | Chart::Network | Chart::Map) {
        return Err(format!(
            "the {} cannot be animated (the timeline, the actor network and the map can)",
            chart.label().to_lowercase()
        ));
    }
    let out = &args.out;
    match out.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("gif") => Ok(ExportKind::new(chart, FileFormat::Gif)),
        Some(_) if !out.is_dir() => Err(format!(
            "{}: an animation is written as a .gif, or as PNG frames into a folder",
            out.display()
        )),
        _ => Ok(ExportKind::new(chart, FileFormat::Png)),
    }
}

/// Writes an animation's frames as numbered PNGs (`0001-2024-10.png`, …) into the folder
/// `out` (made if missing), each written atomically.
fn write_frames(
    engine: &faultline_core::query::Engine,
    request: &faultline_core::export::ExportRequest,
    out: &Path,
) -> ExitCode {
    use faultline_core::export::animate::render_frames;
    use faultline_core::export::FileFormat;
    if let Err(e) = std::fs::create_dir_all(out) {
        eprintln!("error: {}: cannot make the folder: {e}", out.display());
        return ExitCode::from(EXIT_FAILURE);
    }
    let mut write_error = None;
    let (spec, _) = request.animation;
    let written = render_frames(engine, request, spec, FileFormat::Png, |k, step, png| {
        let path = out.join(format!("{:04}-{}.png", k + 1, step.key));
        if let Err(e) = faultline_core::io::atomic::write_atomic(&path, &png) {
            write_error.get_or_insert(format!("{}: cannot write: {e}", path.display()));
        }
        Ok(())
    });
    match (written, write_error) {
        (_, Some(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(EXIT_FAILURE)
        }
        (Ok(n), None) => {
            eprintln!("wrote {n} frames to {}", out.display());
            ExitCode::SUCCESS
        }
        (Err(e), None) => {
            eprintln!("error: {}: {e}", out.display());
            ExitCode::from(EXIT_BAD_INPUT)
        }
    }
}

/// Runs the `brief` command.
pub fn brief(args: &BriefArgs) -> ExitCode {
    use faultline_core::export::{brief, Chart, ExportKind, ExportRequest, FileFormat};
    use faultline_core::query::Engine;

    let bad = |message: String| {
        eprintln!("error: {message}");
        ExitCode::from(EXIT_BAD_INPUT)
    };
    let extension = args.out.extension().and_then(|e| e.to_str()).unwrap_or("");
    let format = match FileFormat::from_extension(extension) {
        Some(f @ (FileFormat::Pdf | FileFormat::Html)) => f,
        _ => {
            return bad(format!(
                "{}: a brief is written as .pdf or .html, not {extension:?}",
                args.out.display()
            ))
        }
    };
    let input = match open_input(&args.files, &args.input) {
        Ok(o) => o,
        Err(e) => return report_load_error(&e),
    };
    report_row_problems(&input);
    let opened = input.opened;
    let skipped = opened.skipped;
    let annotations = annotations_of(&opened);
    let store = std::sync::Arc::new(opened.store);
    let filter = match filter_of(&args.filter, &store) {
        Ok(f) => f,
        Err(message) => return bad(message),
    };
    let engine = Engine::new(store);
    let request = ExportRequest {
        kind: ExportKind::new(Chart::Brief, format),
        filter: &filter,
        annotations: &annotations,
        spec: Default::default(),
        graph: Default::default(),
        reported: Default::default(),
        skipped,
        with_ids: false,
        title: args.title.clone(),
        size: match args.paper {
            PaperArg::A4 => brief::A4,
            PaperArg::Letter => brief::LETTER,
        },
        scale: 1,
        map: Default::default(),
        animation: Default::default(),
        compare: Default::default(),
    };
    render_and_write(&engine, &request, &args.out)
}

/// Renders an export and writes it atomically to `out`: exit 2 when it cannot be made (the
/// message names the file), 1 when it cannot be written.
fn render_and_write(
    engine: &faultline_core::query::Engine,
    request: &faultline_core::export::ExportRequest,
    out: &Path,
) -> ExitCode {
    let bytes = match faultline_core::export::render(engine, request) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {}: {e}", out.display());
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    if let Err(e) = faultline_core::io::atomic::write_atomic(out, &bytes) {
        eprintln!("error: {}: cannot write: {e}", out.display());
        return ExitCode::from(EXIT_FAILURE);
    }
    eprintln!("wrote {}", out.display());
    ExitCode::SUCCESS
}

/// The chart `--chart` names.
fn chart_of(chart: ChartArg) -> faultline_core::export::Chart {
    use faultline_core::export::Chart;
    match chart {
        ChartArg::Series => Chart::Reported,
        ChartArg::Timeline => Chart::Timeline,
        ChartArg::Actors => Chart::Network,
        ChartArg::Map => Chart::Map,
        ChartArg::Events => Chart::Events,
        ChartArg::Compare => Chart::Compare,
    }
}

/// The bucket size a `--bucket` or `--animate` value names.
fn bucket_of(bucket: BucketArg) -> faultline_core::query::BucketSize {
    use faultline_core::query::BucketSize;
    match bucket {
        BucketArg::Day => BucketSize::Day,
        BucketArg::Week => BucketSize::Week,
        BucketArg::Month => BucketSize::Month,
        BucketArg::Quarter => BucketSize::Quarter,
        BucketArg::Year => BucketSize::Year,
    }
}

/// What to write, from `--chart` and the output's extension.
fn export_kind(args: &ExportArgs) -> Result<faultline_core::export::ExportKind, String> {
    use faultline_core::export::{ExportKind, FileFormat};
    let extension = args
        .out
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default();
    let chart = chart_of(args.chart);
    match FileFormat::from_extension(extension) {
        Some(format) if ExportKind::new(chart, format).is_supported() => {
            Ok(ExportKind::new(chart, format))
        }
        _ => {
            let names: Vec<String> = chart
                .formats()
                .iter()
                .map(|f| format!(".{}", f.extension()))
                .collect();
            Err(format!(
                "{}: the {} can be exported as {}, not {:?}",
                args.out.display(),
                chart.label().to_lowercase(),
                names.join(", "),
                extension
            ))
        }
    }
}

/// The actor with this name, id or alias (any case).
fn find_actor<'a>(
    store: &'a faultline_core::store::Store,
    flag: &str,
    name: &str,
) -> Result<&'a faultline_core::model::Actor, String> {
    let wanted = name.to_lowercase();
    store
        .actors()
        .iter()
        .find(|a| {
            a.id.to_lowercase() == wanted
                || a.name.to_lowercase() == wanted
                || a.aliases.iter().any(|x| x.to_lowercase() == wanted)
        })
        .ok_or_else(|| format!("{flag} {name:?}: no actor has that name or id"))
}

/// The filter the flags describe.
fn filter_of(
    args: &FilterArgs,
    store: &faultline_core::store::Store,
) -> Result<faultline_core::query::Filter, String> {
    let actors = args
        .actor
        .iter()
        .map(|name| find_actor(store, "--actor", name).map(|a| a.id.clone()))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(faultline_core::query::Filter {
        from: args.from,
        to: args.to,
        actors,
        event_types: args.event_type.clone(),
        countries: args.country.clone(),
        text: args.text.clone().unwrap_or_default(),
        region: args.bbox,
        ..Default::default()
    })
}

/// The timeline's buckets and grouping.
fn series_spec_of(args: &ExportArgs) -> faultline_core::query::SeriesSpec {
    use faultline_core::query::{GroupBy, SeriesSpec};
    SeriesSpec {
        bucket: bucket_of(args.bucket),
        group_by: match args.group_by {
            GroupArg::Type => GroupBy::EventType,
            GroupArg::Actor => GroupBy::Actor,
            GroupArg::Source => GroupBy::File,
            GroupArg::None => GroupBy::None,
        },
        ..SeriesSpec::default()
    }
}

/// The comparison `--group-by`, `--measure` and `--side` ask for (grouped by file unless
/// `--group-by` says otherwise); a `--side` no group has is refused with the groups named.
fn compare_spec_of(
    args: &ExportArgs,
    engine: &faultline_core::query::Engine,
    filter: &faultline_core::query::Filter,
) -> Result<faultline_core::query::compare::CompareSpec, String> {
    use faultline_core::query::compare::{CompareSpec, Measure};
    use faultline_core::query::GroupBy;
    if args.side.len() > 2 {
        return Err(format!(
            "--side is given {} times: a comparison has two sides",
            args.side.len()
        ));
    }
    let mut spec = CompareSpec {
        bucket: bucket_of(args.bucket),
        group_by: match series_spec_of(args).group_by {
            GroupBy::None => GroupBy::File,
            other => other,
        },
        measure: match args.measure {
            MeasureArg::Events => Measure::Events,
            MeasureArg::Deaths => Measure::Deaths,
        },
        sides: [None, None],
    };
    if args.chart != ChartArg::Compare || args.side.is_empty() {
        return Ok(spec);
    }
    let series = engine.time_series(filter, spec.series_spec());
    for (k, name) in args.side.iter().enumerate() {
        if !series.groups.iter().any(|g| &g.name == name) {
            let names: Vec<&str> = series.groups.iter().map(|g| g.name.as_str()).collect();
            return Err(format!(
                "--side {name:?}: no such group by {} in this view (there are: {})",
                spec.group_by.label(),
                names.join(", ")
            ));
        }
        spec.sides[k] = Some(name.clone());
    }
    Ok(spec)
}

/// A kind named on the command line: its snake_case name ("member_of") or its label
/// ("member of"), any case.
fn parse_kind<K: Copy>(
    flag: &str,
    text: &str,
    all: &[K],
    label: impl Fn(K) -> &'static str,
) -> Result<K, String> {
    let wanted = text.trim().to_lowercase().replace(['_', '-'], " ");
    all.iter()
        .copied()
        .find(|&k| label(k) == wanted)
        .ok_or_else(|| {
            let names: Vec<String> = all.iter().map(|&k| label(k).replace(' ', "_")).collect();
            format!("{flag} {text:?}: not one of {}", names.join(", "))
        })
}

/// What the actor network shows, from the network flags.
fn graph_spec_of(
    args: &ExportArgs,
    store: &faultline_core::store::Store,
) -> Result<faultline_core::query::GraphSpec, String> {
    use faultline_core::model::{ActorKind, RelationKind};
    let shown = args
        .relations
        .iter()
        .map(|r| parse_kind("--relations", r, &RelationKind::ALL, RelationKind::label))
        .collect::<Result<Vec<_>, _>>()?;
    let hidden_actor_kinds = args
        .hide_kinds
        .iter()
        .map(|k| parse_kind("--hide-kinds", k, &ActorKind::ALL, ActorKind::label))
        .collect::<Result<Vec<_>, _>>()?;
    let focus = match &args.around {
        Some(name) => Some(find_actor(store, "--around", name)?.id.clone()),
        None => None,
    };
    Ok(faultline_core::query::GraphSpec {
        top_n: args.top as usize,
        focus,
        hops: args.hops,
        hidden_relations: RelationKind::ALL
            .into_iter()
            .filter(|k| !shown.is_empty() && !shown.contains(k))
            .collect(),
        hidden_actor_kinds,
        hide_isolated: args.hide_isolated,
        interactions: !args.no_interactions,
        pins: Default::default(),
        communities: args.communities,
        lin_log: !args.linear_layout,
        min_edge_events: args.min_edge_events.max(1),
    })
}

/// Prints this process's peak resident memory to stderr ("peak memory: 12345 kB"), from
/// `/proc/self/status` (Linux); nothing elsewhere. For the tests and benchmarks that bound it.
pub fn report_peak_memory() {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    if let Some(line) = status.lines().find(|l| l.starts_with("VmHWM:")) {
        let kb = line.trim_start_matches("VmHWM:").trim();
        eprintln!("peak memory: {kb}");
    }
}
