//! Charts and data leaving the app: the timeline as SVG or CSV, the actor network as SVG or
//! CSV. One chart description, one renderer, used by the CLI (and, in time, the app's Export
//! menu). No GUI types; files are written atomically.

pub mod network;
pub mod svg;
pub mod timeline;

pub use timeline::{timeline_csv, TimelineChart};

use crate::query::{Engine, Filter, SeriesSpec};

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    /// The timeline as an SVG picture.
    TimelineSvg,
    /// The timeline's data as CSV.
    TimelineCsv,
    /// The actor network as an SVG picture.
    NetworkSvg,
    /// The actor network's edges as CSV.
    NetworkCsv,
}

impl ExportKind {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ExportKind::TimelineSvg | ExportKind::NetworkSvg => "svg",
            ExportKind::TimelineCsv | ExportKind::NetworkCsv => "csv",
        }
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
    /// Title; `None` for the default one.
    pub title: Option<String>,
    /// Picture size in pixels.
    pub size: (u32, u32),
}

/// The exported text. The CLI and the app both call this: the same settings give the same
/// file.
pub fn render(engine: &Engine, request: &ExportRequest) -> String {
    let store = engine.store();
    match request.kind {
        ExportKind::TimelineCsv => timeline_csv(&engine.time_series(request.filter, request.spec)),
        ExportKind::TimelineSvg => {
            let series = engine.time_series(request.filter, request.spec);
            let mut chart = TimelineChart::new(store, request.filter, &series);
            (chart.width, chart.height) = request.size;
            if let Some(t) = &request.title {
                chart.title = t.clone();
            }
            svg::timeline_svg(&chart)
        }
        ExportKind::NetworkCsv | ExportKind::NetworkSvg => {
            let graph = engine.actor_graph(&Filter {
                actors: Vec::new(),
                ..request.filter.clone()
            });
            if request.kind == ExportKind::NetworkCsv {
                return network::network_csv(store, &graph);
            }
            let title = request
                .title
                .clone()
                .unwrap_or_else(|| format!("{}: actors and relations", store.meta.title));
            let sources: Vec<&str> = store
                .meta
                .sources
                .iter()
                .map(|s| s.publisher.as_str())
                .collect();
            network::network_svg(
                store,
                &graph,
                &title,
                &request.filter.describe(store),
                &format!("Source: {}", sources.join("; ")),
                request.size,
                60,
            )
        }
    }
}

/// A file name that says what is in it: "drone-launches-from-iraq-toward-israel-by-month.svg".
pub fn default_file_name(engine: &Engine, request: &ExportRequest) -> String {
    let store = engine.store();
    let stem = match request.kind {
        ExportKind::TimelineSvg | ExportKind::TimelineCsv => {
            timeline::default_title(store, &engine.time_series(request.filter, request.spec))
        }
        _ => format!("{} actors", store.meta.title),
    };
    let mut slug = String::new();
    for c in stem.to_lowercase().chars() {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug: String = slug.trim_matches('-').chars().take(80).collect();
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
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Quotes a CSV field when it needs it.
pub fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}
