#!/usr/bin/env bash
# Turns a synthetic kasikirja site (made by gen_site.sh) into the equivalent Hugo site, from the
# very same Markdown files.   Usage: gen_hugo.sh KASIKIRJA_SITE DIR
#
#   DIR/hugo.toml         tests/bench/hugo/hugo.toml
#   DIR/layouts/          tests/bench/hugo/layouts/ (base, page, section list, 404, link hook)
#   DIR/static/           kasikirja's built-in layouts/static/ (tyyli.css, favicon.svg, ...)
#   DIR/content/          hard links to the kasikirja site's content/*.md (copies when the file
#                         system cannot link); every index.md becomes _index.md, Hugo's name for
#                         a section's (and the home page's) own page.
set -euo pipefail
src=$1 dir=$2
here=$(cd "$(dirname "$0")" && pwd)
[ -f "$src/content/index.md" ] || { echo "gen_hugo.sh: $src is not a kasikirja site" >&2; exit 1; }
rm -rf "$dir"; mkdir -p "$dir/static"
cp "$here/hugo/hugo.toml" "$dir/"
cp -r "$here/hugo/layouts" "$dir/"
cp -r "$here/../../layouts/static/"* "$dir/static/" # the theme kasikirja builds in
cp -al "$src/content" "$dir/content" 2>/dev/null || { rm -rf "$dir/content"; cp -a "$src/content" "$dir/content"; }
find "$dir/content" -name index.md -execdir mv index.md _index.md \;
