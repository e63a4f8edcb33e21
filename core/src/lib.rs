//! Faultline's data core: what a dataset is ([`model`]), the columnar form every view reads
//! ([`store`]), reading and writing files ([`io`]), answers over the store ([`query`]), graph
//! layout ([`layout`]) and everything that leaves the app as a file ([`export`]).
//!
//! It knows nothing of any GUI, window system or command line: Cargo keeps it that way (the
//! crate does not depend on them), and it is tested on its own (`cargo test -p faultline-core`).

pub mod basemap;
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
pub mod text;
