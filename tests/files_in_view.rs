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

/// A native file of one event: 5 km from IRQ1 (Baghdad, 33.3 N, 44.4 E) on its day, 3
/// October 2024, a drone launch by the same actor.
fn notes_file(dir: &std::path::Path) -> PathBuf {
    let notes = dir.join("notes.json");
    let dataset = serde_json::json!({
        "format": "faultline", "version": 2, "title": "My notes",
        "actors": [{"id": "irq", "name": "Islamic Resistance in Iraq", "kind": "armed_group"}],
        "events": [{"id": "note-1", "date": "2024-10-03", "event_type": "Drone launch",
            "actor1": "irq", "location": {"latitude": 33.345, "longitude": 44.4},
            "status": {"kind": "reported"}}],
    });
    std::fs::write(&notes, dataset.to_string()).unwrap();
    notes
}

/// The app with iraq.csv and notes.json (written in `dir`) open as one view.
fn iraq_and_notes(dir: &std::path::Path) -> Harness<'static, FaultlineApp> {
    let iraq = iraq_file(dir);
    let notes = notes_file(dir);
    let mut h = harness();
    h.state_mut().act(Action::OpenSeveral(vec![iraq, notes]));
    common::settle(&mut h);
    h
}

/// The row of the event with this id in the open view.
fn row_of(h: &Harness<'static, FaultlineApp>, id: &str) -> u32 {
    let store = h.state().state.dataset.store();
    (0..store.len()).find(|&i| store.row(i).id() == id).unwrap() as u32
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
    let mut h = iraq_and_notes(dir.path());
    let irq1 = row_of(&h, "IRQ1");
    h.state_mut().act(Action::SelectEvent(Some(irq1)));
    h.run();
    h.get_by_label("Possibly the same event as");
    h.get_by_label("note-1 · 3 Oct 2024 (notes.json, 5 km)")
        .click();
    h.run();
    assert_eq!(
        h.state().state.selection,
        faultline::app::Selection::Event(row_of(&h, "note-1"))
    );
    // And back: the note links to IRQ1 (the shared actor; 5 km), not to IRQ2 in Basra.
    h.get_by_label("IRQ1 · 3 Oct 2024 (iraq.csv, 5 km)");
    assert!(h.query_by_label_contains("IRQ2 ·").is_none());
}

/// Dialogs that add one file and save the workspace to one place.
struct WorkspaceAnswers {
    add: PathBuf,
    save: PathBuf,
}

impl FileDialogs for WorkspaceAnswers {
    fn pick_dataset(&mut self) -> Option<PathBuf> {
        Some(self.add.clone())
    }
    fn save_workspace(&mut self) -> Option<PathBuf> {
        Some(self.save.clone())
    }
    fn save_export(&mut self, _name: &str, _extension: &str) -> Option<PathBuf> {
        None
    }
}

/// Types `text` into the field labelled `label`.
fn type_into(h: &mut Harness<'static, FaultlineApp>, label: &str, text: &str) {
    h.get_by_label(label).click();
    h.run();
    h.get_by_label(label).type_text(text);
    h.run();
}

/// Edit → Annotations and changes…: two annotations typed in, then the second undone.
fn annotate_twice_and_undo(h: &mut Harness<'static, FaultlineApp>) {
    use egui::{Key, Modifiers};
    h.get_by_label("Edit").click();
    h.run();
    h.get_by_label("Annotations and changes…").click();
    h.run();
    assert!(h.state().state.show_changes, "the window opens");
    h.get_by_label("Add annotation");
    type_into(h, "Annotation date", "2024-10-04");
    type_into(h, "Annotation text", "Talks in Baghdad");
    h.get_by_label("Add annotation").click();
    h.run();
    h.get_by_label("Annotation date").click();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_label("Annotation date").type_text("2024-11");
    type_into(h, "Annotation text", "A second thought");
    h.get_by_label("Add annotation").click();
    h.run();
    assert_eq!(h.state().state.layer.workspace.annotations.len(), 2);
    h.get_by_label("Undo").click();
    h.run();
}

