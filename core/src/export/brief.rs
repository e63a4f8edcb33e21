//! The brief: the whole reading of a dataset under a filter, to hand on — a title block (what,
//! as of when, which events, the sources), the reported figures, the timeline, the actor
//! network, the top actors, places and event types, the key statements with their words, the
//! sources and a method note. As one self-contained HTML file (inline SVG and CSS, no script,
//! nothing fetched) or a PDF of several pages (the pages drawn as SVG, converted by svg2pdf
//! with the embedded fonts; the text stays text).
//!
//! Both are made from one list of [`Block`]s, so the HTML and the PDF say the same things.
//! Dataset text is untrusted: every string is escaped (and stripped of characters XML forbids)
//! and wrapped, overlong words broken, so no name or quote can break the file or run off the
//! page.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::{publishers, reported, timeline::TimelineChart, xml_escape, ExportError};
use crate::query::reported::{reported_chart_for, ReportedSpec};
use crate::query::{Engine, Filter, GraphSpec, SeriesSpec};
use crate::text::{thousands, wrap};

/// A4 in CSS pixels (96 per inch).
pub const A4: (u32, u32) = (794, 1123);
/// US Letter in CSS pixels.
pub const LETTER: (u32, u32) = (816, 1056);

/// One piece of the brief.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// The brief's title (once, first).
    Title(String),
    /// A section heading; in the PDF a section starts on a new page when the page is more
    /// than half full.
    Heading(String),
    /// A paragraph.
    Text(String),
    /// A quotation and who said it (or whose words they are).
    Quote {
        /// The words.
        words: String,
        /// Who, where, when.
        by: String,
    },
    /// A table.
    Table {
        /// Column names.
        header: Vec<String>,
        /// Rows.
        rows: Vec<Vec<String>>,
    },
    /// A chart: an SVG document of the given size, and its caption.
    Chart {
        /// The SVG document.
        svg: String,
        /// Its width in CSS pixels.
        width: f32,
        /// Its height.
        height: f32,
        /// What it shows.
        caption: String,
    },
}

/// What the brief covers.
#[derive(Debug, Clone)]
pub struct BriefRequest<'a> {
    /// Which events.
    pub filter: &'a Filter,
    /// Timeline buckets and grouping.
    pub spec: SeriesSpec,
    /// The actor network.
    pub graph: GraphSpec,
    /// The title; `None` for the dataset's.
    pub title: Option<String>,
    /// The page size in CSS pixels ([`A4`] or [`LETTER`]).
    pub page: (u32, u32),
    /// Records skipped when the file was read (for the method note).
    pub skipped: usize,
    /// The date the data speaks for ([`super::as_of`]).
    pub as_of: Option<chrono::NaiveDate>,
}

/// The width charts are drawn at: the page's text width.
fn chart_width(page: (u32, u32)) -> f32 {
    page.0 as f32 - 2.0 * MARGIN
}

/// The width charts are drawn at before they are scaled to the page.
const CHART_WIDTH: f32 = 960.0;

/// How many rows the tables list.
const TOP: usize = 10;
/// How many statements are quoted.
const STATEMENTS: usize = 12;

