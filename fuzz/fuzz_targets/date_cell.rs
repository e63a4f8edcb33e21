#![no_main]
//! Fuzz target: see `faultline::robustness::date_cell`.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| faultline::robustness::date_cell(data));