#[test]
fn a_workspace_keeps_the_files_the_hidden_file_the_annotations_and_notes_and_reopens_whole() {
    use egui::{Key, Modifiers};
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    let iraq = iraq_file(&dir.path().join("data"));
    let saved = dir.path().join("work").join("iraq.faultline.json");
    std::fs::create_dir_all(saved.parent().unwrap()).unwrap();
    let mut h = harness();
    h.state_mut().runtime.dialogs = Box::new(WorkspaceAnswers {
        add: iraq.clone(),
        save: saved.clone(),
    });
    // Add a file to the view, then hide it.
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Add to view…").click();
    common::settle(&mut h);
    h.get_by_label("iraq.csv  (3)").click();
    common::settle(&mut h);
    let hidden = h.state().state.filter.clone();
    assert_eq!(hidden.files, vec![SEED_NAME.to_string()]);

    annotate_twice_and_undo(&mut h);
    let annotations = h.state().state.layer.workspace.annotations.clone();
    assert_eq!(annotations.len(), 1);
    assert_eq!(annotations[0].text, "Talks in Baghdad");
    assert_eq!(annotations[0].date.as_ref().unwrap().to_iso(), "2024-10-04");
    h.get_by_label("Annotated 4 Oct 2024: Talks in Baghdad");
    h.get_by_label("undone: Annotated Nov 2024: A second thought");

    // A note with tags on the first event.
    h.state_mut().act(Action::SelectEvent(Some(0)));
    h.run();
    type_into(&mut h, "Your note", "Check the date");
    type_into(&mut h, "Your tags", "verify, drones");
    h.get_by_label("Save note").click();
    h.run();
    let notes = h.state().state.layer.workspace.notes.clone();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].tags, ["verify", "drones"]);

    // Save (Ctrl+S asks where the first time).
    h.state_mut().act(Action::SelectEvent(None));
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    assert!(saved.is_file(), "the workspace is written");
    assert!(!h.state().state.layer.unsaved);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&saved).unwrap()).unwrap();
    assert_eq!(json["format"], "faultline");
    let includes = json["includes"].as_array().unwrap();
    assert_eq!(includes[0]["path"], "faultline:embedded");
    assert_eq!(includes[1]["path"], "../data/iraq.csv");
    assert_eq!(includes[1]["format"], "acled");
    assert_eq!(
        includes[1]["bytes"],
        std::fs::metadata(&iraq).unwrap().len()
    );
    assert_eq!(json["annotations"][0]["date"], "2024-10-04");

    // Reopen in a new app: the files, the hidden one, the annotation and the note are back.
    let mut again = harness();
    again.state_mut().act(Action::Open(saved.clone()));
    common::settle(&mut again);
    let s = &again.state().state;
    let names: Vec<&str> = s
        .dataset
        .store()
        .files
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(names, [SEED_NAME, "iraq.csv"]);
    assert_eq!(s.filter, hidden);
    assert_eq!(s.layer.workspace.annotations, annotations);
    assert_eq!(s.layer.workspace.notes, notes);
    assert_eq!(s.layer.path.as_deref(), Some(saved.as_path()));
    assert!(s.layer.changes().is_empty(), "a fresh history");
    // The annotation is drawn on the exported timeline too.
    let settings =
        faultline::app::ExportSettings::new(faultline_core::export::ExportKind::TIMELINE_SVG);
    let request = s.export_request(&settings);
    let svg =
        String::from_utf8(faultline_core::export::render(&s.dataset.engine, &request).unwrap())
            .unwrap();
    assert!(
        svg.contains("4 Oct 2024 · Talks in Baghdad"),
        "the annotation in the SVG"
    );
}

