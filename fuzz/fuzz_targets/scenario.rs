#![no_main]
//! Fuzz target `scenario`: the body is `sgplay_tests::fuzz::scenario` (what it feeds and asserts).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| sgplay_tests::fuzz::scenario(data));
