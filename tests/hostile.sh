#!/usr/bin/env bash
# Security review of the output: tests/hostile/site is a site in the structure model's shape
# where every string an editor controls carries an attack (script tags, attribute breakouts,
# javascript: links, SVG breakouts, DOT injection, CSV formulas, iCalendar injection). It is
# built with the repo's layouts and hooks; every attack must come out inert.
# tests/hostile/refused/ is an overlay with javascript:/data: addresses in YAML url fields and
# the menu: that build must fail and name each one. tests/hostile/inert.pl does the parsing.
# Usage: tests/hostile.sh BIN
set -u
BIN=$(realpath "$1")
tests=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$tests")
inert="perl $tests/hostile/inert.pl"
export SOURCE_DATE_EPOCH=1767225600
work=$(mktemp -d /tmp/kasikirja-hostile-XXXXXX)
export XDG_CACHE_HOME="$work/xdg-cache" # the diagram cache: never the tester's own
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
ok()   { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; }
show() { sed 's/^/     /' "$1" | head -n 20; }

# --- the checker finds what it looks for (so an empty report means something) ---
canary=$work/canary
mkdir -p "$canary/a"
cat > "$canary/a/index.html" <<'EOF'
<p title="x" onmouseover="alert(1)">a</p><a href=" java&#x73;cript:alert(1)">b</a><script>alert(1)</script>
<svg><a xlink:href="javascript:alert(1)"><g id="node9" class="node"><title>x</title><text x="1">pwned</text></g></a></svg>
EOF
printf '\357\273\277A;"=1+1";B\r\n@x;-1;+2\r\n' > "$canary/t.csv"
printf 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\nATTACH:y\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' > "$canary/t.ics"
found=$($inert html "$canary" | cut -f1 | sort | uniq -c | awk '{ print $1 " " $2 }' | paste -sd, -)
[ "$found" = "1 handler,2 scheme,1 script" ] && ok "checker: finds handlers, javascript: links and script tags" || fail "checker: finds handlers, javascript: links and script tags (got '$found')"
found=$($inert svg "$canary" | cut -f1 | sort | tr '\n' ' ')
[ "$found" = "dot-label dot-node " ] && ok "checker: finds an injected DOT node and label" || fail "checker: finds an injected DOT node and label (got '$found')"
[ "$($inert csv "$canary/t.csv" | grep -c '^formula')" = 4 ] && ok "checker: finds formula cells" || fail "checker: finds formula cells"
$inert ics "$canary/t.ics" | grep -q '^bare-lf' && ok "checker: finds a bare line feed in iCalendar" || fail "checker: finds a bare line feed in iCalendar"

# --- build the hostile site ----------------------------------------------------
site=$work/site
out=$work/public
cp -r "$tests/hostile/site" "$site"
cp -r "$repo/layouts" "$site/"
"$BIN" build --src "$site" --out "$out" >"$work/build.out" 2>"$work/build.err"
rc=$?
[ $rc -eq 0 ] && ok "hostile site builds (exit 0)" || { fail "hostile site builds (exit $rc)"; show "$work/build.err"; }
grep -Eq 'Sanitizer|runtime error:' "$work/build.err" && { fail "no sanitizer report"; show "$work/build.err"; } || ok "no sanitizer report"
n=$(grep -c "warning: link 'javascript:alert(1)' is removed" "$work/build.err")
[ "$n" -ge 8 ] && ok "javascript: Markdown links are removed with warnings ($n)" || fail "javascript: Markdown links are removed with warnings ($n)"
missing=""
for l in 8 9 10 11 12 15 16 17 18 19; do
  grep -q "^content/index.md:$l:[0-9]*: warning: link '[^']*' is removed" "$work/build.err" || missing="$missing $l"
done
[ -z "$missing" ] && ok "each dangerous Markdown link has its warning at its line" || fail "each dangerous Markdown link has its warning (none for content/index.md lines:$missing)"
grep -q "warning: raw HTML is left out" "$work/build.err" && ok "raw HTML is left out with warnings" || fail "raw HTML is left out with warnings"
[ -f "$out/index.html" ] || { fail "no output to check"; echo "hostile: $passed passed, $failed failed"; exit 1; }

# --- HTML and SVG --------------------------------------------------------------
$inert html "$out" > "$work/html.txt"
echo "     the site's own script tags:"; grep '^script	' "$work/html.txt" | cut -f2,3 | sed 's/^/       /'
others=$(grep '^script' "$work/html.txt" | grep -v -P '^script\thaku/index\.html\t<script src="\.\./haku\.js" defer>$')
[ -z "$others" ] && ok "no <script in any .html/.svg except haku/index.html's own haku.js" || { fail "no <script in any .html/.svg except the site's own"; echo "$others" | head -20; }
grep -q '^handler' "$work/html.txt" && { fail "no event-handler attribute (onmouseover=…)"; grep '^handler' "$work/html.txt" | head -20; } || ok "no event-handler attribute (onmouseover=…) in any tag"
raw=$(grep -rlE --include=*.html --include=*.svg '[[:space:]"'"'"'/]onmouseover=' "$out" | while read -r f; do
        grep -oE '<[^<>]*[[:space:]"'"'"'/]onmouseover=[^<>]*>' "$f" | sed 's/"[^"]*"//g' | grep -q 'onmouseover=' && echo "$f"; done)