/// The brief's content.
pub fn brief_blocks(engine: &Engine, request: &BriefRequest) -> Vec<Block> {
    let store = engine.store();
    let filter = request.filter;
    let rows = engine.rows(filter);
    let (mut blocks, which) = opening(store, request, &rows);
    let sources = publishers(store);
    if !sources.is_empty() {
        blocks.push(Block::Text(format!("Source: {}.", sources.join("; "))));
    }

    // Charts are drawn as wide as on a screen and scaled to the page's text width, so their
    // titles and labels keep the room they are laid out for.
    let width = CHART_WIDTH.max(chart_width(request.page));
    let height = (width * 0.62).round();
    let size = (width as u32, height as u32);
    let spec = ReportedSpec {
        series: Vec::new(),
        counted: false,
    };
    if let Ok(chart) = reported_chart_for(store, &spec, filter, || rows.clone()) {
        blocks.push(Block::Heading("Reported figures".into()));
        blocks.push(Block::Chart {
            svg: reported::reported_svg(
                &chart,
                &reported::default_title(&chart),
                &format!("Source: {}", sources.join("; ")),
                (size.0, size.1 + 60),
            ),
            width,
            height: height + 60.0,
            caption: "Figures as the sources reported them, each over the days it covers; never added to the events the dataset counts.".into(),
        });
    }

    blocks.push(Block::Heading("Counted events over time".into()));
    let series = engine.time_series(filter, request.spec);
    let mut timeline = TimelineChart::new(store, filter, &series);
    (timeline.width, timeline.height) = size;
    blocks.push(Block::Chart {
        svg: super::svg::timeline_svg(&timeline),
        width,
        height,
        caption: "Events this dataset counts, per period; reported figures are marked apart and never added to the counts.".into(),
    });

    if let Some(compared) = files_block(engine, request, &which, &sources, size) {
        blocks.push(Block::Heading("The files side by side".into()));
        blocks.push(compared);
    }

    if let Some(map) = map_block(engine, filter, &which, &sources, size) {
        blocks.push(Block::Heading("Where".into()));
        blocks.push(map);
    }

    let view = engine.graph_view(filter, &request.graph);
    if !view.nodes.is_empty() {
        blocks.push(Block::Heading("Actors and relations".into()));
        blocks.push(Block::Chart {
            svg: super::network::network_svg(
                store,
                &view,
                "Actor network",
                &which,
                &format!("Source: {}", sources.join("; ")),
                (size.0, (width * 0.8) as u32),
            ),
            width,
            height: (width * 0.8).round(),
            caption: format!(
                "The {} most connected actors: stated relations as coloured arrows (hostile ones dashed), interactions in events in grey.",
                view.nodes.len()
            ),
        });
    }

    blocks.extend(tables(engine, &rows));
    blocks.extend(statements(engine));
    blocks.extend(sources_and_method(store, request.skipped));
    blocks
}

/// The brief's title and its first lines: the span of the events, which events, the dataset.
fn opening(
    store: &crate::store::Store,
    request: &BriefRequest,
    rows: &[u32],
) -> (Vec<Block>, String) {
    let filter = request.filter;
    let mut blocks = Vec::new();
    let title = request
        .title
        .clone()
        .unwrap_or_else(|| store.meta.title.clone());
    blocks.push(Block::Title(title));
    let (first, last) = rows.iter().fold((i32::MAX, i32::MIN), |(a, b), &r| {
        let (s, e) = store.row(r as usize).days();
        (a.min(s), b.max(e))
    });
    let span = if rows.is_empty() {
        "No events".to_string()
    } else {
        format!(
            "Events from {} to {}",
            crate::store::date_of(first),
            crate::store::date_of(last)
        )
    };
    let as_of = match request.as_of {
        Some(d) => format!("As of {d}. {span}"),
        None => span,
    };
    let which = if filter.is_empty() {
        "every event of the dataset".to_string()
    } else {
        filter.describe(store)
    };
    blocks.push(Block::Text(format!(
        "{as_of}. {} of {} events: {which}.",
        thousands(rows.len()),
        thousands(store.len())
    )));
    blocks.push(Block::Text(format!(
        "Dataset: {} — {} events, {} actors, {} stated relations, {} reported series, {} statements.",
        store.meta.title,
        thousands(store.len()),
        thousands(store.actors().len()),
        thousands(store.meta.relations.len()),
        thousands(store.meta.series.len()),
        thousands(store.meta.statements.len()),
    )));
    (blocks, which)
}