#[test]
fn the_recovery_file_brings_the_layer_back_after_the_app_is_killed() {
    let dir = tempfile::tempdir().unwrap();
    let recovery = dir.path().join("recovery.faultline.json");
    let iraq = iraq_file(dir.path());
    let mut h = harness();
    h.state_mut().keep_recovery(recovery.clone(), true);
    h.state_mut().act(Action::AddToView(iraq.clone()));
    common::settle(&mut h);
    assert!(!recovery.exists(), "nothing to recover before a change");
    h.state_mut()
        .act(dated_annotation("2024-10", "Kept across a crash"));
    assert!(recovery.is_file(), "written at the change");
    // The process dies here: no save, no clean exit.
    drop(h);

    let mut again = harness();
    again.state_mut().keep_recovery(recovery.clone(), true);
    common::settle(&mut again);
    let s = &again.state().state;
    let texts: Vec<&str> = s
        .layer
        .workspace
        .annotations
        .iter()
        .map(|a| a.text.as_str())
        .collect();
    assert_eq!(texts, ["Kept across a crash"]);
    assert!(
        s.layer.unsaved,
        "recovered, not saved: {:?} {:?}",
        s.layer.path, s.recovery
    );
    assert_eq!(s.layer.path, None, "never saved as a workspace");
    let names: Vec<&str> = s
        .dataset
        .store()
        .files
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(names, [SEED_NAME, "iraq.csv"], "the view's files too");
    assert!(!s.recent.contains(&recovery), "not a recent file");
    assert!(s
        .messages
        .iter()
        .any(|m| m.title.starts_with("Recovered your annotations and notes")));
    // Saved: the recovery file goes.
    let saved = dir.path().join("ws.json");
    again
        .state_mut()
        .act(Action::SaveWorkspaceTo(saved.clone()));
    assert!(saved.is_file());
    assert!(!recovery.exists(), "removed once saved");
}

#[test]
fn two_events_of_different_datasets_are_marked_the_same_saved_and_undone() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = iraq_and_notes(dir.path());
    let irq1 = row_of(&h, "IRQ1");
    h.state_mut().act(Action::SelectEvent(Some(irq1)));
    h.run();
    h.get_by_label("Same event").click();
    h.run();
    let layer = &h.state().state.layer;
    assert_eq!(layer.workspace.mark("note-1", "IRQ1"), Some(true));
    assert_eq!(
        layer.changes(),
        ["Marked IRQ1 and note-1 as the same event"]
    );
    // Different, then undo: the same again; both records stay in the view throughout.
    h.get_by_label("Different events").click();
    h.run();
    assert_eq!(
        h.state().state.layer.workspace.mark("IRQ1", "note-1"),
        Some(false)
    );
    h.state_mut().act(Action::Undo);
    assert_eq!(
        h.state().state.layer.workspace.mark("IRQ1", "note-1"),
        Some(true)
    );
    assert_eq!(h.state().state.dataset.store().len(), 4);
    // Saved and read back.
    let saved = dir.path().join("ws.json");
    h.state_mut().act(Action::SaveWorkspaceTo(saved.clone()));
    let opened = faultline_core::io::open(&saved, &Default::default()).unwrap();
    let marks = &opened.workspace.unwrap().layer.marks;
    assert_eq!(marks.len(), 1);
    assert!(marks[0].same);
}

