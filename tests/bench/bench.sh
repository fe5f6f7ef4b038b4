#!/usr/bin/env bash
# Build-speed benchmark: kasikirja against Hugo on the same Markdown, in three site shapes and
# several sizes, with the outputs on a tmpfs and on the disk; optionally kasikirja on a
# model-heavy site and serve's rebuild times. Prints numbers and checks the goals of issue 20
# (met / not met); it never fails on a timing. Run by `make bench` (which builds build/kasikirja
# and installs Debian's hugo and time packages first). Settings come from the environment:
#
#   BENCH_SIZES="1000 10000 100000"      pages per site
#   BENCH_SHAPES="sections folders flat" sections: folders of 100 pages with an index page each
#                                        (grouped under 100 top-level parts above 100 folders);
#                                        folders: 20 folders of N/20 pages, no index pages;
#                                        flat: one folder of N pages (tests/bench/gen_site.py)
#   BENCH_RUNS=3                         timed runs of each build (the medians are reported)
#   BENCH_FS="tmpfs disk"                where the outputs go: /dev/shm/kasikirja-bench (tmpfs),
#                                        build/bench/out (the disk under build/)
#   BENCH_MODEL=0                        1: also the model-heavy site (BENCH_PARTIES=300 parties,
#                                        BENCH_FORUMS=400 forums; tests/bench/gen_model.sh), cold
#                                        and warm (a minute or two more)
#   BENCH_SERVE=0                        1: also serve's rebuild after a one-page change, on the
#                                        sections site of BENCH_SERVE_PAGES=10000 pages
#
# 1. build/bench/site-SHAPE-N/: the kasikirja site (gen_site.py; the built-in theme, no layouts/);
#    build/bench/hugo-SHAPE-N/: the same Markdown files as a Hugo site (gen_hugo.sh, layouts in
#    tests/bench/hugo/). Each is made again only when missing or when its stamp (shape, N and a
#    checksum of the generators) does not match.
# 2. One untimed build of each tool, which must succeed (its warnings are shown; page counts come
#    from it); it also warms the page cache.
# 3. On each file system, RUNS timed builds alternating kasikirja, Hugo, kasikirja, ..., each into
#    a fresh output folder (deleted and the file system synced outside the timed part; Hugo's
#    cache too). /usr/bin/time -f '%e %U %S %M': wall time, user+sys CPU time, peak RSS. After the
#    last run: the output's size (du -sb) per Markdown page, and the floor: the wall time of
#    `cp -r` of that finished output folder to a new folder on the same file system.
#    Hugo keeps every page in memory (about 240 KB a page here); when that would not fit in the
#    available memory (100,000 pages on a 24 GB machine), Hugo is left out, with a message.
# 4. A Markdown table of the medians, the ratios and the goals, on stdout and in
#    build/bench/result.md, with the machine, the versions and every run's numbers.
set -euo pipefail

SIZES=${BENCH_SIZES:-1000 10000 100000}
SHAPES=${BENCH_SHAPES:-sections folders flat}
RUNS=${BENCH_RUNS:-3}
FSES=${BENCH_FS:-tmpfs disk}
MODEL=${BENCH_MODEL:-0} PARTIES=${BENCH_PARTIES:-300} FORUMS=${BENCH_FORUMS:-400}
SERVE=${BENCH_SERVE:-0} SERVE_N=${BENCH_SERVE_PAGES:-10000}
for v in $SIZES "$RUNS" "$PARTIES" "$FORUMS" "$SERVE_N"; do
  [[ $v =~ ^[1-9][0-9]*$ ]] || { echo "bench.sh: '$v' is not a positive whole number" >&2; exit 2; }
done
for s in $SHAPES; do
  case $s in sections|folders|flat) ;; *) echo "bench.sh: unknown shape '$s' (sections, folders, flat)" >&2; exit 2;; esac
done
for f in $FSES; do
  case $f in tmpfs|disk) ;; *) echo "bench.sh: unknown file system '$f' (tmpfs, disk)" >&2; exit 2;; esac