/// The first two files of a view of several, side by side per period with the difference
/// (the Compare tab's chart); none for a view of one file.
fn files_block(
    engine: &Engine,
    request: &BriefRequest,
    which: &str,
    sources: &[&str],
    (width, height): (u32, u32),
) -> Option<Block> {
    use crate::query::compare::{CompareSpec, Comparison};
    if engine.store().files.len() < 2 {
        return None;
    }
    let spec = CompareSpec {
        bucket: request.spec.bucket,
        ..CompareSpec::default()
    };
    let series = engine.time_series(request.filter, spec.series_spec());
    let comparison = Comparison::of(&series, &spec)?;
    let mut chart = super::compare::CompareChart::new(
        &comparison,
        which.to_string(),
        format!("Source: {}", sources.join("; ")),
    );
    (chart.width, chart.height) = (width, height);
    Some(Block::Chart {
        svg: super::compare::compare_svg(&chart),
        width: width as f32,
        height: height as f32,
        caption: format!(
            "{}. The band below each pair: {} less {}, per {}.",
            comparison.summary(),
            comparison.sides[1].name,
            comparison.sides[0].name,
            comparison.bucket.name()
        ),
    })
}

/// The map of the filtered events (fitted to them), if any event can be placed on it by its
/// coordinates or its country.
fn map_block(
    engine: &Engine,
    filter: &crate::query::Filter,
    which: &str,
    sources: &[&str],
    size: (u32, u32),
) -> Option<Block> {
    use super::map::{map_svg, scene_spec, MapExport, MapPage};
    let export = MapExport::default();
    let points = engine.map_points(filter, export.projection, export.colour_by);
    let totals = engine.country_totals(filter);
    if points.is_empty() && totals.countries.is_empty() {
        return None;
    }
    let size = (size.0, size.1 + 120);
    let page = MapPage::new(size, &export, &points);
    let scene = engine.map_scene(filter, &scene_spec(&export, &page));
    let caption = if points.is_empty() {
        "No event carries coordinates: each country is shaded by the events that name it."
            .to_string()
    } else {
        format!(
            "{} of the events placed by their coordinates; rings mark places the source gives only as the centre of an area.",
            thousands(points.len())
        )
    };
    Some(Block::Chart {
        svg: map_svg(
            &page,
            &scene,
            &points,
            &totals,
            "Where the events took place",
            which,
            &format!("Source: {}", sources.join("; ")),
        ),
        width: size.0 as f32,
        height: size.1 as f32,
        caption,
    })
}

/// The sources of the dataset, and how the brief counts (counted versus reported, dates at
/// their precision, records skipped on import).
fn sources_and_method(store: &crate::store::Store, skipped: usize) -> Vec<Block> {
    let mut blocks = Vec::new();
    blocks.push(Block::Heading("Sources".into()));
    for s in &store.meta.sources {
        let date = s
            .date
            .map(|d| format!(", {}", d.label()))
            .unwrap_or_default();
        blocks.push(Block::Text(format!("{}{date}: {}", s.publisher, s.title)));
    }
    if store.meta.sources.is_empty() {
        blocks.push(Block::Text(
            "The dataset names no sources of its own; each event's source is in its record.".into(),
        ));
    }
    blocks.push(Block::Heading("Method".into()));
    blocks.push(Block::Text(
        "Counted events are the records of the dataset that pass the filter, each counted once. \
         Reported figures are numbers a source gave, shown as the source gave them (\"about\", \
         \"at least\", in words) over the days they cover; they are never added to the counts."
            .into(),
    ));
    blocks.push(Block::Text(
        "Dates keep the precision of the record: an event known only to its month is counted \
         in that month, never put on a made-up day, and counted in a period only when it lies \
         wholly within it."
            .into(),
    ));
    blocks.push(Block::Text(if skipped == 0 {
        "No record was skipped when the file was read.".to_string()
    } else {
        format!(
            "{} records were skipped when the file was read (each listed, with its line and \
             reason, by the app and by `faultline summary`).",
            thousands(skipped)
        )
    }));
    blocks
}

