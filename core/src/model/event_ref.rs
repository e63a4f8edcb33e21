//! [`EventRef`]: an event whose text is borrowed — from a native file as it is read (so an
//! event goes into the columnar store without a `String` per field), or from an [`Event`]
//! (so one piece of code checks and stores both).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::de::{Deserialize, Deserializer, Visitor};

use super::{DateSpan, Event, Location, SourceRef, Status, StatusKind};

/// Text borrowed from the input when it can be (no escapes), owned when it must be.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Text<'a>(pub Cow<'a, str>);

impl std::ops::Deref for Text<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl<'a> Text<'a> {
    fn of(s: &'a str) -> Text<'a> {
        Text(Cow::Borrowed(s))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }
        d.deserialize_str(TextVisitor)
    }
}

/// [`Location`] with borrowed text.
#[derive(Debug, Clone, PartialEq, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct LocationRef<'a> {
    #[serde(default, borrow)]
    pub place: Option<Text<'a>>,
    #[serde(default, borrow)]
    pub admin1: Option<Text<'a>>,
    #[serde(default, borrow)]
    pub admin2: Option<Text<'a>>,
    #[serde(default, borrow)]
    pub admin3: Option<Text<'a>>,
    #[serde(default, borrow)]
    pub country: Option<Text<'a>>,
    #[serde(default)]
    pub latitude: Option<f64>,
    #[serde(default)]
    pub longitude: Option<f64>,
}

/// [`Status`] with borrowed text.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct StatusRef<'a> {
    pub kind: StatusKind,
    #[serde(default, borrow)]
    pub by: Option<Text<'a>>,
}

/// [`Event`] with borrowed text: the same fields, read by the same rules (an unknown field is
/// an error, and so on), so a native file reads the same either way.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct EventRef<'a> {
    #[serde(borrow)]
    pub id: Text<'a>,
    pub date: DateSpan,
    #[serde(borrow)]
    pub event_type: Text<'a>,
    #[serde(default, borrow)]
    pub sub_event_type: Option<Text<'a>>,
    #[serde(default, borrow)]
    pub actor1: Option<Text<'a>>,
    #[serde(default, borrow)]
    pub actor2: Option<Text<'a>>,
    #[serde(default, borrow)]
    pub associated_actors_1: Vec<Text<'a>>,
    #[serde(default, borrow)]
    pub associated_actors_2: Vec<Text<'a>>,
    #[serde(default, borrow)]
    pub location: LocationRef<'a>,
    #[serde(default)]
    pub fatalities: Option<u32>,
    #[serde(default)]
    pub fatalities_low: Option<u32>,
    #[serde(default)]
    pub fatalities_high: Option<u32>,
    #[serde(default, borrow)]
    pub description: Text<'a>,
    #[serde(default, borrow)]
    pub weapons: Vec<Text<'a>>,
    #[serde(borrow)]
    pub status: StatusRef<'a>,
    #[serde(default)]
    pub notable: bool,
    #[serde(default)]
    pub sources: Vec<SourceRef>,
    #[serde(default, borrow)]
    pub attributes: BTreeMap<Text<'a>, Text<'a>>,
}

fn text_of(s: &Option<String>) -> Option<Text<'_>> {
    s.as_deref().map(Text::of)
}

fn owned(t: Option<Text<'_>>) -> Option<String> {
    t.map(|t| t.0.into_owned())
}

fn owned_list(list: Vec<Text<'_>>) -> Vec<String> {
    list.into_iter().map(|t| t.0.into_owned()).collect()
}

impl<'a> EventRef<'a> {
    /// A view of an event (its sources are cloned; everything else is borrowed).
    pub fn of(e: &'a Event) -> EventRef<'a> {
        let list = |l: &'a [String]| l.iter().map(|s| Text::of(s)).collect();
        EventRef {
            id: Text::of(&e.id),
            date: e.date,
            event_type: Text::of(&e.event_type),
            sub_event_type: text_of(&e.sub_event_type),
            actor1: text_of(&e.actor1),
            actor2: text_of(&e.actor2),
            associated_actors_1: list(&e.associated_actors_1),
            associated_actors_2: list(&e.associated_actors_2),
            location: LocationRef {
                place: text_of(&e.location.place),
                admin1: text_of(&e.location.admin1),
                admin2: text_of(&e.location.admin2),
                admin3: text_of(&e.location.admin3),
                country: text_of(&e.location.country),
                latitude: e.location.latitude,
                longitude: e.location.longitude,
            },
            fatalities: e.fatalities,
            fatalities_low: e.fatalities_low,
            fatalities_high: e.fatalities_high,
            description: Text::of(&e.description),
            weapons: list(&e.weapons),
            status: StatusRef {
                kind: e.status.kind,
                by: text_of(&e.status.by),
            },
            notable: e.notable,
            sources: e.sources.clone(),
            attributes: e
                .attributes
                .iter()
                .map(|(k, v)| (Text::of(k), Text::of(v)))
                .collect(),
        }
    }

    /// The event as an owned record.
    pub fn into_event(self) -> Event {
        Event {
            id: self.id.0.into_owned(),
            date: self.date,
            event_type: self.event_type.0.into_owned(),
            sub_event_type: owned(self.sub_event_type),
            actor1: owned(self.actor1),
            actor2: owned(self.actor2),
            associated_actors_1: owned_list(self.associated_actors_1),
            associated_actors_2: owned_list(self.associated_actors_2),
            location: Location {
                place: owned(self.location.place),
                admin1: owned(self.location.admin1),
                admin2: owned(self.location.admin2),
                admin3: owned(self.location.admin3),
                country: owned(self.location.country),
                latitude: self.location.latitude,
                longitude: self.location.longitude,
            },
            fatalities: self.fatalities,
            fatalities_low: self.fatalities_low,
            fatalities_high: self.fatalities_high,
            description: self.description.0.into_owned(),
            weapons: owned_list(self.weapons),
            status: Status {
                kind: self.status.kind,
                by: owned(self.status.by),
            },
            notable: self.notable,
            sources: self.sources,
            attributes: self
                .attributes
                .into_iter()
                .map(|(k, v)| (k.0.into_owned(), v.0.into_owned()))
                .collect(),
        }
    }
}