#[test]
fn a_missing_file_of_a_workspace_is_named_and_can_be_located() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let iraq = iraq_file(&data);
    let saved = dir.path().join("ws.json");
    let mut h = harness();
    h.state_mut().act(Action::Open(iraq.clone()));
    common::settle(&mut h);
    h.state_mut().act(dated_annotation("2024-10", "October"));
    h.state_mut().act(Action::SaveWorkspaceTo(saved.clone()));
    // The file moves.
    let moved = dir.path().join("moved");
    std::fs::create_dir_all(&moved).unwrap();
    std::fs::rename(&iraq, moved.join("iraq.csv")).unwrap();

    let mut again = harness();
    again.state_mut().runtime.dialogs = Box::new(Answer(moved.join("iraq.csv")));
    again.state_mut().act(Action::Open(saved.clone()));
    common::settle(&mut again);
    assert_eq!(
        again.state().state.dataset.store().len(),
        0,
        "the rest opens"
    );
    assert_eq!(again.state().state.layer.workspace.annotations.len(), 1);
    again.get_by_label_contains("Not read: data/iraq.csv (missing)");
    again.get_by_label("Locate…").click();
    common::settle(&mut again);
    let s = &again.state().state;
    assert_eq!(s.dataset.store().len(), 3, "read from its new place");
    assert!(again.query_by_label_contains("Not read:").is_none());
    // Saved again, the workspace names the new place and not the old.
    again.state_mut().act(Action::SaveWorkspace);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&saved).unwrap()).unwrap();
    let paths: Vec<&str> = json["includes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["moved/iraq.csv"]);
}

/// Edit → Add an event…, filled in by label; "Add event" refuses it until the source is
/// named and quoted (the view keeps `events` events until then).
fn fill_in_an_event(h: &mut Harness<'static, FaultlineApp>, events: usize) {
    h.get_by_label("Edit").click();
    h.run();
    h.get_by_label("Add an event…").click();
    h.run();
    type_into(h, "Event date", "2024-11-03");
    type_into(h, "Event type", "Explosions/Remote violence");
    type_into(h, "First actor", "Islamic Resistance in Iraq");
    type_into(h, "Place", "Eilat");
    type_into(h, "Latitude", "29.56");
    type_into(h, "Longitude", "34.95");
    // Without its source's words, nothing is added.
    h.get_by_label("Add event").click();
    h.run();
    assert_eq!(h.state().state.dataset.store().len(), events);
    h.get_by_label("Name the source: its publisher and its title");
    type_into(h, "Source publisher", "A Paper");
    type_into(h, "Source title", "Drone hits Eilat");
    h.get_by_label("Add event").click();
    h.run();
    h.get_by_label("Quote the source's words that say it happened");
    type_into(
        h,
        "Source's words",
        "A drone launched from Iraq struck Eilat",
    );
    h.get_by_label("Add event").click();
    common::settle(h);
}

#[test]
fn an_event_added_with_its_source_shows_in_the_view_undoes_and_comes_back_from_the_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("ws.json");
    let mut h = harness();
    let seed_events = h.state().state.dataset.store().len();
    fill_in_an_event(&mut h, seed_events);

    let s = &h.state().state;
    let store = s.dataset.store();
    assert_eq!(store.len(), seed_events + 1);
    let row = (0..store.len())
        .find(|&i| store.row(i).id() == "yours-1")
        .unwrap();
    let event = store.event(row);
    assert_eq!(event.date.to_iso(), "2024-11-03");
    assert_eq!(event.location.latitude, Some(29.56));
    assert_eq!(
        event.sources[0].quote,
        "A drone launched from Iraq struck Eilat"
    );
    // The actor it names is the dataset's own (one actor, not a copy).
    let iri = store.row(row).actor1().unwrap();
    assert_eq!(store.actor_name(iri), "Islamic Resistance in Iraq");
    assert_eq!(
        store
            .actors()
            .iter()
            .filter(|a| a.name == "Islamic Resistance in Iraq")
            .count(),
        1
    );
    assert_eq!(store.files.last().unwrap().name, "your events");
    // Undo: gone; redo: back.
    h.state_mut().act(Action::Undo);
    assert_eq!(h.state().state.dataset.store().len(), seed_events);
    h.state_mut().act(Action::Redo);
    assert_eq!(h.state().state.dataset.store().len(), seed_events + 1);

    // Saved and reopened: the event, its source and its words are back.
    h.state_mut().act(Action::SaveWorkspaceTo(saved.clone()));
    // The file is a valid dataset: every reference resolves.
    faultline_core::io::open(&saved, &Default::default()).unwrap();
    let mut again = harness();
    again.state_mut().act(Action::Open(saved.clone()));
    common::settle(&mut again);
    let s = &again.state().state;
    let store = s.dataset.store();
    assert_eq!(store.len(), seed_events + 1);
    let row = (0..store.len())
        .find(|&i| store.row(i).id() == "yours-1")
        .unwrap();
    assert_eq!(
        store.event(row).sources[0].quote,
        "A drone launched from Iraq struck Eilat"
    );
    assert_eq!(s.layer.own.events.len(), 1);
    // A second event goes beside the first, in the workspace's own layer.
    again.state_mut().act(Action::AddEvent(Box::new(
        faultline::app::layer::NewEvent {
            date: Some("2024-11-04".parse().unwrap()),
            event_type: "Battles".into(),
            publisher: "A Paper".into(),
            title: "More".into(),
            quote: "Fighting continued".into(),
            ..Default::default()
        },
    )));
    let store = again.state().state.dataset.store();
    assert_eq!(store.len(), seed_events + 2);
    let own_layer = store
        .files
        .iter()
        .position(|f| f.name == "ws.json")
        .unwrap();
    assert_eq!(store.files[own_layer].events, 2);
}

