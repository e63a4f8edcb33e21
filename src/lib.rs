//! Faultline: read armed-conflict event datasets through linked views.
//!
//! The data core — [`model`], [`io`], [`summary`] — knows nothing of any GUI and is tested
//! headless. The binary (`src/main.rs`) is a thin front-end over it.

pub mod app;
pub mod cli;
pub mod export;
pub mod io;
pub mod layout;
pub mod model;
pub mod query;
pub mod seed;
pub mod store;
pub mod summary;
pub mod ui;
