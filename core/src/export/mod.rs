//! Charts and data leaving the app: the timeline and the actor network as PNG, SVG or CSV,
//! the filtered event list as CSV or as a native file. One chart description, one renderer
//! (SVG, rasterised for PNG), used by both the CLI and the app's Export window. No GUI types.

pub mod animate;
pub mod brief;
pub mod compare;
pub mod events;
pub mod map;
pub mod network;
pub mod raster;
pub mod reported;
pub mod svg;
pub mod timeline;

pub use raster::RasterError;
pub use timeline::{timeline_csv, TimelineChart};

use crate::query::{Engine, Filter, GraphSpec, SeriesSpec};
use crate::store::Store;

/// What is exported: which view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Chart {
    /// The reported figures (never counted events), each over the days it covers.
    Reported,
    /// The timeline (counts per bucket and reported series).
    Timeline,
    /// The actor network.
    Network,
    /// The map of where the events took place.
    Map,
    /// Two groups (files, actors, countries…) side by side over time, with the difference.
    Compare,
    /// The brief: every view and table of the filtered events, with their sources.
    Brief,
    /// The filtered event list.
    Events,
}

impl Chart {
    /// Every view, in menu order.
    pub const ALL: [Chart; 7] = [
        Chart::Reported,
        Chart::Timeline,
        Chart::Compare,
        Chart::Map,
        Chart::Network,
        Chart::Events,
        Chart::Brief,
    ];

    /// Name in menus.
    pub fn label(self) -> &'static str {
        match self {
            Chart::Reported => "Reported figures",
            Chart::Timeline => "Timeline",
            Chart::Network => "Actor network",
            Chart::Map => "Map",
            Chart::Compare => "Comparison",
            Chart::Events => "Event list",
            Chart::Brief => "Brief",
        }
    }

    /// The file formats this view can be exported as, the first being the default.
    pub fn formats(self) -> &'static [FileFormat] {
        match self {
            Chart::Reported | Chart::Compare => {
                &[FileFormat::Png, FileFormat::Svg, FileFormat::Csv]
            }
            Chart::Timeline | Chart::Network | Chart::Map => &[
                FileFormat::Png,
                FileFormat::Svg,
                FileFormat::Csv,
                FileFormat::Gif,
            ],
            Chart::Events => &[FileFormat::Csv, FileFormat::Json, FileFormat::Parquet],
            Chart::Brief => &[FileFormat::Pdf, FileFormat::Html],
        }
    }
}

/// The kind of file written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileFormat {
    /// A raster picture.
    Png,
    /// A vector picture.
    Svg,
    /// The data as comma-separated values.
    Csv,
    /// A native Faultline file.
    Json,
    /// A document of pages.
    Pdf,
    /// One self-contained web page.
    Html,
    /// An animated picture: one frame per playback step.
    Gif,
    /// The events as a flat Parquet table (polars, DuckDB, Spark), the rest of the dataset
    /// in its metadata.
    Parquet,
}

impl FileFormat {
    /// The file extension (lower case, no dot).
    pub fn extension(self) -> &'static str {
        match self {
            FileFormat::Png => "png",
            FileFormat::Svg => "svg",
            FileFormat::Csv => "csv",
            FileFormat::Json => "json",
            FileFormat::Pdf => "pdf",
            FileFormat::Html => "html",
            FileFormat::Gif => "gif",
            FileFormat::Parquet => "parquet",
        }
    }

    /// The format a file extension names (any case), if any.
    pub fn from_extension(ext: &str) -> Option<FileFormat> {
        [
            FileFormat::Png,
            FileFormat::Svg,
            FileFormat::Csv,
            FileFormat::Json,
            FileFormat::Pdf,
            FileFormat::Html,
            FileFormat::Gif,
            FileFormat::Parquet,
        ]
        .into_iter()
        .find(|f| f.extension().eq_ignore_ascii_case(ext))
    }

    /// Whether it is a picture (has a size, a title and a scale).
    pub fn is_picture(self) -> bool {
        matches!(self, FileFormat::Png | FileFormat::Svg | FileFormat::Gif)
    }

    /// Name in menus.
    pub fn label(self) -> &'static str {
        match self {
            FileFormat::Png => "PNG image",
            FileFormat::Svg => "SVG (vector)",
            FileFormat::Csv => "CSV data",
            FileFormat::Json => "Faultline JSON",
            FileFormat::Pdf => "PDF (pages)",
            FileFormat::Html => "HTML (one file)",
            FileFormat::Gif => "GIF (animated, a frame per playback step)",
            FileFormat::Parquet => "Parquet (for polars, DuckDB, Spark)",
        }
    }
}

