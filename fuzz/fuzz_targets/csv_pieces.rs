#![no_main]
//! Fuzz target: see `faultline_core::robustness::csv_pieces`.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| faultline_core::robustness::csv_pieces(data));
