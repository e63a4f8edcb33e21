//! Where things go on a picture, with no GUI types: the force-directed graph layout, and the
//! geometry of charts that the app's painter and the SVG exporter both draw.

mod force;
pub mod graph_picture;
pub mod map;
pub mod reported;
pub mod scale;

pub use force::*;
