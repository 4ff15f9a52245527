#!/usr/bin/env bash
# Everything sgplay checks, in order; stops at the first stage that fails, with a non-zero exit.
#
#   1. set-up         scripts/setup.sh (tools, Chromium, crates; seconds when already there)
#   2. native tests   cargo test --workspace --locked (engine, CLI, scenario harness, page logic)
#   3. kernel oracle  scripts/oracle.sh --ci: random worlds in network namespaces against netfilter
#                     (skipped, loudly, where namespaces cannot be made)
#   4. scenarios      sgplay test over tests/scenarios/**/*.json and the page's sample scenario
#   5. wasm tests     the page's components in headless Chromium (wasm-bindgen-test)
#   6. release build  trunk build --release into dist/
#   7. end-to-end     tests/e2e against dist/ served on 127.0.0.1 (playwright-core + Chromium)
#   8. JS package     scripts/build-js.sh into js/pkg/, then node --test js/tests/: each function
#                     against the CLI's --json, tsc --strict over sgplay.d.ts, docs/engine-demo.html
#
# Works the same on a developer's machine and in CI (`CI=true`, no terminal, fresh clone).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export PATH="$root/.tools/node_modules/.bin:$PATH"

stages_passed=0
current=""
server=""  # the pid of the static file server of the end-to-end stage, while it runs
banner() {
  current="$1"
  printf '\n\033[1;34m==== %s ====\033[0m\n' "$1"
}
finish_stage() {
  stages_passed=$((stages_passed + 1))
  printf '\033[1;32m---- %s: ok\033[0m\n' "$current"
}
on_exit() {
  local status=$?
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; fi
  if [ "$status" -ne 0 ]; then
    printf '\n\033[1;31mtest: FAILED in stage "%s" (exit %s)\033[0m\n' "$current" "$status"
    printf 'stages: %s passed, 1 failed\n' "$stages_passed"
  fi
}
trap on_exit EXIT

banner "set-up"
scripts/setup.sh
finish_stage

banner "native tests (cargo test --workspace)"
cargo test --workspace --locked
finish_stage

banner "kernel oracle (scripts/oracle.sh --ci)"
scripts/oracle.sh --ci
finish_stage

banner "scenario files (sgplay test)"
# Every scenario in the corpus (the page's sample among them).
if [ -d tests/scenarios ]; then
  shopt -s globstar nullglob
  scenarios=(tests/scenarios/**/*.json)
  shopt -u globstar nullglob
  if [ "${#scenarios[@]}" -eq 0 ]; then
    echo "tests/scenarios/ holds no .json file" >&2
    exit 1
  fi
  cargo run -q --locked -p sgplay-cli -- test "${scenarios[@]}"
else
  echo "skipped: tests/scenarios/ does not exist yet"
fi
finish_stage

banner "wasm tests (headless Chromium)"
CHROMEDRIVER=/usr/bin/chromedriver \
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --locked --target wasm32-unknown-unknown -p sgplay-web
finish_stage

banner "release build (trunk build --release)"
trunk build --release
ls -l dist/
finish_stage

banner "end-to-end (tests/e2e against dist/)"
e2e="$root/tests/e2e"
# Every dependency of package.json at exactly its pinned version, or a fresh `npm ci`.
missing="$(node -e '
  const dir = process.argv[1];
  const want = require(dir + "/package.json").dependencies;
  for (const [name, version] of Object.entries(want)) {
    let have = "";
    try { have = require(dir + "/node_modules/" + name + "/package.json").version; } catch {}
    if (have !== version) console.log(name + "@" + version);
  }' "$e2e")"
if [ -z "$missing" ]; then
  echo "e2e dependencies present: $(node -p "Object.entries(require('$e2e/package.json').dependencies).map(([n, v]) => n + '@' + v).join(', ')")"
else
  echo "installing into tests/e2e/node_modules: $missing"
  (cd "$e2e" && npm ci --no-audit --no-fund --loglevel=error)
fi
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
python3 -m http.server --bind 127.0.0.1 --directory "$root/dist" "$port" >/dev/null 2>&1 &
server=$!
for _ in $(seq 50); do
  curl -fsS -o /dev/null "http://127.0.0.1:$port/" && break
  sleep 0.2
done
SGPLAY_URL="http://127.0.0.1:$port/" node --test "$e2e"/*.test.mjs
kill "$server"
server=""
echo "screenshots: tests/e2e/screenshots/"
finish_stage

banner "JS package (scripts/build-js.sh, node --test js/tests/)"
scripts/build-js.sh
SGPLAY_JS_STRICT=1 node --test js/tests/*.test.mjs
finish_stage

printf '\n\033[1;32mtest: all stages passed\033[0m\n'
printf 'stages: %s passed, 0 failed\n' "$stages_passed"