/// What to export, as what.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ExportKind {
    /// Which view.
    pub chart: Chart,
    /// As which kind of file.
    pub format: FileFormat,
}

impl ExportKind {
    /// The timeline as an SVG picture.
    pub const TIMELINE_SVG: ExportKind = ExportKind::new(Chart::Timeline, FileFormat::Svg);
    /// The timeline as a PNG picture.
    pub const TIMELINE_PNG: ExportKind = ExportKind::new(Chart::Timeline, FileFormat::Png);
    /// The timeline's data as CSV.
    pub const TIMELINE_CSV: ExportKind = ExportKind::new(Chart::Timeline, FileFormat::Csv);
    /// The actor network as an SVG picture.
    pub const NETWORK_SVG: ExportKind = ExportKind::new(Chart::Network, FileFormat::Svg);
    /// The actor network as a PNG picture.
    pub const NETWORK_PNG: ExportKind = ExportKind::new(Chart::Network, FileFormat::Png);
    /// The actor network's edges as CSV.
    pub const NETWORK_CSV: ExportKind = ExportKind::new(Chart::Network, FileFormat::Csv);
    /// The filtered events as CSV.
    pub const EVENTS_CSV: ExportKind = ExportKind::new(Chart::Events, FileFormat::Csv);
    /// The filtered events as a native file.
    pub const EVENTS_JSON: ExportKind = ExportKind::new(Chart::Events, FileFormat::Json);
    /// The filtered events as Parquet.
    pub const EVENTS_PARQUET: ExportKind = ExportKind::new(Chart::Events, FileFormat::Parquet);

    /// `chart` as `format` (see [`Chart::formats`] for the pairs that make sense).
    pub const fn new(chart: Chart, format: FileFormat) -> ExportKind {
        ExportKind { chart, format }
    }

    /// Whether this view can be written as this format.
    pub fn is_supported(self) -> bool {
        self.chart.formats().contains(&self.format)
    }

    /// The file extension.
    pub fn extension(self) -> &'static str {
        self.format.extension()
    }
}

/// One export: what, of which events, how.
#[derive(Debug, Clone)]
pub struct ExportRequest<'a> {
    /// What.
    pub kind: ExportKind,
    /// Which events.
    pub filter: &'a Filter,
    /// Timeline buckets and grouping.
    pub spec: SeriesSpec,
    /// What the actor network shows (the app passes the graph panel's settings).
    pub graph: GraphSpec,
    /// Title; `None` for the default one.
    pub title: Option<String>,
    /// Picture size in CSS pixels.
    pub size: (u32, u32),
    /// PNG resolution: 1, 2 or 4 pixels per CSS pixel.
    pub scale: u32,
    /// The reported figures' chart: which series, and whether the counted events are
    /// overlaid.
    pub reported: crate::query::reported::ReportedSpec,
    /// Records skipped when the dataset was read (the brief's method note says so).
    pub skipped: usize,
    /// CSV: add the ids of the events behind each number.
    pub with_ids: bool,
    /// What the map shows (the app passes the map panel's settings and view).
    pub map: map::MapExport,
    /// An animated GIF: the playback steps it shows, and how long each frame shows (ms).
    pub animation: (crate::query::playback::PlaybackSpec, u16),
    /// The analyst's annotations, drawn on the timeline (those with a date) and the map
    /// (those with a place).
    pub annotations: &'a [crate::model::Annotation],
    /// The comparison: what the two sides are groups of, which ones, events or deaths.
    pub compare: crate::query::compare::CompareSpec,
}

