#!/usr/bin/env bash
# Generates a synthetic site of N pages (about 4 KB each: front matter, headings, lists, a GFM
# table, internal links, a code block) for the shape tests (tests/shapes.sh; make bench generates
# its sites with gen_site.py).
#   Usage: gen_site.sh N DIR [SHAPE]
# SHAPE is one of
#   index    (default) folders of 100 pages, each with an index page: up to 100 sections at the
#            top level (osa-S/), more grouped under 100 top-level parts (osa-G/alue-S/)
#   noindex  20 folders (osa-0/ … osa-19/) without index pages: generated section pages
#   flat     every page in content/ itself, beside the front page
# The site has no layouts/: it uses the theme built into kasikirja.
set -euo pipefail
n=$1 dir=$2 shape=${3:-index}
case $shape in index|noindex|flat) ;; *) echo "gen_site.sh: unknown shape '$shape' (index, noindex, flat)" >&2; exit 2;; esac
rm -rf "$dir"; mkdir -p "$dir/content"
printf 'title: Testisivusto\nlanguage: fi\nbase_url: https://example.fi/\nohjeet: false\nmenu:\n  - title: Etusivu\n    page: index.md\n' > "$dir/site.yaml"
printf -- '---\ntitle: Etusivu\n---\nSivuja on %d.\n' "$n" > "$dir/content/index.md"
# One awk process writes every page (a process per page would dominate the time).
awk -v n="$n" -v dir="$dir/content" -v shape="$shape" '
function folder(i,   s) {            # the folder of page i, "" at the top
  if (shape == "flat") return ""
  if (shape == "noindex") return "osa-" int(i / per20) "/"
  s = int(i / 100)
  return per == 1 ? "osa-" s "/" : "osa-" int(s / per) "/alue-" s "/"
}
BEGIN {
  sections = int((n + 99) / 100)
  per = sections <= 100 ? 1 : int((sections + 99) / 100)
  per20 = int((n + 19) / 20)
  # Index pages (shape index): each section, and each top-level part when grouped.
  for (s = 0; shape == "index" && s < sections; s++) {
    f = folder(s * 100)
    system("mkdir -p \"" dir "/" f "\"")
    if (per != 1 && s % per == 0) {
      g = int(s / per); file = dir "/osa-" g "/index.md"
      printf "---\ntitle: Osa %d\nweight: %d\n---\nOsan %d alueet.\n", g, g, g > file; close(file)
    }
    file = dir "/" f "index.md"
    printf "---\ntitle: %s %d\nweight: %d\n---\nOsan %d sivut.\n", (per == 1 ? "Osa" : "Alue"), s, s, s > file; close(file)
  }
  for (s = 0; shape == "noindex" && s < 20; s++)
    system("mkdir -p \"" dir "/osa-" s "\"")
  for (i = 0; i < n; i++) {
    f = folder(i); nx = (i + 1) % n; nf = folder(nx)
    up = f == "" ? "" : (f ~ /\/.*\// ? "../../" : "../")
    home = f == "" ? "index.md" : "index.md"
    file = dir "/" f "sivu-" i ".md"
    printf "---\ntitle: Sivu %d\ndescription: Synteettinen sivu %d\nweight: %d\n---\n", i, i, i > file
    for (h = 1; h <= 5; h++) {
      printf "## Luku %d\n\nHyvinvointialue ja kunnat neuvottelevat vähintään kerran vuodessa hyvinvoinnin ja terveyden edistämisestä. ", h > file
      printf "Neuvottelussa sovitaan tavoitteista, toimenpiteistä, yhteistyöstä ja seurannasta. Katso [seuraava sivu](%s%ssivu-%d.md#luku-%d) ja [etusivu](%s%s).\n\n", up, nf, nx, h, up, (f == "" || shape != "index") ? "index.md" : f "index.md" > file
      printf "- kunta osallistuu\n- hyvinvointialue kutsuu koolle\n- järjestöt ja seurakunnat ovat mukana\n\n" > file
      printf "| Foorumi | Kutsuu | Kuinka usein |\n|---|---|---|\n| HYTE-neuvottelu | hyvinvointialue | 1/vuosi |\n| Kuntaneuvottelu | hyvinvointialue | 1/valtuustokausi |\n| Johtoryhmä | maakuntaliitto | 4/vuosi |\n\n" > file
      printf "```yaml\nid: hyte-%d\nkutsuja: hva\n```\n\nLisätietoa: https://www.finlex.fi/ ja **lihavoitu** sekä *kursiivi* teksti ~~poistettu~~.\n\n", i > file
    }
    close(file)
  }
}'
