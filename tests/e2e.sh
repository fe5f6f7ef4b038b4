#!/usr/bin/env bash
# End-to-end tests: build the fixture sites with the real binary and compare
# what comes out (files, diagnostics, exit status) with what is expected.
#   tests/fixtures/good/          site/ and expect/ (files that must match byte for byte)
#   tests/fixtures/bad-*/         site/ and expected-stderr; the build must fail with exactly
#                                 those diagnostics and leave a previous output untouched
# Usage: tests/e2e.sh BIN   (set UPDATE=1 to rewrite the expected files after a reviewed change)
set -u
BIN=$(realpath "$1")
cd "$(dirname "$0")/fixtures"
export SOURCE_DATE_EPOCH=1767225600   # 2026-01-01, for reproducible dates
passed=0 failed=0
work=$(mktemp -d /tmp/kasikirja-e2e-XXXXXX)
export XDG_CACHE_HOME="$work/xdg-cache" # the diagram cache: never the tester's own
trap 'rm -rf "$work"' EXIT

ok()   { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; }

# A digest of every file and its contents in a tree, to prove it did not change.
digest() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum) | sha256sum; }

# --- the good site ---------------------------------------------------------
out="$work/good-public"
if "$BIN" build --src good/site --out "$out" -q 2>"$work/good.err"; then ok "good site builds"; else fail "good site builds"; cat "$work/good.err"; fi
if [ "${UPDATE:-}" = 1 ]; then rm -rf good/expect; mkdir -p good/expect; fi
while IFS= read -r -d '' f; do
  rel=${f#good/expect/}
  if [ "${UPDATE:-}" = 1 ]; then :; elif diff -u "$f" "$out/$rel" >"$work/diff"; then ok "good: $rel"; else fail "good: $rel"; cat "$work/diff"; fi
done < <(find good/expect -type f -print0 2>/dev/null | sort -z)
if [ "${UPDATE:-}" = 1 ]; then
  for rel in index.html lait/index.html saadokset/index.html 404.html sitemap.xml tyyli.css; do
    mkdir -p "good/expect/$(dirname "$rel")"; cp "$out/$rel" "good/expect/$rel"
  done
  echo "expected files rewritten from this build: review them with git diff"
fi
[ ! -e "$out/luonnos/index.html" ] && ok "good: draft not built" || fail "good: draft not built"
[ -f "$out/.kasikirja-output" ] && ok "good: output marker" || fail "good: output marker"
grep -q 'javascript' "$out/index.html" && fail "good: javascript: link dropped" || ok "good: javascript: link dropped"
expected_warn='content/index.md:15:46: warning: raw HTML is left out of the page'
grep -q "$expected_warn" "$work/good.err" && fail "good: -q hides warnings" || ok "good: -q hides warnings"

# Warnings are printed without -q, and --strict turns them into a failure that writes nothing.
"$BIN" check --src good/site 2>"$work/warn.err" >/dev/null
grep -q "^$expected_warn" "$work/warn.err" && ok "check prints warnings" || { fail "check prints warnings"; cat "$work/warn.err"; }
before=$(digest "$out")
if "$BIN" build --strict --src good/site --out "$out" 2>/dev/null >/dev/null; then fail "--strict fails on warnings"; else ok "--strict fails on warnings"; fi
[ "$(digest "$out")" = "$before" ] && ok "--strict leaves output untouched" || fail "--strict leaves output untouched"

# --drafts builds the draft too.
"$BIN" build --drafts --src good/site --out "$work/drafts" -q && [ -f "$work/drafts/luonnos/index.html" ] && ok "--drafts builds drafts" || fail "--drafts builds drafts"

# --- bad sites: exact diagnostics, exit 1, previous output untouched ---------
for case in bad-*/; do
  case=${case%/}
  cp -r "$out" "$work/$case-public"
  before=$(digest "$work/$case-public")
  "$BIN" build --src "$case/site" --out "$work/$case-public" >"$work/$case.out" 2>"$work/$case.err"
  rc=$?
  if [ "${UPDATE:-}" = 1 ]; then cp "$work/$case.err" "$case/expected-stderr"; fi
  if [ $rc -eq 1 ]; then ok "$case: exit 1"; else fail "$case: exit 1 (got $rc)"; fi
  if diff -u "$case/expected-stderr" "$work/$case.err" >"$work/diff"; then ok "$case: diagnostics"; else fail "$case: diagnostics"; cat "$work/diff"; fi
  [ "$(digest "$work/$case-public")" = "$before" ] && ok "$case: previous output untouched" || fail "$case: previous output untouched"
  [ -z "$(find "$work" -maxdepth 1 -name ".$case-public.tmp-*")" ] && ok "$case: no staging left" || fail "$case: no staging left"
done

# --- the structure model through the real layouts ----------------------------
# The model fixture's data with the handbook's own layouts and a few pages that use the data.
msite="$work/model-site"
mkdir -p "$msite"
cp -r model/. "$msite/"
cp -r ../../layouts "$msite/"
mkdir -p "$msite/content/lainsaadanto"
printf -- '---\ntitle: Etusivu\n---\n[HVA](toimija:hva), [hyte](foorumi:uusi/hyte), [14 §](pykala:611-2021-14#velvoite-o-term)\n' > "$msite/content/index.md"
printf -- '---\ntitle: Lakisääteiset velvoitteet\nlayout: velvoitteet\n---\nKattavuus.\n' > "$msite/content/lainsaadanto/velvoitteet.md"
cat > "$msite/content/tasot.md" <<'MD'
---
title: Uuden mallin foorumit tasoittain
mustache: true
---
Sivu listaa foorumit suoraan datasta.

{{#data.malli.uusi.tasot}}
## {{nimi}}

{{#foorumit}}
- [{{nimi}}](/{{url}}) ({{tiheys_teksti}})
{{/foorumit}}

{{/data.malli.uusi.tasot}}
MD
mkdir -p "$msite/diagrams"
printf 'id: rakenne\notsikko: Rakenne\nnakyma: rakenne\nmalli: uusi\n' > "$msite/diagrams/rakenne.yaml"
printf -- '---\ntitle: Kaaviot\n---\nKaavio:\n\n```kaavio rakenne\n```\n' > "$msite/content/kaaviot.md"
# A hostile name must come out inert in the SVG and the text equivalent.
printf '  - id: paha\n    nimi: %s\n    laji: jarjesto\n' "'<script>alert(1)</script> \"]; evil [label=x'" > "$work/paha.yaml"
sed -i "/^toimijat:/r $work/paha.yaml" "$msite/content/data/toimijat.yaml"
sed -i 's/osallistujat: \[hytepaallikko\]/osallistujat: [hytepaallikko, paha]/' "$msite/content/data/mallit/uusi.yaml"
mout="$work/model-public"
if "$BIN" build --src "$msite" --out "$mout" 2>"$work/model.err" >/dev/null; then ok "model site builds"; else fail "model site builds"; cat "$work/model.err"; fi
check_has() { # file, fixed string, name
  if grep -qF -- "$2" "$mout/$1"; then ok "model: $3"; else fail "model: $3 ($1 lacks: $2)"; fi
}
check_has index.html 'href="toimijat/hva/"' "entity link to a party"
check_has index.html 'href="yhteistyorakenne/uusi/hyte/"' "entity link to a forum"
check_has index.html 'href="lainsaadanto/611-2021-14/#velvoite-o-term"' "entity link to a section anchor"
check_has yhteistyorakenne/uusi/hyte/index.html '<dt>Kutsuu koolle</dt><dd><a href="../../../toimijat/hva/">Testin hyvinvointialue</a></dd>' "forum names its convener"
check_has yhteistyorakenne/uusi/hyte/index.html '<a href="../../../lainsaadanto/612-2021-7/">612/2021 7 § Hyvinvoinnin ja terveyden edistäminen hyvinvointialueella</a>' "forum names its legal basis"
check_has yhteistyorakenne/uusi/hyte/index.html 'syyskuu, lokakuu' "forum months"
check_has toimijat/kunta-a/index.html '<a href="../../yhteistyorakenne/vanha/hyte/">Hyte-neuvottelu</a> – Vanha malli' "party lists forums it convenes through a group"
check_has lainsaadanto/612-2021-7/index.html 'Hyte-neuvottelu: kutsujana on kunta, vaaditaan hyvinvointialue' "section shows what is missing"
check_has lainsaadanto/velvoitteet/index.html '✗ Vuosittainen neuvottelu.' "coverage page marks the unmet obligation"
check_has lainsaadanto/velvoitteet/index.html '✓ Neuvottelu valtuustokausittain.' "coverage page marks the met obligation"
check_has lainsaadanto/velvoitteet/index.html '<li><strong class="puute">✗ ei täyty</strong> – kunta: ei asiakirjaa' "coverage of a document duty names the missing kind"
check_has yhteistyorakenne/vertailu-vanha-uusi/index.html '<tr><th scope="row">Kokoontumistiheys</th><td>kerran valtuustokaudessa</td><td>kerran vuodessa</td></tr>' "comparison shows a changed field"
check_has yhteistyorakenne/vertailu-vanha-uusi/index.html '<span class="merkki">Uusi:</span> <a href="../../yhteistyorakenne/uusi/verkosto/">' "comparison shows an added forum"
check_has kaaviot/index.html '<figure class="kaavio" id="kuva-rakenne">' "a kaavio block becomes a figure"
check_has kaaviot/index.html 'role="img" aria-labelledby="rakenne-title rakenne-desc"' "the diagram is an accessible image"
check_has kaaviot/index.html 'xlink:href="/yhteistyorakenne/uusi/hyte/"' "the diagram links a forum to its page"
check_has kaaviot/index.html '<summary>Kaavion sisältö tekstinä</summary>' "the diagram has a text equivalent"
check_has toimijat/hva/index.html '<figure class="kaavio" id="kuva-toimija-hva">' "a party page has its chart"
check_has yhteistyorakenne/vertailu-vanha-uusi/index.html 'POISTUU: Lakkautettava' "a comparison page has its chart"
check_has toimijat/paha/index.html '&lt;script&gt;alert(1)&lt;/script&gt;' "a hostile name is escaped"
if grep -rqF '<script>alert(1)' "$mout"; then fail "model: no script from data in the output"; else ok "model: no script from data in the output"; fi
if grep -qE 'class="node"[^>]*>\s*<title>evil' "$mout/yhteistyorakenne/uusi/index.html"; then fail "model: DOT injection makes no node"; else ok "model: DOT injection makes no node"; fi
ids=$(grep -o ' id="[^"]*"' "$mout/yhteistyorakenne/uusi/index.html" | sort | uniq -d | head -3)
[ -z "$ids" ] && ok "model: ids unique on a page with a chart" || fail "model: ids unique on a page with a chart ($ids)"
# The second build takes every diagram from the cache and writes the same bytes.
before=$(digest "$mout")
"$BIN" build --src "$msite" --out "$mout" 2>/dev/null >"$work/warm.out"
grep -Eq 'diagrams \(0 laid out, [1-9][0-9]* from cache\)' "$work/warm.out" && ok "model: warm build takes diagrams from the cache" || { fail "model: warm build takes diagrams from the cache"; cat "$work/warm.out"; }
[ "$(digest "$mout")" = "$before" ] && ok "model: warm build is byte-identical" || fail "model: warm build is byte-identical"
[ ! -e "$msite/.kasikirja-cache" ] && [ -n "$(find "$XDG_CACHE_HOME/kasikirja" -name '*.svg' 2>/dev/null)" ] && ok "model: the diagram cache is outside the sources" || fail "model: the diagram cache is outside the sources"
rm -rf "$XDG_CACHE_HOME/kasikirja"
"$BIN" build --src "$msite" --out "$mout" -q 2>/dev/null
[ "$(digest "$mout")" = "$before" ] && ok "model: a cold rebuild is byte-identical too" || fail "model: a cold rebuild is byte-identical too"
# check writes nothing: not into the sources, and not into the diagram cache, which it only reads.
csite="$work/check-site"; cp -r "$msite" "$csite"; rm -rf "$csite/public"; mkdir -p "$work/check-cache"
listing() { (cd "$1" && find . -printf '%p %s %T@\n' | sort | md5sum); }
src_before=$(listing "$csite")
XDG_CACHE_HOME="$work/check-cache" "$BIN" check --src "$csite" -q 2>/dev/null
[ "$(listing "$csite")" = "$src_before" ] && [ -z "$(ls -A "$work/check-cache")" ] && ok "check writes nothing into the sources or an empty diagram cache" || { fail "check writes nothing into the sources or an empty diagram cache"; find "$work/check-cache" | head; }
cache_before=$(listing "$XDG_CACHE_HOME")
"$BIN" check --src "$csite" --cache "$work/check-cache" -q 2>/dev/null
"$BIN" check --src "$msite" -q 2>/dev/null
[ "$(listing "$XDG_CACHE_HOME")" = "$cache_before" ] && [ -z "$(ls -A "$work/check-cache")" ] && ok "check only reads a warm diagram cache (--cache too)" || fail "check only reads a warm diagram cache (--cache too)"
check_has tasot/index.html '<h2 id="asiantuntijaverkostot">' "a Markdown page lists data by level"
check_has tasot/index.html '<li><a href="../yhteistyorakenne/uusi/verkosto/">Asiantuntijaverkosto</a> (6–8 kertaa vuodessa)</li>' "a Markdown page links data it lists"
printf -- '---\ntitle: Rikki\nmustache: true\n---\nTeksti\n{{#data.mallit}}\n' > "$msite/content/rikki.md"
"$BIN" check --src "$msite" 2>"$work/rikki.err" >/dev/null
grep -qF "content/rikki.md:6:1: error: unclosed section 'data.mallit' (add {{/data.mallit}})" "$work/rikki.err" && ok "model: a template error in a page points into the page" || { fail "model: a template error in a page points into the page"; cat "$work/rikki.err"; }
rm "$msite/content/rikki.md"
grep -q "warning: obligation 'o-year' (612/2021 7 § 4 mom) is not met by the current model 'vanha'" "$work/model.err" && ok "model: uncovered obligation is a warning" || fail "model: uncovered obligation is a warning"
"$BIN" check --strict --src "$msite" -q 2>/dev/null; [ $? -eq 1 ] && ok "model: --strict fails on uncovered obligations" || fail "model: --strict fails on uncovered obligations"

# --- a Swedish site: every interface text from layouts/kielet/sv.yaml ----------
# The model site with `language: sv`, a search page, the annual cycle (its table and wheel) and
# the legal chart: the theme's and the generator's words are Swedish, none of the Finnish ones is
# left (the editors' guide, whose text is Finnish content, is not looked at).
svsite="$work/sv-site"
cp -r "$msite" "$svsite"
rm -rf "$svsite/content/rikki.md"
sed -i 's/^language: .*//' "$svsite/site.yaml"
echo 'language: sv' >> "$svsite/site.yaml"
printf -- '---\ntitle: Sök\nlayout: haku\n---\nSkriv ett ord.\n' > "$svsite/content/haku.md"
printf -- '---\ntitle: Årshjulet\nlayout: vuosikello\n---\n```kaavio vuosikello\n```\n\n```kaavio lait\n```\n' > "$svsite/content/vuosikello.md"
printf 'id: vuosikello\notsikko: Årshjul\nnakyma: vuosikello\n' > "$svsite/diagrams/vuosikello.yaml"
printf 'id: lait\notsikko: Lagar\nnakyma: lakiperusta\nmalli: uusi\n' > "$svsite/diagrams/lait.yaml"
svout="$work/sv-public"
if "$BIN" build --src "$svsite" --out "$svout" 2>"$work/sv.err" >/dev/null; then ok "sv: the Swedish site builds"; else fail "sv: the Swedish site builds"; cat "$work/sv.err"; fi
grep -q 'kielet' "$work/sv.err" && { fail "sv: the built-in Swedish catalog is complete"; cat "$work/sv.err"; } || ok "sv: the built-in Swedish catalog is complete"
sv_has() { # file, text, what
  if grep -qF -- "$2" "$svout/$1"; then ok "sv: $3"; else fail "sv: $3 ($1 lacks: $2)"; fi
}
sv_has toimijat/hva/index.html '<h2>Sammankallare</h2>' "a party's convened forums are headed Sammankallare"
sv_has toimijat/hva/index.html 'en gång per år' "a frequency in Swedish"
sv_has toimijat/hva/index.html '<html lang="sv">' "the page's language"
sv_has toimijat/hva/index.html 'Innehållet uppdaterat' "the footer's date"
sv_has toimijat/hva/index.html 'välfärdsområde' "a party kind's label"
sv_has yhteistyorakenne/uusi/hyte/index.html '<dt>Sammankallare</dt>' "a forum's convener"
sv_has yhteistyorakenne/uusi/index.html 'Kallar: ' "the structure chart's convener line"
sv_has vuosikello/index.html '<th scope="row">januari</th>' "a Swedish month name in the annual-cycle table"
sv_has vuosikello/index.html 'september' "the event's months in Swedish"
sv_has vuosikello/index.html 'Årshjul med 2 händelser på 2 ringar (Operativ nivå och Övriga), januari överst' "the wheel's description"
sv_has vuosikello/index.html 'uppfyller skyldigheten' "the legal chart's legend"
sv_has haku/index.html '<label for="hakusana">Sökord</label>' "the search page's field"
sv_has haku/index.html '<button type="submit">Sök</button>' "the search button"
sv_has 404.html '<h1>Sidan hittades inte</h1>' "the 404 page"
finnish=("kutsuu koolle" "Kutsuu koolle" "kerran vuodessa" "kertaa vuodessa" "tammikuu" "syyskuu" ">Hae<" "Hae käsikirjasta"
         "Sivun sisältö" "Seuraava:" "Edellinen:" "Sisältö päivitetty" "Siirry sisältöön" "Ei kirjattu" "Lakiperusta"
         "Vuosikellossa" "täyttyy" "Taulukko:" "Kaavion sisältö tekstinä" "Koolle:" "Hakusana" "Tänään" "Vuosikello kuukausittain"
         "Sivua ei löytynyt" "Käsikirjan sisältö")
for f in toimijat/hva/index.html yhteistyorakenne/uusi/index.html yhteistyorakenne/uusi/hyte/index.html \
         vuosikello/index.html haku/index.html 404.html lainsaadanto/velvoitteet/index.html; do
  left=""
  for w in "${finnish[@]}"; do grep -qF -- "$w" "$svout/$f" && left="$left '$w'"; done
  [ -z "$left" ] && ok "sv: no Finnish interface word on $f" || fail "sv: no Finnish interface word on $f (found:$left)"
done
# One key of the site's own: a partial catalog merged over the built-in one.
mkdir -p "$svsite/layouts/kielet"
printf 'yleiset:\n  kutsuu_koolle: Kallar samman\n' > "$svsite/layouts/kielet/sv.yaml"
"$BIN" build --src "$svsite" --out "$svout" -q 2>"$work/sv2.err"
grep -qF '<dt>Kallar samman</dt>' "$svout/yhteistyorakenne/uusi/hyte/index.html" && grep -qF 'en gång per år' "$svout/toimijat/hva/index.html" \
  && ok "sv: a site's partial catalog changes one text and keeps the others" || { fail "sv: a site's partial catalog changes one text and keeps the others"; cat "$work/sv2.err"; }

# The workbook read back with openpyxl (tests/xlsx_read.py): a sheet per responsibility table and
# the forums, bold frozen headers, autofilters, widths, text cells only.
xlsx_checks() { # PREFIX FILE ARGS...: each line of xlsx_read.py as one ok/fail
  local prefix=$1 out; shift
  out=$(/usr/bin/python3 ../xlsx_read.py "$@" 2>&1)
  [ -n "$out" ] || { fail "$prefix: xlsx_read.py ran"; return; }
  while IFS= read -r line; do
    case $line in ok*) ok "$prefix: ${line#ok   }" ;; *) fail "$prefix: ${line#FAIL }" ;; esac
  done <<<"$out"
}

# --- a bilingual site: languages [fi, sv], translations x.sv.md under /sv/ ------
kkout="$work/kaksikielinen"
if "$BIN" build --src kaksikielinen --out "$kkout" 2>"$work/kk.err" >/dev/null; then ok "kk: the bilingual site builds"; else fail "kk: the bilingual site builds"; cat "$work/kk.err"; fi
kk_has() { # file, text, what
  if grep -qF -- "$2" "$kkout/$1"; then ok "kk: $3"; else fail "kk: $3 ($1 lacks: $2)"; fi
}
kk_has sv/index.html '<html lang="sv">' "the Swedish front page's language"
kk_has index.html '<html lang="fi">' "the Finnish front page's language"
kk_has sv/palvelut/index.html '<title>Tjänster – Handbok för samarbete</title>' "the site's title in Swedish"
kk_has sv/palvelut/index.html '<link rel="alternate" hreflang="fi" href="https://kasikirja.example.fi/palvelut/">' "a Swedish page names its Finnish version"
kk_has palvelut/index.html '<link rel="alternate" hreflang="sv" href="https://kasikirja.example.fi/sv/palvelut/">' "a Finnish page names its Swedish version"
kk_has palvelut/index.html '<link rel="alternate" hreflang="x-default" href="https://kasikirja.example.fi/palvelut/">' "x-default"
kk_has sv/palvelut/index.html '<label for="hakukentta">Sök i handboken</label>' "the Swedish catalog on Swedish pages"
kk_has sv/palvelut/index.html '<a href="../../palvelut/" hreflang="fi" lang="fi">Tämä sivu suomeksi</a>' "the switcher to the Finnish version"
kk_has palvelut/index.html '<a href="../sv/palvelut/" hreflang="sv" lang="sv">Den här sidan på svenska</a>' "the switcher to the Swedish version"
kk_has ohjeet/index.html '<a href="../sv/" hreflang="sv" lang="sv" class="ei-kaannosta">Sidan finns inte på svenska: till handbokens startsida</a>' "the switcher to the Swedish front page, saying so"
kk_has sv/index.html '<a href="../sv/palvelut/">tjänsterna</a>' "a Swedish link to a translated page"
kk_has sv/index.html '<a href="../ohjeet/" hreflang="fi" lang="fi">anvisningarna</a>' "a Swedish link to an untranslated page goes to the Finnish one, marked"
kk_has index.html '<a href="ohjeet/">ohjeet</a>' "a Finnish link to a Finnish page is not marked"
kk_has sv/index.html '<li><a href="../sv/palvelut/">Tjänster</a></li>' "the menu in Swedish"
kk_has sv/index.html '<li><a href="../ohjeet/" hreflang="fi" lang="fi">Ohjeet</a></li>' "a menu entry to a Finnish page, marked"
kk_has index.html '<li><a href="ohjeet/">Ohjeet</a></li>' "the same entry on a Finnish page, unmarked"
kk_has sitemap.xml '<xhtml:link rel="alternate" hreflang="sv" href="https://kasikirja.example.fi/sv/palvelut/"/>' "the sitemap's alternates"
kk_has toimijat/hva/index.html '<h1>Pohjois-Karjalan hyvinvointialue</h1>' "a data text given per language: the Finnish one on Finnish pages"
kk_has yhteistyorakenne/nykyinen/neuvottelu/index.html '<li>Hyvinvointikertomus</li>' "a list item given per language"
kk_has lainsaadanto/611-2021-14/index.html '<h1>611/2021 14 § Hyvinvointialueen ja kuntien yhteistyö</h1>' "a section title given per language"
# Per language: the booklet, the calendars and the diagrams of the Swedish pages.
kk_has sv/tulosta/index.html '<html lang="sv">' "the Swedish booklet's language"
kk_has sv/tulosta/index.html '<title>Handbok för samarbete: hela handboken för utskrift' "the Swedish booklet's title from the Swedish catalog"
kk_has sv/tulosta/index.html '<li><a href="#luku-5">Tjänster</a></li>' "the Swedish booklet holds the Swedish pages"
# The 404 page per language: sv/404.html in Swedish, its link to the Swedish front page.
kk_has sv/404.html '<h1>Sidan hittades inte</h1>' "the Swedish 404 page"
kk_has sv/404.html '<a href="/sv/">Gå till handbokens startsida</a>' "the Swedish 404 page leads to the Swedish front page"
kk_has 404.html '<a href="/">Siirry käsikirjan etusivulle</a>' "the Finnish 404 page as before"
# A Swedish page's old address (aliases): the redirect page in Swedish.
kk_has sv/nyheter/index.html '<html lang="sv">' "a Swedish page's redirect page is Swedish"
kk_has sv/nyheter/index.html '<p>Sidan har flyttats till en ny adress: <a href="../../sv/uutinen/">Nyhet</a></p>' "the redirect's text from the Swedish catalog"
# The sidebar of a Swedish page: the Swedish handbook's sections, not the Finnish ones.
kk_has sv/toimijat/hva/index.html '<li><a href="../../../sv/sanasto/">Ordlista</a>' "a Swedish page's sidebar lists the Swedish sections"
if sed -n '/<nav class="sivupalkki"/,/<\/nav>/p' "$kkout/sv/toimijat/hva/index.html" | grep -q 'href="../../../sanasto/"'; then
  fail "kk: no Finnish section in a Swedish page's sidebar"; else ok "kk: no Finnish section in a Swedish page's sidebar"; fi
kk_has sv/vastuunjako/index.html '<td>ansvarar</td><td>deltar</td>' "the Swedish responsibility table names the roles in Swedish"
kk_has sv/vastuunjako/index.html '<span lang="fi">Kuntakierros</span>' "an untranslated task is marked Finnish"
kk_has vastuunjako/index.html '<td>vastaa</td><td>osallistuu</td>' "the Finnish table's roles as before"
if grep -qF 'Etusivu' "$kkout/sv/tulosta/index.html" || grep -qF 'Tjänster' "$kkout/tulosta/index.html"; then fail "kk: each booklet holds its own language's pages only"; else ok "kk: each booklet holds its own language's pages only"; fi
kk_has sv/vuosikello.ics 'SUMMARY;LANGUAGE=sv:Budgetförhandling' "the Swedish calendar's event name in Swedish"
kk_has sv/vuosikello.ics 'SUMMARY;LANGUAGE=fi:Vuosiraportti' "an event without a Swedish name: the Finnish one, LANGUAGE=fi"
kk_has sv/vuosikello.ics 'DESCRIPTION;LANGUAGE=sv:Nästa års budget.\n\nForum: Förhandling mellan k' "the Swedish description and its labels"
kk_has sv/vuosikello.ics 'X-WR-CALNAME:Handbok för samarbete' "the Swedish calendar's name"
kk_has vuosikello.ics 'SUMMARY;LANGUAGE=fi:Talousarvioneuvottelu' "the Finnish calendar of a bilingual site says its language"
kk_has sv/yhteistyorakenne/nykyinen/neuvottelu/kalenteri.ics 'SUMMARY;LANGUAGE=sv:Budgetförhandling' "a forum's Swedish calendar"
kk_has sv/kaaviot/rakenne.svg 'Förhandling mellan' "the Swedish drawing has the Swedish forum name"
kk_has sv/kaaviot/rakenne.svg 'en gång per år' "the Swedish drawing's frequency from the Swedish catalog"
kk_has sv/palvelut/index.html 'sv/kaaviot/rakenne.svg' "a Swedish page shows the Swedish drawing"
kk_has sv/palvelut/index.html '<summary>Diagrammets innehåll som text</summary>' "the Swedish figure's interface texts"
kk_has palvelut/index.html 'kaaviot/rakenne.svg' "the Finnish page shows the Finnish drawing"
if grep -qF 'Förhandling' "$kkout/kaaviot/rakenne.svg" || grep -qF 'kerran vuodessa' "$kkout/sv/kaaviot/rakenne.svg"; then fail "kk: the Finnish and Swedish drawings do not mix"; else ok "kk: the Finnish and Swedish drawings do not mix"; fi
# The exports per language (20-vienti.lua): the default's at the top, the Swedish under sv/, with
# the headers, sheet names and roles of each catalog's vienti texts and the data in that language
# (Finnish where there is no Swedish text).
printf '\357\273\277Taulukko;Tehtävä;Teema;Pohjois-Karjalan hyvinvointialue;Joensuu\r\nYhteistyön tehtävät;Hyvinvointikertomus;Hyvinvointitieto;vastaa;osallistuu\r\nYhteistyön tehtävät;Kuntakierros;;;vastaa\r\n' >"$work/kk-fi.csv"
printf '\357\273\277Tabell;Uppgift;Tema;Välfärdsområdet i Norra Karelen;Joensuu\r\nSamarbetets uppgifter;Välfärdsberättelse;Välfärdsdata;ansvarar;deltar\r\nSamarbetets uppgifter;Kuntakierros;;;ansvarar\r\n' >"$work/kk-sv.csv"
cmp -s "$work/kk-fi.csv" "$kkout/vastuunjako.csv" && ok "kk: the Finnish CSV export" || { fail "kk: the Finnish CSV export"; diff "$work/kk-fi.csv" "$kkout/vastuunjako.csv"; }
cmp -s "$work/kk-sv.csv" "$kkout/sv/vastuunjako.csv" && ok "kk: the Swedish CSV export: Swedish headers, texts and roles, Finnish where untranslated" \
  || { fail "kk: the Swedish CSV export: Swedish headers, texts and roles, Finnish where untranslated"; diff "$work/kk-sv.csv" "$kkout/sv/vastuunjako.csv"; }
xlsx_checks "kk fi xlsx" "$kkout/vastuunjako.xlsx" --sheets 2 --foorumit \
  --columns "Yhteistyön tehtävät" "Tehtävä;Teema;Pohjois-Karjalan hyvinvointialue;Joensuu" --text vastaa
xlsx_checks "kk sv xlsx" "$kkout/sv/vastuunjako.xlsx" --sheets 2 \
  --columns "Samarbetets uppgifter" "Uppgift;Tema;Välfärdsområdet i Norra Karelen;Joensuu" \
  --columns Forum "Modell;Nivå;Forum;Sammankallare;Deltagare;Hur ofta;Månader;Rättslig grund" \
  --text Välfärdsberättelse --text Kuntakierros --text ansvarar --text "Förhandling mellan kommunerna och välfärdsområdet" --text "en gång per år"
kk_has sv/malli.json '"nimi":"Samarbetsmodell"' "the Swedish JSON export's texts in Swedish"
kk_has malli.json '"nimi":"Yhteistyön malli"' "the Finnish JSON export's texts in Finnish"
# A diagram's caption per language (otsikko: {fi: …, sv: …}); one without a Swedish caption shows
# the Finnish one marked (the caption, the region's name, the SVG's title), its drawing Swedish.
kk_has sv/palvelut/index.html '<figcaption>Samarbetsstruktur</figcaption>' "a diagram's Swedish caption on the Swedish page"
kk_has palvelut/index.html '<figcaption>Yhteistyörakenne</figcaption>' "the diagram's Finnish caption on the Finnish page"
kk_has sv/palvelut/index.html 'aria-label="Samarbetsstruktur"><svg width=' "a Swedish caption: the Swedish figure's name, nothing marked"
kk_has sv/palvelut/index.html '<figcaption lang="fi">Vuosikello</figcaption>' "an untranslated caption is marked Finnish"
kk_has sv/palvelut/index.html '<div class="kaavio-kuva" role="region" tabindex="0" lang="fi" aria-label="Vuosikello"><svg lang="sv" ' "an untranslated caption: the figure's accessible name marked Finnish, its drawing Swedish"
kk_has sv/palvelut/index.html '<title lang="fi" id="vuosi-title">Vuosikello</title>' "an untranslated caption: the SVG's title marked Finnish"
kk_has sv/kaaviot/vuosi.svg '<title lang="fi" id="vuosi-title">Vuosikello</title>' "an untranslated caption: the chart alone marks its title"
kk_has palvelut/index.html '<figcaption>Vuosikello</figcaption>' "the Finnish caption unmarked on the Finnish page"
# Names that fell back to Finnish on a Swedish drawing: marked in the text equivalent and in the SVG
# (Graphviz cannot write lang: a node's class kieli-fi becomes lang="fi" on its group).
kk_has sv/palvelut/index.html '<a href="/sv/toimijat/joensuu/" lang="fi">Joensuu</a>' "an untranslated name in a diagram's text equivalent is marked Finnish"
kk_has sv/kaaviot/rakenne.svg 'class="node" lang="fi">' "an untranslated name's node in the Swedish SVG is marked Finnish"
if grep -q 'lang="fi"\|kieli-' "$kkout/kaaviot/rakenne.svg" "$kkout/kaaviot/vuosi.svg"; then fail "kk: the Finnish drawings mark nothing"; else ok "kk: the Finnish drawings mark nothing"; fi
# The wheel's dates given to the month only, in the wheel's language.
kk_has sv/palvelut/index.html '<li>Seminarium (Övriga), mars 2025</li>' "a month-only date on the Swedish wheel in Swedish"
kk_has palvelut/index.html '<li>Seminaari (Muut), maaliskuu 2025</li>' "a month-only date on the Finnish wheel in Finnish"
kk_has sv/palvelut/index.html '<li><span lang="fi">Vuosiraportti</span> (Övriga)</li>' "an untranslated event name in the wheel's table is marked Finnish"
# A page a hook makes under sv/ is a Swedish page, the version of the hook's Finnish page.
kk_has sv/tiedote/index.html '<html lang="sv">' "a hook's page under sv/ is Swedish"
kk_has sv/tiedote/index.html '<li><a href="../../sv/palvelut/">Tjänster</a></li>' "a hook's Swedish page has the Swedish menu"
kk_has sv/tiedote/index.html '<label for="hakukentta">Sök i handboken</label>' "a hook's Swedish page has the Swedish catalog"
kk_has sv/tiedote/index.html '<link rel="alternate" hreflang="fi" href="https://kasikirja.example.fi/tiedote/">' "a hook's Swedish page names its Finnish version"
kk_has tiedote/index.html '<a href="../sv/tiedote/" hreflang="sv" lang="sv">Den här sidan på svenska</a>' "a hook's Finnish page switches to its Swedish version"
# The search page's noscript note: the glossary of the page's language, else the Finnish one, hreflang.
kk_has sv/haku/index.html '<a href="../../sv/sanasto/">ordlistan</a>' "the Swedish search page's noscript note points to the Swedish glossary"
kk_has haku/index.html '<a href="../sanasto/">sanastosta</a>' "the Finnish search page's noscript note points to the Finnish glossary"
# The model's pages in Swedish under /sv/: Swedish texts, the untranslated ones marked lang="fi".
for f in toimijat/hva toimijat/joensuu yhteistyorakenne/nykyinen yhteistyorakenne/nykyinen/neuvottelu lainsaadanto/611-2021-14; do
  kk_has "sv/$f/index.html" '<html lang="sv">' "the Swedish model page sv/$f/ exists in Swedish"
done
kk_has sv/toimijat/hva/index.html '<h1>Välfärdsområdet i Norra Karelen</h1>' "a Swedish model page shows the Swedish name"
kk_has sv/toimijat/hva/index.html '<p>Ordnar social- och hälsovårdstjänster.</p>' "a Swedish model page shows the Swedish description"
kk_has sv/toimijat/hva/index.html '<dt>Förkortning</dt><dd lang="fi">Siun sote</dd>' "an untranslated value is marked Finnish"
kk_has sv/toimijat/joensuu/index.html '<h1 lang="fi">Joensuu</h1>' "an untranslated name is marked Finnish"
kk_has sv/toimijat/joensuu/index.html '<li aria-current="page" lang="fi">Joensuu</li>' "an untranslated name in the breadcrumbs is marked Finnish"
kk_has sv/toimijat/joensuu/index.html '<dt>Typ</dt><dd>kommun</dd>' "a label on a Swedish model page comes from the Swedish catalog"
kk_has sv/yhteistyorakenne/nykyinen/neuvottelu/index.html '<li>Välfärdsberättelse</li>' "a list item in Swedish"
kk_has sv/yhteistyorakenne/nykyinen/neuvottelu/index.html '<li lang="fi">Talous</li>' "an untranslated list item is marked Finnish"
kk_has sv/yhteistyorakenne/nykyinen/neuvottelu/index.html '<dt>Sammankallare</dt><dd><a href="../../../../sv/toimijat/hva/">Välfärdsområdet i Norra Karelen</a></dd>' "a Swedish model page links to the Swedish model pages"
kk_has sv/yhteistyorakenne/nykyinen/neuvottelu/index.html '<a href="../../../../sv/toimijat/joensuu/" lang="fi">Joensuu</a>' "a link with an untranslated name is marked Finnish"
kk_has sv/lainsaadanto/611-2021-14/index.html '<h1>611/2021 14 § Samarbete mellan välfärdsområdet och kommunerna</h1>' "a section's Swedish title"
kk_has sv/toimijat/hva/index.html '<link rel="alternate" hreflang="fi" href="https://kasikirja.example.fi/toimijat/hva/">' "a Swedish model page names its Finnish version"
kk_has toimijat/hva/index.html '<link rel="alternate" hreflang="sv" href="https://kasikirja.example.fi/sv/toimijat/hva/">' "a Finnish model page names its Swedish version"
kk_has toimijat/hva/index.html '<a href="../../sv/toimijat/hva/" hreflang="sv" lang="sv">Den här sidan på svenska</a>' "the switcher on a model page"
kk_has sitemap.xml '<url><loc>https://kasikirja.example.fi/sv/toimijat/hva/</loc><xhtml:link rel="alternate" hreflang="fi" href="https://kasikirja.example.fi/toimijat/hva/"/><xhtml:link rel="alternate" hreflang="sv" href="https://kasikirja.example.fi/sv/toimijat/hva/"/>' "the sitemap lists a Swedish model page with its alternates"
kk_has toimijat/joensuu/index.html '<h1>Joensuu</h1>' "a Finnish model page marks nothing"
kk_has sv/toimijat/index.html '<th scope="row"><a href="../../sv/toimijat/joensuu/" lang="fi">Joensuu</a></th><td>kommun</td>' "a Swedish page's data in Swedish, the untranslated marked"
kk_has sv/sanasto/index.html '<dt id="hva"><abbr>VFO</abbr></dt>' "the Swedish glossary's term"
kk_has sv/sanasto/index.html '<dd>Välfärdsområde</dd>' "the Swedish glossary's explanation"
kk_has sv/index.html '<abbr title="Välfärdsområde">VFO</abbr>' "Swedish terms marked on Swedish pages"
kk_has index.html '<abbr title="Hyvinvointialue">HVA</abbr>' "Finnish terms on Finnish pages"
kk_has sv/index.html '<a href="../sv/yhteistyorakenne/nykyinen/neuvottelu/">förhandlingen</a>' "a Swedish page's model link goes to the Swedish model page"
kk_has index.html '<a href="yhteistyorakenne/nykyinen/neuvottelu/">neuvottelun</a>' "a Finnish page's model link goes to the Finnish one"
kk_has sv/palvelut/index.html 'Tjänsterna ordnas av Välfärdsområdet i Norra Karelen.' "a Swedish 'mustache: true' page reads the data in Swedish"
marked=$(cd "$kkout" && grep -rhoE '<[a-z0-9]+[^>]*[[:space:]]lang="fi"' --include='*.html' --exclude-dir=sv . | grep -v '^<html ')
[ -z "$marked" ] && ok "kk: no Finnish page marks anything Finnish" || fail "kk: no Finnish page marks anything Finnish ($marked)"
expected_hook='sivu / fi
sivu sv/ sv
sivu sv/toimijat/hva/ sv
sivu toimijat/hva/ fi
sv Välfärdsområdet i Norra Karelen | Joensuu (fi)
fi Pohjois-Karjalan hyvinvointialue | sv Välfärdsområdet i Norra Karelen
de nil'
[ "$(cat "$kkout/kielet.txt" 2>/dev/null)" = "$expected_hook" ] && ok "kk: hooks read each page's language and the data per language" \
  || { fail "kk: hooks read each page's language and the data per language"; cat "$kkout/kielet.txt"; }
# The search per language: the Swedish pages in sv/hakuhakemisto.json, stemmed in Swedish
# ("förhandlingar" and "förhandling" share the stem the query's prefix finds), the Finnish ones
# in hakuhakemisto.json, neither in the other's; Swedish search messages on the Swedish search page.
kk_has sv/palvelut/index.html 'action="../../sv/haku/"' "the Swedish search form goes to the Swedish search page"
kk_has palvelut/index.html 'action="../haku/"' "the Finnish search form goes to the Finnish search page"
kk_has sv/haku/index.html 'data-hakemisto="../../sv/hakuhakemisto.json"' "the Swedish search page reads the Swedish index"
kk_has haku/index.html 'data-hakemisto="../hakuhakemisto.json"' "the Finnish search page reads the Finnish index"
kk_has sv/haku/index.html 'data-tulos-monta="{n} träffar för ”{haku}”."' "the Swedish search page's messages are Swedish"
kk_has sv/haku/index.html 'data-ohitettavat="och eller att' "the Swedish search page leaves out Swedish stop words"
kk_words() { # manifest: the stems of its chunks, one a line
  tr -d '\n' < "$kkout/$1" | grep -o '"[^"]*hakuhakemisto/[0-9a-f]*\.json"' | tr -d '"' \
    | while read -r c; do grep -o '^"[^"]*"' "$kkout/$c" | tr -d '"'; done
}
kk_frag_urls() { # index folder: the pages of its fragments, one a line
  cat "$kkout/$1"hakuhakemisto/sivut/*.json | grep -o '^{"u":"[^"]*"' | cut -d'"' -f4 | LC_ALL=C sort
}
kk_words sv/hakuhakemisto.json > "$work/kk-sv.words"; kk_words hakuhakemisto.json > "$work/kk-fi.words"
grep -qx 'förhandling' "$work/kk-sv.words" && ! grep -qx 'förhandlingar' "$work/kk-sv.words" && ok "kk: the Swedish index has the stem of förhandlingar (Swedish Snowball)" \
  || { fail "kk: the Swedish index has the stem of förhandlingar (Swedish Snowball)"; cat "$work/kk-sv.words"; }
grep -q '^förhandl' "$work/kk-fi.words" && fail "kk: no Swedish word in the Finnish index" || ok "kk: no Swedish word in the Finnish index"
grep -qx 'neuvottelu' "$work/kk-fi.words" && ! grep -q '^neuvott' "$work/kk-sv.words" \
  && ok "kk: the Finnish words in the Finnish index only" || fail "kk: the Finnish words in the Finnish index only"
# (the Swedish content pages, the Swedish pages of the model and the hook's Swedish page)
if [ "$(kk_frag_urls sv/ | tr '\n' ' ')" = "sv/ sv/haku/ sv/lainsaadanto/611-2021-14/ sv/palvelut/ sv/palvelut/neuvottelu/ sv/sanasto/ sv/tiedote/ sv/toimijat/ sv/toimijat/hva/ sv/toimijat/joensuu/ sv/uutinen/ sv/vastuunjako/ sv/yhteistyorakenne/nykyinen/ sv/yhteistyorakenne/nykyinen/neuvottelu/ " ]; then
  ok "kk: the Swedish index holds the Swedish pages, and only them"
else fail "kk: the Swedish index holds the Swedish pages, and only them"; kk_frag_urls sv/; fi
if kk_frag_urls '' | grep -q '^sv/'; then fail "kk: no Swedish page in the Finnish index"; else ok "kk: no Swedish page in the Finnish index"; fi
kk_frag_urls '' | grep -qx 'palvelut/neuvottelu/' && ok "kk: the Finnish pages in the Finnish index" || fail "kk: the Finnish pages in the Finnish index"
expected_kk='content/data/toimijat.yaml:4:14: warning: no Swedish (sv) text for this value
content/data/toimijat.yaml:8:11: warning: no Swedish (sv) text for this value
content/data/mallit/nykyinen.yaml:16:9: warning: no Swedish (sv) text for this value
content/data/vuosikello.yaml:9:11: warning: no Swedish (sv) text for this value
content/data/vastuunjako.yaml:9:18: warning: no Swedish (sv) text for this value
content/uutinen.sv.md: warning: there is no content/uutinen.md: this Swedish page has no Finnish (fi) version (it is built, and the Finnish pages cannot link to it)
content/ohjeet/index.md: warning: no Swedish (sv) version of this page
diagrams/vuosi.yaml:2:10: warning: no Swedish (sv) text for this value
site.yaml: warning: 1 page without a Swedish (sv) version
site.yaml: warning: 6 data texts without a Swedish (sv) text'
"$BIN" check --src kaksikielinen 2>"$work/kkc.err" >/dev/null
if [ "$(grep -v '^kasikirja:' "$work/kkc.err")" = "$expected_kk" ]; then ok "kk: check lists the untranslated pages and data texts"; else fail "kk: check lists the untranslated pages and data texts"; cat "$work/kkc.err"; fi
if "$BIN" check --strict --src kaksikielinen 2>/dev/null >/dev/null; then fail "kk: --strict makes them errors"; else ok "kk: --strict makes them errors"; fi
# A caption's texts are checked like the data's: a language the site lacks, an empty one, no default.
kkbad="$work/kk-bad"; cp -r kaksikielinen "$kkbad"
printf 'id: huono\notsikko: {fi: Huono, sw: Dålig}\nnakyma: vuosikello\nkuvaus: {fi: Kuvaus, sv: ""}\n' > "$kkbad/diagrams/huono.yaml"
printf 'id: huono2\notsikko: {sv: Dålig}\nnakyma: vuosikello\n' > "$kkbad/diagrams/huono2.yaml"
expected_bad="diagrams/huono.yaml:2:22: error: 'otsikko' has a text in 'sw', which is not one of the site's languages (fi, sv); did you mean 'sv'?
diagrams/huono.yaml:4:22: error: the Swedish (sv) text of 'kuvaus' is empty: write it, or leave the line out (the Finnish text is used)
diagrams/huono2.yaml:2:10: error: 'otsikko' has no text in the default language 'fi': add 'fi: …'"
"$BIN" check --src "$kkbad" 2>"$work/kkb.err" >/dev/null
[ "$(grep 'huono.*error' "$work/kkb.err")" = "$expected_bad" ] && ok "kk: a diagram's caption per language is checked like the data's texts" \
  || { fail "kk: a diagram's caption per language is checked like the data's texts"; cat "$work/kkb.err"; }
# Without a Swedish glossary the Swedish search page's note points to the Finnish one, saying so.
rm "$kkbad/content/sanasto/index.sv.md" "$kkbad/diagrams/huono.yaml" "$kkbad/diagrams/huono2.yaml"
"$BIN" build --src "$kkbad" --out "$work/kk-bad-out" 2>/dev/null >/dev/null
grep -qF '<a href="../../sanasto/" hreflang="fi">ordlistan</a>' "$work/kk-bad-out/sv/haku/index.html" \
  && ok "kk: without a Swedish glossary the note points to the Finnish one, hreflang=\"fi\"" || fail "kk: without a Swedish glossary the note points to the Finnish one, hreflang=\"fi\""
kkopt="$work/kk-optional"; cp -r kaksikielinen "$kkopt"; rm "$kkopt/content/uutinen.sv.md"; echo 'kaannokset: valinnainen' >> "$kkopt/site.yaml"
"$BIN" check --strict --src "$kkopt" 2>"$work/kko.err" >/dev/null && ! grep -q 'version\|text' "$work/kko.err" \
  && ok "kk: kaannokset: valinnainen accepts untranslated pages and data texts" || { fail "kk: kaannokset: valinnainen accepts untranslated pages and data texts"; cat "$work/kko.err"; }

# --- the repo's own handbook --------------------------------------------------
hout="$work/handbook"
if "$BIN" build --src ../.. --out "$hout" -q 2>"$work/handbook.err"; then ok "handbook builds"; else fail "handbook builds"; cat "$work/handbook.err"; fi
hb_has() { if grep -qF -- "$2" "$hout/$1"; then ok "handbook: $3"; else fail "handbook: $3 ($1 lacks: $2)"; fi; }
members=$(grep -A40 '<h2>Jäsenet</h2>' "$hout/toimijat/pk-kunnat/index.html" | sed '/<\/ul>/q' | grep -c '<li>')
[ "$members" = 13 ] && ok "handbook: Pohjois-Karjala has 13 municipalities" || fail "handbook: Pohjois-Karjala has 13 municipalities (got $members)"
hb_has yhteistyorakenne/pk-2021/index.html 'Edellinen yhteistyösopimuksen malli' "the previous model has a page"
hb_has yhteistyorakenne/pk-2025/index.html 'Yhteistyörakenteiden luonnos 2025' "the 2025 draft has a page"
hb_has yhteistyorakenne/vertailu-pk-2021-pk-2025/index.html '<h2>Muuttuneet foorumit</h2>' "the models are compared"
hb_has yhteistyorakenne/pk-2025/strateginen-neuvottelu/index.html '<dt>Kutsuu koolle</dt><dd><a href="../../../toimijat/siun-sote/">' "the strategic negotiation names its convener"
hb_has lainsaadanto/611-2021-14/index.html 'Hyvinvointialueen ja sen alueen kuntien on neuvoteltava vähintään valtuustokausittain' "611/2021 14 § is quoted"
hb_has lainsaadanto/velvoitteet/index.html 'class="puute"' "the coverage page shows a finding"
# Pages render in parallel: one thread or many must give the same bytes.
KASIKIRJA_THREADS=1 "$BIN" build --src ../.. --out "$work/handbook-1" -q 2>/dev/null
KASIKIRJA_THREADS=4 "$BIN" build --src ../.. --out "$work/handbook-4" -q 2>/dev/null
[ "$(digest "$work/handbook-1")" = "$(digest "$work/handbook-4")" ] && ok "handbook: 1 and 4 rendering threads give identical output" || fail "handbook: 1 and 4 rendering threads give identical output"
kunnat=$(ls -d "$hout"/kunnat/*/ 2>/dev/null | wc -l)
[ "$kunnat" = 13 ] && ok "handbook: the hook made a page per municipality" || fail "handbook: the hook made a page per municipality (got $kunnat)"
hb_has kunnat/joensuu/index.html '<h2 id="lakisääteiset-neuvottelut">' "a municipality page lists its statutory negotiations"
hb_has kunnat/joensuu/index.html 'href="../../yhteistyorakenne/pk-2025/strateginen-neuvottelu/">Kuntien ja hyvinvointialueen neuvottelu</a>' "a municipality page links its forums"
[ "$(head -c 3 "$hout/vastuunjako.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ] && ok "handbook: the CSV starts with a BOM" || fail "handbook: the CSV starts with a BOM"
head -n 1 "$hout/vastuunjako.csv" | grep -q '^.*Taulukko;Tehtävä;Teema;' && ok "handbook: the CSV uses ';'" || fail "handbook: the CSV uses ';'"
grep -q $'\r$' "$hout/vastuunjako.csv" && ok "handbook: the CSV has CRLF line ends" || fail "handbook: the CSV has CRLF line ends"
tables=$(grep -c '^  - id:' ../../content/data/vastuunjako.yaml)
xlsx_checks "handbook xlsx" "$hout/vastuunjako.xlsx" --sheets $((tables + 1)) --foorumit
hb_has malli.json '"mallit":[' "the JSON export holds the models"
ls "$hout"/*/vastuunjako.csv "$hout"/*/vastuunjako.xlsx "$hout"/*/malli.json >/dev/null 2>&1 \
  && fail "handbook: a one-language site has its exports at the top only" || ok "handbook: a one-language site has its exports at the top only"
hb_has malli.json '"id":"pk-2025"' "the JSON export names the draft"
hb_has yhteistyorakenne/pk-2025/strateginen-neuvottelu/index.html '611/2021 14 §' "the yearly negotiation names its legal basis"
hb_has index.html '<figure class="kaavio" id="kuva-rakenne-2021">' "the front page shows the structure chart of the current model"
hb_has neuvottelut/index.html '<h1>HYTE-neuvottelut käytännössä</h1>' "the page on negotiations in practice exists"
hb_has neuvottelut/muut-alueet/index.html 'id="kuva-rakenne-ek-2023"' "Etelä-Karjala's structure renders"
hb_has neuvottelut/muut-alueet/index.html 'id="kuva-rakenne-ks-2023"' "Keski-Suomi's structure renders"
hb_has johtaminen/index.html 'Luottamus' "the leadership page names the prerequisites"
hb_has vastuunjako/index.html '<h1>Yhdyspinnat ja vastuunjako</h1>' "interfaces and responsibilities share a page"
hb_has vastuunjako/index.html '<table class="vastuunjako">' "the responsibility table is on it"
hb_has perehdytys/tiivistelma/index.html '<h1>Mitä päättäjän on hyvä tietää</h1>' "the one-page summary exists"
hb_has saavutettavuus/index.html 'Traficom' "the accessibility statement names the supervisory authority"
hb_has saavutettavuus/index.html '14' "the accessibility statement gives the answer time"
hb_has lainsaadanto/velvoitteet/index.html 'Havainnot rakenteesta' "the coverage page explains the remaining findings"
warnings=$("$BIN" check --strict --src ../.. 2>&1 | grep -c ': \(warning\|error\): ')
[ "$warnings" = 0 ] && ok "handbook: no warnings, --strict passes (the two explained findings are known gaps)" \
  || fail "handbook: no warnings, --strict passes (got $warnings)"
hb_has lainsaadanto/velvoitteet/index.html 'tiedossa oleva puute' "the coverage page shows the known gaps with their reasons"
if grep -rqiE 'lorem|TODO|placeholder' "$hout" --include=*.html; then fail "handbook: no placeholder text"; else ok "handbook: no placeholder text"; fi
# Navigation, reader outputs and the calendar.
hb_has lainsaadanto/velvoitteet/index.html '<nav class="murupolku" aria-label="Murupolku">' "pages have breadcrumbs"
hb_has lainsaadanto/velvoitteet/index.html '<li><a href="../../lainsaadanto/">Lainsäädäntö</a></li>' "breadcrumbs lead up the URL"
hb_has lainsaadanto/velvoitteet/index.html '<a href="../../lainsaadanto/velvoitteet/" aria-current="page">Lakisääteiset velvoitteet</a>' "the sidebar marks the current page"
hb_has lainsaadanto/velvoitteet/index.html 'rel="next"' "pages link to the next page in reading order"
hb_has perehdytys/index.html 'rel="prev" href="../"' "the first chapter's previous page is the front page"
hb_has index.html '<meta property="og:title" content="Yhteistyörakenteiden käsikirja">' "Open Graph tags"
hb_has index.html '<link rel="icon" href="favicon.svg"' "a favicon"
hb_has robots.txt 'Sitemap: https://kasikirja.example.fi/sitemap.xml' "robots.txt names the sitemap"
# Page dates: from git, or mtimes; never past SOURCE_DATE_EPOCH (2026-01-01 here).
hb_has index.html 'Sisältö päivitetty <time datetime="2026-01-01">1.1.2026</time>' "the footer says when the content changed"
hb_has sitemap.xml '<loc>https://kasikirja.example.fi/</loc><lastmod>2026-01-01</lastmod>' "the sitemap has lastmod"
hb_has vuosikello/index.html 'href="../vuosikello.ics"' "the cycle page links its calendar"
hb_has vuosikello.ics 'BEGIN:VCALENDAR' "the calendar is iCalendar"
hb_has vuosikello.ics 'RRULE:FREQ=YEARLY' "yearly events recur"
if grep -q $'[^\r]$' "$hout/vuosikello.ics"; then fail "handbook: every calendar line ends in CRLF"; else ok "handbook: every calendar line ends in CRLF"; fi
long=$(awk '{ if (length($0) > 76) n++ } END { print n + 0 }' "$hout/vuosikello.ics")
[ "$long" = 0 ] && ok "handbook: calendar lines are folded" || fail "handbook: calendar lines are folded ($long too long)"
chapters=$(grep -c 'class="luku"' "$hout/tulosta/index.html")
[ "$chapters" -ge 15 ] && ok "handbook: the print page holds every chapter ($chapters)" || fail "handbook: the print page holds every chapter ($chapters)"
hb_has tulosta/index.html '<span class="luvun-numero">1.</span>' "print chapters are numbered"
hb_has tulosta/index.html '<details class="kaavio-teksti" open>' "print opens the diagrams' text equivalents"
hb_has perehdytys/tulosta/index.html 'href="https://kasikirja.example.fi/' "booklet links are absolute so they print"
dups=$(grep -o ' id="[^"]*"' "$hout/tulosta/index.html" | sort | uniq -d | head -3)
[ -z "$dups" ] && ok "handbook: ids stay unique on the print page" || fail "handbook: ids stay unique on the print page ($dups)"
hb_has perehdytys/index.html '<a href="tulosta/">' "the induction path links its booklet"
! grep -q 'class="kirja-osat"' "$hout/tulosta/index.html" \
  && [ "$(find "$hout/tulosta" -name index.html | wc -l)" = 1 ] \
  && ok "handbook: the whole handbook prints as one booklet (not in parts)" \
  || fail "handbook: the whole handbook prints as one booklet (not in parts)"
hb_has hakuhakemisto.json '"osat":[' "the search manifest lists its chunks"
chunks=$(grep -o '"hakuhakemisto/[0-9a-f]*\.json"' "$hout/hakuhakemisto.json" | tr -d '"')
nchunks=$(echo "$chunks" | grep -c . || true)
missing=0; big=0
for f in $chunks; do [ -f "$hout/$f" ] || missing=1; [ "$(grep -c '^"' "$hout/$f")" -gt 1 ] && [ "$(wc -c < "$hout/$f")" -gt 8192 ] && big=1; done
[ "$nchunks" -ge 2 ] && [ $missing = 0 ] && ok "handbook: the word index in chunks ($nchunks), all written" \
  || fail "handbook: the word index in chunks (got $nchunks, missing=$missing)"
[ $big = 0 ] && ok "handbook: no chunk of several stems over 8 KB" || fail "handbook: no chunk of several stems over 8 KB"
[ "$(ls "$hout/hakuhakemisto" | grep -c '\.json$')" = "$nchunks" ] && ok "handbook: no stray search chunks" || fail "handbook: no stray search chunks"
grep -hqF '"neuvottelu":"' $(for f in $chunks; do echo "$hout/$f"; done) && ok "handbook: the search index holds Finnish stems" || fail "handbook: the search index holds Finnish stems"
in_sitemap=$(grep -c '<loc>' "$hout/sitemap.xml")
indexed=$(ls "$hout/hakuhakemisto/sivut" | wc -l)
[ "$indexed" = "$in_sitemap" ] && ok "handbook: a search fragment for every page of the sitemap ($indexed)" || fail "handbook: a search fragment for every page of the sitemap ($indexed vs $in_sitemap)"
grep -qF '"s":[' "$hout/hakuhakemisto/sivut/0.json" && ok "handbook: a fragment holds the page's sections" || fail "handbook: a fragment holds the page's sections"
hb_has haku/index.html 'src="../haku.js"' "the search page loads its script"
hb_has index.html '<form class="hakulomake" role="search" action="haku/"' "every page has a search box"
ics=$(find "$hout/yhteistyorakenne" -name kalenteri.ics | wc -l)
[ "$ics" -gt 0 ] && ok "handbook: forums with events have their own calendar ($ics)" || fail "handbook: forums with events have their own calendar"

# --- the built-in theme ----------------------------------------------------
# The handbook builds byte for byte the same without its layouts/ folder: every file of the theme
# is in the binary. Both copies keep the files' times (cp -a), which date the pages without git.
mkdir -p "$work/with" "$work/without"
cp -a ../../site.yaml ../../content ../../diagrams ../../layouts "$work/with/"
cp -a ../../site.yaml ../../content ../../diagrams "$work/without/"
"$BIN" build --src "$work/with" --out "$work/with-public" -q 2>"$work/with.err"
"$BIN" build --src "$work/without" --out "$work/without-public" -q 2>"$work/without.err"
if [ -s "$work/without-public/index.html" ] && diff -r "$work/with-public" "$work/without-public" >"$work/theme.diff"; then
  ok "theme: the handbook without layouts/ is byte-identical ($(find "$work/without-public" -type f | wc -l) files)"
else fail "theme: the handbook without layouts/ is byte-identical"; head -20 "$work/theme.diff" "$work/without.err"; fi
# theme export writes the built-in files out (the same bytes as layouts/), never over a file.
"$BIN" theme export "$work/export" 2>"$work/export.err" && diff -r -x aloitus "$work/export/layouts" ../../layouts >/dev/null && [ ! -e "$work/export/layouts/aloitus" ] \
  && ok "theme export writes the theme" || { fail "theme export writes the theme"; cat "$work/export.err"; }
echo muutettu >"$work/export/layouts/page.mustache"
"$BIN" theme export "$work/export" 2>"$work/export2.err"; rc=$?
[ $rc = 1 ] && [ "$(cat "$work/export/layouts/page.mustache")" = muutettu ] \
  && grep -qxF "$work/export/layouts/page.mustache: error: the file exists already, and kasikirja never overwrites a file (move it away first, or choose an empty folder)" "$work/export2.err" \
  && ok "theme export never overwrites a file" || { fail "theme export never overwrites a file"; cat "$work/export2.err"; }
"$BIN" theme 2>"$work/theme-usage.err"; rc=$?
[ $rc = 2 ] && grep -qxF "kasikirja: use 'kasikirja theme export DIR'" "$work/theme-usage.err" && ok "theme without export is a usage error" || fail "theme without export is a usage error"

# --- the command line ------------------------------------------------------
"$BIN" --help | grep -q '^usage: kasikirja' && ok "--help" || fail "--help"
# --- the built-in editors' guide: its examples are the site's own ----------------
# The handbook (Pohjois-Karjala), the model fixture (another region: hva, kunta-a, kunnat,
# uusi) and a brand-new site without data: each guide shows that site's ids, never
# another region's, and reads right with generic stand-ins where there is no data.
guide_pages="ohjeet/index.html ohjeet/tiedot/index.html ohjeet/kaaviot/index.html ohjeet/laajennukset/index.html ohjeet/kaannokset/index.html"
guide_has() { # output dir, name, fixed string...
  local dir=$1 name=$2; shift 2
  for s in "$@"; do
    if cat $(for p in $guide_pages; do echo "$dir/$p"; done) 2>/dev/null | grep -qF -- "$s"; then ok "guide $name: shows $s"
    else fail "guide $name: shows $s"; fi
  done
}
guide_lacks() { # output dir, name, fixed string...
  local dir=$1 name=$2; shift 2
  for s in "$@"; do
    if cat $(for p in $guide_pages; do echo "$dir/$p"; done) 2>/dev/null | grep -qF -- "$s"; then fail "guide $name: no $s"
    else ok "guide $name: no $s"; fi
  done
}
for p in $guide_pages; do [ -f "$mout/$p" ] && ok "guide model: $p built" || fail "guide model: $p built"; done
guide_has "$mout" model 'kunnat: kunnat' 'href="../../toimijat/hva/"' 'kunta-a'
guide_lacks "$mout" model siun-sote pk-2025 pk-2021 pk-kunnat joensuu '{{{' 'oma-kunta'
hout="$work/handbook-public"
(cd ../.. && "$BIN" build --src . --out "$hout" -q 2>"$work/handbook.err") && ok "handbook builds" || { fail "handbook builds"; cat "$work/handbook.err"; }
guide_has "$hout" handbook 'kunnat: pk-kunnat' 'siun-sote' 'toimija:siun-sote' 'href="../../lainsaadanto/velvoitteet/"'
guide_lacks "$hout" handbook 'oma-kunta' 'oma-malli' '{{{'
# A brand-new region: site.yaml and a home page only.
nsite="$work/uusi-alue"; mkdir -p "$nsite/content"
printf 'title: Uusi alue\nbase_url: https://uusi.example/\n' > "$nsite/site.yaml"
printf -- '---\ntitle: Etusivu\n---\nTervetuloa.\n' > "$nsite/content/index.md"
nout="$work/uusi-public"
"$BIN" build --src "$nsite" --out "$nout" 2>"$work/uusi.err" >/dev/null && ok "brand-new site builds" || { fail "brand-new site builds"; cat "$work/uusi.err"; }
guide_has "$nout" brand-new 'oma-kunta' 'oma-malli/oma-foorumi' 'title: Uusi alue'
guide_lacks "$nout" brand-new siun-sote pk-2025 pk-kunnat 'hva' 'href="../../toimijat/'
grep -q 'warning\|error' "$work/uusi.err" && { fail "brand-new site: no guide diagnostics"; cat "$work/uusi.err"; } || ok "brand-new site: no guide diagnostics"
# A site page replaces one guide page; ohjeet: false leaves the guide out (the good site).
mkdir -p "$nsite/content/ohjeet"; printf -- '---\ntitle: Omat kaavio-ohjeet\n---\nOma teksti.\n' > "$nsite/content/ohjeet/kaaviot.md"
"$BIN" build --src "$nsite" --out "$nout" -q 2>/dev/null && grep -q 'Oma teksti.' "$nout/ohjeet/kaaviot/index.html" && [ -f "$nout/ohjeet/tiedot/index.html" ] \
  && ok "a site page replaces one guide page" || fail "a site page replaces one guide page"
[ ! -e "$out/ohjeet" ] && ok "ohjeet: false leaves the guide out" || fail "ohjeet: false leaves the guide out"

"$BIN" --version | grep -Eq '^kasikirja [0-9]+\.[0-9]+\.[0-9]+$' && ok "--version" || fail "--version"
# help: the general usage, a command's usage two ways, an unknown command with the closest one.
"$BIN" help >"$work/help.out" 2>&1; rc=$?
[ $rc -eq 0 ] && cmp -s "$work/help.out" <("$BIN" --help) && ok "help alone is --help" || fail "help alone is --help"
"$BIN" help build >"$work/help-build.out" 2>&1; rc=$?
[ $rc -eq 0 ] && head -n 1 "$work/help-build.out" | grep -q '^usage: kasikirja build \[--src DIR\] \[--out DIR\] \[--base-url URL\]' \
  && grep -q '^  --format FMT ' "$work/help-build.out" && ! grep -q -- '--port' "$work/help-build.out" \
  && ok "help build prints build's usage and options" || { fail "help build prints build's usage and options"; cat "$work/help-build.out"; }
"$BIN" build --help >"$work/build-help.out" 2>&1; rc=$?
[ $rc -eq 0 ] && cmp -s "$work/help-build.out" "$work/build-help.out" && ok "build --help is help build" || fail "build --help is help build"
"$BIN" serve -h | grep -q -- '--port N' && ok "serve -h shows --port" || fail "serve -h shows --port"
"$BIN" help bild >/dev/null 2>"$work/help-bild.err"; rc=$?
[ $rc -eq 2 ] && [ "$(head -n 1 "$work/help-bild.err")" = "kasikirja: unknown command 'bild' (did you mean 'build'?)" ] \
  && ok "help of an unknown command names the closest one" || { fail "help of an unknown command names the closest one (rc $rc)"; cat "$work/help-bild.err"; }

# --format json: one JSON array on stdout, exact fields; an unknown format is a usage error.
"$BIN" check --format json --src bad-model-data/site >"$work/json.out" 2>"$work/json.err"; rc=$?
[ $rc -eq 1 ] && ok "check --format json exits 1 on errors" || fail "check --format json exits 1 on errors (got $rc)"
python3 -c 'import json,sys; json.load(sys.stdin)' <"$work/json.out" && ok "check --format json prints valid JSON" || { fail "check --format json prints valid JSON"; cat "$work/json.out"; }
got=$(python3 -c '
import json, sys
d = json.load(sys.stdin)[0]
print(sorted(d) == ["column", "file", "hint", "line", "message", "severity"], d["file"], d["line"], d["column"], d["severity"], d["message"], d["hint"], sep="|")' <"$work/json.out")
[ "$got" = "True|content/data/mallit/pk.yaml|10|14|error|unknown party or group 'kuntaliito'|did you mean 'kuntaliitto'?" ] \
  && ok "check --format json: the exact fields of a diagnostic" || fail "check --format json: the exact fields of a diagnostic (got $got)"
n_json=$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' <"$work/json.out")
n_human=$("$BIN" check --src bad-model-data/site 2>&1 >/dev/null | grep -c ': \(error\|warning\): ')
[ "$n_json" = "$n_human" ] && ok "--format json lists what the human format prints ($n_json)" || fail "--format json lists what the human format prints ($n_json vs $n_human)"
grep -q '^kasikirja: check failed: 2 errors$' "$work/json.err" && ! grep -q ': error: ' "$work/json.err" \
  && ok "--format json leaves stderr the summary only" || { fail "--format json leaves stderr the summary only"; cat "$work/json.err"; }
"$BIN" check --format json --strict --src good/site >"$work/strict.json" 2>/dev/null; rc=$?
python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d and all(x["severity"] == "error" and x["message"].endswith(" [--strict]") for x in d), d
assert d[0]["hint"].startswith("write it in Markdown"), d[0]' <"$work/strict.json" && [ $rc -eq 1 ] \
  && ok "--format json --strict reports warnings as errors" || { fail "--format json --strict reports warnings as errors"; cat "$work/strict.json"; }
"$BIN" check --format json --src good/site -q >"$work/quiet.json" 2>&1; rc=$?
[ $rc -eq 0 ] && [ "$(cat "$work/quiet.json")" = "[]" ] && ok "--format json -q on a good site prints []" || { fail "--format json -q on a good site prints []"; cat "$work/quiet.json"; }
"$BIN" build --format json --src good/site --out "$work/json-build" >"$work/build.json" 2>"$work/build-json.err"; rc=$?
[ $rc -eq 0 ] && python3 -c 'import json,sys; assert all(x["severity"] == "warning" for x in json.load(sys.stdin))' <"$work/build.json" \
  && grep -q '^kasikirja: built ' "$work/build-json.err" && ok "build accepts --format json (summary on stderr)" || fail "build accepts --format json (summary on stderr)"
"$BIN" check --format x --src good/site >/dev/null 2>"$work/format.err"; rc=$?
[ $rc -eq 2 ] && [ "$(head -n 1 "$work/format.err")" = "kasikirja: unknown --format 'x' (use human or json)" ] \
  && ok "an unknown --format is a usage error" || { fail "an unknown --format is a usage error (rc $rc)"; cat "$work/format.err"; }
"$BIN" build --nonsense 2>/dev/null; [ $? -eq 2 ] && ok "unknown option exits 2" || fail "unknown option exits 2"
"$BIN" publish 2>/dev/null; [ $? -eq 2 ] && ok "unknown command exits 2" || fail "unknown command exits 2"
"$BIN" 2>/dev/null; [ $? -eq 2 ] && ok "no command exits 2" || fail "no command exits 2"
"$BIN" check --src good/site --out "$work/never" -q && [ ! -e "$work/never" ] && ok "check writes nothing" || fail "check writes nothing"
"$BIN" build --src "$work/missing" --out "$work/x" 2>"$work/missing.err"; rc=$?
[ $rc -eq 1 ] && grep -q "the source folder does not exist" "$work/missing.err" && ok "missing source folder" || fail "missing source folder"
"$BIN" build --src good/site --out "$work/summary" >"$work/summary.out" 2>&1
grep -Eq '^kasikirja: built 3 pages, 0 diagrams \(0 laid out, 0 from cache\), [0-9]+ files in [0-9]+ ms -> ' "$work/summary.out" && ok "summary line" || { fail "summary line"; cat "$work/summary.out"; }
"$BIN" build --src good/site --out "$work/base" --base-url https://toinen.example/ -q && grep -q 'https://toinen.example/lait/' "$work/base/sitemap.xml" && ok "--base-url overrides site.yaml" || fail "--base-url overrides site.yaml"
# The output folder must be kasikirja's own: a source folder is never replaced.
"$BIN" build --src good/site --out good/site/content -q 2>/dev/null; [ $? -eq 1 ] && [ -f good/site/content/index.md ] && ok "refuses to replace a folder it did not write" || fail "refuses to replace a folder it did not write"

# A very large site prints in parts (booklet.h BOOKLET_PART_PAGES = 300): tulosta/ lists
# one booklet a top-level section (runs of 300 pages in a larger one), each under 3 MB.
big="$work/big-site"
python3 ../bench/gen_site.py sections 700 "$big" >/dev/null
python3 - "$big" <<'PY'
import os, sys
top = sys.argv[1]
with open(os.path.join(top, "content/index.md")) as f:
    text = f.read().replace("kirjaan: false\n", "")
with open(os.path.join(top, "content/index.md"), "w") as f:
    f.write(text)
# one section of 650 pages: printed in three runs
for i in range(650):
    with open(os.path.join(top, "content/osa-6", f"iso-{i}.md"), "w") as f:
        f.write(f"---\ntitle: Iso {i}\nweight: {1000 + i}\n---\nTeksti {i}.\n")
PY
if "$BIN" build --src "$big" --out "$work/big" -q 2>"$work/big.err"; then
  parts=$(find "$work/big/tulosta" -mindepth 2 -name index.html | wc -l)
  largest=$(find "$work/big/tulosta" -name index.html -printf '%s\n' | sort -n | tail -1)
  listed=$(grep -o '<li><a href="osa-[^"]*/">' "$work/big/tulosta/index.html" | wc -l)
  chapters=$(cat "$work/big/tulosta"/*/index.html "$work/big/tulosta"/*/*/index.html 2>/dev/null | grep -c 'class="luku')
  [ "$parts" = 9 ] && [ "$listed" = 9 ] && [ -f "$work/big/tulosta/osa-6/3/index.html" ] \
    && grep -q 'class="kirja-osat"' "$work/big/tulosta/index.html" \
    && ok "a large site's handbook prints in parts, listed on tulosta/ ($parts)" \
    || fail "a large site's handbook prints in parts, listed on tulosta/ (parts $parts, listed $listed)"
  [ "$largest" -lt 3000000 ] && ok "every booklet part is under 3 MB (largest $largest bytes)" \
    || fail "every booklet part is under 3 MB (largest $largest bytes)"
  [ "$chapters" = 1358 ] && ok "the parts hold every page once ($chapters)" || fail "the parts hold every page once ($chapters, want 1358)"
else
  fail "a large site builds"; head "$work/big.err"
fi

echo "e2e: $passed passed, $failed failed"
[ $failed -eq 0 ]
