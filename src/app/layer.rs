//! The analyst's layer as the app edits it: the workspace's annotations and notes, every
//! change undoable (Ctrl+Z) and redoable (Ctrl+Shift+Z), listed in words, and where it was
//! last saved.

use std::path::PathBuf;

use faultline_core::model::{Dataset, Workspace};

/// One change to the layer: what it did, in words, and the layer before it.
#[derive(Debug, Clone, PartialEq)]
struct Step {
    what: String,
    before: Box<(Workspace, Dataset)>,
}

/// The layer, its history and its file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AnalystLayer {
    /// The annotations, notes and view as they are now (`includes` are filled on save).
    pub workspace: Workspace,
    /// The analyst's own records: the events they added, each with a source and its words,
    /// and those events' actors and sources (the workspace file's own records).
    pub own: Dataset,
    /// Counts the changes to `own`, so the view knows when to show them again.
    pub own_revision: u64,
    /// The workspace file it was opened from or last saved to.
    pub path: Option<PathBuf>,
    /// Changed since it was opened or saved.
    pub unsaved: bool,
    /// Included files the workspace could not read that the user pointed to a new place
    /// for (by the include's path); the new file is in the view, and saving names it instead.
    pub located: Vec<String>,
    done: Vec<Step>,
    undone: Vec<Step>,
}

impl AnalystLayer {
    /// A layer opened from a workspace file (or a new one, with no path), with the
    /// workspace's own records.
    pub fn opened(workspace: Workspace, own: Dataset, path: Option<PathBuf>) -> AnalystLayer {
        AnalystLayer {
            workspace,
            own,
            path,
            ..AnalystLayer::default()
        }
    }

    /// Makes a change to the annotations, notes or marks, remembered for undo under `what`
    /// ("Annotated 4 Oct 2024"). A change that changes nothing is not remembered.
    pub fn change(&mut self, what: impl Into<String>, edit: impl FnOnce(&mut Workspace)) {
        self.change_both(what, |w, _| edit(w));
    }

    /// Makes a change to the analyst's own records (an event added), remembered for undo.
    pub fn change_own(&mut self, what: impl Into<String>, edit: impl FnOnce(&mut Dataset)) {
        self.change_both(what, |_, own| edit(own));
    }

    fn change_both(
        &mut self,
        what: impl Into<String>,
        edit: impl FnOnce(&mut Workspace, &mut Dataset),
    ) {
        let before = Box::new((self.workspace.clone(), self.own.clone()));
        edit(&mut self.workspace, &mut self.own);
        if self.workspace == before.0 && self.own == before.1 {
            return;
        }
        if self.own != before.1 {
            self.own_revision += 1;
        }
        self.done.push(Step {
            what: what.into(),
            before,
        });
        self.undone.clear();
        self.unsaved = true;
    }

    /// Puts `state` back, returning the state it replaces.
    fn swap(&mut self, state: Box<(Workspace, Dataset)>) -> Box<(Workspace, Dataset)> {
        let (workspace, own) = *state;
        if own != self.own {
            self.own_revision += 1;
        }
        let workspace = std::mem::replace(&mut self.workspace, workspace);
        let own = std::mem::replace(&mut self.own, own);
        Box::new((workspace, own))
    }

    /// Undoes the last change; returns what it was.
    pub fn undo(&mut self) -> Option<String> {
        let step = self.done.pop()?;
        let after = self.swap(step.before);
        self.undone.push(Step {
            what: step.what.clone(),
            before: after,
        });
        self.unsaved = true;
        Some(step.what)
    }

    /// Does again the last change undone; returns what it was.
    pub fn redo(&mut self) -> Option<String> {
        let step = self.undone.pop()?;
        let before = self.swap(step.before);
        self.done.push(Step {
            what: step.what.clone(),
            before,
        });
        self.unsaved = true;
        Some(step.what)
    }

    /// The changes made, oldest first.
    pub fn changes(&self) -> Vec<&str> {
        self.done.iter().map(|s| s.what.as_str()).collect()
    }

