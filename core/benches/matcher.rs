//! The matcher, the tracer and the reference `decide` on the workloads.
//!
//! `cargo bench -p sgplay-core --bench matcher` — figures per packet (criterion's "thrpt" is
//! packets per second; "time" is for the whole batch of `BATCH` packets). BENCHMARKS.md keeps
//! the figures and the machine.

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use sgplay_core::workloads::{estate, packets, pair};
use sgplay_core::{Matcher, World};

const BATCH: usize = 1024;

fn worlds() -> Vec<(&'static str, World)> {
    vec![("pair 5x2", pair(5, 2)), ("pair 5x120", pair(5, 120)), ("estate 1000", estate())]
}

fn matcher(c: &mut Criterion) {
    let mut group = c.benchmark_group("matcher.decide");
    group.throughput(Throughput::Elements(BATCH as u64));
    for (name, world) in worlds() {
        let m = Matcher::build(&world);
        let batch = packets(&world, BATCH, 7);
        group.bench_with_input(BenchmarkId::from_parameter(name), &batch, |b, batch| {
            b.iter(|| {
                for p in batch {
                    black_box(m.decide(black_box(p)));
                }
            })
        });
    }
    group.finish();
}

fn reference(c: &mut Criterion) {
    let mut group = c.benchmark_group("eval.decide");
    group.throughput(Throughput::Elements(BATCH as u64));
    for (name, world) in worlds() {
        let batch = packets(&world, BATCH, 7);
        group.bench_with_input(BenchmarkId::from_parameter(name), &batch, |b, batch| {
            b.iter(|| {
                for p in batch {
                    black_box(sgplay_core::decide(&world, black_box(p)));
                }
            })
        });
    }
    group.finish();
}

fn tracer(c: &mut Criterion) {
    let mut group = c.benchmark_group("eval.evaluate");
    let n = 64;
    group.throughput(Throughput::Elements(n as u64));
    for (name, world) in worlds() {
        let batch = packets(&world, n, 7);
        group.bench_with_input(BenchmarkId::from_parameter(name), &batch, |b, batch| {
            b.iter(|| {
                for p in batch {
                    black_box(sgplay_core::evaluate(&world, black_box(p)));
                }
            })
        });
    }
    group.finish();
}

fn build(c: &mut Criterion) {
    let mut group = c.benchmark_group("matcher.build");
    for (name, world) in worlds() {
        group.bench_with_input(BenchmarkId::from_parameter(name), &world, |b, world| b.iter(|| Matcher::build(black_box(world))));
    }
    group.finish();
}

fn shadow(c: &mut Criterion) {
    let mut group = c.benchmark_group("analysis.shadowed_rules");
    group.sample_size(10);
    for (name, world) in worlds() {
        group.bench_with_input(BenchmarkId::from_parameter(name), &world, |b, world| {
            b.iter(|| sgplay_core::analysis::shadow::shadowed_rules(black_box(world)))
        });
    }
    group.finish();
}

fn reach(c: &mut Criterion) {
    use sgplay_core::analysis::reach::{reachability, Service, DEFAULT_SERVICES};
    let services: Vec<Service> = DEFAULT_SERVICES.iter().filter_map(|s| Service::parse(s).ok()).collect();
    let mut group = c.benchmark_group("analysis.reachability");
    group.sample_size(10);
    for (name, world) in worlds() {
        let m = Matcher::build(&world);
        group.bench_with_input(BenchmarkId::from_parameter(name), &world, |b, world| {
            b.iter(|| reachability(black_box(world), &m, &services))
        });
    }
    group.finish();
}

criterion_group!(benches, matcher, reference, tracer, build, shadow, reach);
criterion_main!(benches);
