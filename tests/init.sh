#!/usr/bin/env bash
# `kasikirja init`: a new region's handbook from the starter site. The fresh
# site builds at once, and check names what the region still has to fill in;
# the region's own data then builds into municipality and forum pages; a
# folder that is not empty is refused, --force adds only what is missing; a
# name with quotes, a colon and '#' still gives valid YAML and Markdown.
# The JSON Schemas go into skeemat/, and each YAML file names its schema on its first line.
# Usage: tests/init.sh BIN
set -u
BIN=$(realpath "$1")
passed=0 failed=0
work=$(mktemp -d /tmp/kasikirja-init-XXXXXX)
export XDG_CACHE_HOME="$work/xdg-cache"
trap 'rm -rf "$work"' EXIT

ok()   { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; }
# same NAME EXPECTED ACTUAL_FILE
same() { if diff -u <(printf '%s\n' "$2") "$3" >"$work/diff"; then ok "$1"; else fail "$1"; cat "$work/diff"; fi; }

# --- a fresh site ------------------------------------------------------------
site="$work/uusi/ek"   # the parent folder is missing too: both are made
if "$BIN" init "$site" --alue "Etelä-Karjala" --hva "Etelä-Karjalan hyvinvointialue" --lyhenne "Eksote" \
     2>"$work/init.err"; then ok "init into a missing folder"; else fail "init into a missing folder"; cat "$work/init.err"; fi
same "init: its report" "kasikirja: init: wrote 30 files into $site
kasikirja: next: 'kasikirja check --src $site' lists what to fill in; 'kasikirja serve --src $site' shows the site" "$work/init.err"
grep -q '^  - id: "eksote"$' "$site/content/data/toimijat.yaml" && ok "init: the welfare area's id from its short name" \
  || fail "init: the welfare area's id from its short name"
grep -q '^    nimi: "Etelä-Karjalan hyvinvointialue"$' "$site/content/data/toimijat.yaml" && ok "init: the welfare area's name" \
  || fail "init: the welfare area's name"
[ ! -e "$site/content/data/lait.yaml" ] && [ ! -e "$site/layouts" ] && [ ! -e "$site/content/ohjeet" ] \
  && ok "init: no statutes, theme or guide of its own" || fail "init: no statutes, theme or guide of its own"

# The JSON Schemas for editors in skeemat/ (the build reads no such folder), named on the
# first line of each YAML file it writes.
[ "$(ls "$site/skeemat" | wc -l)" = 10 ] && [ -s "$site/skeemat/malli.schema.json" ] \
  && ok "init: the JSON Schemas in skeemat/" || fail "init: the JSON Schemas in skeemat/"
