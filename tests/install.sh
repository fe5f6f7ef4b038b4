#!/usr/bin/env bash
# `make install` / `make uninstall` into a staging DESTDIR (never the machine's own /usr/local):
# the installed binary runs, the manual page renders without a groff warning and covers every
# command, option and environment variable the program has, and uninstall leaves no file.
# Usage: tests/install.sh VERSION   (run from `make install-test`, at the top of the tree)
set -u
VERSION=$1
root=$(pwd)
passed=0 failed=0
work=$(mktemp -d /tmp/kasikirja-install-XXXXXX)
trap 'rm -rf "$work"' EXIT
ok()   { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; }

dest="$work/dest"
if make -C "$root" --no-print-directory install DESTDIR="$dest" PREFIX=/usr/local >"$work/install.log" 2>&1; then
  ok "make install DESTDIR PREFIX"
else
  fail "make install DESTDIR PREFIX"; cat "$work/install.log"
fi
bin="$dest/usr/local/bin/kasikirja"
man="$dest/usr/local/share/man/man1/kasikirja.1"
[ -x "$bin" ] && ok "the binary is in PREFIX/bin" || fail "the binary is in PREFIX/bin"
[ -f "$man" ] && ok "the manual page is in PREFIX/share/man/man1" || fail "the manual page is in PREFIX/share/man/man1"

[ "$("$bin" --version)" = "kasikirja $VERSION" ] && ok "the installed binary prints its version" || fail "the installed binary prints its version"
if XDG_CACHE_HOME="$work/cache" "$bin" build --src tests/fixtures/good/site --out "$work/out" -q 2>"$work/build.err" \
   && [ -f "$work/out/index.html" ]; then
  ok "the installed binary builds a site"
else
  fail "the installed binary builds a site"; cat "$work/build.err"
fi

# The manual page: no warning from groff (or man), and the version from the Makefile.
warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$man" 2>&1 >/dev/null)
[ -z "$warnings" ] && ok "the manual page renders without warnings" || { fail "the manual page renders without warnings"; echo "$warnings"; }
grep -q "^\.TH KASIKIRJA 1 .*\"kasikirja $VERSION\"" "$man" && ok "the manual page carries the version" || fail "the manual page carries the version"
LC_ALL=C.UTF-8 MANWIDTH=80 man -l "$man" 2>/dev/null | grep -q '^EXIT STATUS' && ok "the manual page has its sections" || fail "the manual page has its sections"

# It documents what the program has: every command of `kasikirja help`, every option of each
# command's --help, every environment variable the sources read.
roff() { printf '%s' "$1" | sed 's/-/\\-/g'; }
commands=$("$bin" help | sed -n '/^commands:/,/^$/p' | awk 'NF > 1 {print $1}')
missing=""
for c in $commands; do
  grep -Eq "^\.BR? $c( |$)" "$man" || missing="$missing $c"
  for opt in $("$bin" help "$c" | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
    grep -qF -- "$(roff "$opt")" "$man" || missing="$missing $c:$opt"
  done
done
for v in $(grep -rhoE '(getenv|env_limit)\("[A-Z_]+"' "$root/generator" | grep -oE '[A-Z_]{3,}' | sort -u); do
  grep -qF "$(roff "$v")" "$man" || grep -qF "$v" "$man" || missing="$missing \$$v"
done
[ -n "$commands" ] && [ -z "$missing" ] && ok "the manual page covers every command, option and environment variable" \
  || fail "the manual page covers every command, option and environment variable (missing:$missing)"

if make -C "$root" --no-print-directory uninstall DESTDIR="$dest" PREFIX=/usr/local >"$work/uninstall.log" 2>&1; then
  ok "make uninstall"
else
  fail "make uninstall"; cat "$work/uninstall.log"
fi
left=$(find "$dest" -type f -o -type l)
[ -z "$left" ] && ok "uninstall leaves no files" || { fail "uninstall leaves no files"; echo "$left"; }

echo "install: $passed passed, $failed failed"
[ $failed -eq 0 ]
