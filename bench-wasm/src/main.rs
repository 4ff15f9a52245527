//! The suite natively: `cargo run --release -p sgplay-bench-wasm`.

use std::time::Instant;

fn main() {
    let start = Instant::now();
    let now = || start.elapsed().as_secs_f64() * 1e3;
    print!("{}", sgplay_bench_wasm::render(&sgplay_bench_wasm::suite(&now)));
}
