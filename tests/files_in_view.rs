//! Several files in one view, driven as a user drives them: File → Add to view…, a file
//! hidden by its tick, the timeline stacked by file, a file removed, several files dropped.

mod common;

use std::path::PathBuf;

use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use faultline::app::dialogs::FileDialogs;
use faultline::app::{Action, Settings};
use faultline::ui::FaultlineApp;
use faultline_core::query::{Filter, GroupBy};
use faultline_core::seed::SEED_NAME;

/// Dialogs that answer "open" with one file.
struct Answer(PathBuf);

impl FileDialogs for Answer {
    fn pick_dataset(&mut self) -> Option<PathBuf> {
        Some(self.0.clone())
    }
    fn save_export(&mut self, _name: &str, _extension: &str) -> Option<PathBuf> {
        None
    }
}

const HEADER: &str = "event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,actor2,country,admin1,location,latitude,longitude,source,notes,fatalities\n";

/// Three ACLED events in Iraq: two in October 2024, one in November.
fn iraq_file(dir: &std::path::Path) -> PathBuf {
    let path = dir.join("iraq.csv");
    let text = HEADER.to_string()
        + "IRQ1,2024-10-03,2024,1,Explosions/Remote violence,Drone strike,Islamic Resistance in Iraq,,Iraq,Baghdad,Baghdad,33.3,44.4,Radio,drones,0\n"
        + "IRQ2,2024-10-09,2024,1,Explosions/Remote violence,Drone strike,Islamic Resistance in Iraq,,Iraq,Basra,Basra,30.5,47.8,Radio,drones,0\n"
        + "IRQ3,2024-11-02,2024,1,Battles,Armed clash,Military Forces of Iraq,,Iraq,Anbar,Ramadi,33.4,43.3,Radio,clash,2\n";
    std::fs::write(&path, text).unwrap();
    path
}

fn harness() -> Harness<'static, FaultlineApp> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .build_eframe(|cc| FaultlineApp::new(Settings::default(), &[], &cc.egui_ctx));
    h.run();
    h
}

fn shown_rows(h: &Harness<'static, FaultlineApp>) -> usize {
    let s = &h.state().state;
    s.dataset.engine.rows(&s.filter).len()
}

#[test]
fn a_file_added_to_the_view_is_a_layer_that_can_be_hidden_stacked_and_removed() {
    let dir = tempfile::tempdir().unwrap();
    let iraq = iraq_file(dir.path());
    let mut h = harness();
    let seed_events = h.state().state.dataset.store().len();
    // A filter set before the file comes stays.
    let drones = Filter {
        text: "drone".into(),
        ..Filter::default()
    };
    h.state_mut()
        .act(Action::SetFilter(Box::new(drones.clone())));
    common::settle(&mut h);

    h.state_mut().runtime.dialogs = Box::new(Answer(iraq.clone()));
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Add to view…").click();
    common::settle(&mut h);

    let state = &h.state().state;
    let files = &state.dataset.store().files;
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, [SEED_NAME, "iraq.csv"]);
    assert_eq!(state.dataset.store().len(), seed_events + 3);
    assert_eq!((files[0].events, files[1].events), (seed_events, 3));
    assert_eq!(
        state.filter, drones,
        "the filter stays when a file is added"
    );
    assert_eq!(state.dataset.paths(), vec![iraq.clone()]);
    assert!(state.dataset.with_embedded);
    h.state_mut().act(Action::ClearFilters);
    common::settle(&mut h);
    assert_eq!(shown_rows(&h), seed_events + 3);

    // The Files list: untick the embedded dataset; only the file's three events remain.
    h.get_by_label("Files (2)");
    h.get_by_label(&format!("{SEED_NAME}  ({seed_events})"))
        .click();
    common::settle(&mut h);
    assert_eq!(
        h.state().state.filter.files,
        vec![iraq.display().to_string()]
    );
    assert_eq!(shown_rows(&h), 3);
    h.get_by_label("file: iraq.csv  ×");
    // Tick it again: every file shown, and the filter says nothing about files.
    h.get_by_label(&format!("{SEED_NAME}  ({seed_events})"))
        .click();
    common::settle(&mut h);
    assert!(h.state().state.filter.files.is_empty());

    // Stack the timeline by file: one group per file, counts derived from the rows above.
    h.state_mut().act(Action::SetGroupBy(GroupBy::File));
    common::settle(&mut h);
    let s = &h.state().state;
    let series = s.dataset.engine.time_series(&s.filter, s.spec);
    let mut totals: Vec<(String, u32)> = series
        .groups
        .iter()
        .map(|g| (g.name.clone(), g.counts.iter().sum()))
        .collect();
    totals.sort();
    let store = s.dataset.store();
    let placed_seed = (0..store.len())
        .filter(|&i| store.file_of(i) == 0)
        .filter(|&i| series.period_of(store.row(i).days().0).is_some())
        .count() as u32;
    assert_eq!(
        totals,
        [
            (SEED_NAME.to_string(), placed_seed),
            ("iraq.csv".to_string(), 3)
        ]
    );
    // Each event says where it came from.
    let irq = (0..store.len())
        .find(|&i| store.row(i).id() == "IRQ3")
        .unwrap();
    h.state_mut().act(Action::SelectEvent(Some(irq as u32)));
    h.run();
    h.get_by_label("iraq.csv (acled)");

    // Remove the embedded dataset: the file alone is the view.
    h.get_all_by_label("Remove").next().unwrap().click();
    common::settle(&mut h);
    let state = &h.state().state;
    assert_eq!(state.dataset.store().len(), 3);
    assert!(!state.dataset.with_embedded);
    assert_eq!(state.dataset.path.as_deref(), Some(iraq.as_path()));
}