#[test]
fn possibly_same_events_can_be_counted_once_and_the_filter_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = iraq_and_notes(dir.path());
    assert_eq!(shown_rows(&h), 4);
    h.get_by_label("1 pairs possibly the same");
    h.get_by_label("Count possibly-same events once").click();
    common::settle(&mut h);
    // note-1 may be IRQ1 (5 km, same day, same actor): the earlier file's record stands.
    let s = &h.state().state;
    assert_eq!(s.filter.once_within_km, Some(25));
    let store = s.dataset.store();
    let mut ids: Vec<&str> = s
        .dataset
        .engine
        .rows(&s.filter)
        .iter()
        .map(|&r| store.row(r as usize).id())
        .collect();
    ids.sort();
    assert_eq!(ids, ["IRQ1", "IRQ2", "IRQ3"]);
    assert!(s
        .filter
        .describe(store)
        .contains("possibly-same events counted once (within 25 km)"));
    // The analyst says they differ: both count.
    let irq1 = row_of(&h, "IRQ1");
    h.state_mut().act(Action::SelectEvent(Some(irq1)));
    h.run();
    h.get_by_label("Different events").click();
    common::settle(&mut h);
    assert_eq!(
        h.state().state.filter.once_marks,
        [("IRQ1".to_string(), "note-1".to_string(), false)]
    );
    assert_eq!(shown_rows(&h), 4);
    let s = &h.state().state;
    assert!(s
        .filter
        .describe(s.dataset.store())
        .contains("and 1 pair as you marked them"));
    // Undone: counted once again.
    h.state_mut().act(Action::Undo);
    common::settle(&mut h);
    assert_eq!(shown_rows(&h), 3);
    h.get_by_label("possibly-same counted once (25 km)  ×")
        .click();
    common::settle(&mut h);
    assert_eq!(shown_rows(&h), 4);
}

/// The action that annotates a date of the timeline.
fn dated_annotation(date: &str, text: &str) -> Action {
    Action::Annotate(Box::new(faultline_core::model::Annotation {
        id: String::new(),
        date: Some(date.parse().unwrap()),
        at: None,
        text: text.into(),
    }))
}

/// The counts the engine gives for one file of the view alone, in each of these months
/// (a month the file has no event in counts none).
fn counts_of_file(h: &Harness<'static, FaultlineApp>, file: &str, months: &[&str]) -> Vec<u64> {
    let s = &h.state().state;
    let layer = s.dataset.store().files.iter().find(|f| f.name == file);
    let filter = Filter {
        files: vec![layer.unwrap().path.clone()],
        ..s.filter.clone()
    };
    let series = s.dataset.engine.time_series(&filter, Default::default());
    let totals = series.totals();
    months
        .iter()
        .map(|m| {
            series
                .periods
                .iter()
                .position(|p| p.key == *m)
                .map_or(0, |i| u64::from(totals[i]))
        })
        .collect()
}

