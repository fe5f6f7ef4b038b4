#!/usr/bin/env bash
# Replays regression inputs through their fuzz targets, once each.
#   tests/fuzz/replay.sh DIR
# A file DIR/<target>-<what> runs through build/fuzz/fuzz_<target>; any crash,
# sanitizer report or leak fails the run. Sanitizer options come from the
# environment (the Makefile's SAN_ENV).
set -u

dir=$1
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
n=0
bad=()
shopt -s nullglob
for f in "$dir"/*; do
    [ -f "$f" ] || continue
    name=$(basename "$f")
    t=${name%%-*}
    bin=build/fuzz/fuzz_$t
    n=$((n + 1))
    if [ ! -x "$bin" ]; then
        echo "replay: $name: no target $bin"
        bad+=("$name")
        continue
    fi
    log=build/fuzz/logs/replay-$name.log
    mkdir -p build/fuzz/logs
    if "$bin" -timeout=60 -rss_limit_mb=2048 "$f" >"$log" 2>&1; then
        echo "replay: $name: ok"
    else
        echo "replay: $name: CRASHES (log: $log)"
        awk '/==[0-9]+==ERROR|invariant failed|runtime error|ERROR: libFuzzer/ {p=1} p' "$log" | head -n 40
        bad+=("$name")
    fi
done
echo "fuzz replay: $n inputs, ${#bad[@]} crashing${bad:+: ${bad[*]}}"
[ ${#bad[@]} -eq 0 ]
