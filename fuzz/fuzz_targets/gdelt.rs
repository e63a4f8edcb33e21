#![no_main]
//! Fuzz target: see `faultline::robustness::gdelt`.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| faultline::robustness::gdelt(data));
