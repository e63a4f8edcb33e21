//! Workspaces: the analyst's layer saved with links to the dataset files, reopened whole;
//! missing, changed and self-including files.

use std::path::{Path, PathBuf};

use faultline_core::io::workspace::{includes_for, save, IncludeState};
use faultline_core::io::{open, LoadError, OpenOptions};
use faultline_core::model::{
    Actor, ActorKind, Annotation, Correction, Dataset, DateSpan, Event, Field, Note, NoteTarget,
    Source, SourceRef, Workspace,
};

const HEADER: &str = "event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,actor2,country,admin1,location,latitude,longitude,source,notes,fatalities\n";

fn acled_file(dir: &Path) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join("acled.csv");
    let text = HEADER.to_string()
        + "A1,2024-10-03,2024,1,Battles,Armed clash,Army,Rebels,Sudan,Khartoum,Khartoum,15.5,32.53,Radio,clash,3\n"
        + "A2,2024-10-09,2024,1,Battles,Armed clash,Army,Rebels,Sudan,Khartoum,Bahri,15.64,32.52,Radio,clash,0\n";
    std::fs::write(&path, text).unwrap();
    path
}

/// The analyst's own records: one event added from an article, with its source's words.
fn own_records() -> Dataset {
    let mut event: Event = Event::new(
        "mine-1".to_string(),
        DateSpan::Day("2024-10-05".parse().unwrap()),
        "Armed clash".to_string(),
    );
    event.actor1 = Some("rsf".into());
    event.sources = vec![SourceRef {
        source: "article-1".into(),
        quote: "Fighting resumed in Omdurman on Saturday".into(),
        attributed_to: None,
    }];
    Dataset {
        title: "Sudan, October".into(),
        sources: vec![Source {
            id: "article-1".into(),
            publisher: "A Paper".into(),
            title: "Fighting resumes".into(),
            date: None,
            url: None,
        }],
        actors: vec![Actor::named(
            "rsf",
            "Rapid Support Forces",
            ActorKind::ArmedGroup,
        )],
        events: vec![event],
        ..Dataset::default()
    }
}

fn layer() -> Workspace {
    Workspace {
        includes: Vec::new(),
        annotations: vec![
            Annotation {
                id: "a1".into(),
                date: Some(DateSpan::Day("2024-10-04".parse().unwrap())),
                at: None,
                text: "Talks in Jeddah".into(),
            },
            Annotation {
                id: "a2".into(),
                date: Some(DateSpan::Month {
                    year: 2024,
                    month: 10,
                }),
                at: Some([32.53, 15.5]),
                text: "Rainy season ends".into(),
            },
            Annotation {
                id: "a3".into(),
                date: None,
                at: Some([32.48, 15.65]),
                text: "Omdurman bridge".into(),
            },
        ],
        corrections: vec![
            Correction {
                event: "A1".into(),
                field: Field::Fatalities,
                value: "5".into(),
                original: "3".into(),
                made: "2026-12-01T10:30:00Z".into(),
                why: "Two more died in hospital (Radio Dabanga, 5 Oct)".into(),
            },
            Correction {
                event: "A2".into(),
                field: Field::Place,
                value: "Khartoum North".into(),
                original: "Bahri".into(),
                made: "2026-12-01T10:31:00Z".into(),
                why: String::new(),
            },
        ],
        notes: vec![
            Note {
                about: NoteTarget::Event("A1".into()),
                text: "Check against UN report".into(),
                tags: vec!["verify".into()],
            },
            Note {
                about: NoteTarget::Actor("Army".into()),
                text: String::new(),
                tags: vec!["state".into(), "watch".into()],
            },
        ],
        marks: vec![faultline_core::model::Mark {
            events: ["A1".into(), "mine-1".into()],
            same: false,
        }],
        view: Some(serde_json::json!({"filter": {"text": "clash"}})),
    }
}

/// Saves a workspace at `path` including `files` (read now for their formats).
fn save_workspace(path: &Path, files: &[PathBuf]) -> Workspace {
    let formats: Vec<(PathBuf, String)> = files
        .iter()
        .map(|f| {
            let opened = open(f, &OpenOptions::default()).unwrap();
            (f.clone(), opened.format.name().to_string())
        })
        .collect();
    let mut workspace = layer();
    workspace.includes = includes_for(path, &formats).unwrap();
    save(path, &own_records(), &workspace).unwrap();
    workspace
}

