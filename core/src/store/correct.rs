//! One field of one event read and set as text: what the analyst's corrections change in a
//! view (the files they came from are never written). Each field has one spelling: a date
//! as a DateSpan, an actor by id, a number in decimal, empty for "none".

use crate::model::{ActorKind, DateSpan, Field};

use super::{Store, NO_ACTOR, NO_COUNT};

impl Store {
    /// Field `field` of event `i` as text (empty: the event has none).
    pub fn field_text(&self, i: usize, field: Field) -> String {
        let e = &self.events;
        let s = &self.strings;
        let actor = |v: u32| match v {
            NO_ACTOR => String::new(),
            v => self.meta.actors[v as usize].id.clone(),
        };
        let text = |id: u32| s.opt(id).unwrap_or_default().to_string();
        let degrees = |v: f64| {
            if v.is_nan() {
                String::new()
            } else {
                v.to_string()
            }
        };
        match field {
            Field::Date => e.date(i).to_string(),
            Field::EventType => text(e.event_type[i]),
            Field::SubEventType => text(e.sub_event_type[i]),
            Field::Actor1 => actor(e.actor1[i]),
            Field::Actor2 => actor(e.actor2[i]),
            Field::Place => text(e.place[i]),
            Field::Admin1 => text(e.admin1[i]),
            Field::Country => text(e.country[i]),
            Field::Latitude => degrees(e.latitude[i]),
            Field::Longitude => degrees(e.longitude[i]),
            Field::Fatalities => match e.fatalities[i] {
                NO_COUNT => String::new(),
                n => n.to_string(),
            },
        }
    }

    /// Sets field `field` of event `i` from its text (see [`Store::field_text`]); an actor id
    /// the store does not know becomes a new actor of that name. The store gets a new
    /// generation (caches keyed on the old one must not answer for it). The reason, when the
    /// text is not a value of the field: the event is left as it was.
    pub fn set_field(&mut self, i: usize, field: Field, value: &str) -> Result<(), String> {
        let value = value.trim();
        let degrees = |limit: f64| -> Result<f64, String> {
            if value.is_empty() {
                return Ok(f64::NAN);
            }
            match value.parse::<f64>() {
                Ok(v) if v.is_finite() && v.abs() <= limit => Ok(v),
                _ => Err(format!(
                    "{value:?} is not a {} between -{limit} and {limit}",
                    field.label()
                )),
            }
        };
        match field {
            Field::Date => {
                let date: DateSpan = value.parse().map_err(|e| format!("{e}"))?;
                self.set_date(i, date);
            }
            Field::EventType if value.is_empty() => {
                return Err("an event must have an event type".into());
            }
            Field::EventType => self.events.event_type[i] = self.strings.intern(value),
            Field::SubEventType => self.events.sub_event_type[i] = self.intern_value(value),
            Field::Actor1 | Field::Actor2 => {
                let actor = if value.is_empty() {
                    NO_ACTOR
                } else {
                    self.intern_actor(value, ActorKind::Unknown)
                };
                match field {
                    Field::Actor1 => self.events.actor1[i] = actor,
                    _ => self.events.actor2[i] = actor,
                }
            }
            Field::Place => self.events.place[i] = self.intern_value(value),
            Field::Admin1 => self.events.admin1[i] = self.intern_value(value),
            Field::Country => self.events.country[i] = self.intern_value(value),
            Field::Latitude => self.events.latitude[i] = degrees(90.0)?,
            Field::Longitude => self.events.longitude[i] = degrees(180.0)?,
            Field::Fatalities => {
                self.events.fatalities[i] = match value {
                    "" => NO_COUNT,
                    _ => value
                        .parse::<u32>()
                        .ok()
                        .filter(|&n| n != NO_COUNT)
                        .ok_or_else(|| format!("{value:?} is not a number of deaths"))?,
                }
            }
        }
        self.renew_generation();
        Ok(())
    }

    fn intern_value(&mut self, value: &str) -> u32 {
        self.strings
            .intern_opt(Some(value).filter(|v| !v.is_empty()))
    }

    /// The rows of the events with these ids (each id once; ids the store lacks are absent).
    pub fn rows_of_ids<'a>(
        &self,
        ids: impl IntoIterator<Item = &'a str>,
    ) -> std::collections::HashMap<String, usize> {
        let wanted: std::collections::HashSet<&str> = ids.into_iter().collect();
        let mut rows = std::collections::HashMap::new();
        if wanted.is_empty() {
            return rows;
        }
        for i in 0..self.len() {
            let id = self.events.id.get(i);
            if wanted.contains(id) {
                rows.entry(id.to_string()).or_insert(i);
            }
        }
        rows
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Field;

    fn store() -> crate::store::Store {
        crate::store::Store::from_dataset(crate::seed::seed_dataset().expect("seed"))
    }

    #[test]
    fn every_field_reads_back_as_it_was_set() {
        let mut s = store();
        let values = [
            (Field::Date, "2024-10"),
            (Field::EventType, "Explosions/Remote violence"),
            (Field::SubEventType, ""),
            (Field::Actor1, "a new actor"),
            (Field::Actor2, ""),
            (Field::Place, "Eilat"),
            (Field::Admin1, "Southern District"),
            (Field::Country, "Israel"),
            (Field::Latitude, "29.55"),
            (Field::Longitude, "34.95"),
            (Field::Fatalities, "3"),
        ];
        for (field, value) in values {
            let before = s.generation();
            s.set_field(0, field, value).expect(value);
            assert_eq!(s.field_text(0, field), value, "{field:?}");
            assert_ne!(s.generation(), before, "a new generation");
        }
        assert_eq!(s.row(0).fatalities(), Some(3));
        assert_eq!(s.actor_name(s.events.actor1[0]), "a new actor");
    }

    #[test]
    fn a_value_that_is_not_one_leaves_the_event_as_it_was() {
        let mut s = store();
        let before = s.event(0);
        for (field, value) in [
            (Field::Date, "October"),
            (Field::Latitude, "91"),
            (Field::Longitude, "east"),
            (Field::Fatalities, "-1"),
            (Field::EventType, " "),
        ] {
            let e = s.set_field(0, field, value).expect_err(value);
            assert!(!e.is_empty());
        }
        assert_eq!(s.event(0), before);
    }

    #[test]
    fn rows_of_ids_finds_each_id_once() {
        let s = store();
        let (a, b) = (s.row(0).id().to_string(), s.row(2).id().to_string());
        let rows = s.rows_of_ids([a.as_str(), b.as_str(), "no such id"]);
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[&a], rows[&b]), (0, 2));
    }
}
