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

/// `world` with one rule changed: the first inbound TCP/UDP rule of group 0 that has a port list
/// gets one port more (a one-line what-if): the first of a few unusual ports that changes a verdict
/// (in `pair 5x120` none does: group 0 admits everything at priority 16; the diff does the same work).
fn one_port_more(world: &World) -> World {
    use sgplay_core::model::{Direction, PortRange, PortSet};
    let at = world.security_groups[0]
        .rules
        .iter()
        .position(|r| r.direction == Direction::Ingress && r.protocol.has_ports() && !r.ports.is_all());
    let Some(at) = at else { return world.clone() };
    let with = |port: u16| {
        let mut changed = world.clone();
        let rule = &mut changed.security_groups[0].rules[at];
        let mut ports = rule.ports.elements().to_vec();
        ports.push(PortRange { first: port, last: port });
        rule.ports = PortSet::from_ranges(ports);
        changed
    };
    [8443, 873, 993, 636, 389, 23, 9443, 27017]
        .into_iter()
        .map(with)
        .find(|changed| !sgplay_core::analysis::diff::diff(world, changed).changes.is_empty())
        .unwrap_or_else(|| with(8443))
}

fn diff(c: &mut Criterion) {
    let mut group = c.benchmark_group("analysis.diff");
    group.sample_size(10);
    for (name, world) in [("pair 5x120", pair(5, 120)), ("estate 1000", estate())] {
        let changed = one_port_more(&world);
        let report = sgplay_core::analysis::diff::diff(&world, &changed);
        assert!(report.skipped.is_empty(), "{name}: the diff is complete");
        eprintln!("analysis.diff/{name}: {} changes", report.changes.len());
        group.bench_with_input(BenchmarkId::from_parameter(name), &changed, |b, changed| {
            b.iter(|| sgplay_core::analysis::diff::diff(black_box(&world), black_box(changed)))
        });
    }
    group.finish();
}

/// What an edit in the page pays before anything re-renders: the whole document validated and
/// built again (`ScenarioSpec::build`), and, within it, the advice (exposure, the shadow
/// analysis within its validation budget, egress).
fn scenario_build(c: &mut Criterion) {
    let spec = sgplay_core::synth::generate(&sgplay_core::synth::SynthConfig::default());
    let world = estate();
    let mut group = c.benchmark_group("scenario");
    group.sample_size(10);
    group.bench_function("build/estate 1000", |b| b.iter(|| black_box(&spec).build()));
    group.bench_function("build without advice/estate 1000", |b| b.iter(|| black_box(&spec).build_without_advice()));
    group.bench_function("advice/estate 1000", |b| b.iter(|| sgplay_core::analysis::advice::check(black_box(&world))));
    group.bench_function("constraints/estate 1000", |b| b.iter(|| sgplay_core::analysis::constraints::check(black_box(&world))));
    group.finish();
}

criterion_group!(benches, matcher, reference, tracer, build, shadow, reach, diff, scenario_build);
criterion_main!(benches);
