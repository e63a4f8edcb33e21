//! Colours, decided once for the app and the exported pictures: the Okabe–Ito palette
//! (distinguishable with the common colour-vision deficiencies), and which colour each
//! relation kind and actor kind gets. No GUI types: the app converts them to its own.

use crate::model::{ActorKind, RelationKind};

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb`, for SVG.
    pub fn hex(self) -> String {
        format!("#{:02X}{:02X}{:02X}", self.0, self.1, self.2)
    }
}

/// The eight Okabe–Ito colours, black replaced by grey so it reads on dark backgrounds.
pub const OKABE_ITO: [Rgb; 8] = [
    Rgb(0xE6, 0x9F, 0x00), // orange
    Rgb(0x56, 0xB4, 0xE9), // sky blue
    Rgb(0x00, 0x9E, 0x73), // bluish green
    Rgb(0xF0, 0xE4, 0x42), // yellow
    Rgb(0x00, 0x72, 0xB2), // blue
    Rgb(0xD5, 0x5E, 0x00), // vermillion
    Rgb(0xCC, 0x79, 0xA7), // reddish purple
    Rgb(0x99, 0x99, 0x99), // grey
];

/// The colour of the `rank`-th category; "Other" is [`OTHER`].
pub fn category(rank: usize) -> Rgb {
    OKABE_ITO[rank % (OKABE_ITO.len() - 1)]
}

/// Colour for "Other" and unknowns.
pub const OTHER: Rgb = Rgb(0x99, 0x99, 0x99);

/// Counted events when not split by anything.
pub const EVENTS: Rgb = Rgb(0x00, 0x72, 0xB2);

/// Reported series, in order: vermillion first (never the colour of ungrouped counted bars).
pub const REPORTED: [Rgb; 6] = [
    Rgb(0xD5, 0x5E, 0x00),
    Rgb(0xCC, 0x79, 0xA7),
    Rgb(0x00, 0x9E, 0x73),
    Rgb(0xF0, 0xE4, 0x42),
    Rgb(0x56, 0xB4, 0xE9),
    Rgb(0xE6, 0x9F, 0x00),
];

/// Interactions derived from events (actor 1 × actor 2), drawn under the stated relations.
pub const INTERACTION: Rgb = Rgb(0xBB, 0xBB, 0xBB);

/// The colour of a stated relation kind (hostile kinds are also drawn dashed).
pub fn relation_colour(kind: RelationKind) -> Rgb {
    match kind {
        RelationKind::Attacks | RelationKind::Strikes => OKABE_ITO[5],
        RelationKind::Opposes | RelationKind::Accuses | RelationKind::Threatens => OKABE_ITO[0],
        RelationKind::Backs | RelationKind::AlliedWith | RelationKind::CooperatesWith => {
            OKABE_ITO[2]
        }
        RelationKind::MemberOf | RelationKind::PartOf | RelationKind::AffiliatedWith => {
            OKABE_ITO[1]
        }
        RelationKind::Leads | RelationKind::SpeaksFor => OKABE_ITO[4],
        RelationKind::FacadeOf | RelationKind::LinkedTo => OKABE_ITO[6],
        RelationKind::NegotiatesWith | RelationKind::AppealsTo => OKABE_ITO[3],
    }
}

/// The colour of an actor kind: each kind its own, so the legend tells them apart.
pub fn actor_kind_colour(kind: ActorKind) -> Rgb {
    match kind {
        ActorKind::State => OKABE_ITO[0],
        ActorKind::GovernmentBody => OKABE_ITO[1],
        ActorKind::ArmedGroup => OKABE_ITO[2],
        ActorKind::Coalition => OKABE_ITO[3],
        ActorKind::PoliticalBloc => OKABE_ITO[4],
        ActorKind::Person => OKABE_ITO[5],
        ActorKind::MediaOutlet => OKABE_ITO[6],
        // Okabe and Ito's seven run out: three more that stay apart from them and from
        // each other (brown, olive, a light violet).
        ActorKind::InternationalOrganisation => Rgb(0x9C, 0x6B, 0x3E),
        ActorKind::Organisation => Rgb(0xA8, 0xB0, 0x32),
        ActorKind::CivilianGroup => Rgb(0xB3, 0x9D, 0xDB),
        ActorKind::Unknown => OTHER,
    }
}

/// Marker colours by deaths: none reported, 1–9, 10–99, 100 or more.
pub const DEATHS: [Rgb; 4] = [
    Rgb(0x99, 0x99, 0x99),
    Rgb(0xFD, 0xAE, 0x61),
    Rgb(0xF4, 0x6D, 0x43),
    Rgb(0xA5, 0x00, 0x26),
];

/// The sequential ramp of densities and shaded countries (light yellow to dark red, rising
/// in darkness so it reads without colour vision too), at `t` from 0 to 1.
pub fn ramp(t: f32) -> Rgb {
    const STOPS: [Rgb; 5] = [
        Rgb(0xFF, 0xF2, 0xB2),
        Rgb(0xFE, 0xCC, 0x5C),
        Rgb(0xFD, 0x8D, 0x3C),
        Rgb(0xE3, 0x1A, 0x1C),
        Rgb(0x80, 0x00, 0x26),
    ];
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let at = t * (STOPS.len() - 1) as f32;
    let k = (at.floor() as usize).min(STOPS.len() - 2);
    let f = at - k as f32;
    let mix = |a: u8, b: u8| (f32::from(a) + (f32::from(b) - f32::from(a)) * f).round() as u8;
    let (a, b) = (STOPS[k], STOPS[k + 1]);
    Rgb(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// The map's sea, land, borders and graticule.
pub const SEA: Rgb = Rgb(0xE8, 0xEF, 0xF5);
/// Land with no events shaded on it.
pub const LAND: Rgb = Rgb(0xF5, 0xF2, 0xEA);
/// Country borders.
pub const BORDER: Rgb = Rgb(0xA8, 0xA3, 0x98);
/// Lines of latitude and longitude.
pub const GRATICULE: Rgb = Rgb(0xCF, 0xD9, 0xE2);

/// How many communities of the actor graph get a colour of their own.
pub const COMMUNITIES_COLOURED: usize = 7;

/// The colour of the `c`-th largest community of the actor graph; grey past the seventh.
pub fn community(c: u32) -> Rgb {
    if (c as usize) < COMMUNITIES_COLOURED {
        category(c as usize)
    } else {
        OTHER
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_actor_kind_has_its_own_colour() {
        let colours: std::collections::HashSet<Rgb> = ActorKind::ALL
            .iter()
            .map(|&k| actor_kind_colour(k))
            .collect();
        assert_eq!(colours.len(), ActorKind::ALL.len());
    }
}