#[test]
fn files_given_together_open_as_one_view_and_a_bad_one_keeps_the_open_dataset() {
    let dir = tempfile::tempdir().unwrap();
    let iraq = iraq_file(dir.path());
    let other = dir.path().join("more.csv");
    std::fs::write(
        &other,
        HEADER.to_string()
            + "SYR1,2024-10-05,2024,1,Battles,Armed clash,Military Forces of Syria,,Syria,Idlib,Idlib,35.9,36.6,Radio,clash,1\n",
    )
    .unwrap();
    let mut h = harness();
    h.state_mut()
        .act(Action::OpenSeveral(vec![iraq.clone(), other.clone()]));
    common::settle(&mut h);
    let store = h.state().state.dataset.store();
    assert_eq!(store.len(), 4);
    let names: Vec<&str> = store.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["iraq.csv", "more.csv"]);
    h.get_by_label("Files (2)");

    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{\"format\": \"faultline\"").unwrap();
    h.state_mut().act(Action::AddToView(broken));
    common::settle(&mut h);
    let state = &h.state().state;
    assert_eq!(state.dataset.store().len(), 4, "the open view is kept");
    let last = state.messages.last().unwrap();
    assert!(last.is_error, "{last:?}");
    assert!(
        last.details.iter().any(|d| d.contains("broken.json")),
        "{last:?}"
    );
}

#[test]
fn the_details_link_an_event_to_one_of_another_dataset_that_may_be_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let iraq = iraq_file(dir.path());
    // IRQ1: Baghdad (33.3 N, 44.4 E), 3 October 2024, a drone strike. The note: 5 km away.
    let notes = dir.path().join("notes.json");
    let dataset = serde_json::json!({
        "format": "faultline", "version": 2, "title": "My notes",
        "actors": [{"id": "irq", "name": "Islamic Resistance in Iraq", "kind": "armed_group"}],
        "events": [{"id": "note-1", "date": "2024-10-03", "event_type": "Drone launch",
            "actor1": "irq", "location": {"latitude": 33.345, "longitude": 44.4},
            "status": {"kind": "reported"}}],
    });
    std::fs::write(&notes, dataset.to_string()).unwrap();
    let mut h = harness();
    h.state_mut()
        .act(Action::OpenSeveral(vec![iraq.clone(), notes.clone()]));
    common::settle(&mut h);
    let store = h.state().state.dataset.store().clone();
    let row_of = |id: &str| (0..store.len()).find(|&i| store.row(i).id() == id).unwrap() as u32;
    h.state_mut().act(Action::SelectEvent(Some(row_of("IRQ1"))));
    h.run();
    h.get_by_label("Possibly the same event as");
    h.get_by_label("note-1 · 3 Oct 2024 (notes.json, 5 km)")
        .click();
    h.run();
    assert_eq!(
        h.state().state.selection,
        faultline::app::Selection::Event(row_of("note-1"))
    );
    // And back: the note links to IRQ1 (the shared actor; 5 km), not to IRQ2 in Basra.
    h.get_by_label("IRQ1 · 3 Oct 2024 (iraq.csv, 5 km)");
    assert!(h.query_by_label_contains("IRQ2 ·").is_none());
}