[ -z "$raw" ] && ok "no onmouseover= outside quoted attribute values (grep)" || { fail "no onmouseover= outside quoted attribute values"; echo "$raw"; }
grep -q '^scheme' "$work/html.txt" && { fail "no href/src/xlink:href starting with javascript:"; grep '^scheme' "$work/html.txt" | head -20; } || ok "no href/src/xlink:href/action starting with javascript:, vbscript: or data:"
grep -rqiE --include=*.html --include=*.svg '(href|src)="[[:space:]]*javascript:' "$out" && fail "no href=\"javascript: (grep)" || ok "no href=\"javascript: (grep)"
$inert svg "$out" > "$work/svg.txt"
[ ! -s "$work/svg.txt" ] && ok "no node named x/y and no label 'pwned' in any SVG" || { fail "no node named x/y and no label 'pwned' in any SVG"; head -20 "$work/svg.txt"; }
svgs=$(grep -rlc '<svg' "$out" --include=*.html | wc -l)
[ "$svgs" -ge 10 ] && ok "the diagrams were drawn ($svgs pages with SVG)" || fail "the diagrams were drawn ($svgs pages with SVG)"
grep -qF '&lt;/svg&gt;&lt;script&gt;alert(1)&lt;/script&gt;' "$out/toimijat/hva/index.html" && ok "an SVG breakout in a party name is escaped text" || fail "an SVG breakout in a party name is escaped text"
grep -qF 'title="Hyvinvointialue&quot; onmouseover=&quot;alert(1)"' "$out/index.html" && ok "a glossary explanation stays inside its title attribute" || fail "a glossary explanation stays inside its title attribute"

# --- CSV -----------------------------------------------------------------------
csv=$out/vastuunjako.csv
if [ -f "$csv" ]; then
  $inert csv "$csv" > "$work/csv.txt"
  grep -q '^formula' "$work/csv.txt" && { fail "every CSV cell starting with = + - @ is prefixed with '"; grep '^formula' "$work/csv.txt"; } || ok "no CSV cell starts with = + - @ (they are prefixed with ')"
  for v in "'=HYPERLINK(\"http://evil\",\"x\")" "'+cmd|' /C calc'!A0" "'-2+3+cmd|' /C calc'!A0" "'@SUM(1+1)*cmd|' /C calc'!A0"; do
    grep -qF -- "	$v" "$work/csv.txt" && ok "CSV keeps the attack as text: $v" || fail "CSV keeps the attack as text: $v"
  done
  grep -qP '^cell\t1:6\t' "$work/csv.txt" && ok "a formula in a party name (the CSV header) is prefixed too" || fail "a formula in a party name (the CSV header) is prefixed too"
else
  fail "vastuunjako.csv is written"
fi

# --- Excel workbook --------------------------------------------------------------
# Every cell is text (kasikirja.xlsx writes no formulas), so the attacks stay as they were
# written, without the CSV's apostrophe; read back with openpyxl (tests/xlsx_read.py).
xlsx=$out/vastuunjako.xlsx
if [ -f "$xlsx" ]; then
  xout=$(/usr/bin/python3 "$tests/xlsx_read.py" "$xlsx" --foorumit --text '=HYPERLINK("http://evil","x")' \
    --text "+cmd|' /C calc'!A0" --text "-2+3+cmd|' /C calc'!A0" --text "@SUM(1+1)*cmd|' /C calc'!A0" 2>&1)
  [ -n "$xout" ] || fail "xlsx_read.py ran"
  while IFS= read -r line; do
    case $line in ok*) ok "xlsx: ${line#ok   }" ;; "") ;; *) fail "xlsx: ${line#FAIL }" ;; esac
  done <<<"$xout"
else
  fail "vastuunjako.xlsx is written"
fi