bad_first=""
for f in $(cd "$site" && echo site.yaml content/data/*.yaml content/data/mallit/esimerkki.yaml.txt); do
  ( cd "$site" && line=$(head -1 "$f") && schema=${line#"# yaml-language-server: \$schema="} \
    && [ "$schema" != "$line" ] && [ -f "$(dirname "$f")/$schema" ] ) || bad_first="$bad_first $f"
done
[ -z "$bad_first" ] && ok "init: each YAML file names its schema on its first line" \
  || fail "init: each YAML file names its schema on its first line:$bad_first"

"$BIN" check --src "$site" >"$work/check.out" 2>"$work/check.err"; rc=$?
[ $rc = 0 ] && ok "check: a fresh site has no errors" || fail "check: a fresh site has no errors (exit $rc)"
same "check: what the region still has to fill in" "content/data/mallit: warning: the data has no cooperation model yet, so there are no forums to show (add one as a file such as content/data/mallit/nykyinen.yaml with 'malli:' and 'foorumit:')
content/data/toimijat.yaml:39:14: warning: the group 'kunnat' has no members yet: add each member to toimijat.yaml (a municipality with 'laji: kunta') and list their ids here, e.g. 'jasenet: [esimerkkila, mallikoski]'
(built-in) layouts/lait/kansalliset.yaml:59:13: warning: obligation 'kunta-vuosiraportti' (612/2021 6 §) is not met (the coverage page lists what is missing)
(built-in) layouts/lait/kansalliset.yaml:65:13: warning: obligation 'kunta-hyvinvointikertomus' (612/2021 6 §) is not met (the coverage page lists what is missing)
(built-in) layouts/lait/kansalliset.yaml:71:13: warning: obligation 'kunta-hyte-vastuutaho' (612/2021 6 §) is not met (the coverage page lists what is missing)
(built-in) layouts/lait/kansalliset.yaml:92:13: warning: obligation 'hva-vuosiraportti' (612/2021 7 §) is not met (the coverage page lists what is missing)
(built-in) layouts/lait/kansalliset.yaml:98:13: warning: obligation 'hva-hyvinvointikertomus' (612/2021 7 §) is not met (the coverage page lists what is missing)
(built-in) layouts/lait/kansalliset.yaml:104:13: warning: obligation 'hva-hyte-vastuutaho' (612/2021 7 §) is not met (the coverage page lists what is missing)
content/saavutettavuus/index.md:10:21: warning: a blank still to fill in: [TÄYDENNÄ: päivämäärä, esimerkiksi 1.9.2026] (write the site's own text here)
content/saavutettavuus/index.md:28:3: warning: a blank still to fill in: [TÄYDENNÄ: muut puutteet, jotka arvioinnissa löytyivät, tai poista tämä kohta] (write the site's own text here)
content/saavutettavuus/index.md:32:1: warning: a blank still to fill in: [TÄYDENNÄ: kuka arvioi sivuston, milloin ja miten] (write the site's own text here)
content/saavutettavuus/index.md:36:138: warning: a blank still to fill in: [TÄYDENNÄ: kirjaamon tai ylläpitäjän sähköpostiosoite tai palautelomakkeen osoite] (write the site's own text here)" "$work/check.err"

if "$BIN" build --src "$site" -q 2>/dev/null; then ok "build: a fresh site builds"; else fail "build: a fresh site builds"; fi
for p in index.html perehdytys/index.html yhteistyorakenne/index.html neuvottelut/index.html vuosikello/index.html \
         vastuunjako/index.html toimijat/index.html sanasto/index.html asiakirjat/index.html \
         saavutettavuus/index.html haku/index.html toimijat/eksote/index.html; do
  [ -f "$site/public/$p" ] && ok "build: $p" || fail "build: $p"
done
"$BIN" build --strict --src "$site" --out "$work/strict" -q 2>/dev/null; rc=$?
[ $rc = 1 ] && [ ! -e "$work/strict" ] && ok "build --strict: the blanks are errors" || fail "build --strict: the blanks are errors (exit $rc)"

# --- the region's own data -----------------------------------------------------
# Three municipalities into the group, and a model with a forum they take part in.
sed -i 's/^    jasenet: \[\]$/    jasenet: [lemi, luumaki, "savitaipale"]/' "$site/content/data/toimijat.yaml"
sed -i 's/^ryhmat:$/  - id: lemi\n    nimi: Lemi\n    laji: kunta\n  - id: luumaki\n    nimi: Luumäki\n    laji: kunta\n  - id: savitaipale\n    nimi: Savitaipale\n    laji: kunta\n\nryhmat:/' \
  "$site/content/data/toimijat.yaml"
cat >"$site/content/data/mallit/ek-2026.yaml" <<'YAML'
malli:
  id: ek-2026
  nimi: Yhteistyömalli 2026
  tila: voimassa
  nykyinen: true
foorumit:
  - id: kuntaneuvottelu
    nimi: Kuntien ja hyvinvointialueen neuvottelu
    taso: strateginen
    kutsuja: eksote
    osallistujat: [eksote, lemi, luumaki, savitaipale]
    tiheys: 1/vuosi
YAML
if "$BIN" build --src "$site" -q 2>"$work/own.err"; then ok "build: with municipalities and a model"; else fail "build: with municipalities and a model"; cat "$work/own.err"; fi
for k in lemi luumaki savitaipale; do
  [ -f "$site/public/kunnat/$k/index.html" ] && ok "build: municipality page kunnat/$k/" || fail "build: municipality page kunnat/$k/"
done
forum="$site/public/yhteistyorakenne/ek-2026/kuntaneuvottelu/index.html"
[ -f "$forum" ] && ok "build: the forum's page" || fail "build: the forum's page"
for k in Lemi Luumäki Savitaipale; do
  grep -q ">$k</a>" "$forum" && ok "build: the forum lists $k" || fail "build: the forum lists $k"
done
"$BIN" check --src "$site" 2>"$work/own-check.err" >/dev/null
grep -q "no cooperation model\|has no members" "$work/own-check.err" && fail "check: the filled-in warnings are gone" \
  || ok "check: the filled-in warnings are gone"
# The starter's example model is valid as it stands.
cp "$site/content/data/mallit/esimerkki.yaml.txt" "$site/content/data/mallit/nykyinen.yaml"
sed -i 's/^  nykyinen: true$//' "$site/content/data/mallit/nykyinen.yaml"
if "$BIN" check --src "$site" -q 2>"$work/example.err"; then ok "check: the example model"; else fail "check: the example model"; cat "$work/example.err"; fi
rm "$site/content/data/mallit/nykyinen.yaml"

# --- a folder that is not empty --------------------------------------------------
before=$(cd "$site" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum)
"$BIN" init "$site" 2>"$work/again.err"; rc=$?
[ $rc = 1 ] && ok "init twice: refused" || fail "init twice: refused (exit $rc)"
same "init twice: its message" "$site: error: the folder is not empty, so no site was written into it (give another folder, or --force to write only the files that are missing: no file is ever replaced)
kasikirja: init: 1 errors; 0 files written, none replaced" "$work/again.err"
rm "$site/content/haku.md" "$site/content/sanasto/index.md"
"$BIN" init "$site" --force --alue "Toinen" 2>"$work/force.err"; rc=$?
[ $rc = 0 ] && ok "init --force" || fail "init --force (exit $rc)"
grep -c '^kasikirja: init: skipped ' "$work/force.err" | grep -qx 28 && ok "init --force: lists the 28 files it skipped" \
  || fail "init --force: lists the 28 files it skipped"
grep -qx "kasikirja: init: skipped $site/site.yaml (the file is there already)" "$work/force.err" \
  && ok "init --force: names a skipped file" || fail "init --force: names a skipped file"
grep -qx "kasikirja: init: wrote 2 files into $site" "$work/force.err" && ok "init --force: writes the missing ones" \
  || fail "init --force: writes the missing ones"
grep -q 'Etelä-Karjala' "$site/site.yaml" && ok "init --force: replaces nothing" || fail "init --force: replaces nothing"
"$BIN" init "$site/site.yaml" 2>/dev/null; [ $? = 1 ] && ok "init into a file: refused" || fail "init into a file: refused"
"$BIN" init 2>/dev/null; [ $? = 2 ] && ok "init without DIR: usage" || fail "init without DIR: usage"

# --- names that YAML and Markdown read ------------------------------------------
odd="$work/odd"
"$BIN" init "$odd" --region 'Alue "Uusi": #1 *[x]*' --welfare-area "Hva's: # <b>ja</b> \\ \`koodi\`" --short-name 'Ääni: #1' \
  2>/dev/null && ok "init: odd names (English options)" || fail "init: odd names (English options)"
grep -q '^  - id: "aani-1"$' "$odd/content/data/toimijat.yaml" && ok "init: an odd short name's id" || fail "init: an odd short name's id"
if "$BIN" build --src "$odd" -q 2>"$work/odd.err"; then ok "build: odd names"; else fail "build: odd names"; cat "$work/odd.err"; fi
grep -q '<title>Yhteistyörakenteiden käsikirja – Alue &quot;Uusi&quot;: #1 \*\[x\]\*' "$odd/public/index.html" \
  && ok "build: the odd region's name in the title, as it is" || fail "build: the odd region's name in the title, as it is"
grep -qF "miten Hva's: # &lt;b&gt;ja&lt;/b&gt; \\ \`koodi\` (Ääni: #1),"  "$odd/public/index.html" \
  && ok "build: the odd welfare area's name in the text, as it is" || fail "build: the odd welfare area's name in the text, as it is"

echo "init: $passed passed, $failed failed"
[ "$failed" = 0 ]
