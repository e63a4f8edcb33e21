//! The core's colours ([`faultline_core::style`]) as egui colours.

use egui::Color32;

use faultline_core::model::{ActorKind, RelationKind};
use faultline_core::style::{self, Rgb};

/// An egui colour from a core one.
pub const fn colour(c: Rgb) -> Color32 {
    Color32::from_rgb(c.0, c.1, c.2)
}

/// The colour of the `rank`-th category (by frequency in the dataset); "Other" is grey.
pub fn category(rank: usize) -> Color32 {
    colour(style::category(rank))
}

/// Colour for "Other" and unknowns.
pub const OTHER: Color32 = colour(style::OTHER);

/// Counted events when not split by anything.
pub const EVENTS: Color32 = colour(style::EVENTS);

/// The colour of the `k`-th reported series.
pub fn reported(k: usize) -> Color32 {
    colour(style::REPORTED[k % style::REPORTED.len()])
}

/// The colour of a stated relation kind.
pub fn relation_colour(kind: RelationKind) -> Color32 {
    colour(style::relation_colour(kind))
}

/// The colour of an actor kind.
pub fn kind_colour(kind: ActorKind) -> Color32 {
    colour(style::actor_kind_colour(kind))
}
