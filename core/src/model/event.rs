//! The event: declared once, as [`Event<T, A>`], generic over how its text is held (`T`) and
//! how it names its actors (`A`). Every form of an event in the program is this one type:
//!
//! | form | type | made by |
//! |---|---|---|
//! | a record of a dataset | [`Event`] (`Event<String>`: owned text, actor ids) | the seed, validation, `Store::event` |
//! | an event read from a native file | [`EventRef`] (`Event<Text>`: text borrowed from the file) | the native reader |
//! | a row an importer hands the store | [`EventRow`] (`Event<Text, ActorIndex>`: borrowed text, actors already in the store) | ACLED, UCDP, GDELT |
//!
//! The native format's JSON is `Event`'s serde form; the store's columns are filled from any
//! form by one function (`Store::push`) and read back into an `Event` by one (`Store::event`).
//! A new field is added here, to the columns' declaration, and to those two functions.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::de::{Deserializer, Visitor};
use serde::{Deserialize, Serialize};

use super::dataset::{SourceRef, StatusKind};
use super::date::DateSpan;

/// Text borrowed from the input when it can be (no escapes), owned when it must be.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Text<'a>(pub Cow<'a, str>);

impl std::ops::Deref for Text<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Text<'_> {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl<'a> Text<'a> {
    /// Borrowed text.
    pub fn of(s: &'a str) -> Text<'a> {
        Text(Cow::Borrowed(s))
    }
}

impl<'a> From<&'a str> for Text<'a> {
    fn from(s: &'a str) -> Text<'a> {
        Text::of(s)
    }
}

impl Serialize for Text<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
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

/// An actor named by its index in the store it goes into (importers add actors as they meet
/// them, so their rows name actors this way instead of by id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ActorIndex(pub u32);

/// Where an event happened.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(bound(serialize = "T: Serialize", deserialize = "T: Deserialize<'de>"))]
pub struct Location<T = String> {
    /// Town, base or site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<T>,
    /// First-level administrative area (province, governorate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin1: Option<T>,
    /// Second-level administrative area.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin2: Option<T>,
    /// Third-level administrative area.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin3: Option<T>,
    /// Country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<T>,
    /// Latitude in degrees, −90 to 90.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    /// Longitude in degrees, −180 to 180.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
}

impl<T> Location<T> {
    /// True when no field is set.
    pub fn is_empty(&self) -> bool {
        self.place.is_none()
            && self.admin1.is_none()
            && self.admin2.is_none()
            && self.admin3.is_none()
            && self.country.is_none()
            && self.latitude.is_none()
            && self.longitude.is_none()
    }
}

/// The status of an event and who stands behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(bound(serialize = "A: Serialize", deserialize = "A: Deserialize<'de>"))]
pub struct Status<A = String> {
    /// Claimed, reported or confirmed.
    pub kind: StatusKind,
    /// The actor who claims, reports or confirms it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<A>,
}

/// A JSON object read into a map, refusing a key given twice (a plain map would keep the last
/// value and silently drop the first).
fn unique_keys<'de, D, K>(d: D) -> Result<BTreeMap<K, K>, D::Error>
where
    D: Deserializer<'de>,
    K: Deserialize<'de> + Ord + AsRef<str>,
{
    struct UniqueKeys<K>(std::marker::PhantomData<K>);
    impl<'de, K: Deserialize<'de> + Ord + AsRef<str>> Visitor<'de> for UniqueKeys<K> {
        type Value = BTreeMap<K, K>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an object of strings")
        }
        fn visit_map<M: serde::de::MapAccess<'de>>(
            self,
            mut map: M,
        ) -> Result<Self::Value, M::Error> {
            let mut out = BTreeMap::new();
            while let Some((key, value)) = map.next_entry::<K, K>()? {
                if out.contains_key(&key) {
                    let message = format!("duplicate field `{}`", key.as_ref());
                    return Err(serde::de::Error::custom(message));
                }
                out.insert(key, value);
            }
            Ok(out)
        }
    }
    d.deserialize_map(UniqueKeys(std::marker::PhantomData))
}

fn is_blank<T: AsRef<str>>(text: &T) -> bool {
    text.as_ref().is_empty()
}

/// Something that happened. `T` holds its text, `A` names its actors (see the module's table).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(bound(
    serialize = "T: Serialize + AsRef<str>, A: Serialize",
    deserialize = "T: Deserialize<'de> + Ord + Default + AsRef<str>, A: Deserialize<'de>"
))]
pub struct Event<T = String, A = T> {
    /// Stable id, unique among events.
    pub id: T,
    /// When, at its true precision.
    pub date: DateSpan,
    /// Event type ("Explosions/Remote violence").
    pub event_type: T,
    /// Sub-type ("Air/drone strike").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_event_type: Option<T>,
    /// The main actor (the one who acts), if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor1: Option<A>,
    /// The actor acted upon, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor2: Option<A>,
    /// Actors associated with actor 1, on its side (ACLED `assoc_actor_1`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub associated_actors_1: Vec<A>,
    /// Actors associated with actor 2, on its side (ACLED `assoc_actor_2`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub associated_actors_2: Vec<A>,
    /// Where.
    #[serde(default, skip_serializing_if = "Location::is_empty")]
    pub location: Location<T>,
    /// Deaths (best estimate), if reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fatalities: Option<u32>,
    /// Lowest reported deaths, where a source gives a range (UCDP `low`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fatalities_low: Option<u32>,
    /// Highest reported deaths, where a source gives a range (UCDP `high`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fatalities_high: Option<u32>,
    /// What happened, in words.
    #[serde(default, skip_serializing_if = "is_blank")]
    pub description: T,
    /// Weapons and equipment named ("Qasef-2K drone").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub weapons: Vec<T>,
    /// Claimed, reported or confirmed, and by whom.
    pub status: Status<A>,
    /// Marked as a milestone worth annotating on timelines.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub notable: bool,
    /// The sources and verbatim quotes the event rests on.
    #[serde(default)]
    pub sources: Vec<SourceRef>,
    /// Further fields kept from an import (ACLED `interaction`, `tags`, `source`, GDELT
    /// `goldstein`, …). A `source` attribute names the reporting source of an imported event.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "unique_keys"
    )]
    pub attributes: BTreeMap<T, T>,
}

