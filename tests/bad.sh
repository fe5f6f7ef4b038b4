#!/usr/bin/env bash
# Hostile-input corpus: every case under tests/fixtures/bad/<case>/ is a small site that
# must fail cleanly (exit 1, exactly the diagnostics in expected-stderr, the previous
# output untouched byte for byte, no staging folder left), or, with a file expect-ok,
# must build (exit 0, the files it lists exist).
#
# A case folder holds:
#   base            optional: what the site starts from, words of
#                     good     tests/fixtures/good/site
#                     model    tests/fixtures/model (the structure-model data)
#                     layouts  the repo's layouts/ (copied, never committed twice)
#   site/           the case's own files, copied over the base
#   good/           optional: overlay that makes the site good again (for the previous output)
#   setup           optional: bash run inside the copied bad site (generated inputs: huge or
#                   deep files, symlinks, CRLF, BOM, deletions); the site before setup is good
#   expected-stderr the exact diagnostics (UPDATE=1 rewrites them, except for known cases)
#   expect-ok       the build must succeed; one output file per line that must exist
#   check           optional: bash sourced after the build for case-specific checks
#                   ($out, $site, $prev (a copy of the previous output), $prev_manifest,
#                   $cwork; `extra NAME COMMAND...`, `manifest DIR`)
#   timeout         optional: seconds the build may take (default 300)
#   env             optional: NAME=VALUE lines set for the bad build alone, so that the limit
#                   a case is about is the one that fires on any machine (a hook's memory
#                   budget small, its watchdog far away; a watchdog case's own short watchdog)
# The previous output is built from the case's site with good/ over it (or, for a case with
# a setup script, from the site before setup); a case with neither gets the good fixture's
# output. tests/fixtures/bad/KNOWN-FAILING lists cases that show a generator bug: their
# expectation is what is right, a failure is reported as "known", and a known case that
# passes is an error (remove it from the list).
# Usage: tests/bad.sh BIN [CASE...]   (UPDATE=1 rewrites expected-stderr of cases not known)
set -u
BIN=$(realpath "$1")
shift
tests=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$tests")
corpus=$tests/fixtures/bad
export SOURCE_DATE_EPOCH=1767225600   # 2026-01-01, for reproducible output
unset KASIKIRJA_HOOK_SECONDS KASIKIRJA_HOOK_MEMORY_MB KASIKIRJA_HOOK_INSTRUCTIONS
# Sanitizer reports must not look like the exit status 1 of a failed build.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=86"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}exitcode=86:print_stacktrace=1"
unset KASIKIRJA_TIMINGS
work=$(mktemp -d /tmp/kasikirja-bad-XXXXXX)
export XDG_CACHE_HOME="$work/xdg-cache" # the diagram cache: never the tester's own
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

