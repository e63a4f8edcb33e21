//! The reported figures' chart: the first frame of a first run shows the embedded dataset's
//! headline (Maariv's monthly drone figures 6, 31, 90) as bars with the legend below them;
//! the user can pick another unit, overlay the counted events, go to the timeline, and export
//! what they see.

mod common;

use std::path::Path;

use egui_kittest::kittest::{NodeT, Queryable};
use egui_kittest::Harness;
use faultline::app::{Action, CentralTab, ExportSettings, Settings};
use faultline::ui::reported::ReportedPanel;
use faultline::ui::FaultlineApp;
use faultline_core::export::{Chart, ExportKind, FileFormat};
use faultline_core::layout::reported::{ReportedLayout, Swatch};

fn harness(settings: Settings) -> Harness<'static, FaultlineApp> {
    common::app(settings, (1400.0, 900.0))
}

use common::settle;

fn drawn(harness: &Harness<'static, FaultlineApp>) -> ReportedLayout {
    harness
        .state()
        .panel::<ReportedPanel>()
        .expect("the panel is registered")
        .drawn()
        .expect("the chart was drawn")
        .clone()
}

/// The counted-events labels of the chart drawn last ("3 counted").
fn counted_labels(h: &Harness<'static, FaultlineApp>) -> Vec<String> {
    drawn(h)
        .counted
        .iter()
        .map(|m| m.label.text.clone())
        .collect()
}

fn values(layout: &ReportedLayout) -> Vec<String> {
    layout.bars.iter().map(|b| b.value.text.clone()).collect()
}

#[test]
fn a_first_run_opens_on_the_monthly_drone_figures_with_the_legend_below_them() {
    let mut h = harness(Settings::first_run());
    settle(&mut h);
    assert_eq!(h.state().state.tab, CentralTab::Reported);
    let layout = drawn(&h);
    assert_eq!(values(&layout), ["6", "31", "90", "65"]);
    let periods: Vec<&str> = layout.periods.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(
        periods,
        ["Aug 2024", "Sep 2024", "Oct 2024", "1–21 Nov 2024"]
    );
    // Readable at a glance: the tallest bar reaches over most of the plot, and the bars
    // stand in proportion to their figures.
    let height = |i: usize| layout.bars[i].rect.y1 - layout.bars[i].rect.y0;
    let plot_height = layout.plot.y1 - layout.plot.y0;
    assert!(
        height(2) > 0.6 * plot_height,
        "{} of {plot_height}",
        height(2)
    );
    assert!((height(2) / height(0) - 15.0).abs() < 0.01);
    assert!((height(1) / height(0) - 31.0 / 6.0).abs() < 0.01);
    // The bars take the window's width, not a corner of it.
    assert!(layout.plot.x1 - layout.plot.x0 > 500.0);
    // The legend is under the plot, inside the window, and names who counted, reported and
    // quoted the figures.
    let window_bottom = 900.0;
    for line in &layout.legend {
        assert!(line.label.y > layout.plot.y1 + 20.0, "{line:?}");
        assert!(line.label.y < window_bottom, "{line:?}");
    }
    let legend: Vec<&str> = layout
        .legend
        .iter()
        .map(|l| l.label.text.as_str())
        .collect();
    let legend = legend.join(" ");
    assert!(legend.contains("Drone launches from Iraq toward Israel: counted by Israel, reported by Maariv, quoted by Shafaq News"), "{legend}");
    assert_eq!(layout.legend[0].swatch, Swatch::Series(0));
    // The title says what the figures are.
    h.get_by_label("Drone attacks counted by Israel, as reported by Maariv");
}

#[test]
fn the_counted_events_are_one_click_away_and_the_figures_one_click_back() {
    let mut h = harness(Settings::first_run());
    settle(&mut h);
    h.get_by_label("Timeline and events").click();
    settle(&mut h);
    assert_eq!(h.state().state.tab, CentralTab::Events);
    h.get_by_label("Reported figures").click();
    settle(&mut h);
    assert_eq!(h.state().state.tab, CentralTab::Reported);
    h.get_by_label("Counted events: the timeline").click();
    settle(&mut h);
    assert_eq!(h.state().state.tab, CentralTab::Events);
}

#[test]
fn another_unit_shows_figures_in_words_and_undated_ones_in_the_legend() {
    let mut h = harness(Settings::first_run());
    settle(&mut h);
    h.get_by_label("Figures in").click();
    settle(&mut h);
    h.get_by_label("attacks").click();
    settle(&mut h);
    let layout = drawn(&h);
    assert_eq!(values(&layout), ["hundreds"]);
    assert_eq!(
        layout.bars[0].style,
        faultline_core::layout::reported::BarStyle::Words
    );
    assert!(layout
        .legend
        .iter()
        .any(|l| l.label.text == "Attacks on Israel claimed by MIBH: 6 (undated)"));
}

