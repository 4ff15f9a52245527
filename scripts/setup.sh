#!/usr/bin/env bash
# Installs everything sgplay needs to build, serve and test, skipping what is already right.
# Idempotent: a warm machine passes through in seconds, a fresh one takes about 15 minutes.
#
#   scripts/setup.sh            everything (wasm target, trunk, wasm-bindgen-cli, wasm-opt, tsc, chromium)
#   scripts/setup.sh --no-browser   everything but chromium/chromedriver (enough to build and serve)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.tools"
want_browser=1
[ "${1:-}" = "--no-browser" ] && want_browser=0

trunk_version="0.21.14"     # 0.22 needs rustc >= 1.96
binaryen_version="132.0.0"  # Debian's binaryen 108 produces a wasm that crashes at load
typescript_version="5.9.3"  # type-checks the JS package's sgplay.d.ts (scripts/test.sh)
# wasm-bindgen-cli must equal the wasm-bindgen library version in Cargo.lock.
bindgen_version="$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' "$root/Cargo.lock")"

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

# 1. The wasm target (RUSTUP_AUTO_INSTALL=0 means rust-toolchain.toml alone will not add it).
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "wasm32-unknown-unknown target present"
else
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 2. trunk
if command -v trunk >/dev/null && trunk --version | grep -q "$trunk_version"; then
  say "trunk $trunk_version present"
else
  say "installing trunk $trunk_version (about 8 minutes on 2 cores)"
  cargo install --locked trunk --version "$trunk_version"
fi

# 3. wasm-bindgen-cli at the Cargo.lock version. `cargo install --locked` of the published crate
# fails here (its lockfile wants a webpki-roots the registry mirror does not serve), so unpack the
# crate, pin webpki-roots one patch lower and install from the unpacked path.
if command -v wasm-bindgen >/dev/null && wasm-bindgen --version | grep -q " $bindgen_version\$"; then
  say "wasm-bindgen-cli $bindgen_version present"
else
  say "installing wasm-bindgen-cli $bindgen_version"
  if ! cargo install --locked wasm-bindgen-cli --version "$bindgen_version"; then
    crate="$(ls -1 "${CARGO_HOME:-$HOME/.cargo}"/registry/cache/*/wasm-bindgen-cli-"$bindgen_version".crate | head -n1)"
    work="$(mktemp -d)"
    tar -xzf "$crate" -C "$work"
    (cd "$work/wasm-bindgen-cli-$bindgen_version" \
      && cargo update -p webpki-roots --precise 1.0.10 \
      && cargo install --locked --path .)
    rm -rf "$work"
  fi
fi

# 4. npm tools, kept in .tools/ (scripts put .tools/node_modules/.bin on PATH): wasm-opt from
# binaryen, and tsc to type-check the JS package's declarations.
# npm_tool BIN PACKAGE VERSION WANTED: installs PACKAGE@VERSION unless `BIN --version` says WANTED.
npm_tool() {
  if [ -x "$tools/node_modules/.bin/$1" ] && "$tools/node_modules/.bin/$1" --version | grep -q "$4"; then
    say "$1 ($2 $3) present"
  else
    say "installing $1 (npm $2@$3)"
    mkdir -p "$tools"
    [ -f "$tools/package.json" ] || echo '{"name":"sgplay-tools","private":true}' > "$tools/package.json"
    (cd "$tools" && npm install --no-audit --no-fund --silent "$2@$3")
  fi
}
npm_tool wasm-opt binaryen "$binaryen_version" "version ${binaryen_version%%.*}"
npm_tool tsc typescript "$typescript_version" "^Version $typescript_version\$"

# 5. Chromium and chromedriver for the wasm browser tests and the end-to-end tests.
if [ "$want_browser" = 1 ]; then
  if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
    say "chromium and chromedriver present"
  else
    say "installing chromium and chromium-driver"
    sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo_cmd apt-get update -qq
    $sudo_cmd apt-get install -y -qq chromium chromium-driver
  fi
fi

# 6. nftables and conntrack for the kernel oracle (scripts/oracle.sh; iproute2 is part of Debian).
if command -v nft >/dev/null && command -v conntrack >/dev/null; then
  say "nft and conntrack present"
else
  say "installing nftables and conntrack"
  sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq nftables conntrack
fi

# 7. Every crate the wasm build needs, so trunk's offline build finds them.
say "fetching crates"
(cd "$root" && cargo fetch --locked --target wasm32-unknown-unknown >/dev/null && cargo fetch --locked >/dev/null)
say "ready"