/// An event read from a native file: text borrowed from the file, actors by id.
pub type EventRef<'a> = Event<Text<'a>>;

/// An event as an importer hands it to the store: text borrowed from the input, actors by
/// their index in the store.
pub type EventRow<'a> = Event<Text<'a>, ActorIndex>;

impl<T: Default + Ord, A> Event<T, A> {
    /// A reported event with only what every event has: an id, a date and a type; every
    /// other field empty (fill them with `Event { actor1: …, ..Event::new(…) }`).
    pub fn new(id: T, date: DateSpan, event_type: T) -> Event<T, A> {
        Event {
            id,
            date,
            event_type,
            sub_event_type: None,
            actor1: None,
            actor2: None,
            associated_actors_1: Vec::new(),
            associated_actors_2: Vec::new(),
            location: Location {
                place: None,
                admin1: None,
                admin2: None,
                admin3: None,
                country: None,
                latitude: None,
                longitude: None,
            },
            fatalities: None,
            fatalities_low: None,
            fatalities_high: None,
            description: T::default(),
            weapons: Vec::new(),
            status: Status {
                kind: StatusKind::Reported,
                by: None,
            },
            notable: false,
            sources: Vec::new(),
            attributes: BTreeMap::new(),
        }
    }
}

impl<T, A> Event<T, A> {
    /// The same event with its text and actors turned into other forms: the one place that
    /// walks every field, so conversions between the forms cannot miss one.
    pub fn map<U: Ord, B>(self, text: impl Fn(T) -> U, actor: impl Fn(A) -> B) -> Event<U, B> {
        let opt = |t: Option<T>| t.map(&text);
        Event {
            id: text(self.id),
            date: self.date,
            event_type: text(self.event_type),
            sub_event_type: opt(self.sub_event_type),
            actor1: self.actor1.map(&actor),
            actor2: self.actor2.map(&actor),
            associated_actors_1: self.associated_actors_1.into_iter().map(&actor).collect(),
            associated_actors_2: self.associated_actors_2.into_iter().map(&actor).collect(),
            location: Location {
                place: opt(self.location.place),
                admin1: opt(self.location.admin1),
                admin2: opt(self.location.admin2),
                admin3: opt(self.location.admin3),
                country: opt(self.location.country),
                latitude: self.location.latitude,
                longitude: self.location.longitude,
            },
            fatalities: self.fatalities,
            fatalities_low: self.fatalities_low,
            fatalities_high: self.fatalities_high,
            description: text(self.description),
            weapons: self.weapons.into_iter().map(&text).collect(),
            status: Status {
                kind: self.status.kind,
                by: self.status.by.map(&actor),
            },
            notable: self.notable,
            sources: self.sources,
            attributes: self
                .attributes
                .into_iter()
                .map(|(k, v)| (text(k), text(v)))
                .collect(),
        }
    }
}

impl<T: Ord, A> Event<T, A> {
    /// The event with every field borrowed (its sources are cloned).
    pub fn as_ref(&self) -> Event<&T, &A> {
        Event {
            id: &self.id,
            date: self.date,
            event_type: &self.event_type,
            sub_event_type: self.sub_event_type.as_ref(),
            actor1: self.actor1.as_ref(),
            actor2: self.actor2.as_ref(),
            associated_actors_1: self.associated_actors_1.iter().collect(),
            associated_actors_2: self.associated_actors_2.iter().collect(),
            location: Location {
                place: self.location.place.as_ref(),
                admin1: self.location.admin1.as_ref(),
                admin2: self.location.admin2.as_ref(),
                admin3: self.location.admin3.as_ref(),
                country: self.location.country.as_ref(),
                latitude: self.location.latitude,
                longitude: self.location.longitude,
            },
            fatalities: self.fatalities,
            fatalities_low: self.fatalities_low,
            fatalities_high: self.fatalities_high,
            description: &self.description,
            weapons: self.weapons.iter().collect(),
            status: Status {
                kind: self.status.kind,
                by: self.status.by.as_ref(),
            },
            notable: self.notable,
            sources: self.sources.clone(),
            attributes: self.attributes.iter().collect(),
        }
    }
}

impl<T: AsRef<str> + Ord, A: AsRef<str>> Event<T, A> {
    /// The event as text borrowed from this one (as a native file's events are read).
    pub fn borrowed(&self) -> EventRef<'_> {
        self.as_ref()
            .map(|t| Text::of(t.as_ref()), |a| Text::of(a.as_ref()))
    }
}

impl Event<Text<'_>> {
    /// The event as an owned record.
    pub fn into_event(self) -> Event {
        self.map(|t| t.0.into_owned(), |a| a.0.into_owned())
    }
}