/// The top actors, places and event types of the events `rows`.
fn tables(engine: &Engine, rows: &[u32]) -> Vec<Block> {
    let store = engine.store();
    let mut actors: HashMap<u32, usize> = HashMap::new();
    let mut places: HashMap<(String, String), usize> = HashMap::new();
    let mut types: HashMap<&str, (usize, u64)> = HashMap::new();
    for &r in rows {
        let e = store.row(r as usize);
        let mut seen: Vec<u32> = e.all_actors().collect();
        seen.sort_unstable();
        seen.dedup();
        for a in seen {
            *actors.entry(a).or_default() += 1;
        }
        if let Some(place) = e.place() {
            let key = (place.to_string(), e.country().unwrap_or("").to_string());
            *places.entry(key).or_default() += 1;
        }
        let t = types.entry(e.event_type()).or_default();
        t.0 += 1;
        t.1 += u64::from(e.fatalities().unwrap_or(0));
    }
    let mut blocks = Vec::new();
    let mut actors: Vec<(u32, usize)> = actors.into_iter().collect();
    actors.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    if !actors.is_empty() {
        blocks.push(Block::Heading("Top actors".into()));
        blocks.push(Block::Table {
            header: vec!["Actor".into(), "Kind".into(), "Events".into()],
            rows: actors
                .iter()
                .take(TOP)
                .map(|&(a, n)| {
                    vec![
                        store.actor_name(a).to_string(),
                        store.actors()[a as usize].kind.label().to_string(),
                        thousands(n),
                    ]
                })
                .collect(),
        });
    }
    let mut places: Vec<((String, String), usize)> = places.into_iter().collect();
    places.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    if !places.is_empty() {
        blocks.push(Block::Heading("Top places".into()));
        blocks.push(Block::Table {
            header: vec!["Place".into(), "Country".into(), "Events".into()],
            rows: places
                .into_iter()
                .take(TOP)
                .map(|((p, c), n)| vec![p, c, thousands(n)])
                .collect(),
        });
    }
    let mut types: Vec<(&str, (usize, u64))> = types.into_iter().collect();
    types.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
    if !types.is_empty() {
        blocks.push(Block::Heading("Event types".into()));
        blocks.push(Block::Table {
            header: vec!["Event type".into(), "Events".into(), "Deaths".into()],
            rows: types
                .into_iter()
                .take(TOP)
                .map(|(t, (n, d))| vec![t.to_string(), thousands(n), thousands(d as usize)])
                .collect(),
        });
    }
    blocks
}

/// The dataset's statements, quoted with their speakers (the source's words when the source
/// only tells what was said).
fn statements(engine: &Engine) -> Vec<Block> {
    let store = engine.store();
    let said = &store.meta.statements;
    if said.is_empty() {
        return Vec::new();
    }
    let mut blocks = vec![Block::Heading("Key statements".into())];
    for s in said.iter().take(STATEMENTS) {
        let speaker = store
            .actor_index(&s.speaker)
            .map_or(s.speaker.clone(), |i| store.actor_name(i).to_string());
        let when = s
            .date
            .map(|d| format!(", {}", d.label()))
            .unwrap_or_default();
        let source = s.sources.first();
        let publisher = source
            .and_then(|r| store.meta.sources.iter().find(|x| x.id == r.source))
            .map(|x| format!(" — as quoted by {}", x.publisher))
            .unwrap_or_default();
        let (words, by) = match &s.quote {
            Some(q) => (q.clone(), format!("{speaker}{when}{publisher}")),
            None => (
                source.map(|r| r.quote.clone()).unwrap_or_default(),
                format!("{speaker}{when}, in the words of the source{publisher}"),
            ),
        };
        blocks.push(Block::Quote { words, by });
    }
    if said.len() > STATEMENTS {
        blocks.push(Block::Text(format!(
            "And {} more statements in the dataset.",
            thousands(said.len() - STATEMENTS)
        )));
    }
    blocks
}