/// Why an export could not be made (writing it is the caller's business).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ExportError {
    /// This view cannot be written as this kind of file.
    #[error("the {} cannot be exported as {}", .0.chart.label().to_lowercase(), .0.format.extension().to_uppercase())]
    Unsupported(ExportKind),
    /// The picture could not be drawn.
    #[error(transparent)]
    Raster(#[from] RasterError),
    /// There is no such chart of reported figures.
    #[error(transparent)]
    Reported(#[from] crate::query::reported::ReportedError),
    /// The animation could not be made.
    #[error("{0}")]
    Animation(String),
    /// The Parquet file could not be written.
    #[error("cannot write Parquet: {0}")]
    Parquet(String),
    /// The view has fewer than two groups to compare.
    #[error("nothing to compare: the events of this view fall in fewer than two groups by {0}")]
    NothingToCompare(&'static str),
}

/// The exported file's bytes. The CLI and the app both call this: the same settings give the
/// same file.
pub fn render(engine: &Engine, request: &ExportRequest) -> Result<Vec<u8>, ExportError> {
    let kind = request.kind;
    if !kind.is_supported() {
        return Err(ExportError::Unsupported(kind));
    }
    let store = engine.store();
    if kind.format == FileFormat::Gif {
        let (spec, frame_ms) = request.animation;
        return animate::animation_gif(engine, request, spec, frame_ms)
            .map_err(|e| ExportError::Animation(e.to_string()));
    }
    if kind.format == FileFormat::Parquet {
        return crate::io::parquet::store_to_bytes(store, &engine.rows(request.filter))
            .map_err(ExportError::Parquet);
    }
    if kind.chart == Chart::Brief {
        let blocks = brief::brief_blocks(engine, &brief_request(engine, request));
        return match kind.format {
            FileFormat::Html => Ok(brief::brief_html(&blocks).into_bytes()),
            _ => brief::brief_pdf(&brief::brief_pages(&blocks, request.size)),
        };
    }
    let text = match (kind.chart, kind.format) {
        (Chart::Reported, format) => {
            let chart = crate::query::reported::reported_chart_for(
                store,
                &request.reported,
                request.filter,
                || engine.rows(request.filter),
            )?;
            if format == FileFormat::Csv {
                reported::reported_csv(&chart)
            } else {
                let title = match &request.title {
                    Some(t) => t.clone(),
                    None => reported::default_title(&chart),
                };
                let source = format!("Source: {}", publishers(store).join("; "));
                reported::reported_svg(&chart, &title, &source, request.size)
            }
        }
        (Chart::Timeline, FileFormat::Csv) => {
            let series = engine.time_series(request.filter, request.spec);
            let cells = request
                .with_ids
                .then(|| engine.rows_by_bar(request.filter, request.spec));
            timeline_csv(&series, cells.as_deref().map(|c| (&**store, c)))
        }
        (Chart::Timeline, _) => {
            let series = engine.time_series(request.filter, request.spec);
            let mut chart = TimelineChart::new(store, request.filter, &series);
            (chart.width, chart.height) = request.size;
            if let Some(t) = &request.title {
                chart.title = t.clone();
            }
            chart.annotations = series.place_annotations(request.annotations);
            svg::timeline_svg(&chart)
        }
        (Chart::Network, format) => {
            let view = engine.graph_view(request.filter, &request.graph);
            if format == FileFormat::Csv {
                let ids = request.with_ids.then(|| {
                    let drawn_from = crate::query::graph_filter(request.filter);
                    crate::query::network::graph_rows(store, &engine.rows(&drawn_from))
                });
                network::network_csv(store, &view, ids.as_ref())
            } else {
                network::network_svg(
                    store,
                    &view,
                    &title_of(engine, request),
                    &request.filter.describe(store),
                    &format!("Source: {}", publishers(store).join("; ")),
                    request.size,
                )
            }
        }
        (Chart::Map, format) => map_text(engine, request, format),
        (Chart::Compare, format) => compare_text(engine, request, format)?,
        (Chart::Events, FileFormat::Json) => {
            events::events_native(store, &engine.rows(request.filter))
        }
        (Chart::Events, _) | (Chart::Brief, _) => {
            events::events_csv(store, &engine.rows(request.filter))
        }
    };
    if kind.format == FileFormat::Png {
        Ok(raster::svg_to_png(&text, request.scale)?)
    } else {
        Ok(text.into_bytes())
    }
}

/// The comparison as SVG, or its table as CSV.
fn compare_text(
    engine: &Engine,
    request: &ExportRequest,
    format: FileFormat,
) -> Result<String, ExportError> {
    let store = engine.store();
    let spec = &request.compare;
    let series = engine.time_series(request.filter, spec.series_spec());
    let comparison = crate::query::compare::Comparison::of(&series, spec)
        .ok_or(ExportError::NothingToCompare(spec.group_by.label()))?;
    if format == FileFormat::Csv {
        return Ok(compare::compare_csv(&comparison));
    }
    let mut chart = compare::CompareChart::new(
        &comparison,
        request.filter.describe(store),
        format!("Source: {}", publishers(store).join("; ")),
    );
    (chart.width, chart.height) = request.size;
    if let Some(t) = &request.title {
        chart.title = t.clone();
    }
    Ok(compare::compare_svg(&chart))
}

/// The map as SVG, or its placed events as CSV.
fn map_text(engine: &Engine, request: &ExportRequest, format: FileFormat) -> String {
    let store = engine.store();
    let m = &request.map;
    let points = engine.map_points(request.filter, m.projection, m.colour_by);
    if format == FileFormat::Csv {
        return map::map_csv(store, &points);
    }
    let mut page = map::MapPage::new(request.size, m, &points);
    page.annotations = request.annotations.to_vec();
    let scene = engine.map_scene(request.filter, &map::scene_spec(m, &page));
    let totals = engine.country_totals(request.filter);
    map::map_svg(
        &page,
        &scene,
        &points,
        &totals,
        &title_of(engine, request),
        &request.filter.describe(store),
        &format!("Source: {}", publishers(store).join("; ")),
    )
}

fn publishers(store: &Store) -> Vec<&str> {
    store
        .meta
        .sources
        .iter()
        .map(|s| s.publisher.as_str())
        .collect()
}

/// The title the picture will carry: the user's, or the default for the view.
pub fn title_of(engine: &Engine, request: &ExportRequest) -> String {
    if let Some(t) = &request.title {
        return t.clone();
    }
    let store = engine.store();
    match request.kind.chart {
        Chart::Reported => crate::query::reported::reported_chart(store, &request.reported.series)
            .map_or_else(
                |_| "Reported figures".into(),
                |c| reported::default_title(&c),
            ),
        Chart::Timeline => {
            timeline::default_title(store, &engine.time_series(request.filter, request.spec))
        }
        Chart::Network => format!("{}: actors and relations", store.meta.title),
        Chart::Map => format!("{}: where the events took place", store.meta.title),
        Chart::Compare => "Comparison".into(),
        Chart::Events => format!("{}: events", store.meta.title),
        Chart::Brief => store.meta.title.clone(),
    }
}

/// The brief an export request asks for (its page size is the request's size).
pub fn brief_request<'a>(engine: &Engine, request: &ExportRequest<'a>) -> brief::BriefRequest<'a> {
    brief::BriefRequest {
        filter: request.filter,
        spec: request.spec,
        graph: request.graph.clone(),
        title: Some(title_of(engine, request)),
        page: request.size,
        skipped: request.skipped,
        as_of: as_of(engine, request.filter),
    }
}

