#!/usr/bin/env bash
# Build-speed benchmark: kasikirja against Hugo on the same Markdown, and kasikirja on a
# model-heavy site. Prints numbers only; nothing here asserts a timing. Run by `make bench`
# (which builds build/kasikirja and installs Debian's hugo and time packages first).
#
#   Usage: tests/bench/bench.sh [PAGES [RUNS [PARTIES [FORUMS]]]]    (10000 5 300 400)
#   BENCH_OUT=DIR (optional) puts the three output folders under DIR instead of the default,
#   /dev/shm/kasikirja-bench (a tmpfs, which takes a slow disk's file creation out of the
#   numbers) when there is one, else build/bench.
#
# 1. build/bench/kasikirja-N/: N synthetic pages (tests/bench/gen_site.sh), 100 per section.
#    build/bench/hugo-N/:      the same Markdown files as a Hugo site (tests/bench/gen_hugo.sh).
#    build/bench/model-P-F/:   P parties and F forums in four models (tests/bench/gen_model.sh).
#    Each is made again only when missing or when its stamp file (N or P-F and a checksum of
#    the generator) does not match.
# 2. One untimed build of each, which must succeed; it also warms the page cache. Its messages
#    (Hugo's warnings, kasikirja's diagnostics) are shown, and the page counts are taken from it.
# 3. RUNS timed builds of each, alternating kasikirja, Hugo, kasikirja, Hugo, ..., each into a
#    fresh output folder (deleted, and the file system synced, outside the timed part; Hugo's
#    cache folder and resources/ too). The model site alternates cold (no diagram cache:
#    Graphviz lays out every diagram) and warm (cache kept) builds. /usr/bin/time -f
#    '%e %U %S %M' measures wall time, user and system CPU time and peak RSS of each build.
#    Hugo keeps every page in memory (about 240 KB a page here); when that would not fit in the
#    available memory (100,000 pages on a 24 GB machine), Hugo is left out, with a message.
# 4. The medians, and the ratios Hugo / kasikirja, as a Markdown table on stdout and in
#    build/bench/result-N.md, with the machine, the versions and every run's numbers.
set -euo pipefail

N=${1:-10000} RUNS=${2:-5} PARTIES=${3:-300} FORUMS=${4:-400}
for v in "$N" "$RUNS" "$PARTIES" "$FORUMS"; do
  [[ $v =~ ^[1-9][0-9]*$ ]] || { echo "bench.sh: '$v' is not a positive whole number" >&2; exit 2; }
done

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
KK=$root/build/kasikirja
B=$root/build/bench
for tool in "$KK" hugo /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench.sh: $tool is missing (make bench installs it)" >&2; exit 1; }
done
mkdir -p "$B"

KK_SITE=$B/kasikirja-$N HUGO_SITE=$B/hugo-$N MODEL_SITE=$B/model-$PARTIES-$FORUMS
# Outputs go to a tmpfs when there is one: the numbers are then the generators' own work, not
# this machine's file creation (on its ext4, creating the 20,000 files and folders of a
# 10,000-page site costs both tools several seconds of system time, varying from run to run).
# BENCH_OUT=build/bench measures on the disk instead.
default_out=$B
[ -d /dev/shm ] && [ -w /dev/shm ] && default_out=/dev/shm/kasikirja-bench
OUT_BASE=${BENCH_OUT:-$default_out}
mkdir -p "$OUT_BASE"; OUT_BASE=$(cd "$OUT_BASE" && pwd)
OUT_KK=$OUT_BASE/out-kk OUT_HUGO=$OUT_BASE/out-hugo OUT_MODEL=$OUT_BASE/out-model HUGO_CACHE=$B/hugo-cache
export XDG_CACHE_HOME=$OUT_BASE/xdg-cache # kasikirja's diagram cache, outside the sites
RESULT=$B/result-$N.md
LOGS=$B/logs; rm -rf "$LOGS"; mkdir -p "$LOGS"

say() { printf '%s\n' "$*" >&2; }
die() { say "bench.sh: $*"; exit 1; }