#[test]
fn the_overlay_counts_the_filtered_events_over_each_figures_days() {
    let mut h = harness(Settings::first_run());
    settle(&mut h);
    assert!(drawn(&h).counted.is_empty(), "off by default");
    h.get_by_label("Overlay counted events").click();
    settle(&mut h);
    let counted = counted_labels(&h);
    // Sep 2024: the war, dated to the month; Oct 2024: two events dated to the month and one
    // to 4 October.
    assert_eq!(
        counted,
        ["0 counted", "1 counted", "3 counted", "0 counted"]
    );
    assert!(drawn(&h).legend.iter().any(|l| l.swatch == Swatch::Counted));
    // The overlay follows the filter.
    let mut filter = h.state().state.filter.clone();
    filter.event_types = vec!["Battles".into()];
    h.state_mut().act(Action::SetFilter(Box::new(filter)));
    settle(&mut h);
    let counted = counted_labels(&h);
    assert_eq!(
        counted,
        ["0 counted", "1 counted", "0 counted", "0 counted"]
    );
}

/// A small ACLED file: counted events, no reported figures.
fn acled_file(dir: &Path) -> std::path::PathBuf {
    let mut text = String::from(
        "event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,country,admin1,location,latitude,longitude,notes,fatalities\n",
    );
    for i in 0..5 {
        text.push_str(&format!(
            "YEM{i},2020-05-{:02},2020,1,Battles,Armed clash,Army,,1,Militia,,3,Yemen,Sanaa,Sanaa,15.35,44.2,note,1\n",
            i + 1
        ));
    }
    let path = dir.join("yemen.csv");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_dataset_without_reported_figures_opens_on_its_timeline() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(Settings::first_run());
    settle(&mut h);
    h.state_mut().act(Action::Open(acled_file(dir.path())));
    settle(&mut h);
    assert_eq!(h.state().state.dataset.store().len(), 5);
    assert_eq!(h.state().state.tab, CentralTab::Events);
    // Asked for anyway, the tab says why it is empty and leads to the timeline.
    h.state_mut().act(Action::SetTab(CentralTab::Reported));
    settle(&mut h);
    assert!(h
        .state()
        .panel::<ReportedPanel>()
        .unwrap()
        .drawn()
        .is_none());
    h.get_by_label("Show the timeline of counted events")
        .click();
    settle(&mut h);
    assert_eq!(h.state().state.tab, CentralTab::Events);
}

#[test]
fn the_exported_picture_holds_the_figures_on_screen() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(Settings::first_run());
    settle(&mut h);
    h.get_by_label("Overlay counted events").click();
    settle(&mut h);
    let kind = ExportKind::new(Chart::Reported, FileFormat::Svg);
    h.state_mut().act(Action::Export(kind));
    let path = dir.path().join("figures.svg");
    h.state_mut().act(Action::ExportTo(
        Box::new(ExportSettings::new(kind)),
        path.clone(),
    ));
    settle(&mut h);
    let svg = std::fs::read_to_string(&path).expect("written");
    let figures: Vec<&str> = svg
        .split("data-figure=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    assert_eq!(figures, values(&drawn(&h)));
    assert_eq!(
        svg.matches("class=\"counted\"").count(),
        4,
        "the overlay too"
    );
    assert!(svg.contains("Drone attacks counted by Israel, as reported by Maariv"));
    let csv_path = dir.path().join("figures.csv");
    let csv = ExportKind::new(Chart::Reported, FileFormat::Csv);
    h.state_mut().act(Action::ExportTo(
        Box::new(ExportSettings::new(csv)),
        csv_path.clone(),
    ));
    settle(&mut h);
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    assert_eq!(csv.lines().count(), 5, "a header and the four figures");
    assert!(csv.contains("Oct 2024,2024-10-01,2024-10-31,90,exact,90,Maariv,Israel"));
}

#[test]
fn the_export_window_lists_the_pages_of_the_brief_before_it_is_written() {
    use faultline_core::export::brief::{brief_blocks, brief_pages, BriefRequest, A4};
    let mut h = harness(Settings::first_run());
    settle(&mut h);
    h.get_by_label("Export…").click();
    h.run();
    h.get_by_label("Brief").click();
    h.run();
    let settings = h.state().state.export.clone().expect("the window is open");
    assert_eq!(
        settings.kind,
        ExportKind::new(Chart::Brief, FileFormat::Pdf)
    );
    assert_eq!(settings.size, A4, "a brief is laid out on paper");
    h.get_by_label("US Letter").click();
    h.run();
    h.get_by_label("List the pages").click();
    h.run();
    let engine = &h.state().state.dataset.engine;
    let filter = faultline_core::query::Filter::default();
    let blocks = brief_blocks(
        engine,
        &BriefRequest {
            filter: &filter,
            spec: Default::default(),
            graph: Default::default(),
            title: Some(engine.store().meta.title.clone()),
            page: faultline_core::export::brief::LETTER,
            skipped: 0,
            as_of: None,
        },
    );
    let pages = brief_pages(&blocks, faultline_core::export::brief::LETTER).len();
    assert!(pages >= 3);
    h.get_by_label(&format!("{pages} pages:"));
    let node = h.get_by_label_contains("Page 1:");
    let first = node
        .accesskit_node()
        .label()
        .or(node.accesskit_node().value())
        .unwrap_or_default();
    assert!(first.contains("Reported figures"), "{first}");
}
