#![no_main]
//! Fuzz target `address_group`: the body is `sgplay_tests::fuzz::address_group` (what it feeds and asserts).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| sgplay_tests::fuzz::address_group(data));