#[test]
fn a_workspace_round_trips_its_layer_its_own_events_and_its_includes() {
    let dir = tempfile::tempdir().unwrap();
    let data = acled_file(&dir.path().join("data"));
    let path = dir.path().join("work").join("sudan.json");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let saved = save_workspace(&path, std::slice::from_ref(&data));
    // Named relative to the workspace, with size and checksum.
    let include = &saved.includes[0];
    assert_eq!(include.path, "../data/acled.csv");
    assert_eq!(include.format.as_deref(), Some("acled"));
    assert_eq!(include.bytes, Some(std::fs::metadata(&data).unwrap().len()));
    assert_eq!(include.sha256.as_ref().map(String::len), Some(64));

    let opened = open(&path, &OpenOptions::default()).unwrap();
    let workspace = opened.workspace.as_ref().expect("a workspace");
    assert_eq!(workspace.layer, saved);
    assert_eq!(workspace.own, own_records());
    assert_eq!(workspace.includes[0].state, IncludeState::Read);
    let store = &opened.store;
    let names: Vec<&str> = store.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["acled.csv", "sudan.json"]);
    let mut ids: Vec<&str> = (0..store.len()).map(|i| store.row(i).id()).collect();
    ids.sort();
    assert_eq!(ids, ["A1", "A2", "mine-1"]);
    assert_eq!(store.meta.title, "Sudan, October");
    // The added event keeps its source's words.
    let mine = (0..store.len())
        .find(|&i| store.row(i).id() == "mine-1")
        .unwrap();
    assert_eq!(
        store.event(mine).sources[0].quote,
        "Fighting resumed in Omdurman on Saturday"
    );
    // The corrections are shown, each with the value the file gives.
    let a1 = (0..store.len())
        .find(|&i| store.row(i).id() == "A1")
        .unwrap();
    let a2 = (0..store.len())
        .find(|&i| store.row(i).id() == "A2")
        .unwrap();
    assert_eq!(store.row(a1).fatalities(), Some(5));
    assert_eq!(store.field_text(a2, Field::Place), "Khartoum North");
    let replaced: Vec<&str> = workspace
        .corrected
        .iter()
        .map(|c| c.replaced.as_str())
        .collect();
    assert_eq!(replaced, ["3", "Bahri"]);
    // The included file was not written.
    assert_eq!(
        faultline_core::io::workspace::sha256_of(&data).unwrap(),
        *include.sha256.as_ref().unwrap()
    );
}

#[test]
fn a_missing_file_is_named_and_the_rest_opens() {
    let dir = tempfile::tempdir().unwrap();
    let data = acled_file(dir.path());
    let path = dir.path().join("ws.json");
    save_workspace(&path, std::slice::from_ref(&data));
    std::fs::remove_file(&data).unwrap();
    let opened = open(&path, &OpenOptions::default()).unwrap();
    let workspace = opened.workspace.as_ref().unwrap();
    assert_eq!(
        workspace.includes[0].state,
        IncludeState::NotRead("missing".into())
    );
    assert_eq!(workspace.includes[0].resolved, dir.path().join("acled.csv"));
    assert!(
        opened
            .notes
            .iter()
            .any(|n| n.ends_with("acled.csv: missing")),
        "{:?}",
        opened.notes
    );
    // The analyst's own event and layer are there.
    assert_eq!(opened.store.len(), 1);
    assert_eq!(workspace.layer.annotations.len(), 3);
    // The corrections of its events wait for the file, said.
    assert!(workspace.corrected.is_empty());
    assert!(
        opened
            .notes
            .iter()
            .any(|n| n.contains("correction of the deaths of event A1: no such event")),
        "{:?}",
        opened.notes
    );
}