    /// The changes undone that can be redone, the next first.
    pub fn undone(&self) -> Vec<&str> {
        self.undone.iter().rev().map(|s| s.what.as_str()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use faultline_core::model::{Annotation, DateSpan};

    fn annotate(layer: &mut AnalystLayer, id: &str) {
        layer.change(format!("Annotated {id}"), |w| {
            w.annotations.push(Annotation {
                id: id.into(),
                date: Some(DateSpan::Year(2024)),
                at: None,
                text: id.into(),
            })
        });
    }

    fn ids(layer: &AnalystLayer) -> Vec<String> {
        layer
            .workspace
            .annotations
            .iter()
            .map(|a| a.id.clone())
            .collect()
    }

    #[test]
    fn undo_and_redo_walk_the_changes_back_and_forth_and_a_new_change_forgets_the_undone() {
        let mut layer = AnalystLayer::default();
        annotate(&mut layer, "a");
        annotate(&mut layer, "b");
        annotate(&mut layer, "c");
        assert_eq!(layer.undo().as_deref(), Some("Annotated c"));
        assert_eq!(layer.undo().as_deref(), Some("Annotated b"));
        assert_eq!(ids(&layer), ["a"]);
        assert_eq!(layer.undone(), ["Annotated b", "Annotated c"]);
        assert_eq!(layer.redo().as_deref(), Some("Annotated b"));
        assert_eq!(ids(&layer), ["a", "b"]);
        annotate(&mut layer, "d");
        assert!(layer.undone().is_empty());
        assert_eq!(layer.redo(), None);
        assert_eq!(ids(&layer), ["a", "b", "d"]);
        assert_eq!(
            layer.changes(),
            ["Annotated a", "Annotated b", "Annotated d"]
        );
        for _ in 0..3 {
            layer.undo();
        }
        assert_eq!(layer.undo(), None);
        assert!(ids(&layer).is_empty());
    }

    #[test]
    fn a_change_that_changes_nothing_is_not_remembered() {
        let mut layer = AnalystLayer::default();
        layer.change("Nothing", |_| {});
        assert!(layer.changes().is_empty());
        assert!(!layer.unsaved);
    }
}

/// A correction as the details panel asks for it: the event, the field, the new value (or
/// `None`: take the correction back), why, and when it was asked (RFC 3339, UTC; the panel
/// reads the clock, so applying it stays free of I/O).
#[derive(Debug, Clone, PartialEq)]
pub struct CorrectRequest {
    /// The event, by id.
    pub event: String,
    /// The field.
    pub field: faultline_core::model::Field,
    /// The corrected value, in the field's spelling; `None` takes the correction back.
    pub value: Option<String>,
    /// Why, in the analyst's words.
    pub why: String,
    /// When.
    pub made: String,
}

impl CorrectRequest {
    /// Makes the correction in the layer: `original` is what the view shows now (the file's
    /// value, unless an earlier correction of the field stands: its original is kept).
    pub fn apply_to(self, layer: &mut AnalystLayer, original: String) {
        let CorrectRequest {
            event,
            field,
            value,
            why,
            made,
        } = self;
        let what = match &value {
            Some(v) if v.is_empty() => format!("Cleared the {} of event {event}", field.label()),
            Some(v) => format!("Corrected the {} of event {event} to {v}", field.label()),
            None => format!(
                "Took back the correction of the {} of event {event}",
                field.label()
            ),
        };
        let correction = value.map(|value| faultline_core::model::Correction {
            event: event.clone(),
            field,
            value: value.trim().to_string(),
            original,
            made,
            why: why.trim().to_string(),
        });
        layer.change(what, |w| w.set_correction(&event, field, correction));
    }
}

/// An event the analyst adds, as the form gives it: what happened, and the source that
/// says so with its words (required).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NewEvent {
    /// When, at its precision.
    pub date: Option<faultline_core::model::DateSpan>,
    /// Event type.
    pub event_type: String,
    /// Actor 1 and actor 2, by name (empty: none).
    pub actors: [String; 2],
    /// Place and country (empty: none).
    pub place: String,
    /// Country.
    pub country: String,
    /// Latitude and longitude, when both are given.
    pub coordinates: Option<(f64, f64)>,
    /// Deaths, when reported.
    pub fatalities: Option<u32>,
    /// What happened, in the analyst's words.
    pub description: String,
    /// The source: publisher, title, and the date it was published (if known).
    pub publisher: String,
    /// Its title or headline.
    pub title: String,
    /// Where it can be read.
    pub url: String,
    /// The source's own words that say it happened.
    pub quote: String,
}

impl NewEvent {
    /// What is missing or wrong, in words; `None` when the event can be added.
    pub fn problem(&self) -> Option<&'static str> {
        if self.date.is_none() {
            Some("Give the date (2024-10-04, 2024-10, 2024 or a range START/END)")
        } else if self.event_type.trim().is_empty() {
            Some("Give the event's type")
        } else if self.publisher.trim().is_empty() || self.title.trim().is_empty() {
            Some("Name the source: its publisher and its title")
        } else if self.quote.trim().is_empty() {
            Some("Quote the source's words that say it happened")
        } else {
            None
        }
    }