/// The SVG document without its XML declaration, to sit inside another document.
fn inner_svg(svg: &str) -> &str {
    match svg.find("<svg") {
        Some(i) => &svg[i..],
        None => svg,
    }
}

/// The brief as one self-contained HTML file: no script, nothing fetched.
pub fn brief_html(blocks: &[Block]) -> String {
    let title = blocks
        .iter()
        .find_map(|b| match b {
            Block::Title(t) => Some(t.as_str()),
            _ => None,
        })
        .unwrap_or("Brief");
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n",
        xml_escape(title)
    );
    for block in blocks {
        let _ = match block {
            Block::Title(t) => writeln!(out, "<h1>{}</h1>", xml_escape(t)),
            Block::Heading(h) => writeln!(out, "<h2>{}</h2>", xml_escape(h)),
            Block::Text(t) => writeln!(out, "<p>{}</p>", xml_escape(t)),
            Block::Quote { words, by } => writeln!(
                out,
                "<blockquote><p>“{}”</p><footer>{}</footer></blockquote>",
                xml_escape(words),
                xml_escape(by)
            ),
            Block::Table { header, rows } => {
                out.push_str("<table>\n<thead><tr>");
                for h in header {
                    let _ = write!(out, "<th>{}</th>", xml_escape(h));
                }
                out.push_str("</tr></thead>\n<tbody>\n");
                for row in rows {
                    out.push_str("<tr>");
                    for cell in row {
                        let _ = write!(out, "<td>{}</td>", xml_escape(cell));
                    }
                    out.push_str("</tr>\n");
                }
                writeln!(out, "</tbody>\n</table>")
            }
            Block::Chart { svg, caption, .. } => writeln!(
                out,
                "<figure>\n{}<figcaption>{}</figcaption>\n</figure>",
                inner_svg(svg),
                xml_escape(caption)
            ),
        };
    }
    out.push_str("<p class=\"made\">Made with Faultline.</p>\n</body>\n</html>\n");
    out
}

