#!/usr/bin/env bash
# Bounded navigation, whatever the site's shape: what a page carries must not grow with the
# number of pages or with the shape of the folders.   Usage: tests/shapes.sh KASIKIRJA
#  1. Sites of each shape (tests/bench/gen_site.py: folders of 100 with index pages, 20 folders
#     without, one flat folder) at 500 and 2,000 pages: the largest page at 2,000 is at most
#     1.1 × the largest at 500 + 2 KB for content pages, + 10 KB for section and list pages (a
#     list page holds up to 100 entries: at 500 pages in 20 folders it is not full yet); every
#     folder has a section page, and a list past 100 entries goes on at sivu/2/ ….
#  2. A folder of 250 pages without an index page, named by its _sektio.yaml: the list's pages,
#     their rel=prev/next links and pagination nav.
#  3. Bad shapes: a 30-level folder tree, 1,000 folders of one page each, a 10,000-character
#     title: each builds, every page stays small, and the diagnostics say only what is so.
# The printable booklet of the whole handbook (tulosta/) is the one page meant to hold everything:
# it is left out of the sizes.
set -euo pipefail
kk=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }

# The size of the largest index.html of public/ under $1 whose path matches $2 (a grep -E
# pattern; tulosta/ left out).
largest() {
  (cd "$1/public" && find . -name index.html ! -path './tulosta/*' -printf '%s %p\n') |
    grep -E "$2" | sort -n | tail -1 | cut -d' ' -f1
}

build() { # DIR: builds; the diagnostics (warnings too, not the summary line) go to DIR.diag
  "$kk" build --src "$1" >"$1.out" 2>"$1.all" || { bad "$1: the build failed"; cat "$1.all"; return 1; }
  grep -v '^kasikirja: built ' "$1.all" >"$1.diag" || true
}

