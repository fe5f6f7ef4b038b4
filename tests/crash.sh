#!/usr/bin/env bash
# Crash safety: a build killed with SIGKILL at any moment must leave the output folder either
# exactly the old complete site or exactly the new complete site, never a mix.
# The handbook (a copy of the repo's content/, layouts/, diagrams/, site.yaml) is built with two
# SOURCE_DATE_EPOCH values, so the two complete sites differ (build date, calendar stamps) and
# are each deterministic: their checksum manifests are the references. Each iteration starts a
# build towards the site that is not in place and kills it after a random delay between 0 and
# the typical build time (every third kill without the diagram cache, so kills also land while
# Graphviz runs and the cache is written); the folder's manifest must equal one of the two. After every 5 kills
# one build runs to completion and must leave no ".NAME.tmp-*" folder beside the output.
# Usage: tests/crash.sh BIN [N]   (BIN: the release binary, build/kasikirja; N kills, default 30)
set -u
BIN=$(realpath "$1")
N=${2:-${CRASH_N:-30}}
tests=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$tests")
work=$(mktemp -d /tmp/kasikirja-crash-XXXXXX)
export XDG_CACHE_HOME="$work/xdg-cache" # the diagram cache: never the tester's own
trap 'rm -rf "$work"' EXIT
unset KASIKIRJA_TIMINGS
passed=0 failed=0
ok()   { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; }

E=(1767225600 1780272000)   # 2026-01-01 and 2026-06-01: two different, reproducible sites

# Every file with its hash, every folder and symlink: the whole folder, hidden files included.
manifest() {
  (cd "$1" && find . \( -type f -printf 'f %p\n' \) -o \( -type l -printf 'l %p -> %l\n' \) \
     -o \( -type d -printf 'd %p\n' \) | LC_ALL=C sort | while IFS= read -r e; do
       if [ "${e:0:1}" = f ]; then printf '%s %s\n' "$(sha256sum < "${e:2}" | cut -c1-64)" "${e:2}"; else printf '%s\n' "$e"; fi
     done) | sha256sum | cut -c1-64
}
staging() { find "$work" -maxdepth 1 -name '.public.tmp-*' | wc -l; }
now_ms() { date +%s%3N; }

src=$work/src
mkdir -p "$src"
cp -r "$repo/content" "$repo/layouts" "$repo/diagrams" "$repo/site.yaml" "$src/"
out=$work/public

# --- the two reference sites ---------------------------------------------------
for i in 0 1; do
  if SOURCE_DATE_EPOCH=${E[$i]} "$BIN" build --src "$src" --out "$work/ref$i" -q 2>"$work/ref.err"; then :; else
    fail "reference build $i"; cat "$work/ref.err"; exit 1; fi
  M[$i]=$(manifest "$work/ref$i")
done
[ "${M[0]}" != "${M[1]}" ] && ok "the two reference sites differ (so a kill can be placed)" || { fail "the two reference sites differ"; exit 1; }
SOURCE_DATE_EPOCH=${E[0]} "$BIN" build --src "$src" --out "$work/again" -q 2>/dev/null
[ "$(manifest "$work/again")" = "${M[0]}" ] && ok "a build is deterministic (same epoch, same manifest)" || { fail "a build is deterministic"; exit 1; }
rm -rf "$work/ref0" "$work/ref1" "$work/again"

# --- the typical build time: a build replacing a complete site ----------------------
SOURCE_DATE_EPOCH=${E[0]} "$BIN" build --src "$src" --out "$out" -q 2>/dev/null
cur=0
times=()
for r in 1 2 3 4 5; do
  nxt=$((1 - cur)); t0=$(now_ms)
  SOURCE_DATE_EPOCH=${E[$nxt]} "$BIN" build --src "$src" --out "$out" -q 2>/dev/null
  times+=($(( $(now_ms) - t0 ))); cur=$nxt
done
T=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)
# Every third kill starts without the diagram cache (Graphviz lays out every chart and the
# cache files are written), so kills also land while the cache is being filled.
ctimes=()
for r in 1 2 3; do
  nxt=$((1 - cur)); rm -rf "$XDG_CACHE_HOME"; t0=$(now_ms)
  SOURCE_DATE_EPOCH=${E[$nxt]} "$BIN" build --src "$src" --out "$out" -q 2>/dev/null
  ctimes+=($(( $(now_ms) - t0 ))); cur=$nxt
