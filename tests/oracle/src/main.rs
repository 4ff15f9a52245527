//! `sgplay-oracle`: random worlds against the Linux kernel.
//!
//! ```text
//! sgplay-oracle [--worlds N] [--packets N] [--seed S] [--expiry-every K] [--self-check]
//! ```
//! `SGPLAY_ORACLE_SEED`, `SGPLAY_ORACLE_WORLDS` and `SGPLAY_ORACLE_PACKETS` give the same
//! settings (flags win). Exit 0 when every packet agreed (or when the machine cannot run the
//! oracle: said loudly), 1 on any mismatch, 2 when the harness itself failed.

use sgplay_oracle::oracle::{run_world, Mismatch, WorldRun};
use sgplay_oracle::{preflight, scenario_json, topology};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

struct Options {
    seed: u64,
    worlds: usize,
    packets: usize,
    expiry_every: usize,
    self_check: bool,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn options() -> Result<Options, String> {
    let num = |text: &str, what: &str| text.parse::<u64>().map_err(|_| format!("{what}: `{text}` is not a number"));
    let mut o = Options { seed: 1, worlds: 20, packets: 4000, expiry_every: 8, self_check: false };
    if let Some(v) = env("SGPLAY_ORACLE_SEED") {
        o.seed = num(&v, "SGPLAY_ORACLE_SEED")?;
    }
    if let Some(v) = env("SGPLAY_ORACLE_WORLDS") {
        o.worlds = num(&v, "SGPLAY_ORACLE_WORLDS")? as usize;
    }
    if let Some(v) = env("SGPLAY_ORACLE_PACKETS") {
        o.packets = num(&v, "SGPLAY_ORACLE_PACKETS")? as usize;
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let value = || args.get(i + 1).ok_or_else(|| format!("{} needs a value", args[i]));
        match args[i].as_str() {
            "--seed" => o.seed = num(value()?, "--seed")?,
            "--worlds" => o.worlds = num(value()?, "--worlds")? as usize,
            "--packets" => o.packets = num(value()?, "--packets")? as usize,
            "--expiry-every" => o.expiry_every = num(value()?, "--expiry-every")? as usize,
            "--self-check" => {
                o.self_check = true;
                i += 1;
                continue;
            }
            "-h" | "--help" => {
                println!("sgplay-oracle [--worlds N] [--packets N (in all)] [--seed S] [--expiry-every K (0: never)] [--self-check]");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument `{other}` (try --help)")),
        }
        i += 2;
    }
    o.worlds = o.worlds.max(1);
    Ok(o)
}

fn print_mismatch(m: &Mismatch, seed: u64, world: &sgplay_core::World) {
    let name = format!("oracle seed {seed} world {}", m.world);
    println!("\nMISMATCH in world {} (seed {seed}), phase {}:", m.world, m.phase);
    println!("  packet: {}", m.packet);
    println!("  packet (json): {}", serde_json::to_string(&m.packet).unwrap_or_default());
    println!("  engine: {}   kernel: {}", verdict(m.engine), verdict(m.kernel));
    println!("{}", m.detail);
    println!("  world (scenario JSON; replay with SGPLAY_ORACLE_SEED={seed}):\n{}", scenario_json::scenario(world, &name).to_json());
}

fn verdict(allowed: bool) -> &'static str {
    if allowed {
        "delivered"
    } else {
        "dropped"
    }
}

fn main() {
    let o = match options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("sgplay-oracle: {e}");
            std::process::exit(2);
        }
    };
    if let Err(why) = preflight::check() {
        let bar = "!".repeat(78);
        println!("{bar}\n!! ORACLE SKIPPED: this machine cannot run the kernel oracle.\n!! Missing: {why}\n!! Nothing was compared with the kernel.\n{bar}");
        return;
    }
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        let _ = signal_hook::flag::register(signal, Arc::clone(&stop));
    }
    let leftovers = topology::remove_leftovers();
    if leftovers > 0 {
        println!("removed {leftovers} namespace(s) left by an earlier run");
    }
    // One CPU: a probe and its sentinel then share one backlog queue, in order.
    let mut cpus = nix::sched::CpuSet::new();
    let pinned = cpus.set(0).is_ok() && nix::sched::sched_setaffinity(nix::unistd::Pid::from_raw(0), &cpus).is_ok();
    if !pinned {
        eprintln!("sgplay-oracle: could not pin to one CPU");
        std::process::exit(2);
    }
    let per_world = o.packets.div_ceil(o.worlds).max(10);
    println!(
        "oracle: seed {}, {} worlds, about {} packets ({} per world), expiry every {} worlds{}",
        o.seed,
        o.worlds,
        per_world * o.worlds,
        per_world,
        o.expiry_every,
        if o.self_check { ", SELF-CHECK (one rule flipped per world)" } else { "" }
    );
    let started = Instant::now();
    let mut totals: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut mismatches = 0;
    let mut worlds_with_mismatch = 0;
    let mut done = 0;
    for index in 0..o.worlds {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let run = WorldRun {
            seed: o.seed,
            index,
            packets: per_world,
            expiry: o.expiry_every > 0 && index % o.expiry_every == 0,
            flip: o.self_check,
            stop: &stop,
        };
        match run_world(&run) {
            Ok((world, report)) => {
                done += 1;
                for (phase, n) in &report.packets {
                    *totals.entry(phase).or_default() += n;
                }
                if !report.mismatches.is_empty() {
                    worlds_with_mismatch += 1;
                }
                mismatches += report.mismatches.len();
                if !o.self_check {
                    for m in report.mismatches.iter().take(3) {
                        print_mismatch(m, o.seed, &world);
                    }
                }
                if index % 10 == 0 || !report.mismatches.is_empty() {
                    println!(
                        "world {index}: {} instances, {} packets, {} mismatches; change: {}",
                        world.instances.len(),
                        report.total(),
                        report.mismatches.len(),
                        report.change.as_deref().unwrap_or("none")
                    );
                }
            }
            Err(e) => {
                eprintln!("sgplay-oracle: world {index}: harness failure: {e}");
                topology::remove_leftovers();
                std::process::exit(2);
            }
        }
    }
    topology::remove_leftovers();
    let packets: usize = totals.values().sum();
    let phases: Vec<String> = totals.iter().map(|(p, n)| format!("{p} {n}")).collect();
    println!(
        "\noracle: {done} worlds, {packets} packets ({}), {mismatches} mismatches in {worlds_with_mismatch} worlds, {:.1} s",
        phases.join(", "),
        started.elapsed().as_secs_f64()
    );
    if stop.load(Ordering::Relaxed) {
        println!("oracle: interrupted; namespaces removed");
        std::process::exit(130);
    }
    if o.self_check {
        if mismatches > 0 {
            println!("self-check: the deliberately wrong translation was caught ({mismatches} mismatches): the oracle can fail");
        } else {
            println!("self-check FAILED: a flipped rule went unnoticed");
            std::process::exit(1);
        }
    } else if mismatches > 0 {
        std::process::exit(1);
    }
}
