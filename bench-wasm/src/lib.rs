//! # The benchmark suite, native and in the browser
//!
//! Criterion (`core/benches/`) cannot run in a browser, so the figures the issues ask for in
//! wasm come from this one suite, run twice with the same code and workloads:
//! natively (`cargo run --release -p sgplay-bench-wasm`) and in headless Chromium
//! (`tests/browser.rs`, a wasm-bindgen-test). `scripts/bench-wasm.sh` runs both and prints the
//! wasm/native ratio. The caller supplies the clock (milliseconds), so the suite itself reads
//! none, like the engine.

use sgplay_core::analysis::reach::{reachability, Service, DEFAULT_SERVICES};
use sgplay_core::analysis::shadow::shadowed_rules;
use sgplay_core::workloads::{estate, packets, pair};
use sgplay_core::{evaluate, Matcher, World};
use std::hint::black_box;

/// One measured figure: nanoseconds per operation.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    pub name: String,
    pub ns_per_op: f64,
}

/// Runs `op` until at least `min_ms` have passed (and at least once), in rounds of `batch`
/// operations; nanoseconds per operation.
fn time(now: &dyn Fn() -> f64, min_ms: f64, batch: usize, mut op: impl FnMut()) -> f64 {
    let start = now();
    let mut ops = 0usize;
    loop {
        for _ in 0..batch {
            op();
        }
        ops += batch;
        let elapsed = now() - start;
        if elapsed >= min_ms {
            return elapsed * 1e6 / ops as f64;
        }
    }
}

/// Every figure of the suite, in a fixed order.
pub fn suite(now: &dyn Fn() -> f64) -> Vec<Figure> {
    let mut out = Vec::new();
    let mut record = |name: &str, ns: f64| out.push(Figure { name: name.to_string(), ns_per_op: ns });
    let worlds: Vec<(&str, World)> = vec![("pair 5x2", pair(5, 2)), ("pair 5x120", pair(5, 120)), ("estate 1000", estate())];
    for (name, world) in &worlds {
        let batch = packets(world, 1024, 7);
        let m = Matcher::build(world);
        let mut i = 0;
        record(
            &format!("matcher.decide/{name}"),
            time(now, 300.0, 1024, || {
                black_box(m.decide(black_box(&batch[i % batch.len()])));
                i += 1;
            }),
        );
        let mut j = 0;
        record(
            &format!("eval.evaluate/{name}"),
            time(now, 300.0, 8, || {
                black_box(evaluate(world, black_box(&batch[j % batch.len()])));
                j += 1;
            }),
        );
        record(&format!("matcher.build/{name}"), time(now, 300.0, 1, || drop(black_box(Matcher::build(world)))));
    }
    // One instance's side at Huawei's maxima: the pair world with one of its two instances.
    let mut one = pair(5, 120);
    one.instances.truncate(1);
    let groups: Vec<String> = one.instances[0].security_groups.clone();
    one.security_groups.retain(|g| groups.contains(&g.id));
    record("analysis.shadowed_rules/one instance 5x120", time(now, 300.0, 1, || drop(black_box(shadowed_rules(&one)))));
    let services: Vec<Service> = DEFAULT_SERVICES.iter().filter_map(|s| Service::parse(s).ok()).collect();
    if let Some((_, estate)) = worlds.last() {
        let m = Matcher::build(estate);
        record(
            "analysis.reachability/estate 1000 x 10 services",
            time(now, 1.0, 1, || drop(black_box(reachability(estate, &m, &services)))),
        );
    }
    out
}

/// The figures as a table, one line each: `name  123.4 ns` (or µs, ms).
pub fn render(figures: &[Figure]) -> String {
    figures.iter().map(|f| format!("{:<50} {}\n", f.name, human(f.ns_per_op))).collect()
}

fn human(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.1} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.1} µs", ns / 1e3)
    } else {
        format!("{ns:.1} ns")
    }
}
