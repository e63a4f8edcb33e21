//! The records a dataset holds: events, actors, relations, reported series, statements and
//! the sources they rest on. These are the serde types of the native format.

use serde::{Deserialize, Serialize};

use super::date::DateSpan;
use super::event::Event;

/// The native format's name, written as `"format": "faultline"`.
pub const FORMAT_NAME: &str = "faultline";
/// The native format version this build writes.
pub const FORMAT_VERSION: u32 = 2;
/// The version a file holding workspace keys (`includes`, `annotations`, `notes`, `view`) is
/// written as; a plain dataset stays [`FORMAT_VERSION`], so older builds still read it.
pub const WORKSPACE_VERSION: u32 = 3;
/// The version a workspace with corrections, or with annotations of a place, is written as
/// (a workspace without them stays [`WORKSPACE_VERSION`]).
pub const CORRECTIONS_VERSION: u32 = 4;

/// Every version of the native format this build reads (it writes [`FORMAT_VERSION`]).
/// Version 2 added a statement's source account without a quote, figures in words and an
/// actor's weapons; every version 1 file is a version 2 file with an older number.
/// Version 3 added the workspace keys; version 4 the corrections and annotations of a place.
pub const FORMAT_VERSIONS_READ: [u32; 4] = [1, 2, 3, 4];

/// A whole dataset: what one file holds.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dataset {
    /// Human title, shown in the window title and in export captions.
    pub title: String,
    /// What the dataset is and where it comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Publications the records rest on.
    #[serde(default)]
    pub sources: Vec<Source>,
    /// People, groups, states and bodies that act or speak.
    #[serde(default)]
    pub actors: Vec<Actor>,
    /// Things that happened, each with a date at its true precision.
    #[serde(default)]
    pub events: Vec<Event>,
    /// Stated relations between actors ("backs", "member of", …).
    #[serde(default)]
    pub relations: Vec<Relation>,
    /// Aggregate figures somebody reported (never turned into events).
    #[serde(default)]
    pub series: Vec<ReportedSeries>,
    /// Who said what, verbatim.
    #[serde(default)]
    pub statements: Vec<Statement>,
}

/// A pointer from a record to the source it rests on, with the verbatim words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceRef {
    /// Id of a [`Source`] in the same dataset.
    pub source: String,
    /// The verbatim span of the source that supports the record.
    pub quote: String,
    /// Id of the actor the source attributes the information to ("according to Maariv"),
    /// when it is not the source's own reporting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributed_to: Option<String>,
}

/// A publication: an article, a report, a dataset export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Stable id, unique among sources.
    pub id: String,
    /// Who published it ("Shafaq News").
    pub publisher: String,
    /// Title or headline.
    pub title: String,
    /// Publication date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<DateSpan>,
    /// Where it can be read, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// What sort of actor this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActorKind {
    /// A state ("Israel", "Iraq").
    State,
    /// A government, ministry, council, military force or official body.
    GovernmentBody,
    /// A non-state armed group, militia or faction.
    ArmedGroup,
    /// A coalition or alliance of groups ("Axis of Resistance").
    Coalition,
    /// A political bloc or party alliance.
    PoliticalBloc,
    /// A named person.
    Person,
    /// A newspaper, agency or broadcaster.
    MediaOutlet,
    /// An international organisation (the UN and its bodies).
    InternationalOrganisation,
    /// Another organisation: a think tank, an NGO.
    Organisation,
    /// Civilians, protesters and other unorganised groups (as in ACLED's actor types).
    CivilianGroup,
    /// Not known (typical of imported data).
    Unknown,
}

impl ActorKind {
    /// Every kind, in legend order.
    pub const ALL: [ActorKind; 11] = [
        ActorKind::State,
        ActorKind::GovernmentBody,
        ActorKind::ArmedGroup,
        ActorKind::Coalition,
        ActorKind::PoliticalBloc,
        ActorKind::Person,
        ActorKind::MediaOutlet,
        ActorKind::InternationalOrganisation,
        ActorKind::Organisation,
        ActorKind::CivilianGroup,
        ActorKind::Unknown,
    ];

    /// Words for people ("armed group").
    pub fn label(self) -> &'static str {
        match self {
            ActorKind::State => "state",
            ActorKind::GovernmentBody => "government body",
            ActorKind::ArmedGroup => "armed group",
            ActorKind::Coalition => "coalition",
            ActorKind::PoliticalBloc => "political bloc",
            ActorKind::Person => "person",
            ActorKind::MediaOutlet => "media outlet",
            ActorKind::InternationalOrganisation => "international organisation",
            ActorKind::Organisation => "organisation",
            ActorKind::CivilianGroup => "civilian group",
            ActorKind::Unknown => "unknown",
        }
    }
}

