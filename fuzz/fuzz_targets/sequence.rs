#![no_main]
//! Fuzz target `sequence`: the body is `sgplay_tests::fuzz::sequence` (what it feeds and asserts).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| sgplay_tests::fuzz::sequence(data));