# ------------------------------------------------------------------ corpora
# regenerate DIR STAMP CMD...: runs CMD (which makes DIR) unless DIR is there and DIR.stamp
# holds STAMP.
regenerate() {
  local stampfile=$1.stamp stamp=$2; shift 2
  if [ -d "${stampfile%.stamp}" ] && [ "$(cat "$stampfile" 2>/dev/null)" = "$stamp" ]; then return 1; fi
  rm -f "$stampfile"
  "$@" || die "$* failed"
  printf '%s\n' "$stamp" > "$stampfile"
}
sum_of() { cat "$@" | md5sum | cut -c1-12; }

kk_stamp="pages=$N gen=$(sum_of "$here/gen_site.sh" "$root"/layouts/*.mustache)"
hugo_stamp="$kk_stamp hugo=$(sum_of "$here/gen_hugo.sh" $(find "$here/hugo" -type f | sort))"
model_stamp="parties=$PARTIES forums=$FORUMS gen=$(sum_of "$here/gen_model.sh" "$root/content/data/lait.yaml" \
  $(find "$root/layouts" -type f | sort))"

t0=$SECONDS
if regenerate "$KK_SITE" "$kk_stamp" bash "$here/gen_site.sh" "$N" "$KK_SITE"; then
  say "bench: generated $N pages into ${KK_SITE#$root/} in $((SECONDS - t0)) s"
  rm -f "$HUGO_SITE.stamp"     # its content/ links to the files just replaced
fi
t0=$SECONDS
if regenerate "$HUGO_SITE" "$hugo_stamp" bash "$here/gen_hugo.sh" "$KK_SITE" "$HUGO_SITE"; then
  say "bench: generated the Hugo site ${HUGO_SITE#$root/} in $((SECONDS - t0)) s"
fi
if regenerate "$MODEL_SITE" "$model_stamp" bash "$here/gen_model.sh" "$PARTIES" "$FORUMS" "$MODEL_SITE"; then
  say "bench: generated the model site ${MODEL_SITE#$root/} ($PARTIES parties, $FORUMS forums)"
fi

# ------------------------------------------------------------------ the builds
KK_BUILD=("$KK" build --src "$KK_SITE" --out "$OUT_KK")
HUGO_BUILD=(hugo --source "$HUGO_SITE" --destination "$OUT_HUGO" --cacheDir "$HUGO_CACHE")
MODEL_BUILD=("$KK" build --src "$MODEL_SITE" --out "$OUT_MODEL")   # not -q: its summary line counts diagrams
# Fresh output folders (and no Hugo cache or resources) before every run, outside the timing;
# then sync, so that writing back the previous run's files is not billed to the next one.
fresh_kk()    { rm -rf "$OUT_KK"; sync -f "$OUT_BASE"; }
fresh_hugo()  { rm -rf "$OUT_HUGO" "$HUGO_CACHE" "$HUGO_SITE/resources" "$HUGO_SITE/.hugo_build.lock"; sync -f "$OUT_BASE"; }
fresh_cold()  { rm -rf "$OUT_MODEL" "$XDG_CACHE_HOME"; sync -f "$OUT_BASE"; }
fresh_warm()  { rm -rf "$OUT_MODEL"; sync -f "$OUT_BASE"; }

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

# Hugo keeps every page in memory: about 240 KB a page here (2.3 GB at 10,000 pages). Rather
# than wake the OOM killer, leave Hugo out when that does not fit.
avail_kib=$(awk '/^MemAvailable/ { print $2 }' /proc/meminfo)
hugo_skip=""
if (( N * 240 > avail_kib )); then
  hugo_skip="Hugo would need about $(( N * 240 / 1048576 )) GiB of memory for $N pages; $(( avail_kib / 1048576 )) GiB are available"
  say "bench: leaving Hugo out: $hugo_skip"
fi

# --- untimed checks: each build must succeed; page counts come from here.
say "bench: checking that every build works (untimed) ..."
fresh_kk
"${KK_BUILD[@]}" > "$LOGS/kk-check.log" 2>&1 || { cat "$LOGS/kk-check.log" >&2; die "the kasikirja build failed"; }
show_messages "$LOGS/kk-check.log" kasikirja
kk_line=$(grep '^kasikirja: built' "$LOGS/kk-check.log")
kk_pages=$(sed -E 's/^kasikirja: built ([0-9]+) pages.*/\1/' <<<"$kk_line")