# Every folder of content/ with pages has a section page, and its list goes on past 100 entries.
check_sections() {
  local dir=$1 f n pages want
  while IFS= read -r f; do
    rel=${f#"$dir/content"}; rel=${rel#/}
    [ -n "$rel" ] && rel="$rel/"
    [ -f "$dir/public/${rel}index.html" ] || { bad "$dir: no section page for content/$rel"; continue; }
    n=$(find "$f" -mindepth 1 -maxdepth 1 \( -name '*.md' ! -name index.md -o -type d \) | wc -l)
    pages=$(( (n + 99) / 100 ))
    if [ "$pages" -gt 1 ]; then
      want="$dir/public/${rel}sivu/$pages/index.html"
      [ -f "$want" ] || { bad "$dir: content/$rel has $n entries, but no ${rel}sivu/$pages/"; continue; }
      grep -q 'rel="prev"' "$want" || bad "$want: no rel=prev"
      [ ! -e "$dir/public/${rel}sivu/$((pages + 1))" ] || bad "$dir: ${rel}sivu/$((pages + 1))/ is one page too many"
    fi
    if [ "$n" -gt 20 ]; then
      grep -q "$(printf 'class="luettelo"')" "$dir/public/${rel}index.html" || bad "$dir: ${rel} lists no pages"
    fi
  done < <(find "$dir/content" -type d)
}

echo "== 1. shapes at 500 and 2,000 pages"
for shape in sections folders root; do
  for n in 500 2000; do
    python3 "$here/bench/gen_site.py" "$shape" "$n" "$work/$shape-$n" >/dev/null
    build "$work/$shape-$n"
    [ ! -s "$work/$shape-$n.diag" ] || { bad "$shape-$n: diagnostics"; head -5 "$work/$shape-$n.diag"; }
    check_sections "$work/$shape-$n"
  done
  for kind in content list; do
    # A list page fills up to 100 entries (about 100 B each): at 500 pages in 20 folders its
    # lists hold 25, so the constant for list pages is a full list's 10 KB.
    pat='/sivu-[0-9]+/index.html$' extra=2048
    [ $kind = content ] || pat='(^\./index.html|/(osa|kansio)-[0-9]+/index.html|/sivu/[0-9]+/index.html)$' extra=10240
    a=$(largest "$work/$shape-500" "$pat") b=$(largest "$work/$shape-2000" "$pat")
    limit=$(( a * 11 / 10 + extra ))
    if [ "$b" -le "$limit" ]; then ok "$shape: largest $kind page $a B at 500 pages, $b B at 2,000"
    else bad "$shape: largest $kind page $b B at 2,000 pages > 1.1 × $a B at 500 + $extra B"; fi
  done
  rm -rf "$work/$shape-500"
done

echo "== 2. a long section without an index page"
s=$work/pitka
mkdir -p "$s/content/osa-3"
printf 'title: T\nbase_url: https://e.fi/\nohjeet: false\n' >"$s/site.yaml"
printf -- '---\ntitle: Etusivu\n---\nHei.\n' >"$s/content/index.md"
for i in $(seq 1 250); do printf -- '---\ntitle: Sivu %d\nweight: %d\n---\nTeksti.\n' "$i" "$i" >"$s/content/osa-3/s$i.md"; done
printf 'otsikko: Kolmas osa\nkuvaus: Kolmannen osan sivut.\n' >"$s/content/osa-3/_sektio.yaml"
build "$s"
[ ! -s "$s.diag" ] || { bad "pitka: diagnostics"; cat "$s.diag"; }
p=$s/public/osa-3
grep -q '<h1>Kolmas osa</h1>' "$p/index.html" && grep -q 'Kolmannen osan sivut.' "$p/index.html" &&
  ok "the section page's title and description from _sektio.yaml" || bad "osa-3/: not titled by _sektio.yaml"
[ "$(sed -n '/<ul class="luettelo-sivut">/,/<\/ul>/p' "$p/index.html" | grep -c '<li><a href="../osa-3/s')" = 100 ] && ok "list page 1 holds 100 entries" ||
  bad "osa-3/: not 100 entries"
grep -q '<link rel="next" href="../osa-3/sivu/2/">' "$p/index.html" || bad "osa-3/: no rel=next in the head"
grep -q '<link rel="prev" href="../../../osa-3/">' "$p/sivu/2/index.html" &&
  grep -q '<link rel="next" href="../../../osa-3/sivu/3/">' "$p/sivu/2/index.html" || bad "sivu/2/: rel=prev/next"
grep -q '<nav class="sivutus" aria-label="Luettelon sivut">' "$p/sivu/3/index.html" &&
  grep -q 'href="../../../osa-3/sivu/3/" aria-current="page"' "$p/sivu/3/index.html" &&
  ok "list pages 2 and 3: rel=prev/next, a labelled pagination nav marking the current page" ||
  bad "sivu/3/: pagination nav"
[ ! -e "$p/sivu/4" ] || bad "osa-3/sivu/4/ made"
grep -q 'Kaikki 250 sivua' "$p/s125/index.html" && ok "a page's sidebar links to all 250" || bad "s125: no 'Kaikki 250 sivua'"
grep -q '"osa-3/sivu/2/"\|osa-3/sivu/2/' "$s/public/sitemap.xml" && grep -q '<loc>https://e.fi/osa-3/</loc>' "$s/public/sitemap.xml" &&
  ok "the sitemap has the section and its list pages" || bad "sitemap"
grep -rqF '"Kolmas osa"' "$s/public/hakuhakemisto" 2>/dev/null &&
  ok "the search index has the section" || bad "the search index lacks the section"

# The same site in Swedish: the list's and the sidebar's words come from the catalog.
sv=$work/pitka-sv
cp -r "$s" "$sv"; rm -rf "$sv/public"; echo 'language: sv' >>"$sv/site.yaml"
build "$sv"
grep -q 'Alla 250 sidor' "$sv/public/osa-3/s125/index.html" &&
  grep -q '<nav class="sivutus" aria-label="Listans sidor">' "$sv/public/osa-3/sivu/2/index.html" &&
  grep -q '‹ Föregående<span class="piilotettu"> sida i listan</span>' "$sv/public/osa-3/sivu/2/index.html" &&
  ok "a Swedish site's list and sidebar speak Swedish" || bad "pitka-sv: Finnish words in the list or sidebar"

# No content/index.md: the front page is generated like any folder's section page, titled
# by content/_sektio.yaml when there is one, else by the site's title.
s=$work/juureton
mkdir -p "$s/content/osa-1"
printf 'title: Juureton\nbase_url: https://e.fi/\nohjeet: false\n' >"$s/site.yaml"
printf -- '---\ntitle: Yksi\n---\nTeksti.\n' >"$s/content/osa-1/yksi.md"
printf -- '---\ntitle: Kaksi\n---\nTeksti.\n' >"$s/content/kaksi.md"
build "$s"
[ ! -s "$s.diag" ] || { bad "juureton: diagnostics"; cat "$s.diag"; }
grep -q '<h1>Juureton</h1>' "$s/public/index.html" &&
  grep -q '<li class="osio"><a href="osa-1/">Osa 1</a></li>' "$s/public/index.html" &&
  grep -q '<li><a href="kaksi/">Kaksi</a></li>' "$s/public/index.html" &&
  grep -q '<loc>https://e.fi/</loc>' "$s/public/sitemap.xml" &&
  ok "no content/index.md: a generated front page lists the top level" || bad "juureton: no generated front page"
printf 'otsikko: Tervetuloa\n' >"$s/content/_sektio.yaml"
rm -rf "$s/public"; build "$s"
grep -q '<h1>Tervetuloa</h1>' "$s/public/index.html" && ok "content/_sektio.yaml titles it" || bad "juureton: not titled by content/_sektio.yaml"

# A bilingual site: the section page of a folder without an index page exists in each language,
# the Swedish one a Swedish page, each naming the other.
s=$work/kaksikielinen
mkdir -p "$s/content/osa"
printf 'title: {fi: T, sv: TS}\nlanguages: [fi, sv]\nbase_url: https://e.fi/\nohjeet: false\n' >"$s/site.yaml"
printf -- '---\ntitle: Koti\n---\nx\n' >"$s/content/index.md"
printf -- '---\ntitle: Hem\n---\nx\n' >"$s/content/index.sv.md"
printf -- '---\ntitle: Yksi\n---\nx\n' >"$s/content/osa/yksi.md"
printf -- '---\ntitle: Ett\n---\nx\n' >"$s/content/osa/yksi.sv.md"
build "$s"
grep -q '<html lang="sv"' "$s/public/sv/osa/index.html" &&
  grep -q '<nav class="kielivalitsin" aria-label="Språk">' "$s/public/sv/osa/index.html" &&
  grep -q '<a href="../../sv/osa/yksi/">Ett</a>' "$s/public/sv/osa/index.html" &&
  grep -q '<link rel="alternate" hreflang="sv" href="https://e.fi/sv/osa/">' "$s/public/osa/index.html" &&
  grep -q '<link rel="alternate" hreflang="fi" href="https://e.fi/osa/">' "$s/public/sv/osa/index.html" &&
  ok "a section page in each language: the Swedish one Swedish, each naming the other" ||
  bad "kaksikielinen: sv/osa/ is not the Swedish version of osa/"
# Its title per language: _sektio.yaml, and _sektio.sv.yaml as x.sv.md is x.md's translation;
# a language the site lacks is said once, and the file is not read.
printf 'otsikko: Ensimmäinen osa\n' >"$s/content/osa/_sektio.yaml"
printf 'otsikko: Första delen\n' >"$s/content/osa/_sektio.sv.yaml"
printf 'otsikko: Erste\n' >"$s/content/osa/_sektio.de.yaml"
rm -rf "$s/public"; build "$s"
grep -q '<h1>Ensimmäinen osa</h1>' "$s/public/osa/index.html" && grep -q '<h1>Första delen</h1>' "$s/public/sv/osa/index.html" &&
  ok "a section's title per language from _sektio.yaml and _sektio.sv.yaml" || bad "kaksikielinen: section titles per language"
want="content/osa/_sektio.de.yaml: warning: this file is not read: 'de' is not a language of the site other than the default (a translation of _sektio.yaml is _sektio.<language>.yaml, e.g. _sektio.sv.yaml)"
[ "$(cat "$s.diag")" = "$want" ] && ok "_sektio.de.yaml on a fi/sv site: one warning" || { bad "kaksikielinen: diagnostics"; cat "$s.diag"; }

echo "== 3. bad shapes"
# A 30-level folder tree, a page at every level, no index pages.
s=$work/syva
mkdir -p "$s/content"
printf 'title: T\nbase_url: https://e.fi/\nohjeet: false\n' >"$s/site.yaml"
printf -- '---\ntitle: Etusivu\n---\nHei.\n' >"$s/content/index.md"
d=$s/content
for l in $(seq 1 30); do d=$d/taso-$l; mkdir -p "$d"; printf -- '---\ntitle: Sivu tasolla %d\n---\nTeksti.\n' "$l" >"$d/sivu.md"; done
build "$s"
[ ! -s "$s.diag" ] || { bad "syva: diagnostics"; cat "$s.diag"; }
check_sections "$s"
max=$(largest "$s" .); [ "$max" -le 16384 ] && ok "30 levels deep: largest page $max B" || bad "30 levels deep: a page of $max B"
# 1,000 folders of one page each.
s=$work/kansiot
mkdir -p "$s/content"
printf 'title: T\nbase_url: https://e.fi/\nohjeet: false\n' >"$s/site.yaml"
printf -- '---\ntitle: Etusivu\n---\nHei.\n' >"$s/content/index.md"
awk -v dir="$s/content" 'BEGIN { for (i = 0; i < 1000; i++) { system("") }
  for (i = 0; i < 1000; i++) { d = dir "/kansio-" i; cmd = "mkdir -p " d; cmd | getline; close(cmd)
    f = d "/sivu.md"; printf "---\ntitle: Sivu %d\n---\nTeksti.\n", i > f; close(f) } }' </dev/null
build "$s"
[ ! -s "$s.diag" ] || { bad "kansiot: diagnostics"; head -5 "$s.diag"; }
check_sections "$s"
max=$(largest "$s" .); [ "$max" -le 20480 ] && ok "1,000 one-page folders: largest page $max B" || bad "1,000 folders: a page of $max B"
# A 10,000-character title: one warning, at its line; pages near it stay bounded.
s=$work/otsikko
mkdir -p "$s/content/osa"
printf 'title: T\nbase_url: https://e.fi/\nohjeet: false\n' >"$s/site.yaml"
printf -- '---\ntitle: Etusivu\n---\nHei.\n' >"$s/content/index.md"
for i in $(seq 1 40); do printf -- '---\ntitle: Sivu %d\nweight: %d\n---\nTeksti.\n' "$i" "$i" >"$s/content/osa/s$i.md"; done
{ printf -- '---\ntitle: '; head -c 10000 /dev/zero | tr '\0' 'a'; printf '\nweight: 20\n---\nTeksti.\n'; } >"$s/content/osa/pitka.md"
build "$s"
want="content/osa/pitka.md:2:8: warning: the title is 10000 characters long: it shows in the sidebar, the breadcrumbs and the browser's tab, so keep it under 200 (say more in 'description')"
[ "$(cat "$s.diag")" = "$want" ] && ok "a 10,000-character title: one warning at its line" ||
  { bad "the long title's diagnostics:"; cat "$s.diag"; }
max=$(largest "$s" .); [ "$max" -le 81920 ] && ok "pages around the long title: largest $max B (the title a bounded number of times)" ||
  bad "a page of $max B around the long title"

[ $fail = 0 ] && echo "shapes: all passed" || { echo "shapes: FAILED"; exit 1; }