/// Somebody who acts or speaks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Actor {
    /// Stable id, unique among actors.
    pub id: String,
    /// The name used in displays.
    pub name: String,
    /// Other names and abbreviations ("IRI").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// What sort of actor.
    pub kind: ActorKind,
    /// Country the actor belongs to or operates from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Affiliation or role, in words ("spokesman, Kataib Sayyid al-Shuhada").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affiliation: Option<String>,
    /// A short description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Weapons the source says the actor has or uses ("Arqab cruise missiles"), in its
    /// words (version 2).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub weapons: Vec<String>,
    /// Where the actor is named.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<SourceRef>,
}

impl Actor {
    /// An actor known only by its id, name and kind (as importers meet them).
    pub fn named(id: &str, name: &str, kind: ActorKind) -> Actor {
        Actor {
            id: id.to_string(),
            name: name.to_string(),
            aliases: Vec::new(),
            kind,
            country: None,
            affiliation: None,
            description: None,
            weapons: Vec::new(),
            sources: Vec::new(),
        }
    }
}

/// How well an event is established.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusKind {
    /// A party claims it (often the perpetrator).
    Claimed,
    /// A source reports it, not independently confirmed.
    Reported,
    /// Confirmed by an authority or by several independent sources.
    Confirmed,
}

impl StatusKind {
    /// Lower-case word.
    pub fn label(self) -> &'static str {
        match self {
            StatusKind::Claimed => "claimed",
            StatusKind::Reported => "reported",
            StatusKind::Confirmed => "confirmed",
        }
    }
}

/// The kind of a stated relation between two actors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationKind {
    /// Is a member of a group or coalition.
    MemberOf,
    /// Is a part (unit, body) of a larger whole.
    PartOf,
    /// Is affiliated with, less formally than membership.
    AffiliatedWith,
    /// Is linked to (a looser tie the source does not specify).
    LinkedTo,
    /// Supports, funds or arms.
    Backs,
    /// Is allied or aligned with.
    AlliedWith,
    /// Leads or heads.
    Leads,
    /// Speaks for (spokesman, official).
    SpeaksFor,
    /// Is a front or facade of.
    FacadeOf,
    /// Attacks (ground, drones, rockets).
    Attacks,
    /// Strikes (air or missile strikes).
    Strikes,
    /// Opposes, rejects.
    Opposes,
    /// Accuses.
    Accuses,
    /// Threatens or warns.
    Threatens,
    /// Negotiates or holds talks with.
    NegotiatesWith,
    /// Cooperates with under an agreement.
    CooperatesWith,
    /// Appeals to, urges to act.
    AppealsTo,
}

impl RelationKind {
    /// Every kind, in legend order.
    pub const ALL: [RelationKind; 17] = [
        RelationKind::MemberOf,
        RelationKind::PartOf,
        RelationKind::AffiliatedWith,
        RelationKind::LinkedTo,
        RelationKind::Backs,
        RelationKind::AlliedWith,
        RelationKind::Leads,
        RelationKind::SpeaksFor,
        RelationKind::FacadeOf,
        RelationKind::Attacks,
        RelationKind::Strikes,
        RelationKind::Opposes,
        RelationKind::Accuses,
        RelationKind::Threatens,
        RelationKind::NegotiatesWith,
        RelationKind::CooperatesWith,
        RelationKind::AppealsTo,
    ];

    /// True for hostile or adversarial relations (drawn dashed).
    pub fn is_hostile(self) -> bool {
        matches!(
            self,
            RelationKind::Attacks
                | RelationKind::Strikes
                | RelationKind::Opposes
                | RelationKind::Accuses
                | RelationKind::Threatens
        )
    }

    /// Words for people ("member of").
    pub fn label(self) -> &'static str {
        match self {
            RelationKind::MemberOf => "member of",
            RelationKind::PartOf => "part of",
            RelationKind::AffiliatedWith => "affiliated with",
            RelationKind::LinkedTo => "linked to",
            RelationKind::Backs => "backs",
            RelationKind::AlliedWith => "allied with",
            RelationKind::Leads => "leads",
            RelationKind::SpeaksFor => "speaks for",
            RelationKind::FacadeOf => "facade of",
            RelationKind::Attacks => "attacks",
            RelationKind::Strikes => "strikes",
            RelationKind::Opposes => "opposes",
            RelationKind::Accuses => "accuses",
            RelationKind::Threatens => "threatens",
            RelationKind::NegotiatesWith => "negotiates with",
            RelationKind::CooperatesWith => "cooperates with",
            RelationKind::AppealsTo => "appeals to",
        }
    }
}