#[test]
fn the_comparison_sets_two_files_side_by_side_with_the_engines_counts_and_exports_them() {
    use faultline::ui::compare::ComparePanel;
    use faultline_core::export::{Chart, ExportKind, FileFormat};
    use faultline_core::query::compare::Measure;
    let dir = tempfile::tempdir().unwrap();
    let mut h = iraq_and_notes(dir.path());
    h.get_by_label("Compare").click();
    common::settle(&mut h);
    let drawn = h.state().panel::<ComparePanel>().unwrap().drawn().cloned();
    let c = drawn.expect("two files to compare");
    // The files in the order they were given, month by month: Oct and Nov 2024.
    assert_eq!(
        [c.sides[0].name.as_str(), c.sides[1].name.as_str()],
        ["iraq.csv", "notes.json"]
    );
    let months: Vec<&str> = c.periods.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(months, ["2024-10", "2024-11"]);
    assert_eq!(c.sides[0].values, counts_of_file(&h, "iraq.csv", &months));
    assert_eq!(c.sides[1].values, counts_of_file(&h, "notes.json", &months));
    assert_eq!(c.sides[0].values, [2, 1]);
    assert_eq!(c.difference(0), -1);
    h.get_by_label(&c.summary());
    // Deaths instead: the clash in November killed two.
    h.get_by_role_and_label(egui::accesskit::Role::ComboBox, "Count")
        .click();
    h.run();
    h.get_by_label("deaths").click();
    common::settle(&mut h);
    assert_eq!(h.state().state.compare.measure, Measure::Deaths);
    let c = h
        .state()
        .panel::<ComparePanel>()
        .unwrap()
        .drawn()
        .cloned()
        .unwrap();
    assert_eq!(c.sides[0].values, [0, 2]);
    // Exported like every chart: the CSV holds the panel's numbers, the SVG says the gap.
    let s = &h.state().state;
    let csv = faultline::app::ExportSettings::new(ExportKind::new(Chart::Compare, FileFormat::Csv));
    let bytes = faultline_core::export::render(&s.dataset.engine, &s.export_request(&csv)).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    assert_eq!(
        text.lines().collect::<Vec<_>>(),
        [
            "period,start,end,iraq.csv,notes.json,difference",
            "2024-10,2024-10-01,2024-10-31,0,0,0",
            "2024-11,2024-11-01,2024-11-30,2,0,-2",
        ]
    );
    let svg = faultline::app::ExportSettings::new(ExportKind::new(Chart::Compare, FileFormat::Svg));
    let bytes = faultline_core::export::render(&s.dataset.engine, &s.export_request(&svg)).unwrap();
    let svg = String::from_utf8(bytes).unwrap();
    assert!(
        svg.contains("Deaths per month: iraq.csv beside notes.json"),
        "the title"
    );
    assert!(svg.contains(&c.summary()), "the gap in words");
}

