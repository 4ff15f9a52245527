#!/usr/bin/env bash
# The engine's benchmark suite (bench-wasm/) natively and in headless Chromium, release builds,
# with the wasm/native ratio per figure. Not part of scripts/test.sh (it measures, it does not
# check); BENCHMARKS.md records its output.
#
#   scripts/bench-wasm.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export PATH="$root/.tools/node_modules/.bin:$PATH"
scripts/setup.sh >/dev/null
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

echo "native (cargo run --release -p sgplay-bench-wasm):" >&2
cargo run -q --locked --release -p sgplay-bench-wasm | tee "$out/native.txt"

echo "wasm (headless Chromium, wasm-bindgen-test, release):" >&2
CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}" \
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --locked --release --target wasm32-unknown-unknown -p sgplay-bench-wasm --test browser -- --nocapture 2>&1 \
  | sed -n 's/^.*bench: //p' | tee "$out/wasm.txt"

echo
python3 - "$out/native.txt" "$out/wasm.txt" <<'PY'
import re, sys
unit = {"ns": 1, "µs": 1e3, "ms": 1e6}
def read(path):
    figures = {}
    for line in open(path, encoding="utf-8"):
        m = re.match(r"(.+?)\s+([0-9.]+) (ns|µs|ms)$", line.strip())
        if m:
            figures[m.group(1)] = float(m.group(2)) * unit[m.group(3)]
    return figures
native, wasm = read(sys.argv[1]), read(sys.argv[2])
if not wasm:
    sys.exit("no figures from the browser run")
def human(ns):
    for size, name in ((1e6, "ms"), (1e3, "µs")):
        if ns >= size:
            return f"{ns / size:.1f} {name}"
    return f"{ns:.1f} ns"
print(f"{'figure':<50} {'native':>10} {'wasm':>10} {'wasm/native':>12}")
for name, n in native.items():
    w = wasm.get(name)
    if w:
        print(f"{name:<50} {human(n):>10} {human(w):>10} {w / n:>12.2f}")
PY