    /// Adds the event to `own` under a new id (`yours-1`, …), with its actors and its source
    /// (one already there with the same publisher, title and address is reused). An actor
    /// named as one of `known` (the view's actors: by name, id or alias, any case) is that
    /// actor, copied into `own` so the records stand on their own; another is a new actor.
    /// Returns the id.
    pub fn add_to(&self, own: &mut Dataset, known: &[faultline_core::model::Actor]) -> String {
        use faultline_core::model::{Actor, ActorKind, Event, Location, Source, SourceRef};
        let id = (1..)
            .map(|k| format!("yours-{k}"))
            .find(|id| !own.events.iter().any(|e| &e.id == id))
            .unwrap_or_default();
        let url = (!self.url.trim().is_empty()).then(|| self.url.trim().to_string());
        let source = match own.sources.iter().find(|s| {
            s.publisher == self.publisher.trim() && s.title == self.title.trim() && s.url == url
        }) {
            Some(s) => s.id.clone(),
            None => {
                let sid = (1..)
                    .map(|k| format!("yours-source-{k}"))
                    .find(|sid| !own.sources.iter().any(|s| &s.id == sid))
                    .unwrap_or_default();
                own.sources.push(Source {
                    id: sid.clone(),
                    publisher: self.publisher.trim().to_string(),
                    title: self.title.trim().to_string(),
                    date: None,
                    url,
                });
                sid
            }
        };
        let mut actor = |name: &str| -> Option<String> {
            let name = name.trim();
            if name.is_empty() {
                return None;
            }
            let wanted = name.to_lowercase();
            let same = |a: &&Actor| {
                a.name.to_lowercase() == wanted
                    || a.id.to_lowercase() == wanted
                    || a.aliases.iter().any(|x| x.to_lowercase() == wanted)
            };
            let actor = own
                .actors
                .iter()
                .find(same)
                .or_else(|| known.iter().find(same))
                .cloned()
                .unwrap_or_else(|| Actor::named(name, name, ActorKind::Unknown));
            // The view's record stays the actor's; the copy only names it, citing nothing
            // (its sources are not the analyst's records).
            let actor = Actor {
                sources: Vec::new(),
                ..actor
            };
            if !own.actors.iter().any(|a| a.id == actor.id) {
                own.actors.push(actor.clone());
            }
            Some(actor.id)
        };
        let (actor1, actor2) = (actor(&self.actors[0]), actor(&self.actors[1]));
        let text = |t: &str| (!t.trim().is_empty()).then(|| t.trim().to_string());
        let mut event: Event = Event::new(
            id.clone(),
            self.date
                .unwrap_or(faultline_core::model::DateSpan::Year(1970)),
            self.event_type.trim().to_string(),
        );
        event.actor1 = actor1;
        event.actor2 = actor2;
        event.location = Location {
            place: text(&self.place),
            country: text(&self.country),
            latitude: self.coordinates.map(|c| c.0),
            longitude: self.coordinates.map(|c| c.1),
            ..Location::default()
        };
        event.fatalities = self.fatalities;
        event.description = self.description.trim().to_string();
        event.sources = vec![SourceRef {
            source,
            quote: self.quote.trim().to_string(),
            attributed_to: None,
        }];
        own.events.push(event);
        id
    }
}

/// The file name of the recovery file (in the app's state folder, beside crash reports).
pub const RECOVERY_FILE: &str = "recovery.faultline.json";

/// How the view looked, as a workspace keeps it (its `view` key): filter, timeline, tab,
/// graph, map and panels.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct SavedView {
    /// The filter.
    pub filter: faultline_core::query::Filter,
    /// The timeline's buckets and stacking.
    pub spec: faultline_core::query::SeriesSpec,
    /// The centre's tab.
    pub tab: super::CentralTab,
    /// The actor graph's settings and pins.
    pub graph: super::GraphSettings,
    /// The map's settings and camera.
    pub map: super::MapSettings,
    /// The panels shown.
    pub panels: super::PanelsShown,
    /// The comparison's groups and measure.
    pub compare: faultline_core::query::compare::CompareSpec,
    /// In a recovery file: the workspace file the layer belongs to, if it was saved once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub saved_as: Option<PathBuf>,
}

impl SavedView {
    /// The view on screen.
    pub fn of(state: &super::AppState) -> SavedView {
        SavedView {
            filter: state.filter.clone(),
            spec: state.spec,
            tab: state.tab,
            graph: state.graph.clone(),
            map: state.map,
            panels: state.panels.clone(),
            compare: state.compare.clone(),
            saved_as: state.layer.path.clone(),
        }
    }

    /// Puts this view on screen.
    pub fn restore(self, state: &mut super::AppState) {
        state.filter = self.filter;
        state.spec = self.spec;
        state.tab = self.tab;
        state.graph = self.graph;
        state.map = self.map;
        state.panels = self.panels;
        state.compare = self.compare;
    }
}

