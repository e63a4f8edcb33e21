//! [`EventView`]: one event of a store, read field by field without copying, with absent
//! values as `None` (the columns' sentinels stay inside the store).

use crate::model::{DateSpan, StatusKind};

use super::{EventExtras, Store, NO_ACTOR, NO_COUNT};

/// One event of a [`Store`], read in place.
#[derive(Clone, Copy)]
pub struct EventView<'a> {
    store: &'a Store,
    i: usize,
}

fn actor(v: u32) -> Option<u32> {
    (v != NO_ACTOR).then_some(v)
}

fn count(v: u32) -> Option<u32> {
    (v != NO_COUNT).then_some(v)
}

impl<'a> EventView<'a> {
    pub(super) fn new(store: &'a Store, i: usize) -> EventView<'a> {
        EventView { store, i }
    }

    fn text(&self, id: u32) -> Option<&'a str> {
        self.store.strings.opt(id)
    }

    /// The row index in the store.
    pub fn index(&self) -> usize {
        self.i
    }

    /// The file the event came from, when the store knows its files.
    pub fn file(&self) -> Option<&'a super::FileLayer> {
        self.store.files.get(self.store.file_of(self.i))
    }

    /// Stable id.
    pub fn id(&self) -> &'a str {
        self.store.events.id.get(self.i)
    }

    /// When, at its precision.
    pub fn date(&self) -> DateSpan {
        self.store.events.date(self.i)
    }

    /// First and last day (day numbers, inclusive).
    pub fn days(&self) -> (i32, i32) {
        let e = &self.store.events;
        (e.day_start[self.i], e.day_end[self.i])
    }

    /// Event type.
    pub fn event_type(&self) -> &'a str {
        self.store
            .strings
            .text(self.store.events.event_type[self.i])
    }

    /// Sub-type.
    pub fn sub_event_type(&self) -> Option<&'a str> {
        self.text(self.store.events.sub_event_type[self.i])
    }

    /// Actor 1 (index in [`Store::actors`]).
    pub fn actor1(&self) -> Option<u32> {
        actor(self.store.events.actor1[self.i])
    }

    /// Actor 2.
    pub fn actor2(&self) -> Option<u32> {
        actor(self.store.events.actor2[self.i])
    }

    /// Actors on actor 1's side.
    pub fn associated_1(&self) -> &'a [u32] {
        self.store.events.associated_1.get(self.i)
    }

    /// Actors on actor 2's side.
    pub fn associated_2(&self) -> &'a [u32] {
        self.store.events.associated_2.get(self.i)
    }

    /// Every actor taking part: actor 1, actor 2 and both sides' associated actors.
    pub fn all_actors(&self) -> impl Iterator<Item = u32> + 'a {
        let listed = [self.actor1(), self.actor2()].into_iter().flatten();
        listed
            .chain(self.associated_1().iter().copied())
            .chain(self.associated_2().iter().copied())
    }

    /// Place.
    pub fn place(&self) -> Option<&'a str> {
        self.text(self.store.events.place[self.i])
    }

    /// First-level administrative area.
    pub fn admin1(&self) -> Option<&'a str> {
        self.text(self.store.events.admin1[self.i])
    }

    /// Country.
    pub fn country(&self) -> Option<&'a str> {
        self.text(self.store.events.country[self.i])
    }

    /// Latitude and longitude, when both are known.
    pub fn coordinates(&self) -> Option<(f64, f64)> {
        let e = &self.store.events;
        let (lat, lon) = (e.latitude[self.i], e.longitude[self.i]);
        (!lat.is_nan() && !lon.is_nan()).then_some((lat, lon))
    }

    /// Deaths, if reported.
    pub fn fatalities(&self) -> Option<u32> {
        count(self.store.events.fatalities[self.i])
    }

    /// What happened.
    pub fn description(&self) -> &'a str {
        self.store.events.description.get(self.i)
    }

    /// Claimed, reported or confirmed.
    pub fn status(&self) -> StatusKind {
        self.store.events.status[self.i]
    }

    /// Notable (milestone) event.
    pub fn is_notable(&self) -> bool {
        self.store.events.notable[self.i]
    }

    /// The reporting source's name.
    pub fn source(&self) -> Option<&'a str> {
        self.text(self.store.events.source[self.i])
    }

    /// A further field kept from the import.
    pub fn attribute(&self, name: &str) -> Option<&'a str> {
        let column = self.store.events.attributes.get(name)?;
        self.text(column[self.i])
    }

    /// Weapons and sources with quotes, when the event has any.
    pub fn extras(&self) -> Option<&'a EventExtras> {
        self.store.events.extras.get(&(self.i as u32))
    }
}
