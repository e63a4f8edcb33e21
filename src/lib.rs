//! Faultline: read armed-conflict event datasets through linked views.
//!
//! This package holds the two front-ends over the data core ([`faultline_core`], a crate of
//! its own with no GUI in its dependency tree): the desktop app ([`app`] for state, actions
//! and background jobs; [`ui`] for the shell and one module per panel) and the command line
//! ([`cli`]). The binary (`src/main.rs`) only parses arguments and picks one.

pub mod app;
pub mod cli;
pub mod crash;
pub mod ui;