/// What saving a workspace writes, decided from the state (no I/O): the workspace's own
/// records, the layer and view, and the files to include (their checksums are the writer's
/// to take).
#[derive(Debug, Clone, PartialEq)]
pub struct WorkspaceSave {
    /// The workspace's own records (the events the analyst added, with their actors and
    /// sources; only the title for a new workspace).
    pub own: faultline_core::model::Dataset,
    /// The annotations, notes and view; `includes` holds the files the view could not read
    /// (kept as they were, so saving never forgets one).
    pub layer: Workspace,
    /// The files of the view, with the format each was read as.
    pub files: Vec<(PathBuf, String)>,
    /// The embedded dataset is in the view (it is included by name).
    pub embedded: bool,
}

/// The workspace `state` saves to `path`.
pub fn workspace_file(state: &super::AppState, path: &std::path::Path) -> WorkspaceSave {
    let dataset = &state.dataset;
    let store = dataset.store();
    let opened = dataset.workspace.as_deref();
    let mut own = state.layer.own.clone();
    if own.title.trim().is_empty() {
        own.title = store.meta.title.clone();
    }
    let mut layer = state.layer.workspace.clone();
    layer.view = serde_json::to_value(SavedView::of(state)).ok();
    let workspace_path = opened.map(|w| w.path.clone());
    // The files read from the workspace's includes, then the others of the view.
    let mut files: Vec<PathBuf> = Vec::new();
    let mut kept = Vec::new();
    // The embedded dataset is in the view as a layer of its own (opened alone, or added to).
    let mut embedded = store
        .files
        .iter()
        .any(|f| f.path == faultline_core::seed::SEED_NAME);
    if let Some(w) = opened {
        for status in &w.includes {
            if status.include.path == faultline_core::io::workspace::EMBEDDED {
                embedded = true;
            } else if matches!(
                status.state,
                faultline_core::io::workspace::IncludeState::NotRead(_)
            ) {
                if !state.layer.located.contains(&status.include.path) {
                    kept.push(status.include.clone());
                }
            } else {
                files.push(status.resolved.clone());
            }
        }
    }
    for file in dataset.paths() {
        if Some(&file) != workspace_path.as_ref() && !files.contains(&file) {
            files.push(file);
        }
    }
    let files = files
        .into_iter()
        .filter(|f| f.as_path() != path)
        .map(|f| {
            let shown = f.display().to_string();
            let format = store
                .files
                .iter()
                .find(|l| l.path == shown || std::path::Path::new(&l.path) == f)
                .map_or_else(|| dataset.format.name().to_string(), |l| l.format.clone());
            (f, format)
        })
        .collect();
    layer.includes = kept;
    WorkspaceSave {
        own,
        layer,
        files,
        embedded,
    }
}

/// The include that names the embedded dataset.
fn embedded_include() -> faultline_core::model::Include {
    faultline_core::model::Include {
        path: faultline_core::io::workspace::EMBEDDED.to_string(),
        format: Some("faultline".into()),
        bytes: None,
        sha256: None,
    }
}

impl WorkspaceSave {
    /// Writes the recovery file: as [`WorkspaceSave::write`], but the files named by their
    /// full paths with no checksums (it is written after every change, and read back only by
    /// this machine).
    pub fn write_recovery(mut self, path: &std::path::Path) -> Result<(), String> {
        use faultline_core::io::workspace::save;
        let mut includes: Vec<_> = self.embedded.then(embedded_include).into_iter().collect();
        for (file, format) in &self.files {
            includes.push(faultline_core::model::Include {
                path: std::path::absolute(file)
                    .unwrap_or_else(|_| file.clone())
                    .display()
                    .to_string(),
                format: Some(format.clone()),
                bytes: None,
                sha256: None,
            });
        }
        includes.append(&mut self.layer.includes);
        self.layer.includes = includes;
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder).map_err(|e| e.to_string())?;
        }
        save(path, &self.own, &self.layer)
            .map_err(|e| format!("{}: cannot write: {e}", path.display()))
    }

    /// Writes the workspace to `path` atomically, taking each included file's size and
    /// checksum now. Refuses to write over a file it includes.
    pub fn write(mut self, path: &std::path::Path) -> Result<(), String> {
        use faultline_core::io::workspace::{includes_for, save};
        let same = |a: &std::path::Path| {
            std::fs::canonicalize(a).ok() == std::fs::canonicalize(path).ok() && path.exists()
        };
        if self.files.iter().any(|(f, _)| same(f)) {
            return Err(format!(
                "{} is a file of the view: a workspace is never written over the data it includes",
                path.display()
            ));
        }
        let mut includes: Vec<_> = self.embedded.then(embedded_include).into_iter().collect();
        includes.extend(includes_for(path, &self.files).map_err(|e| e.to_string())?);
        includes.append(&mut self.layer.includes);
        self.layer.includes = includes;
        save(path, &self.own, &self.layer)
            .map_err(|e| format!("{}: cannot write: {e}", path.display()))
    }
}
