//! The brief, read back: the PDF's text (by poppler's `pdftotext`, which `.ci/run`
//! installs) holds the title, the reported figures, the counts and the quotes, page by page;
//! the HTML is one file with no script and nothing fetched; hostile dataset text never breaks
//! either; and the numbers in the brief are the engine's.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::run;
use faultline_core::model::{
    Actor, ActorKind, Dataset, DateSpan, Event, Source, SourceRef, Statement,
};

/// `faultline brief ARGS… --out DIR/NAME`: exit 0, the file's path.
fn brief(dir: &Path, name: &str, args: &[&str]) -> PathBuf {
    let out = dir.join(name);
    let mut all = vec!["brief"];
    all.extend(args);
    all.extend(["--out", out.to_str().unwrap()]);
    let (code, _, err) = run(&all);
    assert_eq!(code, 0, "{all:?}: {err}");
    out
}

/// The text of each page of a PDF, by `pdftotext` (pages are split by form feeds).
fn pdf_pages(path: &Path) -> Vec<String> {
    let output = Command::new("pdftotext")
        .args(["-layout", path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed; .ci/run installs it");
    assert!(
        output.status.success(),
        "pdftotext reads {}",
        path.display()
    );
    let text = String::from_utf8(output.stdout).unwrap();
    let mut pages: Vec<String> = text.split('\u{c}').map(String::from).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// Words of `text` with runs of white space made one space (pdftotext lays text out).
fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_pdf_brief_of_the_embedded_dataset_holds_its_figures_quotes_and_counts() {
    if !common::have_tool(
        "the_pdf_brief_of_the_embedded_dataset_holds_its_figures_quotes_and_counts",
        "pdftotext",
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let pdf = brief(dir.path(), "brief.pdf", &[]);
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let pages = pdf_pages(&pdf);
    assert!(pages.len() >= 3, "{} pages", pages.len());
    let all = squeeze(&pages.join(" "));
    // The title block.
    assert!(
        pages[0].contains("Iraq, Israel and the Iran-backed"),
        "{}",
        pages[0]
    );
    assert!(all.contains("As of 2024-11-21"), "{all}");
    assert!(
        all.contains("6 of 6 events: every event of the dataset"),
        "{all}"
    );
    // The reported figures, with who counted and reported them.
    for figure in ["Aug 2024", "Sep 2024", "Oct 2024", "1–21 Nov 2024"] {
        assert!(all.contains(figure), "{figure}");
    }
    assert!(all.contains("Drone attacks counted by Israel, as reported by Maariv"));
    // The tables: Israel is in 4 of the 6 events.
    assert!(all.contains("Israel state 4"), "{all}");
    // A statement in the speaker's words, with the speaker.
    assert!(all.contains("violation of sovereignty"), "{all}");
    // Sources and method.
    assert!(all.contains("Sources"));
    assert!(all.contains("No record was skipped"));
    // Each page says which page it is.
    for (i, page) in pages.iter().enumerate() {
        let mark = format!("page {} of {}", i + 1, pages.len());
        assert!(page.contains(&mark), "page {}: {page}", i + 1);
    }
}

#[test]
fn a_filtered_brief_counts_only_the_filtered_events_and_says_so() {
    if !common::have_tool(
        "a_filtered_brief_counts_only_the_filtered_events_and_says_so",
        "pdftotext",
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let html = brief(
        dir.path(),
        "b.html",
        &["--type", "Battles", "--title", "Battles only"],
    );
    let html = std::fs::read_to_string(html).unwrap();
    assert!(html.contains("<h1>Battles only</h1>"));
    assert!(html.contains("1 of 6 events: Battles."), "{html}");
    assert!(html.contains("<td>Battles</td><td>1</td>"));
    assert!(!html.contains("<td>Explosions/Remote violence</td>"));
    // Letter paper is another page size.
    let a4 = brief(dir.path(), "a4.pdf", &[]);
    let letter = brief(dir.path(), "letter.pdf", &["--paper", "letter"]);
    let size = |p: &Path| {
        let info = Command::new("pdfinfo").arg(p).output().unwrap();
        String::from_utf8(info.stdout)
            .unwrap()
            .lines()
            .find(|l| l.starts_with("Page size:"))
            .unwrap()
            .to_string()
    };
    assert!(size(&a4).contains("595.5 x 842.25"), "{}", size(&a4));
    assert!(size(&letter).contains("612 x 792"), "{}", size(&letter));
}

#[test]
fn the_html_brief_is_one_file_with_no_script_and_nothing_fetched() {
    let dir = tempfile::tempdir().unwrap();
    let html = std::fs::read_to_string(brief(dir.path(), "b.html", &[])).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    let lower = html.to_lowercase();
    for forbidden in [
        "<script", "<link", "<img", "<iframe", "src=", "href=", "@import", "url(",
    ] {
        assert!(!lower.contains(forbidden), "{forbidden}");
    }
    // The only http(s) text is SVG's namespace name, which is never fetched.
    let namespaces = lower.matches("http://www.w3.org/2000/svg").count();
    assert_eq!(lower.matches("http").count(), namespaces);
    assert!(html.matches("<svg").count() >= 3, "the charts are inline");
    assert!(html.contains("data-figure=\"90\""));
    // The map: no event of the embedded dataset has coordinates, so its countries are shaded
    // (Israel, Iraq, Lebanon) and the map says whose boundaries they are.
    assert!(html.contains("Where the events took place"));
    assert!(html.contains("No event carries coordinates"));
    assert!(html.contains("Boundaries: Natural Earth"));
    for country in ["Israel", "Iraq", "Lebanon"] {
        let shaded = format!("data-name=\"{country}\" data-events=\"");
        let at = html
            .find(&shaded)
            .unwrap_or_else(|| panic!("{country} is drawn"));
        assert!(
            !html[at + shaded.len()..].starts_with('0'),
            "{country} is shaded"
        );
    }
}

/// A dataset whose every text is hostile: markup, control characters, right-to-left text,
/// a 5,000-character word.
fn hostile_dataset() -> Dataset {
    let long = "x".repeat(5000);
    let nasty = format!(
        "<script>alert(1)</script> </svg> &amp; \u{1}\u{8}\u{b} ]]> \u{202e}مرحبا بالعالم {long}"
    );
    let source = Source {
        id: "s".into(),
        publisher: nasty.clone(),
        title: nasty.clone(),
        date: Some("2024-01-02".parse().unwrap()),
        url: Some("https://example.org/<x>".into()),
    };
    let actor = |id: &str| Actor {
        name: format!("{id} {nasty}"),
        ..Actor::named(id, id, ActorKind::ArmedGroup)
    };
    let events = (0..3)
        .map(|i| {
            let date: DateSpan = format!("2024-01-0{}", i + 2).parse().unwrap();
            let mut e = Event::new(format!("e{i}"), date, nasty.clone());
            e.location.place = Some(nasty.clone());
            Event {
                actor1: Some("a".into()),
                actor2: Some("b".into()),
                description: nasty.clone(),
                sources: vec![SourceRef {
                    source: "s".into(),
                    quote: nasty.clone(),
                    attributed_to: None,
                }],
                ..e
            }
        })
        .collect();
    Dataset {
        title: nasty.clone(),
        sources: vec![source],
        actors: vec![actor("a"), actor("b")],
        events,
        statements: vec![Statement {
            id: "st".into(),
            speaker: "a".into(),
            date: None,
            quote: Some(nasty.clone()),
            topic: None,
            stance: None,
            about: Vec::new(),
            sources: vec![SourceRef {
                source: "s".into(),
                quote: nasty,
                attributed_to: None,
            }],
        }],
        ..Default::default()
    }
}

#[test]
fn hostile_text_never_breaks_the_pdf_or_the_html() {
    if !common::have_tool("hostile_text_never_breaks_the_pdf_or_the_html", "pdftotext") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hostile.json");
    faultline_core::io::native::save(&file, &hostile_dataset()).unwrap();
    let file = file.to_str().unwrap();
    let html = std::fs::read_to_string(brief(dir.path(), "h.html", &[file])).unwrap();
    assert!(!html.contains("<script>"), "markup is escaped");
    assert!(html.contains("&lt;script&gt;"));
    assert!(
        !html.contains('\u{1}') && !html.contains('\u{8}'),
        "control characters dropped"
    );
    assert!(html.contains("مرحبا بالعالم"));
    let pdf = brief(dir.path(), "h.pdf", &[file]);
    let pages = pdf_pages(&pdf);
    assert!(!pages.is_empty());
    let all = pages.join("\n");
    assert!(
        all.contains("<script>alert(1)</script>"),
        "the words, as text"
    );
    // The 5,000-character word is broken into lines that fit the page: no line of the PDF's
    // text is longer than a page's width holds.
    let longest = all.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(longest < 200, "{longest}");
}