kk_html=$(find "$OUT_KK" -name '*.html' | wc -l)
say "bench: kasikirja made $kk_pages pages ($kk_html .html files) from $N Markdown pages"

if [ -z "$hugo_skip" ]; then
  fresh_hugo
  "${HUGO_BUILD[@]}" > "$LOGS/hugo-check.log" 2>&1 || { cat "$LOGS/hugo-check.log" >&2; die "the Hugo build failed"; }
  show_messages "$LOGS/hugo-check.log" Hugo
  hugo_pages=$(awk -F'|' '$1 ~ /^ *Pages *$/ { gsub(/ /, "", $2); print $2 }' "$LOGS/hugo-check.log")
  [ -n "$hugo_pages" ] || die "no page count in Hugo's output ($LOGS/hugo-check.log)"
  hugo_html=$(find "$OUT_HUGO" -name '*.html' | wc -l)
  say "bench: Hugo made $hugo_pages pages ($hugo_html .html files) from the same files"
fi

"$KK" check --src "$MODEL_SITE" > "$LOGS/model-check.log" 2>&1 \
  || { cat "$LOGS/model-check.log" >&2; die "kasikirja check of the model site found errors"; }
show_messages "$LOGS/model-check.log" "kasikirja check (model site)"

# --- timed runs. measure NAME FRESH CMD...: runs FRESH, then CMD under /usr/bin/time, and appends
# "wall cpu rss_kib" to $LOGS/NAME.runs; CMD's output goes to $LOGS/NAME.<run>.log.
measure() {
  local name=$1 fresh=$2; shift 2
  touch "$LOGS/$name.runs"
  local k; k=$(( $(wc -l < "$LOGS/$name.runs") + 1 ))
  "$fresh"
  /usr/bin/time -f '%e %U %S %M' -o "$LOGS/$name.time" "$@" > "$LOGS/$name.$k.log" 2>&1 \
    || { cat "$LOGS/$name.$k.log" >&2; die "$name run $k failed"; }
  tail -n 1 "$LOGS/$name.time" | awk '{ printf "%.2f %.2f %d\n", $1, $2 + $3, $4 }' >> "$LOGS/$name.runs"
  printf '  %-11s run %d/%d: %s\n' "$name" "$k" "$RUNS" "$(tail -n 1 "$LOGS/$name.runs" \
    | awk '{ printf "wall %6.2f s  cpu %6.2f s  rss %7.1f MiB", $1, $2, $3 / 1024 }')" >&2
}

say "bench: $RUNS timed runs each, alternating (wall time, user+sys CPU time, peak RSS) ..."
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for ((r = 1; r <= RUNS; r++)); do
  measure kasikirja fresh_kk   "${KK_BUILD[@]}" -q
  [ -n "$hugo_skip" ] || measure hugo fresh_hugo "${HUGO_BUILD[@]}" --quiet
done
for ((r = 1; r <= RUNS; r++)); do
  measure model-cold fresh_cold "${MODEL_BUILD[@]}"
  measure model-warm fresh_warm "${MODEL_BUILD[@]}"
done

load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# ------------------------------------------------------------------ serve
# kasikirja serve on a copy of the corpus: RUNS editor-style saves (new text written to a
# temporary file, renamed over the page) that change one page's text, and RUNS saves that change
# nothing; the build time of each comes from serve's own line ("... in N ms").
say "bench: serve: $RUNS one-page text changes and $RUNS unchanged saves ..."
SERVE_SITE=$OUT_BASE/serve-site
rm -rf "$SERVE_SITE"; cp -r "$KK_SITE" "$SERVE_SITE"; rm -rf "$SERVE_SITE/public" "$XDG_CACHE_HOME"
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

