//! The analyst's layer and a workspace's links to its datasets: what a native file may hold
//! beside its own records (top-level keys `includes`, `annotations`, `notes`, `view`; see
//! docs/FORMAT.md). A file with them is a workspace: its own events are the ones the analyst
//! added, and the files it includes are read into the same view, never written.

use serde::{Deserialize, Serialize};

use super::date::DateSpan;

/// A dataset file a workspace reads into its view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Include {
    /// Where the file is, relative to the workspace's folder (or absolute).
    pub path: String,
    /// The format it was read as when the workspace was saved (`acled`, `ucdp`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// Its size in bytes when the workspace was saved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
    /// Its SHA-256 (lower-case hex) when the workspace was saved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

/// A note on the timeline: a day, a month, a year or a range, and a short text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Annotation {
    /// Stable id, unique among annotations.
    pub id: String,
    /// When, at its precision.
    pub date: DateSpan,
    /// What the analyst wrote.
    pub text: String,
}

/// What a note is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum NoteTarget {
    /// An event, by id.
    Event(String),
    /// An actor, by id.
    Actor(String),
}

/// The analyst's note and tags on an event or an actor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    /// The event or actor.
    pub about: NoteTarget,
    /// Free text (may be empty when there are tags).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    /// Short labels ("verify", "ceasefire").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

/// The analyst's word on two events: the same happening, or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mark {
    /// The two events, by id.
    pub events: [String; 2],
    /// True: the same happening; false: different ones.
    pub same: bool,
}

/// Everything a workspace holds beside its own records.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Workspace {
    /// The dataset files read into the view, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub includes: Vec<Include>,
    /// Notes on the timeline.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub annotations: Vec<Annotation>,
    /// Notes and tags on events and actors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    /// Pairs of events the analyst marked as the same happening or as different ones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub marks: Vec<Mark>,
    /// How the view looked (filters, chart settings, map view): the app's to read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub view: Option<serde_json::Value>,
}

impl Workspace {
    /// True when the file holds none of it (an ordinary dataset).
    pub fn is_empty(&self) -> bool {
        self == &Workspace::default()
    }

    /// The note about `target`, if any.
    pub fn note(&self, target: &NoteTarget) -> Option<&Note> {
        self.notes.iter().find(|n| &n.about == target)
    }

    /// Sets the note about a target (removing it when it has neither text nor tags).
    pub fn set_note(&mut self, note: Note) {
        self.notes.retain(|n| n.about != note.about);
        if !note.text.trim().is_empty() || !note.tags.is_empty() {
            self.notes.push(note);
        }
    }

    /// What the analyst said of two events (either order), if anything.
    pub fn mark(&self, a: &str, b: &str) -> Option<bool> {
        self.marks
            .iter()
            .find(|m| {
                (m.events[0] == a && m.events[1] == b) || (m.events[0] == b && m.events[1] == a)
            })
            .map(|m| m.same)
    }

    /// Marks two events as the same happening or different ones, or (`None`) forgets it.
    pub fn set_mark(&mut self, a: &str, b: &str, same: Option<bool>) {
        self.marks.retain(|m| {
            !((m.events[0] == a && m.events[1] == b) || (m.events[0] == b && m.events[1] == a))
        });
        if let Some(same) = same {
            self.marks.push(Mark {
                events: [a.to_string(), b.to_string()],
                same,
            });
        }
    }

    /// An id for a new annotation: `a1`, `a2`, … the first not taken.
    pub fn next_annotation_id(&self) -> String {
        (1..)
            .map(|k| format!("a{k}"))
            .find(|id| !self.annotations.iter().any(|a| &a.id == id))
            .unwrap_or_default()
    }
}
