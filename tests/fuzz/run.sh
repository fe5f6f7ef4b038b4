#!/usr/bin/env bash
# Runs libFuzzer targets one after another and prints what each did.
#   tests/fuzz/run.sh SECONDS "name=max_len ..." TARGET...
# Each target build/fuzz/fuzz_<t> runs SECONDS on the working corpus
# build/fuzz/corpus/<t> (new inputs are kept there), reading the seeds in
# tests/fuzz/seeds/<t>/ too, with tests/fuzz/<t>.dict when there is one.
# Crashes, leaks, timeouts and out-of-memory inputs land in
# build/fuzz/artifacts/<t>/; any of them, or a non-zero exit, fails the run.
# FUZZ_SEED (optional) fixes libFuzzer's random seed. Sanitizer options come
# from the environment (the Makefile's SAN_ENV).
set -u

secs=$1
max_lens=$2
shift 2

max_len_of() {
    local kv
    for kv in $max_lens; do
        [ "${kv%%=*}" = "$1" ] && { echo "${kv#*=}"; return; }
    done
    echo 4096
}

# The value of libFuzzer's "stat::NAME: value" line in log, or "?".
stat_of() {
    local v
    v=$(sed -n "s/^stat::$1: *//p" "$2" | tail -n 1)
    echo "${v:-?}"
}

# UBSan reports come with their stack.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
# SAN_ENV unwinds slowly on every malloc so that the leak Graphviz's dot
# layout has with clusters can be told apart by its module; that makes fuzzing
# three to fifteen times slower. No target lays out a cluster, and our code
# keeps frame pointers, so the fuzzers unwind fast (reports still unwind fully).

failed=()
summary=()
for t in "$@"; do
    bin=build/fuzz/fuzz_$t
    corpus=build/fuzz/corpus/$t
    art=build/fuzz/artifacts/$t
    log=build/fuzz/logs/$t.log
    seeds=tests/fuzz/seeds/$t
    [ -x "$bin" ] || { echo "fuzz: $bin is missing (make fuzz-bin)"; exit 2; }
    mkdir -p "$corpus" "$(dirname "$log")"
    rm -rf "$art"
    mkdir -p "$art"
    args=(-max_total_time="$secs" -max_len="$(max_len_of "$t")" -timeout=60 -rss_limit_mb=2048
          -print_final_stats=1 -artifact_prefix="$art/")
    [ -n "${FUZZ_SEED:-}" ] && args+=(-seed="$FUZZ_SEED")
    [ -f "tests/fuzz/$t.dict" ] && args+=(-dict="tests/fuzz/$t.dict")
    dirs=("$corpus")
    [ -d "$seeds" ] && dirs+=("$seeds")
    asan=${ASAN_OPTIONS:-}
    asan="${asan:+$asan:}fast_unwind_on_malloc=1"
    echo "== fuzz $t (${secs}s)"
    ASAN_OPTIONS=$asan "$bin" "${args[@]}" "${dirs[@]}" >"$log" 2>&1
    rc=$?
    runs=$(stat_of number_of_executed_units "$log")
    eps=$(stat_of average_exec_per_sec "$log")
    # The last status line: "#123 DONE cov: 456 ft: 789 corp: 12/3Kb ..."
    last=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -n 1)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
    corp=$(sed -n 's/.* corp: \([^ ]*\).*/\1/p' <<<"$last")
    found=$(find "$art" -type f | sort)
    if [ $rc -ne 0 ] || [ -n "$found" ]; then
        verdict="FOUND SOMETHING (exit $rc)"
        failed+=("$t")
        # The sanitizer report: from the first "==pid==ERROR" (or the
        # invariant that failed) to the end of the log.
        echo "---- $log (from the report on)"
        awk '/==[0-9]+==ERROR|invariant failed|runtime error|ERROR: libFuzzer/ {p=1} p' "$log" | head -n 80
        echo "----"
        for f in $found; do echo "   artifact: $f ($(stat -c %s "$f") bytes)"; done
    else
        verdict="nothing found"
    fi
    line=$(printf '%-17s %10s runs %7s exec/s  cov: %-5s ft: %-6s corp: %-12s %s' \
        "$t" "$runs" "$eps" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$verdict")
    echo "$line"
    summary+=("$line")
done

echo "== fuzz summary (${secs}s per target; logs in build/fuzz/logs/)"
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: FAILED: ${failed[*]} (minimise with: build/fuzz/fuzz_<t> -minimize_crash=1 -runs=10000 <artifact>)"
    exit 1
fi