done

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
KK=$root/build/kasikirja
B=$root/build/bench
for tool in "$KK" hugo /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { echo "bench.sh: $tool is missing (make bench installs it)" >&2; exit 1; }
done
mkdir -p "$B"
RESULT=$B/result.md ROWS=$B/rows.tsv
LOGS=$B/logs; rm -rf "$LOGS"; mkdir -p "$LOGS"; : > "$ROWS"
HUGO_CACHE=$B/hugo-cache
export XDG_CACHE_HOME=$B/xdg-cache # kasikirja's diagram cache, outside the sites

say() { printf '%s\n' "$*" >&2; }
die() { say "bench.sh: $*"; exit 1; }

# Where each file system's outputs go.
out_base() {
  case $1 in
    tmpfs) echo /dev/shm/kasikirja-bench ;;
    disk)  echo "$B/out" ;;
  esac
}
if [[ " $FSES " == *" tmpfs "* ]] && ! { [ -d /dev/shm ] && [ -w /dev/shm ]; }; then
  say "bench: no writable /dev/shm: leaving the tmpfs out"; FSES=${FSES//tmpfs/}
fi

# ------------------------------------------------------------------ corpora
# regenerate DIR STAMP CMD...: runs CMD (which makes DIR) unless DIR is there and DIR.stamp
# holds STAMP. Returns 0 when it made DIR.
regenerate() {
  local stampfile=$1.stamp stamp=$2; shift 2
  if [ -d "${stampfile%.stamp}" ] && [ "$(cat "$stampfile" 2>/dev/null)" = "$stamp" ]; then return 1; fi
  rm -f "$stampfile"
  "$@" || die "$* failed"
  printf '%s\n' "$stamp" > "$stampfile"
}
sum_of() { cat "$@" | md5sum | cut -c1-12; }
gen_sum=$(sum_of "$here/gen_site.py")
hugo_sum=$(sum_of "$here/gen_hugo.sh" $(find "$here/hugo" -type f | sort) $(find "$root/layouts/static" -type f | sort))

# make_sites SHAPE N: build/bench/site-SHAPE-N and hugo-SHAPE-N, when out of date.
make_sites() {
  local shape=$1 n=$2 kk=$B/site-$1-$2 hugo=$B/hugo-$1-$2 t0=$SECONDS
  if regenerate "$kk" "shape=$shape pages=$n gen=$gen_sum" python3 "$here/gen_site.py" "$shape" "$n" "$kk"; then
    say "bench: generated $n pages ($shape) into ${kk#$root/} in $((SECONDS - t0)) s"
    rm -f "$hugo.stamp"     # its content/ links to the files just replaced
  fi
  t0=$SECONDS
  if regenerate "$hugo" "shape=$shape pages=$n gen=$gen_sum hugo=$hugo_sum" bash "$here/gen_hugo.sh" "$kk" "$hugo"; then
    say "bench: generated the Hugo site ${hugo#$root/} in $((SECONDS - t0)) s"
  fi
}

# show_messages LOG WHAT: prints a build's warnings and errors (at most 10 lines) to stderr:
# kasikirja's "path:line:col: warning: ..." and Hugo's "WARN ..." / "ERROR ..." lines.
show_messages() {
  local re='^(WARN|ERROR) |: (warning|error): ' n
  n=$(grep -cE "$re" "$1" || true)
  if [ "$n" -gt 0 ]; then
    say "bench: $2 printed $n warning/error line(s), e.g.:"
    grep -E "$re" "$1" | head -10 | sed 's/^/    /' >&2
  fi
}

# measure NAME FRESH CMD...: runs FRESH, then CMD under /usr/bin/time, and appends
# "wall cpu rss_kib" to $LOGS/NAME.runs; CMD's output goes to $LOGS/NAME.<run>.log.
measure() {
  local name=$1 fresh=$2; shift 2
  touch "$LOGS/$name.runs"
  local k; k=$(( $(wc -l < "$LOGS/$name.runs") + 1 ))
  "$fresh"
  /usr/bin/time -f '%e %U %S %M' -o "$LOGS/$name.time" "$@" > "$LOGS/$name.$k.log" 2>&1 \
    || { cat "$LOGS/$name.$k.log" >&2; die "$name run $k failed"; }
  tail -n 1 "$LOGS/$name.time" | awk '{ printf "%.2f %.2f %d\n", $1, $2 + $3, $4 }' >> "$LOGS/$name.runs"
  printf '  %-28s run %d/%d: %s\n' "$name" "$k" "$RUNS" "$(tail -n 1 "$LOGS/$name.runs" \
    | awk '{ printf "wall %6.2f s  cpu %6.2f s  rss %7.1f MiB", $1, $2, $3 / 1024 }')" >&2
}
# median NAME COLUMN: the median of one column of $LOGS/NAME.runs (mean of the middle two if even).
median() {
  cut -d' ' -f"$2" "$LOGS/$1.runs" | sort -g | awk '{ v[NR] = $1 }
    END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# floor DIR: seconds that `cp -r DIR` to a new folder beside it takes (the file system synced first).
floor_of() {
  local t0 t1
  rm -rf "$1.copy"; sync -f "$(dirname "$1")"
  t0=$EPOCHREALTIME; cp -r "$1" "$1.copy"; t1=$EPOCHREALTIME
  rm -rf "$1.copy"
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }'
}

avail_kib=$(awk '/^MemAvailable/ { print $2 }' /proc/meminfo)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# ------------------------------------------------------------------ the builds
for N in $SIZES; do
  # Hugo keeps every page in memory: about 240 KB a page here (2.3 GB at 10,000 pages). Rather
  # than wake the OOM killer, leave Hugo out when that does not fit.
  hugo_skip=""
  if (( N * 240 > avail_kib )); then
    hugo_skip="Hugo would need about $(( N * 240 / 1048576 )) GiB of memory for $N pages; $(( avail_kib / 1048576 )) GiB are available"
    say "bench: leaving Hugo out at $N pages: $hugo_skip"
    printf '%s\n' "$N" >> "$LOGS/hugo-skipped"
  fi
  for shape in $SHAPES; do
    make_sites "$shape" "$N"
    KK_SITE=$B/site-$shape-$N HUGO_SITE=$B/hugo-$shape-$N
    checked=""
    for fs in $FSES; do
      OUT_BASE=$(out_base "$fs"); mkdir -p "$OUT_BASE"
      OUT_KK=$OUT_BASE/out-kk OUT_HUGO=$OUT_BASE/out-hugo
      KK_BUILD=("$KK" build --src "$KK_SITE" --out "$OUT_KK")
      HUGO_BUILD=(hugo --source "$HUGO_SITE" --destination "$OUT_HUGO" --cacheDir "$HUGO_CACHE")
      # Fresh output folders (and no Hugo cache or resources) before every run, outside the
      # timing; then sync, so that writing back the previous run's files is not billed to the next.
      fresh_kk()   { rm -rf "$OUT_KK"; sync -f "$OUT_BASE"; }
      fresh_hugo() { rm -rf "$OUT_HUGO" "$HUGO_CACHE" "$HUGO_SITE/resources" "$HUGO_SITE/.hugo_build.lock"; sync -f "$OUT_BASE"; }
      tag=$shape-$N-$fs

      if [ -z "$checked" ]; then   # untimed checks: each build must succeed; page counts come from here
        say "bench: $shape, $N pages: checking that both builds work (untimed) ..."
        fresh_kk
        "${KK_BUILD[@]}" > "$LOGS/kk-$shape-$N-check.log" 2>&1 \
          || { tail -n 30 "$LOGS/kk-$shape-$N-check.log" >&2; die "the kasikirja build of ${KK_SITE#$root/} failed"; }
        show_messages "$LOGS/kk-$shape-$N-check.log" kasikirja
        kk_pages=$(sed -nE 's/^kasikirja: built ([0-9]+) pages.*/\1/p' "$LOGS/kk-$shape-$N-check.log")
        say "bench: kasikirja made $kk_pages pages from $N Markdown pages"
        hugo_pages=-
        if [ -z "$hugo_skip" ]; then
          fresh_hugo
          "${HUGO_BUILD[@]}" > "$LOGS/hugo-$shape-$N-check.log" 2>&1 \
            || { tail -n 30 "$LOGS/hugo-$shape-$N-check.log" >&2; die "the Hugo build of ${HUGO_SITE#$root/} failed"; }
          show_messages "$LOGS/hugo-$shape-$N-check.log" Hugo
          hugo_pages=$(awk -F'|' '$1 ~ /^ *Pages *$/ { gsub(/ /, "", $2); print $2 }' "$LOGS/hugo-$shape-$N-check.log")
          [ -n "$hugo_pages" ] || die "no page count in Hugo's output ($LOGS/hugo-$shape-$N-check.log)"
          say "bench: Hugo made $hugo_pages pages from the same files"
        fi
        checked=1
      fi

      say "bench: $shape, $N pages, $fs: $RUNS timed runs each, alternating ..."
      for ((r = 1; r <= RUNS; r++)); do
        measure "kasikirja-$tag" fresh_kk "${KK_BUILD[@]}" -q
        [ -n "$hugo_skip" ] || measure "hugo-$tag" fresh_hugo "${HUGO_BUILD[@]}" --quiet
      done
      # The last run's output: its size per Markdown page, and the floor (cp -r of it).
      for tool in kasikirja hugo; do
        [ "$tool" = kasikirja ] || [ -z "$hugo_skip" ] || continue
        out=$OUT_KK pages=$kk_pages; [ "$tool" = kasikirja ] || { out=$OUT_HUGO pages=$hugo_pages; }
        bytes=$(du -sb "$out" | cut -f1)
        fl=$(floor_of "$out")
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$shape" "$N" "$fs" "$tool" "$pages" \
          "$(median "$tool-$tag" 1)" "$(median "$tool-$tag" 2)" "$(median "$tool-$tag" 3)" \
          "$((bytes / N))" "$fl" >> "$ROWS"
      done
      rm -rf "$OUT_KK" "$OUT_HUGO" "$HUGO_CACHE"
    done
  done
done

# ------------------------------------------------------------------ model site, serve (optional)
if [ "$MODEL" = 1 ]; then
  MODEL_SITE=$B/model-$PARTIES-$FORUMS
  model_stamp="parties=$PARTIES forums=$FORUMS gen=$(sum_of "$here/gen_model.sh" "$root/content/data/lait.yaml" \
    $(find "$root/layouts" -type f | sort))"
  if regenerate "$MODEL_SITE" "$model_stamp" bash "$here/gen_model.sh" "$PARTIES" "$FORUMS" "$MODEL_SITE"; then
    say "bench: generated the model site ${MODEL_SITE#$root/} ($PARTIES parties, $FORUMS forums)"
  fi
  OUT_MODEL=$(out_base "${FSES%% *}")/out-model; mkdir -p "$(dirname "$OUT_MODEL")"
  MODEL_BUILD=("$KK" build --src "$MODEL_SITE" --out "$OUT_MODEL")   # not -q: its summary line counts diagrams
  fresh_cold() { rm -rf "$OUT_MODEL" "$XDG_CACHE_HOME"; sync -f "$(dirname "$OUT_MODEL")"; }
  fresh_warm() { rm -rf "$OUT_MODEL"; sync -f "$(dirname "$OUT_MODEL")"; }
  "$KK" check --src "$MODEL_SITE" > "$LOGS/model-check.log" 2>&1 \
    || { cat "$LOGS/model-check.log" >&2; die "kasikirja check of the model site found errors"; }
  show_messages "$LOGS/model-check.log" "kasikirja check (model site)"
  say "bench: model site: $RUNS cold and $RUNS warm builds ..."
  for ((r = 1; r <= RUNS; r++)); do
    measure model-cold fresh_cold "${MODEL_BUILD[@]}"
    measure model-warm fresh_warm "${MODEL_BUILD[@]}"
  done
  rm -rf "$OUT_MODEL"
fi

if [ "$SERVE" = 1 ]; then
  # kasikirja serve on a copy of the sections site: RUNS editor-style saves (new text written to
  # a temporary file, renamed over the page) that change one page's text, and RUNS saves that
  # change nothing; the build time of each comes from serve's own line ("... in N ms").
  make_sites sections "$SERVE_N"
  say "bench: serve, $SERVE_N pages: $RUNS one-page text changes and $RUNS unchanged saves ..."
  SERVE_SITE=$(out_base "${FSES%% *}")/serve-site; mkdir -p "$(dirname "$SERVE_SITE")"
  rm -rf "$SERVE_SITE"; cp -r "$B/site-sections-$SERVE_N" "$SERVE_SITE"; rm -rf "$SERVE_SITE/public"
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "$KK" serve --src "$SERVE_SITE" --port "$port" >"$LOGS/serve.out" 2>"$LOGS/serve.err" &
  serve_pid=$!
  for _ in $(seq 1 600); do grep -q '^kasikirja: serving' "$LOGS/serve.out" && break; sleep 0.5; done
  page=$(find "$SERVE_SITE/content" -name 'sivu-*.md' | sort | sed -n 1p)
  save() { cp "$1" "$SERVE_SITE/.bench.tmp"; mv "$SERVE_SITE/.bench.tmp" "$page"; }
  for i in $(seq 1 "$RUNS"); do
    { cat "$page"; printf '\nMuutos %s.\n' "$i"; } >"$LOGS/page.md"
    save "$LOGS/page.md"; sleep 1
    cp "$page" "$LOGS/same.md"; save "$LOGS/same.md"; sleep 1
  done
  kill -INT "$serve_pid"; wait "$serve_pid" || true
  rm -rf "$SERVE_SITE"
  serve_ms() { grep -E "^kasikirja: 1 change .* -> rebuilt $1 of " "$LOGS/serve.out" | sed -E 's/.* in ([0-9]+) ms.*/\1/' | sort -n | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)]; else print "-" }'; }
  serve_changed=$(serve_ms '[1-9][0-9]*') serve_same=$(serve_ms 0)
fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# ------------------------------------------------------------------ the report
kk_version=$("$KK" --version) hugo_version=$(hugo version)
cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
fs_type() { findmnt -no FSTYPE -T "$1" 2>/dev/null | head -n 1 || stat -f -c %T "$1"; }

{
  echo "# kasikirja build benchmark"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) cores ($cpu_model), $mem RAM"
  echo "- \`$kk_version\`; \`$hugo_version\`"
  echo "- $RUNS run(s) of each, alternating, fresh output folder each; medians"
  echo "- load average (1, 5, 15 min) before: $load_before; after: $load_after"
  for fs in $FSES; do
    echo "- fs $fs: outputs in $(out_base "$fs") ($(fs_type "$(out_base "$fs")" || echo ?))"
  done
  echo "- corpus: ~4 KB Markdown pages (tests/bench/gen_site.py); shapes: sections = folders of 100"
  echo "  pages with an index page each, folders = 20 folders of N/20 pages without index pages,"
  echo "  flat = one folder of N pages. Hugo builds the same files (tests/bench/gen_hugo.sh) with a"
  echo "  section menu and a window of ~20 siblings (tests/bench/hugo/). kasikirja also writes its"
  echo "  search index (hakuhakemisto/); neither makes a whole-site booklet."
  echo "- wall, CPU (user+sys), peak RSS: /usr/bin/time; bytes/page: du -sb of the output / Markdown"
  echo "  pages; floor: wall time of cp -r of the finished output on the same file system;"
  echo "  kk/Hugo: kasikirja's wall and peak divided by Hugo's (goal ≤ 0.2×)"
  echo
  echo "| shape | pages | fs | tool | wall s | CPU s | peak MiB | bytes/page | wall kk/Hugo | peak kk/Hugo | floor s | wall/floor |"
  echo "|---|--:|---|---|--:|--:|--:|--:|--:|--:|--:|--:|"
  awk -F'\t' '
    function r(a, b) { return b > 0 ? sprintf("%.2f×", a / b) : "–" }
    { key = $1 SUBSEP $2 SUBSEP $3; row[NR] = $0; if ($4 == "hugo") { hw[key] = $6; hr[key] = $8 } }
    END {
      for (i = 1; i <= NR; i++) {
        split(row[i], f, "\t"); key = f[1] SUBSEP f[2] SUBSEP f[3]
        wr = ""; pr = ""
        if (f[4] == "kasikirja") {
          if (key in hw) { wr = "**" r(f[6], hw[key]) "**"; pr = "**" r(f[8], hr[key]) "**" }
          else { wr = "no Hugo"; pr = "no Hugo" }
        }
        printf "| %s | %d | %s | %s | %.2f | %.2f | %.1f | %d | %s | %s | %.2f | %s |\n",
          f[1], f[2], f[3], f[4], f[6], f[7], f[8] / 1024, f[9], wr, pr, f[10], r(f[6], f[10])
      }
    }' "$ROWS"
  if [ -s "$LOGS/hugo-skipped" ]; then
    echo
    echo "Hugo left out at $(paste -sd, "$LOGS/hugo-skipped") pages: about 240 KB of memory a page would not fit in the $(( avail_kib / 1048576 )) GiB available."
  fi
  echo
  echo "Goals (issue 20):"
  echo
  # At 10,000 pages on every shape and file system: wall ≤ 0.2× Hugo's, peak ≤ 0.2× Hugo's, output
  # ≤ 40 KB (40,000 bytes) a page; 100,000 pages in one flat folder in under 15 s.
  awk -F'\t' -v shapes="$SHAPES" -v fses="$FSES" '
    function verdict(ok) { return ok ? "**met**" : "**not met**" }
    { key = $1 SUBSEP $2 SUBSEP $3; if ($4 == "hugo") { hw[key] = $6; hr[key] = $8 } else { kw[key] = $6; kr[key] = $8; kb[key] = $9 } }
    END {
      ns = split(shapes, S, " "); nf = split(fses, F, " ")
      for (i = 1; i <= ns; i++) for (j = 1; j <= nf; j++) {
        key = S[i] SUBSEP 10000 SUBSEP F[j]; what = "10,000 pages, " S[i] ", " F[j]
        if (!(key in kw)) { printf "- %s: not measured\n", what; continue }
        if (key in hw) {
          printf "- %s: wall %.2f× Hugo (≤ 0.2×) %s; peak %.2f× Hugo (≤ 0.2×) %s\n", what,
            kw[key] / hw[key], verdict(kw[key] <= 0.2 * hw[key]), kr[key] / hr[key], verdict(kr[key] <= 0.2 * hr[key])
        } else printf "- %s: wall, peak against Hugo: not measured (no Hugo)\n", what
        printf "- %s: output %d bytes/page (≤ 40,000) %s\n", what, kb[key], verdict(kb[key] <= 40000)
      }
      for (j = 1; j <= nf; j++) {
        key = "flat" SUBSEP 100000 SUBSEP F[j]; what = "100,000 pages, flat, " F[j]
        if (key in kw) printf "- %s: wall %.2f s (< 15 s) %s\n", what, kw[key], verdict(kw[key] < 15)
        else printf "- %s: not measured\n", what
      }
    }' "$ROWS"
  if [ "$MODEL" = 1 ]; then
    model_counts() {
      grep -h '^kasikirja: built' "$LOGS/$1".*.log | tail -n 1 \
        | sed -E 's/^kasikirja: built ([0-9]+) pages, ([0-9]+) diagrams \(([0-9]+) laid out, ([0-9]+) from cache\).*/\1 \2 \3 \4/'
    }
    read -r cold_pages cold_diagrams cold_laid _ <<<"$(model_counts model-cold)"
    read -r warm_pages warm_diagrams warm_laid warm_cached <<<"$(model_counts model-warm)"
    mrow() { printf '| %s | %s | %.2f | %.2f | %.1f |\n' "$1" "$2" "$(median "$3" 1)" "$(median "$3" 2)" \
      "$(awk -v k="$(median "$3" 3)" 'BEGIN { print k / 1024 }')"; }
    echo
    echo "Model-heavy site ($PARTIES parties, $FORUMS forums in 4 models, tests/bench/gen_model.sh; outputs on ${FSES%% *}):"
    echo
    echo "| build | pages | wall s | CPU s | peak MiB |"
    echo "|---|--:|--:|--:|--:|"
    mrow "cold: $cold_diagrams diagrams, $cold_laid laid out" "$cold_pages" model-cold
    mrow "warm: $warm_diagrams diagrams, $warm_laid laid out, $warm_cached from cache" "$warm_pages" model-warm
  fi
  if [ "$SERVE" = 1 ]; then
    echo
    echo "Serve, $SERVE_N pages (sections): a save that changes one page's text rebuilds in $serve_changed ms"
    echo "(median of $RUNS); a save that changes nothing in $serve_same ms (serve's own timing; the 50 ms"
    echo "debounce comes on top)."
  fi
  echo
  echo "Every run (wall s, CPU s, peak RSS KiB):"
  echo
  for f in "$LOGS"/*.runs; do
    name=$(basename "$f" .runs)
    printf -- '- %s: %s\n' "$name" "$(awk '{ printf "%s(%s %s %s)", (NR > 1 ? ", " : ""), $1, $2, $3 }' "$f")"
  done
} > "$RESULT"

echo
cat "$RESULT"
say ""
say "bench: written to ${RESULT#$root/}; build logs in ${LOGS#$root/}/"