#[test]
fn a_changed_file_is_read_and_said_to_have_changed() {
    let dir = tempfile::tempdir().unwrap();
    let data = acled_file(dir.path());
    let path = dir.path().join("ws.json");
    save_workspace(&path, std::slice::from_ref(&data));
    // The same size, another byte: only the checksum tells.
    let text = std::fs::read_to_string(&data)
        .unwrap()
        .replace(",3\n", ",4\n");
    std::fs::write(&data, text).unwrap();
    let opened = open(&path, &OpenOptions::default()).unwrap();
    let state = &opened.workspace.as_ref().unwrap().includes[0].state;
    assert_eq!(
        *state,
        IncludeState::Changed("changed since the workspace was saved: its checksum differs".into())
    );
    assert_eq!(opened.store.len(), 3);
    // A longer file: the size tells.
    std::fs::write(
        &data,
        std::fs::read_to_string(&data).unwrap()
            + "A3,2024-10-10,2024,1,Battles,Armed clash,Army,Rebels,Sudan,Khartoum,Bahri,15.6,32.5,Radio,clash,0\n",
    )
    .unwrap();
    let opened = open(&path, &OpenOptions::default()).unwrap();
    let state = &opened.workspace.as_ref().unwrap().includes[0].state;
    assert!(
        matches!(state, IncludeState::Changed(why) if why.contains("bytes")),
        "{state:?}"
    );
    assert_eq!(opened.store.len(), 4);
}

fn bare_workspace(path: &Path, includes: &[&str]) {
    let workspace = Workspace {
        includes: includes
            .iter()
            .map(|p| faultline_core::model::Include {
                path: p.to_string(),
                format: None,
                bytes: None,
                sha256: None,
            })
            .collect(),
        ..Workspace::default()
    };
    let own = Dataset {
        title: "loop".into(),
        ..Dataset::default()
    };
    save(path, &own, &workspace).unwrap();
}

#[test]
fn a_workspace_that_includes_itself_is_refused_with_the_chain_named() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.json"), dir.path().join("b.json"));
    bare_workspace(&a, &["b.json"]);
    bare_workspace(&b, &["./a.json"]);
    let err = open(&a, &OpenOptions::default()).unwrap_err();
    let LoadError::IncludesItself { chain, .. } = &err else {
        panic!("{err}");
    };
    let names: Vec<&str> = chain
        .iter()
        .map(|p| Path::new(p).file_name().unwrap().to_str().unwrap())
        .collect();
    assert_eq!(names, ["a.json", "b.json", "a.json"]);
    assert!(
        err.to_string().contains("the workspace includes itself"),
        "{err}"
    );
    // Directly.
    let c = dir.path().join("c.json");
    bare_workspace(&c, &["c.json"]);
    let err = open(&c, &OpenOptions::default()).unwrap_err();
    assert!(
        matches!(err, LoadError::IncludesItself { ref chain, .. } if chain.len() == 2),
        "{err}"
    );
}

#[test]
fn a_workspace_including_another_reads_both_views() {
    let dir = tempfile::tempdir().unwrap();
    let data = acled_file(dir.path());
    let inner = dir.path().join("inner.json");
    save_workspace(&inner, std::slice::from_ref(&data));
    let outer = dir.path().join("outer.json");
    bare_workspace(&outer, &["inner.json"]);
    let opened = open(&outer, &OpenOptions::default()).unwrap();
    assert_eq!(opened.store.len(), 3);
}

#[test]
fn workspace_keys_of_the_wrong_shape_are_located() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.json");
    std::fs::write(
        &path,
        "{\"format\": \"faultline\", \"version\": 2, \"title\": \"x\",\n \"annotations\": [{\"id\": \"a1\", \"text\": \"no date\"}]\n}\n",
    )
    .unwrap();
    let err = open(&path, &OpenOptions::default()).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("bad.json:2:"), "{text}");
    assert!(
        text.contains("annotation \"a1\" has neither a \"date\" nor a place (\"at\")"),
        "{text}"
    );
}

#[test]
fn a_workspace_that_would_not_read_back_is_not_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ws.json");
    let mut own = own_records();
    // The event cites a source the records do not hold.
    own.sources.clear();
    let err = save(&path, &own, &layer()).unwrap_err();
    assert!(err.to_string().contains("would not read back"), "{err}");
    assert!(err.to_string().contains("article-1"), "{err}");
    assert!(!path.exists());
}