# --- iCalendar -----------------------------------------------------------------
# vuosikello.yaml has three events: hyte-syksy (months 9 and 10: one VEVENT each), lausunnot
# (a one-off) and kolmas (month 3): 4 VEVENTs.
ics=$out/vuosikello.ics
$inert ics "$ics" > "$work/ics.txt"
grep -q '^bare-lf' "$work/ics.txt" && fail "every iCalendar line ends in CRLF (no raw newline from a title)" || ok "every iCalendar line ends in CRLF (no raw newline from a title)"
begins=$(grep -cP '^property\tBEGIN\tBEGIN:VEVENT$' "$work/ics.txt"); ends=$(grep -cP '^property\tEND\tEND:VEVENT$' "$work/ics.txt")
[ "$begins" = 4 ] && [ "$ends" = 4 ] && ok "vuosikello.ics has exactly 4 BEGIN:VEVENT and 4 END:VEVENT (events × months)" || fail "vuosikello.ics has exactly 4 VEVENTs (got $begins BEGIN, $ends END)"
allowed='BEGIN|END|VERSION|PRODID|CALSCALE|METHOD|X-WR-CALNAME|UID|DTSTAMP|DTSTART|DTEND|RRULE|SUMMARY|DESCRIPTION|URL'
bad=$(grep '^property' "$work/ics.txt" | cut -f2 | grep -vxE "$allowed" | sort -u | tr '\n' ' ')
[ -z "$bad" ] && ok "no line starts with an injected property (only $allowed)" || fail "no line starts with an injected property (found: $bad)"
grep -qP '^property\t(SUMMARY|UID)\t(SUMMARY|UID):pwned' "$work/ics.txt" && fail "no SUMMARY:pwned or UID:pwned line" || ok "no SUMMARY:pwned or UID:pwned line"
uids=$(grep -P '^property\tUID\t' "$work/ics.txt" | cut -f3 | sort | tr '\n' ' ')
[ "$uids" = "UID:hyte-syksy-10@example.fi UID:hyte-syksy-9@example.fi UID:kolmas-3@example.fi UID:lausunnot@example.fi " ] && ok "UIDs come from the event ids only" || fail "UIDs come from the event ids only (got $uids)"
grep -qF 'SUMMARY:Kokous\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:pwned' "$work/ics.txt" && ok "an injected title stays one escaped SUMMARY" || fail "an injected title stays one escaped SUMMARY"
for f in $(find "$out" -name kalenteri.ics); do
  $inert ics "$f" > "$work/ics1.txt"
  b=$(grep '^property' "$work/ics1.txt" | cut -f2 | grep -vxE "$allowed" | sort -u | tr '\n' ' ')
  nb=$(grep -cP '^property\tBEGIN\tBEGIN:VEVENT$' "$work/ics1.txt"); ne=$(grep -cP '^property\tEND\tEND:VEVENT$' "$work/ics1.txt")
  rel=${f#"$out"/}
  [ -z "$b" ] && [ "$nb" = "$ne" ] && ! grep -q '^bare-lf' "$work/ics1.txt" && ok "$rel: no injected property or event" || fail "$rel: no injected property or event ($b; $nb BEGIN, $ne END)"
done

# --- other text outputs: no place where the data could run -----------------------
grep -rlF '<script>alert(1)' "$out" --include=*.xml --include=*.txt | grep -q . && fail "no raw script in sitemap.xml or robots.txt" || ok "no raw script in sitemap.xml or robots.txt"

# --- javascript: in YAML url fields and the menu are refused ---------------------
rsite=$work/refused
cp -r "$site" "$rsite"
cp -r "$tests/hostile/refused/." "$rsite/"
rm -f "$rsite/README"
rout=$work/refused-public
cp -a "$out" "$rout"
before=$(cd "$rout" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum)
"$BIN" build --src "$rsite" --out "$rout" >/dev/null 2>"$work/refused.err"
rc=$?
[ $rc -eq 1 ] && ok "javascript:/data: addresses in YAML and the menu fail the build (exit 1)" || { fail "javascript:/data: addresses in YAML and the menu fail the build (exit $rc)"; show "$work/refused.err"; }
for want in \
  "content/data/toimijat.yaml:6:10: error: 'www' must be a web address starting with https:// (got 'javascript:alert(1)')" \
  "content/data/toimijat.yaml:12:10: error: 'www' must be a web address starting with https:// (got 'JAVASCRIPT:alert(1)')" \
  "content/data/toimijat.yaml:34:10: error: 'www' must be a web address starting with https:// (got '  javascript:alert(1)')" \
  "content/data/lait.yaml:5:13: error: 'finlex' must be a web address starting with https:// (got 'javascript:alert(1)')" \
  "content/data/lait.yaml:21:13: error: 'finlex' must be a web address starting with https:// (got 'data:text/html,<script>alert(1)</script>')" \
  "site.yaml:5:10: error: the menu entry's url 'javascript:alert(1)' is not allowed (use an https:// address)" \
  "site.yaml:7:10: error: the menu entry's url 'JaVaScRiPt:alert(1)' is not allowed (use an https:// address)" \
  "site.yaml:9:10: error: the menu entry's url '  javascript:alert(1)' is not allowed (use an https:// address)" \
  "site.yaml:13:10: error: the menu entry's url 'data:text/html,<script>alert(1)</script>' is not allowed (use an https:// address)" \
  "site.yaml:15:10: error: the menu entry's url 'vbscript:msgbox(1)' is not allowed (use an https:// address)"; do
  grep -qxF -- "$want" "$work/refused.err" && ok "refused: ${want%%: error*}" || fail "refused: $want"
done
grep -q "^site.yaml:11:10: error: the menu entry's url 'java.script:alert(1)' is not allowed" "$work/refused.err" && ok "refused: a tab inside 'java<TAB>script:'" || fail "refused: a tab inside 'java<TAB>script:' (site.yaml:11)"
after=$(cd "$rout" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum)
[ "$before" = "$after" ] && ok "refused build leaves the previous output untouched" || fail "refused build leaves the previous output untouched"

echo "hostile: $passed passed, $failed failed"
[ $failed -eq 0 ]
