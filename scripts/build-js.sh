#!/usr/bin/env bash
# Builds the engine's JS/wasm package (crate `js/`, package `sgplay`) and prints its size.
#
#   scripts/build-js.sh                 into js/pkg/: sgplay.js (ES module), sgplay_bg.wasm,
#                                       sgplay.d.ts, package.json, README.md; no Terraform, like the page
#   scripts/build-js.sh --terraform     the same with Terraform HCL import, into js/pkg-terraform/
#
# Needs the tools of scripts/setup.sh (wasm32 target, wasm-bindgen-cli, wasm-opt in .tools/).
# cargo build --target wasm32-unknown-unknown --profile wasm-release, wasm-bindgen --target web,
# wasm-opt -Oz. A warm rebuild skips wasm-opt when wasm-bindgen's output has not changed.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export PATH="$root/.tools/node_modules/.bin:$PATH"

features=()
out="$root/js/pkg"
if [ "${1:-}" = "--terraform" ]; then
  features=(--features terraform)
  out="$root/js/pkg-terraform"
fi

say() { printf '\033[1mbuild-js:\033[0m %s\n' "$*"; }
fail() { printf '\033[1;31mbuild-js:\033[0m %s\n' "$*" >&2; exit 1; }

bindgen_version="$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)"
command -v wasm-bindgen >/dev/null && wasm-bindgen --version | grep -q " $bindgen_version\$" \
  || fail "wasm-bindgen $bindgen_version (the Cargo.lock version) is not on PATH: run scripts/setup.sh"
# .tools/ comes first on PATH; Debian's binaryen (108) builds a wasm that crashes at load.
command -v wasm-opt >/dev/null && wasm-opt --version | grep -q "version 132" \
  || fail "wasm-opt of binaryen 132 is not on PATH (.tools/node_modules/.bin): run scripts/setup.sh"

say "cargo build -p sgplay-js --target wasm32-unknown-unknown --profile wasm-release ${features[*]}"
cargo build --locked -q -p sgplay-js --target wasm32-unknown-unknown --profile wasm-release "${features[@]}"
target="${CARGO_TARGET_DIR:-$root/target}"
wasm="$target/wasm32-unknown-unknown/wasm-release/sgplay_js.wasm"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
wasm-bindgen --target web --out-dir "$work" --out-name sgplay "$wasm"

mkdir -p "$out"
# wasm-opt takes ~20 s on 2 cores: redo it only when its input changed.
stamp="$(sha256sum "$work/sgplay_bg.wasm" | cut -d' ' -f1)"
if [ -f "$out/sgplay_bg.wasm" ] && [ "$(cat "$out/.wasm-bindgen.sha256" 2>/dev/null)" = "$stamp" ]; then
  say "wasm unchanged: keeping the optimised $out/sgplay_bg.wasm"
else
  say "wasm-opt -Oz"
  # The features rustc 1.95 enables by default for wasm32-unknown-unknown.
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
    --enable-reference-types --enable-multivalue "$work/sgplay_bg.wasm" -o "$out/sgplay_bg.wasm"
  echo "$stamp" > "$out/.wasm-bindgen.sha256"
fi
cp "$work/sgplay.js" "$work/sgplay.d.ts" "$work/sgplay_bg.wasm.d.ts" "$out/"
cp js/package.json js/README.md "$out/"

say "$out:"
total_raw=0
total_gz=0
for f in sgplay_bg.wasm sgplay.js sgplay.d.ts; do
  raw=$(wc -c < "$out/$f")
  gz=$(gzip -9 -c "$out/$f" | wc -c)
  printf '  %-16s %9s B raw %9s B gzip -9\n' "$f" "$raw" "$gz"
  if [ "$f" != sgplay.d.ts ]; then total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz)); fi
done
printf '  %-16s %9s B raw %9s B gzip -9  (what a page loads: wasm + js)\n' "total" "$total_raw" "$total_gz"
