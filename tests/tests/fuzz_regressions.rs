//! Every input under `tests/fuzz-regressions/<target>/` that once crashed or hung a fuzz target,
//! run through the same target body (`sgplay_tests::fuzz`), plus a smoke input per target so the
//! bodies themselves are exercised on stable. Fuzzing itself: `scripts/fuzz.sh` (README).

use sgplay_tests::fuzz::TARGETS;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn regressions_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz-regressions")
}

/// A target on one input, timed: the fuzzer's timeout is 10 s; a debug build gets 6 times that.
fn run(name: &str, body: fn(&[u8]), label: &str, data: &[u8]) {
    let start = Instant::now();
    body(data);
    let took = start.elapsed();
    assert!(took < Duration::from_secs(60), "{name}: {label} took {took:?}");
}

#[test]
fn every_recorded_input_passes() {
    let mut count = 0;
    for (name, body) in TARGETS {
        let dir = regressions_dir().join(name);
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.is_file()).collect();
        files.sort();
        for file in files {
            let data = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            run(name, body, &file.display().to_string(), &data);
            count += 1;
        }
    }
    println!("{count} recorded fuzz inputs pass");
}

#[test]
fn every_target_stands_small_inputs() {
    let scenario = include_str!("../scenarios/huawei/stateful-clearing-address-groups.json");
    let inputs: [&[u8]; 9] = [
        b"",
        b"\0",
        b"22,25-30",
        b"\x0110.0.0.0/8",
        br#"{"id":"ipg","ip_version":6,"ip_set":"2001:db8::/48, 2001:db8::1-2001:db8::9"}"#,
        br#"{"direction":"ingress","protocol":"tcp","multiport":"22,80","remote_ip_prefix":"10.0.0.0/8,192.0.2.1"}"#,
        scenario.as_bytes(),
        &[0x7f; 300],
        &[0x03, 0x41, 0x00, 0x12, 0xff, 0x80, 0x09, 0x33, 0x21, 0x05, 0x77, 0x10, 0x60, 0x02, 0x01, 0x44, 0x99, 0x35],
    ];
    for (name, body) in TARGETS {
        for (i, data) in inputs.iter().enumerate() {
            run(name, body, &format!("smoke input {i}"), data);
        }
    }
}
