#![no_main]
//! Fuzz target: see `faultline::robustness::native`.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| faultline::robustness::native(data));