/// A relation between two actors that a source states.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Relation {
    /// Stable id, unique among relations.
    pub id: String,
    /// Id of the actor the relation goes from ("IRI" in "IRI member of Axis").
    pub from: String,
    /// Id of the actor the relation goes to.
    pub to: String,
    /// What the relation is.
    pub kind: RelationKind,
    /// When it holds, if the source says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<DateSpan>,
    /// A short gloss in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The sources and verbatim quotes it rests on.
    pub sources: Vec<SourceRef>,
}

/// How exact a reported figure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    /// Stated as an exact number.
    #[default]
    Exact,
    /// "about", "approximately".
    About,
    /// "at least", "more than", "hundreds".
    AtLeast,
    /// "at most", "up to".
    AtMost,
}

impl Qualifier {
    /// The name in the native format (`exact`, `about`, `at_least`, `at_most`).
    pub fn name(self) -> &'static str {
        match self {
            Qualifier::Exact => "exact",
            Qualifier::About => "about",
            Qualifier::AtLeast => "at_least",
            Qualifier::AtMost => "at_most",
        }
    }

    /// Words that go before the number ("about 5"); empty for exact figures.
    pub fn prefix(self) -> &'static str {
        match self {
            Qualifier::Exact => "",
            Qualifier::About => "about ",
            Qualifier::AtLeast => "at least ",
            Qualifier::AtMost => "at most ",
        }
    }
}

/// One reported figure of a series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Observation {
    /// The period the figure covers; `None` when the source gives none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<DateSpan>,
    /// The figure; `None` when the source gives it only in words (see [`Self::words`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// The figure as the source words it when it gives no number ("hundreds"): shown as
    /// these words, never plotted (version 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub words: Option<String>,
    /// How exact the figure is.
    #[serde(default, skip_serializing_if = "is_exact")]
    pub qualifier: Qualifier,
    /// A note on reading the figure ("since early November, as of 21 Nov").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The sources and verbatim quotes the figure rests on.
    pub sources: Vec<SourceRef>,
}

impl Observation {
    /// The figure as shown: "about 5", "at least 200", or the source's words ("hundreds")
    /// when it gives no number.
    pub fn figure(&self) -> String {
        match (self.value, &self.words) {
            (Some(v), _) => format!("{}{v}", self.qualifier.prefix()),
            (None, Some(words)) => words.clone(),
            (None, None) => "no figure".into(),
        }
    }

    /// The value to plot: only a number the source gives.
    pub fn plotted(&self) -> Option<f64> {
        self.value
    }
}

fn is_exact(q: &Qualifier) -> bool {
    *q == Qualifier::Exact
}

/// An aggregate somebody reported, e.g. drone launches from Iraq per month according to
/// Maariv. Never summed with, or turned into, counted events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportedSeries {
    /// Stable id, unique among series.
    pub id: String,
    /// Name for legends ("Drone launches from Iraq toward Israel").
    pub name: String,
    /// Unit of the values ("drone launches", "launches per day").
    pub unit: String,
    /// Id of the actor who reported the figures.
    pub reported_by: String,
    /// Id of the actor the reporter attributes the count to ("Israel has tracked …").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counted_by: Option<String>,
    /// What the series measures, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The figures.
    pub observations: Vec<Observation>,
}

/// Something an actor said.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    /// Stable id, unique among statements.
    pub id: String,
    /// Id of the actor who spoke.
    pub speaker: String,
    /// When it was said, as precisely as known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<DateSpan>,
    /// The speaker's own words, verbatim, as the source quotes them (inside its quotation
    /// marks). `None` when the source only tells what was said: its account is then in
    /// [`Self::sources`], the source's words, never shown as the speaker's (version 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// What it is about ("Israel's UN letter").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    /// The stance it takes ("rejects", "warns", "calls for diplomacy").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stance: Option<String>,
    /// Ids of actors the statement addresses or is about.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub about: Vec<String>,
    /// The sources and verbatim quotes it rests on.
    pub sources: Vec<SourceRef>,
}
