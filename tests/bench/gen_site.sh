#!/usr/bin/env bash
# Generates a synthetic site of N pages (about 4 KB each: front matter, headings, lists, a GFM
# table, internal links, a code block) for timing builds.   Usage: gen_site.sh N DIR
set -euo pipefail
n=$1 dir=$2
rm -rf "$dir"; mkdir -p "$dir/content" "$dir/layouts/static"
# The handbook's layouts, except the printable booklet of the whole site (layouts/kirja.mustache):
# like the Hugo site it is compared with, the corpus is pages with one layout and a section menu
# (a 10,000-page booklet would be one HTML page of about 60 MB).
for f in "$(dirname "$0")/../../layouts/"*.mustache; do
  [ "$(basename "$f")" = kirja.mustache ] || cp "$f" "$dir/layouts/"
done
cp "$(dirname "$0")/../../layouts/static/"* "$dir/layouts/static/"
printf 'title: Testisivusto\nlanguage: fi\nbase_url: https://example.fi/\nmenu:\n  - title: Etusivu\n    page: index.md\n' > "$dir/site.yaml"
printf -- '---\ntitle: Etusivu\n---\nSivuja on %d.\n' "$n" > "$dir/content/index.md"
sections=$(( (n + 99) / 100 ))
# Up to 100 sections sit at the top level (osa-S/). More are grouped under 100 top-level parts
# (osa-G/alue-S/), so that the sidebar (the top-level parts and the open part's children) stays
# bounded as N grows and the build time can scale linearly.
per=1; [ "$sections" -le 100 ] || per=$(( (sections + 99) / 100 ))
path_of() { if [ "$per" = 1 ]; then echo "osa-$1"; else echo "osa-$(($1 / per))/alue-$1"; fi; }
up=../; [ "$per" = 1 ] || up=../../
for ((s = 0; s < sections; s++)); do
  sp=$(path_of "$s")
  mkdir -p "$dir/content/$sp"
  if [ "$per" != 1 ] && [ $((s % per)) = 0 ]; then
    g=$((s / per))
    printf -- '---\ntitle: Osa %d\nweight: %d\n---\nOsan %d alueet.\n' "$g" "$g" "$g" > "$dir/content/osa-$g/index.md"
  fi
  title=Osa; [ "$per" = 1 ] || title=Alue
  printf -- '---\ntitle: %s %d\nweight: %d\n---\nOsan %d sivut.\n' "$title" "$s" "$s" "$s" > "$dir/content/$sp/index.md"
done
for ((i = 0; i < n; i++)); do
  s=$((i / 100)) next=$(((i + 1) % n)) ns=$((((i + 1) % n) / 100))
  sp=$(path_of "$s") nsp=$(path_of "$ns")
  {
    printf -- '---\ntitle: Sivu %d\ndescription: Synteettinen sivu %d\nweight: %d\n---\n' "$i" "$i" "$i"
    for h in 1 2 3 4 5; do
      printf '## Luku %d\n\nHyvinvointialue ja kunnat neuvottelevat vähintään kerran vuodessa hyvinvoinnin ja terveyden edistämisestä. ' "$h"
      printf 'Neuvottelussa sovitaan tavoitteista, toimenpiteistä, yhteistyöstä ja seurannasta. Katso [seuraava sivu](%s%s/sivu-%d.md#luku-%d) ja [osan etusivu](index.md).\n\n' "$up" "$nsp" "$next" "$h"
      printf -- '- kunta osallistuu\n- hyvinvointialue kutsuu koolle\n- järjestöt ja seurakunnat ovat mukana\n\n'
      printf '| Foorumi | Kutsuu | Kuinka usein |\n|---|---|---|\n| HYTE-neuvottelu | hyvinvointialue | 1/vuosi |\n| Kuntaneuvottelu | hyvinvointialue | 1/valtuustokausi |\n| Johtoryhmä | maakuntaliitto | 4/vuosi |\n\n'
      printf '```yaml\nid: hyte-%d\nkutsuja: hva\n```\n\nLisätietoa: https://www.finlex.fi/ ja **lihavoitu** sekä *kursiivi* teksti ~~poistettu~~.\n\n' "$i"
    done
  } > "$dir/content/$sp/sivu-$i.md"
done