const CSS: &str = "body { font-family: Ubuntu, 'DejaVu Sans', Arial, sans-serif; max-width: 56rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; line-height: 1.45; overflow-wrap: anywhere; }
h1 { font-size: 1.8rem; }
h2 { font-size: 1.3rem; margin-top: 2rem; border-bottom: 1px solid #ddd; }
figure { margin: 1rem 0; }
figure svg { max-width: 100%; height: auto; }
figcaption, .made { color: #555; font-size: 0.9rem; }
blockquote { margin: 0.8rem 0; padding-left: 1rem; border-left: 3px solid #ccc; }
blockquote footer { color: #555; font-size: 0.9rem; }
table { border-collapse: collapse; margin: 0.5rem 0; }
th, td { text-align: left; padding: 0.2rem 0.8rem 0.2rem 0; border-bottom: 1px solid #eee; }
";

/// The page margin, in CSS pixels.
const MARGIN: f32 = 56.0;
/// Type sizes and line heights.
const TEXT: f32 = 12.0;
const LINE: f32 = 17.0;

/// One page being filled.
struct PageWriter {
    size: (f32, f32),
    pages: Vec<(String, Vec<String>)>,
    body: String,
    headings: Vec<String>,
    y: f32,
}

impl PageWriter {
    fn new(page: (u32, u32)) -> PageWriter {
        PageWriter {
            size: (page.0 as f32, page.1 as f32),
            pages: Vec::new(),
            body: String::new(),
            headings: Vec::new(),
            y: MARGIN,
        }
    }

    fn bottom(&self) -> f32 {
        self.size.1 - MARGIN - 20.0
    }

    /// Room for `height` more, on a new page if need be.
    fn room(&mut self, height: f32) {
        if self.y + height > self.bottom() && self.y > MARGIN {
            self.new_page();
        }
    }

    fn new_page(&mut self) {
        let body = std::mem::take(&mut self.body);
        let headings = std::mem::take(&mut self.headings);
        self.pages.push((body, headings));
        self.y = MARGIN;
    }

    fn text_line(&mut self, text: &str, size: f32, x: f32, style: &str) {
        self.room(size * 1.4);
        self.y += size * 1.4;
        let _ = writeln!(
            self.body,
            r##"<text x="{x:.1}" y="{:.1}" font-size="{size}" fill="#1a1a1a"{style}>{}</text>"##,
            self.y - size * 0.35,
            xml_escape(text)
        );
    }

    fn paragraph(&mut self, text: &str, size: f32, indent: f32, style: &str) {
        let width = self.size.0 - 2.0 * MARGIN - indent;
        for line in wrap(text, width, size) {
            self.text_line(&line, size, MARGIN + indent, style);
        }
        self.y += size * 0.5;
    }

    fn finish(mut self, title: &str) -> Vec<Page> {
        if !self.body.is_empty() {
            self.new_page();
        }
        let count = self.pages.len();
        let (w, h) = self.size;
        self.pages
            .into_iter()
            .enumerate()
            .map(|(i, (body, sections))| Page {
                sections,
                svg: format!(
                    r##"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="Ubuntu, 'DejaVu Sans', Arial, sans-serif">
<rect width="{w}" height="{h}" fill="#ffffff"/>
{body}<text x="{MARGIN}" y="{:.1}" font-size="9" fill="#777777">{} · page {} of {count}</text>
</svg>
"##,
                    h - MARGIN / 2.0,
                    xml_escape(&crate::text::cut(title, 80)),
                    i + 1
                ),
            })
            .collect()
    }
}

/// One page of the PDF brief.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// The page as an SVG document.
    pub svg: String,
    /// The sections that start on it (for the Export window's page list).
    pub sections: Vec<String>,
}

impl Page {
    /// "Page 2: Counted events over time, Actors and relations".
    pub fn describe(&self, number: usize) -> String {
        if self.sections.is_empty() {
            format!("Page {number}")
        } else {
            format!("Page {number}: {}", self.sections.join(", "))
        }
    }
}

/// The brief laid out on pages of `page` CSS pixels, each an SVG document.
pub fn brief_pages(blocks: &[Block], page: (u32, u32)) -> Vec<Page> {
    let mut w = PageWriter::new(page);
    let text_width = w.size.0 - 2.0 * MARGIN;
    let mut title = String::from("Brief");
    for (i, block) in blocks.iter().enumerate() {
        match block {
            Block::Title(t) => {
                title = t.clone();
                w.headings.push(t.clone());
                w.paragraph(t, 24.0, 0.0, r#" font-weight="bold""#);
            }
            Block::Heading(h) => {
                // A heading never stands alone at the foot of a page: it goes with the
                // start of its section (a whole chart, or a few lines).
                let next = match blocks.get(i + 1) {
                    Some(Block::Chart { width, height, .. }) => {
                        height * (text_width / width).min(1.0) + 40.0
                    }
                    _ => 4.0 * LINE,
                };
                if w.y + 40.0 + next > w.bottom() && w.y > MARGIN {
                    w.new_page();
                }
                w.y += 10.0;
                w.headings.push(h.clone());
                w.paragraph(h, 17.0, 0.0, r#" font-weight="bold""#);
            }
            Block::Text(t) => w.paragraph(t, TEXT, 0.0, ""),
            Block::Quote { words, by } => {
                w.paragraph(&format!("“{words}”"), TEXT, 14.0, r#" font-style="italic""#);
                w.paragraph(&format!("— {by}"), 10.0, 14.0, r#" fill-opacity="0.75""#);
            }
            Block::Table { header, rows } => {
                let columns = header.len().max(1);
                // The first column takes half the width, the others share the rest.
                let first = text_width * 0.5;
                let other = (text_width - first) / (columns.saturating_sub(1).max(1)) as f32;
                let x_of = |c: usize| {
                    MARGIN
                        + if c == 0 {
                            0.0
                        } else {
                            first + other * (c - 1) as f32
                        }
                };
                let chars = |c: usize| {
                    let room = if c == 0 { first } else { other } - 8.0;
                    (room / (TEXT * 0.55)).floor().max(4.0) as usize
                };
                let row_at = |w: &mut PageWriter, cells: &[String], bold: bool| {
                    w.room(LINE);
                    w.y += LINE;
                    for (c, cell) in cells.iter().enumerate() {
                        let _ = writeln!(
                            w.body,
                            r##"<text x="{:.1}" y="{:.1}" font-size="{TEXT}" fill="#1a1a1a"{}>{}</text>"##,
                            x_of(c),
                            w.y - 5.0,
                            if bold { r#" font-weight="bold""# } else { "" },
                            xml_escape(&crate::text::cut(cell, chars(c)))
                        );
                    }
                };
                row_at(&mut w, header, true);
                for row in rows {
                    row_at(&mut w, row, false);
                }
                w.y += LINE * 0.5;
            }
            Block::Chart {
                svg,
                width,
                height,
                caption,
            } => {
                let scale = (text_width / width).min(1.0);
                let (cw, ch) = (width * scale, height * scale);
                w.room(ch + 40.0);
                let _ = writeln!(
                    w.body,
                    r#"<svg x="{MARGIN}" y="{:.1}" width="{cw:.1}" height="{ch:.1}" viewBox="0 0 {width} {height}">{}</svg>"#,
                    w.y,
                    inner_svg(svg)
                        .split_once('>')
                        .map_or("", |(_, rest)| rest)
                        .trim_end()
                        .trim_end_matches("</svg>")
                );
                w.y += ch + 4.0;
                w.paragraph(caption, 10.0, 0.0, r#" fill-opacity="0.75""#);
            }
        }
    }
    w.finish(&title)
}

/// The pages as one PDF: each page's SVG converted by svg2pdf (text kept as text, the
/// embedded fonts embedded) and placed on a page of the same size in points.
pub fn brief_pdf(pages: &[Page]) -> Result<Vec<u8>, ExportError> {
    use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref};
    let mut alloc = Ref::new(1);
    let catalog = alloc.bump();
    let tree_id = alloc.bump();
    let mut pdf = Pdf::new();
    let mut page_ids = Vec::new();
    let mut chunks = Vec::new();
    let mut placed = Vec::new();
    for page in pages {
        let tree = resvg::usvg::Tree::from_str(&page.svg, super::raster::options())
            .map_err(|e| super::raster::RasterError::Svg(e.to_string()))?;
        let (chunk, root) = svg2pdf::to_chunk(&tree, svg2pdf::ConversionOptions::default())
            .map_err(|e| super::raster::RasterError::Svg(e.to_string()))?;
        let mut map = HashMap::new();
        let chunk = chunk.renumber(|old| *map.entry(old).or_insert_with(|| alloc.bump()));
        let root = map.get(&root).copied().unwrap_or(root);
        // CSS pixels to points.
        let size = tree.size();
        let (w, h) = (size.width() * 0.75, size.height() * 0.75);
        let page_id = alloc.bump();
        let content_id = alloc.bump();
        page_ids.push(page_id);
        placed.push((page_id, content_id, root, w, h));
        chunks.push(chunk);
    }
    pdf.catalog(catalog).pages(tree_id);
    pdf.pages(tree_id)
        .kids(page_ids.iter().copied())
        .count(page_ids.len() as i32);
    let name = Name(b"P");
    for &(page_id, content_id, root, w, h) in &placed {
        let mut page = pdf.page(page_id);
        page.media_box(Rect::new(0.0, 0.0, w, h));
        page.parent(tree_id);
        page.contents(content_id);
        page.resources().x_objects().pair(name, root);
        page.finish();
        let mut content = Content::new();
        content.transform([w, 0.0, 0.0, h, 0.0, 0.0]).x_object(name);
        pdf.stream(content_id, &content.finish());
    }
    for chunk in &chunks {
        pdf.extend(chunk);
    }
    Ok(pdf.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn seed_engine() -> Engine {
        let dataset = crate::seed::seed_dataset().expect("the seed reads");
        Engine::new(Arc::new(crate::store::Store::from_dataset(dataset)))
    }

    fn request(filter: &Filter, page: (u32, u32), skipped: usize) -> BriefRequest<'_> {
        BriefRequest {
            filter,
            spec: SeriesSpec::default(),
            graph: GraphSpec::default(),
            title: None,
            page,
            skipped,
            as_of: None,
        }
    }

    fn table<'b>(blocks: &'b [Block], heading: &str) -> &'b [Vec<String>] {
        let at = blocks
            .iter()
            .position(|b| matches!(b, Block::Heading(h) if h == heading))
            .unwrap_or_else(|| panic!("no {heading}"));
        match &blocks[at + 1] {
            Block::Table { rows, .. } => rows,
            other => panic!("{heading}: {other:?}"),
        }
    }

    #[test]
    fn the_briefs_tables_hold_the_engines_numbers() {
        let engine = seed_engine();
        let filter = Filter::default();
        let blocks = brief_blocks(&engine, &request(&filter, A4, 0));
        let facets = engine.facets();
        let store = engine.store();
        // Each top actor's count is the facets' count of its events.
        for row in table(&blocks, "Top actors") {
            let a = (0..store.actors().len())
                .find(|&i| store.actor_name(i as u32) == row[0])
                .unwrap();
            assert_eq!(row[2], thousands(facets.events_of(a)), "{row:?}");
        }
        // Each event type's count and deaths, against the facets and the store.
        let types = table(&blocks, "Event types");
        assert_eq!(types.len(), facets.event_types.len());
        for row in types {
            let (_, n) = facets
                .event_types
                .iter()
                .find(|(t, _)| *t == row[0])
                .unwrap();
            assert_eq!(row[1], thousands(*n));
            let deaths: u32 = (0..store.len())
                .filter(|&i| store.row(i).event_type() == row[0])
                .filter_map(|i| store.row(i).fatalities())
                .sum();
            assert_eq!(row[2], thousands(deaths as usize));
        }
        // The statements are quoted in the speakers' words or the source's.
        let quotes = blocks
            .iter()
            .filter(|b| matches!(b, Block::Quote { .. }))
            .count();
        assert_eq!(quotes, store.meta.statements.len().min(STATEMENTS));
    }

    #[test]
    fn every_section_starts_on_one_page_and_every_page_is_an_svg_of_the_paper() {
        let engine = seed_engine();
        let filter = Filter::default();
        let blocks = brief_blocks(&engine, &request(&filter, LETTER, 3));
        assert!(blocks
            .iter()
            .any(|b| matches!(b, Block::Text(t) if t.starts_with("3 records were skipped"))));
        let pages = brief_pages(&blocks, LETTER);
        let sections: Vec<&String> = pages.iter().flat_map(|p| &p.sections).collect();
        let headings: Vec<&String> = blocks
            .iter()
            .filter_map(|b| match b {
                Block::Title(t) | Block::Heading(t) => Some(t),
                _ => None,
            })
            .collect();
        assert_eq!(
            sections, headings,
            "every section starts on exactly one page"
        );
        for page in &pages {
            assert!(page.svg.contains(r#"width="816" height="1056""#));
            // Every page parses as SVG.
            resvg::usvg::Tree::from_str(&page.svg, super::super::raster::options()).unwrap();
        }
    }
}
