//! Faultline: read armed-conflict event datasets through linked views.
//!
//! The data core — [`model`], [`io`], [`store`], [`query`], [`layout`], [`export`] — knows
//! nothing of any GUI and is tested headless; it builds without the `gui` feature. The binary
//! (`src/main.rs`) is a thin front-end over it.

#[cfg(feature = "gui")]
pub mod app;
pub mod cli;
pub mod crash;
pub mod export;
pub mod io;
pub mod layout;
pub mod model;
pub mod query;
pub mod robustness;
pub mod seed;
pub mod store;
pub mod style;
pub mod summary;
#[cfg(feature = "gui")]
pub mod ui;