#[test]
fn a_field_of_an_imported_event_is_corrected_the_original_kept_undone_and_saved() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("ws.json");
    let mut h = iraq_and_notes(dir.path());
    let irq3 = row_of(&h, "IRQ3");
    h.state_mut().act(Action::SelectEvent(Some(irq3)));
    h.run();
    // The form offers the deaths first, with the file's value.
    h.get_by_label("Corrected value").click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Corrected value").type_text("5");
    h.run();
    type_into(&mut h, "Why", "Two more died in hospital");
    h.get_by_label("Correct").click();
    common::settle(&mut h);
    let s = &h.state().state;
    let row = row_of(&h, "IRQ3") as usize;
    assert_eq!(
        s.dataset.store().row(row).fatalities(),
        Some(5),
        "the view counts it"
    );
    let correction = &s.layer.workspace.corrections[0];
    assert_eq!(
        (correction.original.as_str(), correction.value.as_str()),
        ("2", "5")
    );
    assert!(correction.made.ends_with('Z'), "{}", correction.made);
    assert_eq!(
        s.dataset.corrected[0].replaced, "2",
        "the file's value kept"
    );
    // Shown with the original and when it was made; the file's deaths count nowhere.
    h.get_by_label("(the file says 2)");
    h.get_by_label("Two more died in hospital");
    let deaths: u64 = {
        let s = &h.state().state;
        let ts = s
            .dataset
            .engine
            .time_series(&Filter::default(), Default::default());
        ts.groups.iter().flat_map(|g| g.fatalities.iter()).sum()
    };
    assert_eq!(deaths, 5);
    // Undo shows the file's value again; redo the correction.
    h.state_mut().act(Action::Undo);
    common::settle(&mut h);
    let row = row_of(&h, "IRQ3") as usize;
    assert_eq!(
        h.state().state.dataset.store().row(row).fatalities(),
        Some(2)
    );
    h.state_mut().act(Action::Redo);
    common::settle(&mut h);
    // Saved and reopened: the correction, with its original, is back and applied.
    h.state_mut().act(Action::SaveWorkspaceTo(saved.clone()));
    common::settle(&mut h);
    let mut again = harness();
    again.state_mut().act(Action::Open(saved.clone()));
    common::settle(&mut again);
    let s = &again.state().state;
    assert_eq!(s.layer.workspace.corrections.len(), 1);
    let row = row_of(&again, "IRQ3") as usize;
    assert_eq!(s.dataset.store().row(row).fatalities(), Some(5));
    assert_eq!(s.dataset.corrected[0].replaced, "2");
    // Taken back: the file's value, and the workspace holds no correction.
    again.state_mut().act(Action::SelectEvent(Some(row as u32)));
    again.run();
    again.get_by_label("Take back").click();
    common::settle(&mut again);
    let s = &again.state().state;
    assert!(s.layer.workspace.corrections.is_empty());
    let row = row_of(&again, "IRQ3") as usize;
    assert_eq!(s.dataset.store().row(row).fatalities(), Some(2));
}

#[test]
fn a_place_on_the_map_is_annotated_and_drawn_on_the_exported_map() {
    use faultline_core::export::{Chart, ExportKind, FileFormat};
    let dir = tempfile::tempdir().unwrap();
    let mut h = iraq_and_notes(dir.path());
    // What a right-click on the map and "Annotate here…" ask for.
    h.state_mut().act(Action::AnnotateAt([44.4, 33.3]));
    h.run();
    h.run();
    assert!(h.state().state.show_changes, "the window opens");
    type_into(&mut h, "Annotation text", "Checkpoint");
    h.get_by_label("Add annotation").click();
    h.run();
    let s = &h.state().state;
    let a = &s.layer.workspace.annotations[0];
    assert_eq!((a.date, a.at), (None, Some([44.4, 33.3])));
    assert_eq!(
        s.layer.changes(),
        ["Annotated at 33.30° N, 44.40° E: Checkpoint"]
    );
    let settings =
        faultline::app::ExportSettings::new(ExportKind::new(Chart::Map, FileFormat::Svg));
    let bytes =
        faultline_core::export::render(&s.dataset.engine, &s.export_request(&settings)).unwrap();
    let svg = String::from_utf8(bytes).unwrap();
    assert!(
        svg.contains(">Checkpoint</text>"),
        "the pin's words on the map"
    );
    // Not on the timeline: it has no date.
    let settings = faultline::app::ExportSettings::new(ExportKind::TIMELINE_SVG);
    let bytes =
        faultline_core::export::render(&s.dataset.engine, &s.export_request(&settings)).unwrap();
    assert!(!String::from_utf8(bytes).unwrap().contains("Checkpoint"));
}