/// The date the data speaks for: the newest dated source of the dataset, or else the last day
/// of the newest event in view. `None` when nothing is dated.
pub fn as_of(engine: &Engine, filter: &Filter) -> Option<chrono::NaiveDate> {
    let store = engine.store();
    let sourced = store
        .meta
        .sources
        .iter()
        .filter_map(|s| s.date.map(|d| d.end()))
        .max();
    sourced.or_else(|| {
        let rows = engine.rows(filter);
        rows.iter()
            .map(|&r| store.events.date(r as usize).end())
            .max()
    })
}

/// A file name that says what is in it and when the data was current:
/// "drone-launches-from-iraq-toward-israel-by-month-2024-11-21.png".
pub fn default_file_name(engine: &Engine, request: &ExportRequest) -> String {
    let stem = title_of(engine, request);
    let mut slug = String::new();
    for c in stem.to_lowercase().chars() {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let mut slug: String = slug.trim_matches('-').chars().take(80).collect();
    let slug_ends = slug.trim_end_matches('-').len();
    slug.truncate(slug_ends);
    if slug.is_empty() {
        slug.push_str("faultline");
    }
    if let Some(date) = as_of(engine, request.filter) {
        slug.push_str(&format!("-{date}"));
    }
    format!("{slug}.{}", request.kind.extension())
}

/// Escapes text for XML attributes and content.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML forbids.
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Quotes a CSV field when it needs it. Text a spreadsheet would run as a formula (it starts
/// with `=`, `+`, `@`, or `-` not starting a number) gets a leading apostrophe: datasets are
/// untrusted, and an exported cell must never run as code.
pub fn csv_field(text: &str) -> String {
    let formula = match text.chars().next() {
        Some('=' | '+' | '@' | '\t' | '\r') => true,
        Some('-') => text.parse::<f64>().is_err(),
        _ => false,
    };
    let text = if formula {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_never_formulas() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("+1"), "'+1");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_field("-12.5"), "-12.5");
        assert_eq!(csv_field("-cmd"), "'-cmd");
    }

    #[test]
    fn xml_text_drops_what_xml_forbids() {
        assert_eq!(xml_escape("a<b>&\u{1}\u{FFFE}c"), "a&lt;b&gt;&amp;c");
    }
}
