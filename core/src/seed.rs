//! The dataset embedded in the binary, built by hand from a Shafaq News article of
//! 21 November 2024 (`assets/seed.json`; see its `description`).

use std::path::Path;

use crate::io::{native, LoadError};
use crate::model::Dataset;

/// The embedded seed dataset's native JSON text.
pub const SEED_JSON: &str = include_str!("../../assets/seed.json");

/// The name used for the embedded dataset in messages.
pub const SEED_NAME: &str = "<embedded seed dataset>";

/// Parses the embedded seed dataset.
pub fn seed_dataset() -> Result<Dataset, LoadError> {
    native::from_str(SEED_JSON, Path::new(SEED_NAME))
}
