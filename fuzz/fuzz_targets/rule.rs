#![no_main]
//! Fuzz target `rule`: the body is `sgplay_tests::fuzz::rule` (what it feeds and asserts).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| sgplay_tests::fuzz::rule(data));
