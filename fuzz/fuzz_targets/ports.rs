#![no_main]
//! Fuzz target `ports`: the body is `sgplay_tests::fuzz::ports` (what it feeds and asserts).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| sgplay_tests::fuzz::ports(data));
