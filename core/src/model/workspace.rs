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

/// A note on the timeline, the map or both: a date (a day, a month, a year or a range),
/// a place, or both, and a short text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Annotation {
    /// Stable id, unique among annotations.
    pub id: String,
    /// When, at its precision (drawn on the timeline).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<DateSpan>,
    /// Where, as `[longitude, latitude]` in degrees, GeoJSON's order (drawn on the map).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<[f64; 2]>,
    /// What the analyst wrote.
    pub text: String,
}

impl Annotation {
    /// When and where, in words: "4 Oct 2024", "at 31.52° N, 34.45° E", or both.
    pub fn label(&self) -> String {
        let place = self.at.map(|[lon, lat]| {
            let ns = if lat < 0.0 { 'S' } else { 'N' };
            let ew = if lon < 0.0 { 'W' } else { 'E' };
            format!("at {:.2}° {ns}, {:.2}° {ew}", lat.abs(), lon.abs())
        });
        match (self.date.as_ref().map(DateSpan::label), place) {
            (Some(date), Some(place)) => format!("{date} {place}"),
            (Some(date), None) => date,
            (None, Some(place)) => place,
            (None, None) => String::new(),
        }
    }

    /// What is wrong with it, if anything: no date and no place, or a place off the globe.
    pub fn problem(&self) -> Option<String> {
        match self.at {
            None if self.date.is_none() => Some(format!(
                "annotation {:?} has neither a \"date\" nor a place (\"at\")",
                self.id
            )),
            Some([lon, lat])
                if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) =>
            {
                Some(format!(
                    "annotation {:?}: \"at\" must be [longitude, latitude] within ±180 and ±90, not [{lon}, {lat}]",
                    self.id
                ))
            }
            _ => None,
        }
    }
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

/// A field of an event the analyst can correct.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The date, spelled as a DateSpan (`2024-10-04`, `2024-10`, `2024`, `START/END`).
    Date,
    /// The event type.
    EventType,
    /// The sub-type.
    SubEventType,
    /// Actor 1, by actor id (a new id names a new actor).
    Actor1,
    /// Actor 2, by actor id.
    Actor2,
    /// The place's name.
    Place,
    /// The first-level administrative area.
    Admin1,
    /// The country.
    Country,
    /// The latitude, in degrees.
    Latitude,
    /// The longitude, in degrees.
    Longitude,
    /// The deaths reported.
    Fatalities,
}

impl Field {
    /// Every field, in the order the details show them.
    pub const ALL: [Field; 11] = [
        Field::Date,
        Field::EventType,
        Field::SubEventType,
        Field::Actor1,
        Field::Actor2,
        Field::Place,
        Field::Admin1,
        Field::Country,
        Field::Latitude,
        Field::Longitude,
        Field::Fatalities,
    ];

    /// Its name in words ("deaths").
    pub fn label(self) -> &'static str {
        match self {
            Field::Date => "date",
            Field::EventType => "event type",
            Field::SubEventType => "sub-type",
            Field::Actor1 => "actor 1",
            Field::Actor2 => "actor 2",
            Field::Place => "place",
            Field::Admin1 => "admin 1",
            Field::Country => "country",
            Field::Latitude => "latitude",
            Field::Longitude => "longitude",
            Field::Fatalities => "deaths",
        }
    }
}

/// The analyst's correction of one field of an event read from a file: the file is never
/// written, the view shows the corrected value, and the original stays beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Correction {
    /// The event, by id.
    pub event: String,
    /// The field corrected.
    pub field: Field,
    /// The corrected value, as text (empty: the field is cleared).
    pub value: String,
    /// What the file said when the correction was made (empty: nothing).
    #[serde(default)]
    pub original: String,
    /// When the correction was made (RFC 3339, UTC).
    pub made: String,
    /// Why, in the analyst's words.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub why: String,
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
    /// Fields of imported events the analyst corrected, the originals kept.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<Correction>,
    /// How the view looked (filters, chart settings, map view): the app's to read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub view: Option<serde_json::Value>,
}

impl Workspace {
    /// True when the file holds none of it (an ordinary dataset).
    pub fn is_empty(&self) -> bool {
        self == &Workspace::default()
    }

    /// True when it holds what version 4 of the format added: corrections, or annotations
    /// of a place (or of no date).
    pub fn needs_corrections_version(&self) -> bool {
        !self.corrections.is_empty()
            || self
                .annotations
                .iter()
                .any(|a| a.at.is_some() || a.date.is_none())
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

    /// The analyst's correction of `field` of `event`, if any.
    pub fn correction(&self, event: &str, field: Field) -> Option<&Correction> {
        self.corrections
            .iter()
            .find(|c| c.event == event && c.field == field)
    }

    /// Corrects a field, replacing an earlier correction of it (whose original is kept: it
    /// is what the file said), or (`None`) takes the correction back.
    pub fn set_correction(&mut self, event: &str, field: Field, correction: Option<Correction>) {
        let earlier = self
            .corrections
            .iter()
            .position(|c| c.event == event && c.field == field)
            .map(|k| self.corrections.remove(k));
        if let Some(mut correction) = correction {
            if let Some(earlier) = earlier {
                correction.original = earlier.original;
            }
            self.corrections.push(correction);
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
