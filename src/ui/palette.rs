//! Colours: the Okabe–Ito palette (distinguishable with the common colour-vision
//! deficiencies), used the same way everywhere.

use egui::Color32;

/// The eight Okabe–Ito colours, black replaced by grey so it reads on dark backgrounds.
pub const OKABE_ITO: [Color32; 8] = [
    Color32::from_rgb(0xE6, 0x9F, 0x00), // orange
    Color32::from_rgb(0x56, 0xB4, 0xE9), // sky blue
    Color32::from_rgb(0x00, 0x9E, 0x73), // bluish green
    Color32::from_rgb(0xF0, 0xE4, 0x42), // yellow
    Color32::from_rgb(0x00, 0x72, 0xB2), // blue
    Color32::from_rgb(0xD5, 0x5E, 0x00), // vermillion
    Color32::from_rgb(0xCC, 0x79, 0xA7), // reddish purple
    Color32::from_rgb(0x99, 0x99, 0x99), // grey
];

/// The colour of the `rank`-th category (by frequency in the dataset); "Other" is grey.
pub fn category(rank: usize) -> Color32 {
    OKABE_ITO[rank % (OKABE_ITO.len() - 1)]
}

/// Colour for "Other" and unknowns.
pub const OTHER: Color32 = Color32::from_rgb(0x99, 0x99, 0x99);

/// Counted events when not split by anything.
pub const EVENTS: Color32 = Color32::from_rgb(0x00, 0x72, 0xB2);

/// Reported series, in order: vermillion first (never the colour of ungrouped counted bars).
pub const REPORTED: [Color32; 4] = [
    Color32::from_rgb(0xD5, 0x5E, 0x00),
    Color32::from_rgb(0xCC, 0x79, 0xA7),
    Color32::from_rgb(0x00, 0x9E, 0x73),
    Color32::from_rgb(0xF0, 0xE4, 0x42),
];