passed=0 failed=0 known=0 ncases=0
declare -A reason=()
while IFS= read -r line; do
  [[ $line =~ ^[[:space:]]*(#|$) ]] && continue
  name=${line%%[[:space:]]*}
  rest=${line#"$name"}
  reason[$name]=${rest#"${rest%%[![:space:]]*}"}
done < <(cat "$corpus/KNOWN-FAILING" 2>/dev/null)

# A checksum list of a whole folder: every file with its hash, every symlink with its
# target, every folder (so an added empty folder shows too).
manifest() {
  (cd "$1" 2>/dev/null && find . \( -type f -printf 'f %p\n' \) -o \( -type l -printf 'l %p -> %l\n' \) \
     -o \( -type d -printf 'd %p\n' \) | LC_ALL=C sort | while IFS= read -r e; do
       if [ "${e:0:1}" = f ]; then printf '%s %s\n' "$(sha256sum < "${e:2}" | cut -c1-64)" "${e:2}"; else printf '%s\n' "$e"; fi
     done)
}

# Copies the site of case $1 into $2: base, site/, then (when $3 = good) the good/ overlay.
make_site() {
  local c=$1 dst=$2 which=$3 w
  mkdir -p "$dst"
  for w in $(cat "$corpus/$c/base" 2>/dev/null); do
    case $w in
      good)    cp -r "$tests/fixtures/good/site/." "$dst/" ;;
      model)   cp -r "$tests/fixtures/model/." "$dst/" ;;
      layouts) cp -r "$repo/layouts" "$dst/" ;;
      *) echo "bad.sh: $c/base: unknown word '$w'" >&2; return 1 ;;
    esac
  done
  [ -d "$corpus/$c/site" ] && cp -r "$corpus/$c/site/." "$dst/"
  if [ "$which" = good ] && [ -d "$corpus/$c/good" ]; then cp -r "$corpus/$c/good/." "$dst/"; fi
  return 0
}

for dir in "$corpus"/*/; do
  dir=${dir%/}
  c=$(basename "$dir")
  if [ $# -gt 0 ]; then
    want=0; for a in "$@"; do [ "$a" = "$c" ] && want=1; done
    [ $want = 1 ] || continue
  fi
  ncases=$((ncases + 1))
  cwork=$work/$c
  mkdir -p "$cwork"
  out=$cwork/public
  site=$cwork/site
  fails=()
  check() { # name, then a command that must succeed
    local name=$1; shift
    if "$@"; then echo "ok   $c: $name"; passed=$((passed + 1)); else fails+=("$name"); fi
  }
  extra() { check "$@"; }

  # The previous output: a good build into the output folder.
  if [ -d "$dir/good" ] || [ -f "$dir/setup" ]; then
    make_site "$c" "$cwork/good-site" good
  else
    cp -r "$tests/fixtures/good/site" "$cwork/good-site"
  fi
  if ! "$BIN" build --src "$cwork/good-site" --out "$out" -q >/dev/null 2>"$cwork/good.err"; then
    echo "FAIL $c: the good copy does not build:"; cat "$cwork/good.err"
    failed=$((failed + 1)); continue
  fi
  prev_manifest=$cwork/prev.manifest
  manifest "$out" > "$prev_manifest"
  prev=$cwork/prev   # a copy of the previous output, for case checks
  cp -a "$out" "$prev"

  # The bad site, built over it.
  make_site "$c" "$site" bad
  if [ -f "$dir/setup" ] && ! (cd "$site" && REPO=$repo bash "$dir/setup"); then
    echo "FAIL $c: setup failed"; failed=$((failed + 1)); continue
  fi
  limit=$(cat "$dir/timeout" 2>/dev/null || echo 300)
  envs=()
  if [ -f "$dir/env" ]; then mapfile -t envs < <(grep -v '^[[:space:]]*\(#\|$\)' "$dir/env"); fi
  env "${envs[@]}" timeout -k 5 "$limit" "$BIN" build --src "$site" --out "$out" >"$cwork/stdout" 2>"$cwork/stderr"
  rc=$?
  if [ "${UPDATE:-}" = 1 ] && [ -z "${reason[$c]+x}" ]; then cp "$cwork/stderr" "$dir/expected-stderr"; fi

  check "no sanitizer report" eval '! grep -Eq "Sanitizer|runtime error:" "$cwork/stderr"'
  if [ -f "$dir/expect-ok" ]; then
    check "exit 0 (got $rc)" test $rc -eq 0
    while IFS= read -r f; do
      [ -n "$f" ] && check "writes $f" test -e "$out/$f"
    done < "$dir/expect-ok"
  else
    check "exit 1 (got $rc)" test $rc -eq 1
    check "previous output untouched" eval 'manifest "$out" | cmp -s - "$prev_manifest"'
  fi
  if diff -u "$dir/expected-stderr" "$cwork/stderr" >"$cwork/diff" 2>&1; then
    check "diagnostics" true
  else
    check "diagnostics" false
  fi
  check "no staging folder left" eval '[ -z "$(find "$cwork" -maxdepth 1 -name ".public.tmp-*")" ]'
  [ -f "$dir/check" ] && source "$dir/check"

  if [ -n "${reason[$c]+x}" ]; then
    if [ ${#fails[@]} -gt 0 ]; then
      known=$((known + 1))
      echo "known $c: ${reason[$c]} (failing: $(IFS=,; echo "${fails[*]}"))"
    else
      failed=$((failed + 1))
      echo "FAIL $c: passes, but KNOWN-FAILING lists it: remove it from the list"
    fi
  else
    for f in "${fails[@]}"; do echo "FAIL $c: $f"; failed=$((failed + 1)); done
    for f in "${fails[@]}"; do
      if [ "$f" = diagnostics ]; then cat "$cwork/diff"; fi
    done
  fi
done

[ "${UPDATE:-}" = 1 ] && echo "expected-stderr rewritten for the cases not in KNOWN-FAILING: review them with git diff"
echo "bad: $ncases cases; $passed checks passed, $failed failed, $known cases known to fail (tests/fixtures/bad/KNOWN-FAILING)"
[ $failed -eq 0 ]
