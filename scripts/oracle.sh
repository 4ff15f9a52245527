#!/usr/bin/env bash
# The kernel oracle: random worlds as nftables rulesets in network namespaces, real packets,
# every answer compared with the engine (tests/oracle, package sgplay-oracle).
#
#   scripts/oracle.sh            the full run: 200 worlds, 100,000 packets (about 6 minutes on 2 cores)
#   scripts/oracle.sh --ci       a CI-sized run: 12 worlds, 3,000 packets (well under a minute)
#   scripts/oracle.sh ARGS...    anything else goes to the binary (--worlds, --packets, --seed, --self-check)
#
# SGPLAY_ORACLE_SEED, SGPLAY_ORACLE_WORLDS and SGPLAY_ORACLE_PACKETS select the run too. Needs root,
# iproute2, nftables and conntrack (scripts/setup.sh installs the last two); without them it says
# so loudly and exits 0. Namespaces are named sgor-<pid>-… and removed on exit, on Ctrl-C, and
# (leftovers of dead runs) at the next start.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
self_check=0
case "${1:-}" in
  "") args=(--worlds "${SGPLAY_ORACLE_WORLDS:-200}" --packets "${SGPLAY_ORACLE_PACKETS:-100000}") ;;
  --ci) shift; self_check=1; args=(--worlds 12 --packets 3000 --expiry-every 6 "$@") ;;
  *) args=("$@") ;;
esac
cargo build -q --locked --release -p sgplay-oracle
bin="${CARGO_TARGET_DIR:-$root/target}/release/sgplay-oracle"
# The self-check first on CI-sized runs: a deliberately wrong translation must be caught.
if [ "$self_check" = 1 ]; then
  "$bin" --worlds 10 --packets 3000 --expiry-every 0 --self-check | tail -n 2
fi
exec "$bin" "${args[@]}"
