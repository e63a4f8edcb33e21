//! The data model: what a dataset holds, independent of any file format or view.

pub mod dataset;
pub mod date;
pub mod event;
pub mod geo;
pub mod workspace;

pub use dataset::*;
pub use date::{DateError, DatePrecision, DateSpan};
pub use event::{ActorIndex, Event, EventRef, EventRow, Location, Status, Text};
pub use geo::{GeoArea, GeoBox};
pub use workspace::{Annotation, Correction, Field, Include, Mark, Note, NoteTarget, Workspace};
