#!/usr/bin/env bash
# The live preview end to end: `kasikirja serve` on the model fixture with the
# handbook's layouts, on 127.0.0.1 only. Fetches pages, tries to read outside
# the output folder, edits the sources the way editors save them, and watches
# the live reload, the error overlay, the busy-port message and a clean stop.
# Usage: tests/serve.sh BIN
set -u
BIN=$(realpath "$1")
cd "$(dirname "$0")"
export SOURCE_DATE_EPOCH=1767225600
passed=0 failed=0
work=$(mktemp -d /tmp/kasikirja-serve-XXXXXX)
export XDG_CACHE_HOME="$work/xdg-cache" # the diagram cache: never the tester's own
bg=() # every background process we started, killed by id on exit
cleanup() {
  for p in "${bg[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${bg[@]}"; do wait "$p" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT

ok()   { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; }
check() { if eval "$2"; then ok "$1"; else fail "$1"; fi; } # name, shell test

# --- the site: the model fixture's data, the handbook's layouts, a front page -
site="$work/site"
mkdir -p "$site"
cp -r fixtures/model/. "$site/"
cp -r ../layouts "$site/"
printf -- '---\ntitle: Etusivu\n---\n[HVA](toimija:hva) ja [hyte](foorumi:uusi/hyte).\n' > "$site/content/index.md"
data="$site/content/data/toimijat.yaml"
grep -q 'nimi: Testin hyvinvointialue' "$data" || { echo "serve.sh: the fixture changed: no 'Testin hyvinvointialue' in $data"; exit 1; }

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"

# fetch PATH [curl options…]: the status in $status, headers in $work/head, body in $work/body.
fetch() {
  local path=$1; shift
  status=$(curl -s --path-as-is --max-time 60 -o "$work/body" -D "$work/head" -w '%{http_code}' "$@" "$base$path")
}
header() { grep -i "^$1:" "$work/head" | head -n 1 | cut -d' ' -f2- | tr -d '\r'; }
# until SECONDS COMMAND…: runs the command every 0.1 s until it succeeds or the time is up.
# The time is a deadline for a hung server, never the outcome of a test: each wait returns as
# soon as its command succeeds, and every deadline is stretched WAIT_SCALE times (default 12,
# so the shortest is a minute) for a machine busy with other work (CI shares it).
WAIT_SCALE=${WAIT_SCALE:-12}
until_ok() {
  local end=$(( $(date +%s%N) + $1 * WAIT_SCALE * 1000000000 )); shift
  while ! "$@"; do [ "$(date +%s%N)" -lt $end ] || return 1; sleep 0.1; done
}
page_has() { fetch "$1" && [ "$status" = 200 ] && grep -qF -- "$2" "$work/body"; }
page_lacks() { fetch "$1" && [ "$status" = 200 ] && ! grep -qF -- "$2" "$work/body"; }
rebuilds() { grep -c -- '-> rebuilt\|rebuild failed' "$work/serve.out" "$work/serve.err" | awk -F: '{ n += $2 } END { print n }'; }
# Saves a file the way many editors do: write a temporary file, rename it over the original.
save_by_rename() { cp "$2" "$(dirname "$1")/.$(basename "$1").tmp" && mv "$(dirname "$1")/.$(basename "$1").tmp" "$1"; }

# --- start ------------------------------------------------------------------
"$BIN" serve --src "$site" --out "$site/public" --port "$port" --bind 127.0.0.1 >"$work/serve.out" 2>"$work/serve.err" &
serve_pid=$!
bg+=("$serve_pid")
if until_ok 30 page_has / '</html>'; then ok "serve answers on $base"; else fail "serve answers on $base"; cat "$work/serve.err"; exit 1; fi
until_ok 5 grep -q 'kasikirja: serving' "$work/serve.out"
check "prints where it serves" "grep -qxF 'kasikirja: serving $site/public at $base/ (Ctrl-C stops)' '$work/serve.out'"

# --- files --------------------------------------------------------------------
fetch /
check "/ is 200" '[ "$status" = 200 ]'
check "/ is text/html; charset=utf-8" '[ "$(header Content-Type)" = "text/html; charset=utf-8" ]'
check "/ has the live-reload script with the build it shows" 'grep -qE "<script src=\"/__kasikirja/live.js\" data-g=\"[0-9]+\"></script></body>" "$work/body"'
check "/ is not cached" '[ "$(header Cache-Control)" = no-store ]'
check "/ has no error overlay after a good build" '! grep -q kasikirja-virheet "$work/body"'
check "absolute links point at the local server" "grep -qF '<link rel=\"canonical\" href=\"$base/\">' '$work/body'"
fetch /index.html
check "/index.html is the same page" '[ "$status" = 200 ] && grep -qF "/__kasikirja/live.js" "$work/body"'
fetch /tyyli.css
check "CSS is text/css" '[ "$status" = 200 ] && [ "$(header Content-Type)" = "text/css; charset=utf-8" ]'
check "CSS gets no script" 'cmp -s "$work/body" "$site/public/tyyli.css"'
fetch /favicon.svg
check "SVG is image/svg+xml" '[ "$(header Content-Type)" = "image/svg+xml; charset=utf-8" ]'
fetch /vuosikello.ics
check "iCalendar is text/calendar" '[ "$(header Content-Type)" = "text/calendar; charset=utf-8" ]'
fetch /vastuunjako.csv
check "CSV is text/csv" '[ "$(header Content-Type)" = "text/csv; charset=utf-8" ]'
fetch /malli.json
check "JSON is application/json" '[ "$(header Content-Type)" = "application/json; charset=utf-8" ]'
fetch /ei-ole-tallaista/
check "a missing page is 404" '[ "$status" = 404 ]'
check "a missing page shows the site's 404 page" 'grep -qF "<h1>Sivua ei löytynyt</h1>" "$work/body" && grep -qF "/__kasikirja/live.js" "$work/body"'
fetch /toimijat/hva
check "a folder without its slash redirects (301)" '[ "$status" = 301 ] && [ "$(header Location)" = /toimijat/hva/ ]'
fetch /toimijat/hva/
check "a folder URL serves its index.html" '[ "$status" = 200 ] && grep -qF "<title>Testin hyvinvointialue" "$work/body"'
fetch /toimijat/
check "a folder without index.html is 404" '[ "$status" = 404 ]'
fetch /__kasikirja/live.js
check "live.js is javascript" '[ "$status" = 200 ] && [ "$(header Content-Type)" = "text/javascript; charset=utf-8" ]'
check "live.js listens for reloads" 'grep -qF "new EventSource(" "$work/body" && grep -qF "location.reload()" "$work/body"'
fetch / -I  # curl writes the headers where the body would go
check "HEAD is answered without a body" '[ "$status" = 200 ] && ! grep -q "<html" "$work/body"'
fetch / -X POST -d x=1
check "POST is 405" '[ "$status" = 405 ] && grep -qi "^Allow: GET, HEAD" "$work/head"'

# --- nothing outside the output folder -----------------------------------------
for p in '/..%2f..%2fetc/passwd' '/%2e%2e/%2e%2e/etc/passwd' '/../../etc/passwd' '/toimijat/../../../etc/passwd' \
         '/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd' '/./index.html' '/..\..\etc\passwd'; do
  fetch "$p"
  check "$p is 404" '[ "$status" = 404 ] && ! grep -q "root:" "$work/body"'
done
ln -s /etc/passwd "$site/public/salasanat"
ln -s /etc "$site/public/etc"
fetch /salasanat
check "a symlink to a file outside is 404" '[ "$status" = 404 ] && ! grep -q "root:" "$work/body"'
fetch /etc/passwd
check "a symlink to a folder outside is 404" '[ "$status" = 404 ] && ! grep -q "root:" "$work/body"'
ln -s index.html "$site/public/sisainen.html"
fetch /sisainen.html
check "a symlink inside the output is served" '[ "$status" = 200 ]'
rm -f "$site/public/salasanat" "$site/public/etc" "$site/public/sisainen.html"

# --- edits, live reload ---------------------------------------------------------
curl -N -s --max-time 600 "$base/__kasikirja/events" >"$work/sse.txt" &
bg+=("$!")
until_ok 5 grep -q '^retry:' "$work/sse.txt"
# (a stream never ends: curl stops after 1 s with what it has, and is asked again when busy)
stream_type_ok() { [ "$(curl -s -m 1 -o /dev/null -w '%{content_type}' "$base/__kasikirja/events")" = "text/event-stream; charset=utf-8" ]; }
check "the event stream is text/event-stream" 'until_ok 5 stream_type_ok'
sed 's/nimi: Testin hyvinvointialue/nimi: Muutettu hyvinvointialue/' "$data" >"$work/edit1.yaml"
save_by_rename "$data" "$work/edit1.yaml"
if until_ok 10 page_has /toimijat/hva/ 'Muutettu hyvinvointialue'; then ok "a rename-over save rebuilds the entity's page"; else fail "a rename-over save rebuilds the entity's page"; cat "$work/serve.err"; fi
check "the open event stream got a reload" 'until_ok 5 grep -q "^event: reload" "$work/sse.txt"'
check "the reload event carries the generation" 'grep -Eq "^data: [0-9]+$" "$work/sse.txt"'
# A page that was served before that rebuild, connecting only now, reloads at once.
old_page_reloads() { curl -N -s --max-time 3 "$base/__kasikirja/events?g=0" | grep -q "^event: reload"; }
check "a page older than the last build reloads as soon as it connects" 'until_ok 5 old_page_reloads'
check "a page of the current build does not" \
  '! curl -N -s --max-time 2 "$base/__kasikirja/events?g=$(curl -s "$base/" | grep -o "data-g=\"[0-9]*\"" | grep -o "[0-9]\+")" | grep -q "^event: reload"'
check "one line per rebuild, with the changed file" \
  "until_ok 5 grep -Eq '^kasikirja: 1 change \(content/data/toimijat.yaml\) -> rebuilt [0-9]+ of [0-9]+ pages, wrote [0-9]+ files in [0-9]+ ms \(ready [0-9]+ ms after the save\)$' '$work/serve.out'"

# Only a page's text changed: that page is patched in, nothing else is rendered.
printf -- '---\ntitle: Etusivu\n---\n[HVA](toimija:hva) ja [hyte](foorumi:uusi/hyte). Uusi lause etusivulla.\n' >"$work/home.md"
save_by_rename "$site/content/index.md" "$work/home.md"
check "a text-only save of a page shows the new text" 'until_ok 10 page_has / "Uusi lause etusivulla."'
# (2 = the page and the printable booklet of the whole site, which holds it; the files written are
# those two, the page's search fragment, the search manifest and the word-index chunks its changed
# words are in: three new words here, so at most 3 chunks)
if until_ok 5 grep -Eq '^kasikirja: 1 change \(content/index.md\) -> rebuilt 2 of [0-9]+ pages, wrote [2-7] files' "$work/serve.out"; then
  ok "and renders that page alone (and the booklet)"
else
  fail "and renders that page alone (and the booklet)"; grep -F 'content/index.md' "$work/serve.out"
fi
cp "$work/home.md" "$work/home2.md"; save_by_rename "$site/content/index.md" "$work/home2.md"
check "saving it again unchanged renders and writes nothing" \
  "until_ok 5 grep -Eq '^kasikirja: 1 change \(content/index.md\) -> rebuilt 0 of [0-9]+ pages, wrote 0 files' '$work/serve.out'"

# Write in place (truncate and write), as vim with backupcopy=yes or most IDEs do.
sed 's/nimi: Muutettu hyvinvointialue/nimi: Paikalleen kirjoitettu alue/' "$data" >"$work/edit2.yaml"
cat "$work/edit2.yaml" >"$data"
check "a write-in-place save rebuilds" 'until_ok 10 page_has /toimijat/hva/ "Paikalleen kirjoitettu alue"'
# Delete, then create again.
sed 's/nimi: Paikalleen kirjoitettu alue/nimi: Uudelleen luotu alue/' "$data" >"$work/edit3.yaml"
rm "$data"; sleep 0.02; cp "$work/edit3.yaml" "$data"
check "a delete-and-recreate save rebuilds" 'until_ok 10 page_has /toimijat/hva/ "Uudelleen luotu alue"'
# Editor droppings are no reason to rebuild. First wait until the rebuilds of the saves above
# have all been printed (no new line for 2 s: the debounce is 50 ms), so that a late line of
# theirs is not taken for a rebuild the droppings started.
settled() { local a b; a=$(rebuilds); sleep 2; b=$(rebuilds); [ "$a" = "$b" ]; }
until_ok 10 settled
n=$(rebuilds)
d=$(dirname "$data")
touch "$d/4913" "$d/.toimijat.yaml.swp" "$d/toimijat.yaml.swx" "$d/toimijat.yaml~" "$d/.#toimijat.yaml" "$d/#toimijat.yaml#"
rm -f "$d/4913" "$d/.toimijat.yaml.swp" "$d/toimijat.yaml.swx" "$d/toimijat.yaml~" "$d/.#toimijat.yaml" "$d/#toimijat.yaml#"
mkdir -p "$site/.piilo/x"; touch "$site/.piilo/x/y" "$site/muuta.txt"
sleep 0.6
check "swap, backup, lock and probe files start no rebuild" '[ "$(rebuilds)" = "$n" ]'
# A new folder is watched too.
mkdir -p "$site/content/uusi/syva"
printf -- '---\ntitle: Syvä sivu\n---\nSyvällä.\n' >"$site/content/uusi/syva/sivu.md"
check "a page in a new folder is built" 'until_ok 10 page_has /uusi/syva/sivu/ "Syvällä."'
printf -- '---\ntitle: Syvä sivu\n---\nMuutettu syvällä.\n' >"$site/content/uusi/syva/sivu.md"
check "a page in a new folder rebuilds when saved" 'until_ok 10 page_has /uusi/syva/sivu/ "Muutettu syvällä."'

# --- a failed build: the overlay, the previous site still served ----------------
broken="$work/broken.yaml"
sed 's/^    osa: hva$/    osa: hvaa/' "$data" >"$broken"
cmp -s "$broken" "$data" && fail "the test could break the data (no 'osa: hva' line)"
# What the build says about it, from `check` on a copy with the same breakage.
mkdir -p "$work/copy"; cp -r "$site/." "$work/copy/"; rm -rf "$work/copy/public"; cp "$broken" "$work/copy/content/data/toimijat.yaml"
"$BIN" check --src "$work/copy" -q 2>"$work/check.err" >/dev/null
expected=$(grep ': error: ' "$work/check.err" | head -n 1)
check "check reports the breakage" "[ \"\$expected\" = \"content/data/toimijat.yaml:8:10: error: unknown party or group 'hvaa' (did you mean 'hva'?)\" ]"
fetch /toimijat/hva/; cp "$work/body" "$work/before.html"
save_by_rename "$data" "$broken"
if until_ok 10 page_has /toimijat/hva/ 'id="kasikirja-virheet"'; then ok "a failed build puts the overlay on pages"; else fail "a failed build puts the overlay on pages"; cat "$work/serve.err"; fi
unescape() { sed -e "s/&#39;/'/g" -e 's/&quot;/"/g' -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&amp;/\&/g'; }
check "the overlay shows the exact diagnostic" 'unescape <"$work/body" | grep -qxF -- "$expected"'
check "the overlay says what happened" 'grep -qF "<h2" "$work/body" && grep -qF "Sivuston rakentaminen epäonnistui</h2>" "$work/body" && grep -qF "role=\"alert\"" "$work/body"'
check "the overlay comes right after <body>" 'grep -qE "<body[^>]*><div id=\"kasikirja-virheet\"" "$work/body"'
check "the previous good page is still served" 'grep -qF "Uudelleen luotu alue" "$work/body"'
check "the page is otherwise unchanged" 'perl -0pe "s#<div id=\"kasikirja-virheet\".*?</pre></div>##s; s#data-g=\"\\d+\"##" "$work/body" | cmp -s - <(perl -0pe "s#data-g=\"\\d+\"##" "$work/before.html")'
check "the failure is printed" "until_ok 5 grep -qxF 'kasikirja: rebuild failed: 1 error; still serving the previous site' '$work/serve.err'"
check "the diagnostic is printed" 'grep -qxF -- "$expected" "$work/serve.err"'
fetch /ei-ole-tallaista/
check "the 404 page shows the overlay too" '[ "$status" = 404 ] && grep -q kasikirja-virheet "$work/body"'
fetch /tyyli.css
check "CSS gets no overlay" '! grep -q kasikirja-virheet "$work/body"'
sed 's/nimi: Uudelleen luotu alue/nimi: Korjattu alue/' "$data" | sed 's/^    osa: hvaa$/    osa: hva/' >"$work/fixed.yaml"
save_by_rename "$data" "$work/fixed.yaml"
check "the fix rebuilds" 'until_ok 10 page_has /toimijat/hva/ "Korjattu alue"'
# (Pages are written during the build, the overlay goes when it ends: poll.)
check "the overlay is gone after a good build" 'until_ok 5 page_lacks /toimijat/hva/ kasikirja-virheet && page_lacks /toimijat/hva/ kasikirja-virheet && page_lacks / kasikirja-virheet'
# Bad YAML syntax, too.
printf 'toimijat:\n  - id: [rikki\n' >"$work/syntax.yaml"
save_by_rename "$data" "$work/syntax.yaml"
check "a YAML syntax error shows in the overlay" "until_ok 10 page_has / 'content/data/toimijat.yaml:'"
save_by_rename "$data" "$work/fixed.yaml"
check "and goes away when fixed" 'until_ok 10 page_lacks / kasikirja-virheet'

# --- a second server on the same port --------------------------------------------
timeout 120 "$BIN" serve --src "$site" --out "$work/other-public" --port "$port" -q >"$work/second.out" 2>"$work/second.err"
rc=$?
check "a second serve on the same port exits 1" '[ $rc = 1 ]'
check "and says the port is in use" "grep -qxF \"kasikirja: cannot serve on 127.0.0.1:$port: the port is already in use (another 'kasikirja serve'?); try --port $((port + 1))\" '$work/second.err'"
check "and built nothing" '[ ! -e "$work/other-public" ]'
"$BIN" serve --src "$site" --port 65536 2>/dev/null; rc=$?
check "--port 65536 is a usage error" '[ $rc = 2 ]'
"$BIN" serve --src "$site" --bind localhost 2>/dev/null; rc=$?
check "--bind needs an address" '[ $rc = 2 ]'

# --- stopping --------------------------------------------------------------------
# An event stream is open while we stop: the server must not wait for it.
curl -N -s --max-time 600 "$base/__kasikirja/events" >"$work/sse2.txt" &
bg+=("$!")
until_ok 5 grep -q '^retry:' "$work/sse2.txt"
kill -INT "$serve_pid"
stopped=no
for _ in $(seq 600); do kill -0 "$serve_pid" 2>/dev/null || { stopped=yes; break; }; sleep 0.1; done
check "SIGINT stops the server (the open event stream lasts 600 s)" '[ $stopped = yes ]'
if [ $stopped = yes ]; then wait "$serve_pid"; rc=$?; else kill -KILL "$serve_pid"; rc=killed; fi
check "and it exits 0 (no leaks)" '[ "$rc" = 0 ]'
[ "$rc" = 0 ] || cat "$work/serve.err"
check "and says so" 'grep -qxF "kasikirja: stopped" "$work/serve.out"'
check "the port is free again" '! curl -s -m 2 -o /dev/null "$base/"'

# --- a site whose first build fails, on a port the system picks -------------------
site2="$work/site2"
mkdir -p "$site2"; cp -r "$work/copy/." "$site2/" # the broken copy from above
"$BIN" serve --src "$site2" --out "$site2/public" --port 0 >"$work/serve2.out" 2>"$work/serve2.err" &
serve2_pid=$!
bg+=("$serve2_pid")
until_ok 30 grep -q 'kasikirja: serving' "$work/serve2.out"
port2=$(sed -n 's#^kasikirja: serving .* at http://127\.0\.0\.1:\([0-9]*\)/ (Ctrl-C stops)$#\1#p' "$work/serve2.out")
check "--port 0 serves on a port it prints" '[ -n "$port2" ] && [ "$port2" != 0 ]'
base="http://127.0.0.1:${port2:-0}"
check "a failed first build is reported" "grep -qxF 'kasikirja: build failed: 1 error; serving what $site2/public holds, with the errors on every page' '$work/serve2.err'"
fetch /
check "with nothing built, / is 404 with the overlay and the script" \
  '[ "$status" = 404 ] && unescape <"$work/body" | grep -qxF -- "$expected" && grep -qF "/__kasikirja/live.js" "$work/body"'
save_by_rename "$site2/content/data/toimijat.yaml" "$work/fixed.yaml"
check "the fix builds the site and the overlay goes" 'until_ok 15 page_has /toimijat/hva/ "Korjattu alue" && until_ok 5 page_lacks / kasikirja-virheet'
kill -TERM "$serve2_pid"
stopped=no
for _ in $(seq 600); do kill -0 "$serve2_pid" 2>/dev/null || { stopped=yes; break; }; sleep 0.1; done
if [ $stopped = yes ]; then wait "$serve2_pid"; rc=$?; else kill -KILL "$serve2_pid"; rc=killed; fi
check "SIGTERM stops it with exit 0" '[ "$rc" = 0 ] && grep -qxF "kasikirja: stopped" "$work/serve2.out"'
[ "$rc" = 0 ] || cat "$work/serve2.err"

# --- a bilingual site: what is missing under sv/ gets the Swedish 404 page --------------------
site3="$work/site3"
mkdir -p "$site3"; cp -r fixtures/kaksikielinen/. "$site3/"
"$BIN" serve --src "$site3" --out "$site3/public" --port 0 >"$work/serve3.out" 2>"$work/serve3.err" &
serve3_pid=$!
bg+=("$serve3_pid")
until_ok 30 grep -q 'kasikirja: serving' "$work/serve3.out"
port3=$(sed -n 's#^kasikirja: serving .* at http://127\.0\.0\.1:\([0-9]*\)/ (Ctrl-C stops)$#\1#p' "$work/serve3.out")
base="http://127.0.0.1:${port3:-0}"
fetch /sv/finns-inte/
check "a missing page under sv/ is 404 with the Swedish 404 page" '[ "$status" = 404 ] && grep -qF "<h1>Sidan hittades inte</h1>" "$work/body"'
fetch /ei-ole/
check "a missing page elsewhere gets the site's 404 page" '[ "$status" = 404 ] && grep -qF "<h1>Sivua ei löytynyt</h1>" "$work/body"'
kill -TERM "$serve3_pid"
for _ in $(seq 600); do kill -0 "$serve3_pid" 2>/dev/null || break; sleep 0.1; done
wait "$serve3_pid" 2>/dev/null; rc3=$?
check "the bilingual site's server stops with exit 0" '[ "$rc3" = 0 ]'

echo "serve: $passed passed, $failed failed"
[ $failed -eq 0 ]