# ------------------------------------------------------------------ the report
# median NAME COLUMN: the median of one column of $LOGS/NAME.runs (mean of the middle two if even).
median() {
  cut -d' ' -f"$2" "$LOGS/$1.runs" | sort -g | awk '{ v[NR] = $1 }
    END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
names="kasikirja $([ -n "$hugo_skip" ] || echo hugo) model-cold model-warm"
for name in $names; do
  key=${name//-/_}
  printf -v "wall_$key" '%.2f' "$(median "$name" 1)"
  printf -v "cpu_$key" '%.2f' "$(median "$name" 2)"
  printf -v "rss_$key" '%.1f' "$(awk -v k="$(median "$name" 3)" 'BEGIN { print k / 1024 }')"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f×", a / b; else print "–" }'; }

# The model builds' own summary lines: "built N pages, M diagrams (L laid out, H from cache)".
model_counts() {
  grep -h '^kasikirja: built' "$LOGS/$1".*.log | tail -n 1 \
    | sed -E 's/^kasikirja: built ([0-9]+) pages, ([0-9]+) diagrams \(([0-9]+) laid out, ([0-9]+) from cache\).*/\1 \2 \3 \4/'
}
read -r cold_pages cold_diagrams cold_laid cold_cached <<<"$(model_counts model-cold)"
read -r warm_pages warm_diagrams warm_laid warm_cached <<<"$(model_counts model-warm)"

kk_version=$("$KK" --version) hugo_version=$(hugo version)
cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)

{
  echo "# kasikirja build benchmark, $N pages"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) cores ($cpu_model), $mem RAM"
  echo "- \`$kk_version\`; \`$hugo_version\`"
  echo "- $RUNS runs of each, alternating, fresh output folder each; medians; RSS is the peak resident set"
  echo "- load average (1, 5, 15 min) before the timed runs: $load_before; after: $load_after"
  echo "- output folders under $OUT_BASE ($(findmnt -no FSTYPE -T "$OUT_BASE" 2>/dev/null | head -n 1 || stat -f -c %T "$OUT_BASE") file system)"
  echo "- markdown corpus: $N pages of ~4 KB, 100 per section folder (tests/bench/gen_site.sh);"
  echo "  Hugo builds the same files (tests/bench/gen_hugo.sh). Neither makes a printable booklet of the"
  echo "  whole site; kasikirja also writes its search index (hakuhakemisto/), which the Hugo site does not."
  echo "- model corpus: $PARTIES parties, $FORUMS forums in 4 models (tests/bench/gen_model.sh);"
  echo "  cold = no diagram cache (Graphviz lays out every diagram), warm = cache kept"
  echo
  echo "| build | pages | wall s | CPU s (user+sys) | peak RSS MiB |"
  echo "|---|--:|--:|--:|--:|"
  echo "| kasikirja, $N Markdown pages | $kk_pages | $wall_kasikirja | $cpu_kasikirja | $rss_kasikirja |"
  if [ -z "$hugo_skip" ]; then
    echo "| Hugo, the same $N pages | $hugo_pages | $wall_hugo | $cpu_hugo | $rss_hugo |"
    echo "| **Hugo / kasikirja** | | **$(ratio "$wall_hugo" "$wall_kasikirja")** | $(ratio "$cpu_hugo" "$cpu_kasikirja") | **$(ratio "$rss_hugo" "$rss_kasikirja")** |"
  else
    echo "| Hugo, the same $N pages: left out ($hugo_skip) | | | | |"
  fi
  echo "| kasikirja model, cold: $cold_diagrams diagrams, $cold_laid laid out | $cold_pages | $wall_model_cold | $cpu_model_cold | $rss_model_cold |"
  echo "| kasikirja model, warm: $warm_diagrams diagrams, $warm_laid laid out, $warm_cached from cache | $warm_pages | $wall_model_warm | $cpu_model_warm | $rss_model_warm |"
  echo
  echo "Serve, $N pages: a save that changes one page's text rebuilds in $serve_changed ms (median of $RUNS);"
  echo "a save that changes nothing in $serve_same ms (serve's own timing; the 50 ms debounce comes on top)."
  echo
  echo "Every run (wall s, CPU s, peak RSS KiB):"
  echo
  for name in $names; do
    printf -- '- %s: %s\n' "$name" "$(awk '{ printf "%s(%s %s %s)", (NR > 1 ? ", " : ""), $1, $2, $3 }' "$LOGS/$name.runs")"
  done
} > "$RESULT"

# The outputs are big (about 3 KB per page for each tool, plus kasikirja's search index).
rm -rf "$OUT_KK" "$OUT_HUGO" "$OUT_MODEL" "$HUGO_CACHE"

echo
cat "$RESULT"
say ""
say "bench: written to ${RESULT#$root/}; build logs in ${LOGS#$root/}/"
