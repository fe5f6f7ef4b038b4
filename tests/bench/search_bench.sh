#!/usr/bin/env bash
# The search index against Pagefind's on one built site: index time, peak memory, bytes written,
# and the bytes five Finnish queries transfer (tests/browser/search.js --measure: each query in a
# fresh browser context, files served gzip-compressed as static hosts serve them; Pagefind's own
# files are compressed already and are served as they are).
# Usage: tests/bench/search_bench.sh KASIKIRJA SRC_DIR OUT_DIR
#   SRC_DIR: a site's sources (e.g. node tests/browser/search.js --generate 10000 DIR);
#   OUT_DIR: where kasikirja builds it (Pagefind then indexes that folder into OUT_DIR/pagefind/).
# Pagefind (npm `pagefind`) is installed into build/pagefind-npm/ on first use; not committed.
set -euo pipefail
bin=$1 src=$2 out=$3
here=$(cd "$(dirname "$0")/../.." && pwd)
pf=$here/build/pagefind-npm
if [ ! -x "$pf/node_modules/.bin/pagefind" ]; then
  mkdir -p "$pf"; [ -f "$pf/package.json" ] || echo '{"private":true}' > "$pf/package.json"
  (cd "$pf" && npm install --no-audit --no-fund --loglevel=error pagefind@1 >/dev/null)
fi
[ -d "$here/tests/browser/node_modules" ] || (cd "$here/tests/browser" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
peak() { grep 'Maximum resident' "$1" | awk '{print $NF " KB"}'; }
wall() { grep 'Elapsed (wall' "$1" | awk '{print $NF}'; }

# kasikirja: the whole build (the index is made as pages render; no separate step to time).
/usr/bin/time -v "$bin" build --src "$src" --out "$out" >/dev/null 2>"$out.time" || { cat "$out.time"; exit 1; }
pages=$(grep -c '<loc>' "$out/sitemap.xml")
kk_bytes=$(cat "$out/hakuhakemisto.json" "$out"/hakuhakemisto/*.json "$out"/hakuhakemisto/sivut/*.json | wc -c)
kk_files=$(( $(ls "$out/hakuhakemisto" | wc -l) + $(ls "$out/hakuhakemisto/sivut" | wc -l) ))
echo "kasikirja: $pages pages; whole build $(wall "$out.time"), peak $(peak "$out.time"); index $kk_bytes bytes in $kk_files files"

# Pagefind over the built HTML (its default UI on a page of its own, for the measurement).
/usr/bin/time -v "$pf/node_modules/.bin/pagefind" --site "$out" --output-subdir pagefind >/dev/null 2>"$out.pftime" || { cat "$out.pftime"; exit 1; }
pf_bytes=$(find "$out/pagefind" -type f -exec cat {} + | wc -c)
pf_files=$(find "$out/pagefind" -type f | wc -l)
echo "pagefind: index $(wall "$out.pftime"), peak $(peak "$out.pftime"); $pf_bytes bytes in $pf_files files"
cat > "$out/pagefind-haku.html" <<'HTML'
<!doctype html><html lang="fi"><head><meta charset="utf-8"><title>Pagefind</title>
<link href="/pagefind/pagefind-ui.css" rel="stylesheet"><script src="/pagefind/pagefind-ui.js"></script></head>
<body><div id="haku"></div><script>window.addEventListener('DOMContentLoaded', function () { new PagefindUI({ element: '#haku', showSubResults: true }); });</script></body></html>
HTML
node "$here/tests/browser/search.js" --measure "$out" kasikirja
node "$here/tests/browser/search.js" --measure "$out" pagefind
