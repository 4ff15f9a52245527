#!/usr/bin/env bash
# Coverage-guided fuzzing (cargo-fuzz, libFuzzer, nightly). Not part of scripts/test.sh (CI
# time): the inputs it ever found run there through cargo test (tests/tests/fuzz_regressions.rs).
#
#   scripts/fuzz.sh                  every target in turn, 600 s each
#   scripts/fuzz.sh TARGET [SECONDS] one target (ports, address_entry, address_group, rule,
#                                    scenario, sequence, share_link, matcher)
#   scripts/fuzz.sh all SECONDS      every target in turn, SECONDS each
#
# One job, one worker: the machine is shared. Logs go to fuzz/logs/TARGET.log, the growing corpus
# to fuzz/corpus/TARGET/ (seeded by scripts/fuzz-seeds.py), crashes to fuzz/artifacts/TARGET/.
# A crash: `cargo +nightly fuzz tmin TARGET fuzz/artifacts/TARGET/crash-…`, fix it, and copy the
# minimised input to tests/fuzz-regressions/TARGET/.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
targets=(ports address_entry address_group rule scenario sequence share_link matcher)
target="${1:-all}"
seconds="${2:-600}"

if ! rustup toolchain list | grep -q '^nightly'; then
    rustup toolchain install nightly --profile minimal
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    cargo install --locked cargo-fuzz || cargo install cargo-fuzz
fi
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"

dict_for() {
    case "$1" in
        ports) echo fuzz/dict/ports.dict ;;
        address_entry) echo fuzz/dict/address.dict ;;
        address_group | rule | scenario | share_link) echo fuzz/dict/json.dict ;;
        *) echo "" ;;
    esac
}

run_one() {
    local t="$1" dict
    dict="$(dict_for "$t")"
    mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t" fuzz/logs
    echo "== $t for ${seconds}s (log fuzz/logs/$t.log)"
    # With -jobs, libFuzzer's own output goes to ./fuzz-0.log; an earlier run's is kept aside.
    [ -f fuzz-0.log ] && mv fuzz-0.log "fuzz/logs/unclaimed-$(date +%s).log"
    local rc=0
    # -a: debug assertions (integer overflow checks) on, as in tests.
    cargo +nightly fuzz run -a "$t" "fuzz/corpus/$t" -- \
        -jobs=1 -workers=1 -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 -malloc_limit_mb=1024 -max_len=131072 -print_final_stats=1 \
        ${dict:+-dict="$dict"} >"fuzz/logs/$t.log" 2>&1 || rc=$?
    [ -f fuzz-0.log ] && cat fuzz-0.log >>"fuzz/logs/$t.log" && rm fuzz-0.log
    # In -jobs mode the exit code may not tell a crash: the artifacts folder does.
    if [ -n "$(ls -A "fuzz/artifacts/$t")" ]; then rc=1; fi
    if [ $rc -ne 0 ]; then
        echo "   $t FAILED: see fuzz/logs/$t.log and fuzz/artifacts/$t/"
        return 1
    fi
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)|#[0-9]+ *(DONE|pulse)' "fuzz/logs/$t.log" | tail -3
}

python3 scripts/fuzz-seeds.py
cargo +nightly fuzz build -a
status=0
if [ "$target" = all ]; then
    for t in "${targets[@]}"; do run_one "$t" || status=1; done
else
    run_one "$target" || status=1
fi
exit $status