done
TC=$(printf '%s\n' "${ctimes[@]}" | sort -n | sed -n 2p)
echo "     typical build time: $T ms with the diagram cache (runs: ${times[*]}), $TC ms without (runs: ${ctimes[*]})"
[ "$(manifest "$out")" = "${M[$cur]}" ] && ok "the output holds a complete site before the kills" || { fail "the output holds a complete site"; exit 1; }

# --- the kills ---------------------------------------------------------------------
kept=0 replaced=0 finished=0 mixed=0 left=0
for k in $(seq 1 "$N"); do
  nxt=$((1 - cur))
  limit=$T cold=""
  if [ $((k % 3)) -eq 0 ]; then rm -rf "$XDG_CACHE_HOME"; limit=$TC; cold=", no diagram cache"; fi
  delay=$(( (RANDOM * 32768 + RANDOM) % (limit + 1) ))
  SOURCE_DATE_EPOCH=${E[$nxt]} "$BIN" build --src "$src" --out "$out" -q 2>/dev/null &
  pid=$!
  sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
  if kill -KILL "$pid" 2>/dev/null; then
    wait "$pid" 2>/dev/null; rc=$?
    done_early=0; [ $rc -ne 137 ] && done_early=1   # ended before the signal arrived
  else
    wait "$pid" 2>/dev/null; done_early=1
  fi
  s=$(staging); [ "$s" -gt 0 ] && left=$((left + 1))
  m=$(manifest "$out" 2>/dev/null)
  if [ "$m" = "${M[$cur]}" ]; then
    kept=$((kept + 1)); phase="old site kept"
  elif [ "$m" = "${M[$nxt]}" ]; then
    replaced=$((replaced + 1)); cur=$nxt; phase="new site in place"
    [ $done_early = 1 ] && { finished=$((finished + 1)); phase="new site in place (the build ended before the kill)"; }
  else
    mixed=$((mixed + 1)); phase="NEITHER the old nor the new site"
  fi
  if [ "$phase" = "NEITHER the old nor the new site" ]; then
    fail "kill $k at $delay ms$cold: $phase"
    (cd "$out" 2>/dev/null && find . -type f | wc -l) | sed 's/^/     files now: /'
    # Continue from a known state.
    SOURCE_DATE_EPOCH=${E[$cur]} "$BIN" build --src "$src" --out "$out" -q 2>/dev/null
  else
    ok "kill $k at $delay ms$cold: $phase ($s staging folders beside it)"
  fi
  if [ $((k % 5)) -eq 0 ]; then
    nxt=$((1 - cur))
    if SOURCE_DATE_EPOCH=${E[$nxt]} "$BIN" build --src "$src" --out "$out" -q 2>"$work/full.err"; then
      cur=$nxt
      [ "$(manifest "$out")" = "${M[$cur]}" ] && ok "after kill $k: a complete build gives exactly the new site" || fail "after kill $k: a complete build gives exactly the new site"
    else
      fail "after kill $k: a complete build succeeds"; cat "$work/full.err"
    fi
    [ "$(staging)" = 0 ] && ok "after kill $k: no .public.tmp-* folder left beside the output" \
      || { fail "after kill $k: no .public.tmp-* folder left beside the output"; ls -a "$work"; }
  fi
done

echo "     kills: $N; old site kept: $kept; new site in place: $replaced (of which $finished had already finished); mixed: $mixed"
echo "     kills that left a staging folder behind (removed by the next build): $left"
tmpsvg=$(find "$XDG_CACHE_HOME" -name '.tmp-svg-*' 2>/dev/null | wc -l)
echo "     half-written diagram cache files left in the diagram cache: $tmpsvg"
[ $mixed = 0 ] && ok "no kill left a mix of two sites" || fail "no kill left a mix of two sites ($mixed)"
echo "crash: $passed passed, $failed failed"
[ $failed -eq 0 ]
