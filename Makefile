# kasikirja — one GNU Makefile.
#   make        install missing build packages, build build/kasikirja and the handbook into public/
#   make check  the same set-up plus the test packages, then every test (unit tests under ASan+UBSan,
#               Mustache spec, end-to-end, browser)

SHELL := /bin/bash
.DEFAULT_GOAL := all

# Debian packages (checked with dpkg -s, installed only when missing; see apt_missing below).
# BUILD_PKGS: what `make` needs: the compiler, the -dev libraries, and the shipped font's sources
# and tools. TEST_PKGS: what only the tests need (`make check`, `fuzz`, `bench`): Check, the
# browser and its node/npm driver, PDF reading, clang for libFuzzer, valgrind, curl, man and groff
# (the manual page is rendered with warnings on), and Python's jsonschema and yaml (schema-test
# checks the JSON Schemas of `kasikirja schema` with a real validator).
BUILD_PKGS := build-essential pkg-config libcmark-gfm-dev libcmark-gfm-extensions-dev \
              libyaml-dev libgraphviz-dev liblua5.4-dev libstemmer-dev libmicrohttpd-dev \
              libjemalloc-dev libpango1.0-dev libgit2-dev libxlsxwriter-dev \
              fonts-liberation2 python3-fonttools python3-brotli
TEST_PKGS  := check chromium curl clang libclang-rt-14-dev valgrind nodejs poppler-utils man-db groff-base \
              python3-openpyxl python3-jsonschema python3-yaml
PKG_LIBS := libcmark-gfm yaml-0.1 libgvc libcgraph lua5.4 libmicrohttpd pangoft2 fontconfig libgit2 xlsxwriter

CC      ?= cc
VERSION := 0.1.0
WARN    := -std=c11 -Wall -Wextra -Wstrict-prototypes -Wmissing-prototypes -Werror
CPPFLAGS_ALL = -D_GNU_SOURCE -DKK_VERSION='"$(VERSION)"' $(shell pkg-config --cflags $(PKG_LIBS))
LIBS_ALL     = -pthread $(shell pkg-config --libs $(PKG_LIBS)) -lcmark-gfm-extensions -lstemmer -lm
CHECK_LIBS   = $(shell pkg-config --libs check)
OPT     := -O2 -g
SAN     := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

THEME_C  := build/gen/teema.c
SRC_DIRS := generator generator/0-base generator/1-load generator/2-model generator/3-extend generator/4-render generator/5-write \
            generator/6-serve
LIB_SRCS := $(filter-out generator/main.c,$(foreach d,$(SRC_DIRS),$(wildcard $(d)/*.c))) $(THEME_C)
MAIN_SRC := generator/main.c
TEST_SRCS := $(wildcard tests/test_*.c)
TEST_NAMES := $(patsubst tests/%.c,%,$(TEST_SRCS))

# Two flavours of the same sources: release (build/) and sanitizer (build/asan/).
REL_OBJS  := $(patsubst %.c,build/obj/%.o,$(LIB_SRCS))
ASAN_OBJS := $(patsubst %.c,build/asan/obj/%.o,$(LIB_SRCS))

.PHONY: all deps test-deps bin fonts site check unit spec e2e shapes init-test schema-test bad-test hostile-test crash-test serve-test browser clean leakcheck \
        install uninstall install-test
# Keep test objects: they are not intermediates to delete after linking.
.SECONDARY:

all: deps
	@$(MAKE) --no-print-directory bin
	@$(MAKE) --no-print-directory site

# $(call apt_missing,WHO,PACKAGES): installs those of PACKAGES that dpkg -s does not know, through
# sudo when not root; does nothing (and needs no network) when all is there.
define apt_missing
@missing=""; for p in $(2); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  echo "$(1): installing$$missing"; \
	  $$sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q --no-install-recommends $$missing; \
	fi
endef

# What building needs (make); what the tests need on top (make check, fuzz, bench). npm is looked
# for as a command: a nodejs from elsewhere (NodeSource) brings its own, and Debian's npm package
# would conflict with it.
deps:
	$(call apt_missing,deps,$(BUILD_PKGS))

test-deps: deps
	$(call apt_missing,test-deps,$(TEST_PKGS) $(if $(shell command -v npm),,npm))

bin: build/kasikirja

site: build/kasikirja fonts
	./build/kasikirja build --src . --out public

# `make install [PREFIX=/usr/local] [DESTDIR=staging]`: the release binary and the manual page
# kasikirja(1) (generator/kasikirja.1, its footer given this VERSION); `make uninstall` removes
# both again. The fonts and layouts belong to the site, not to the program: nothing else goes.
PREFIX  ?= /usr/local
BINDIR  := $(DESTDIR)$(PREFIX)/bin
MAN1DIR := $(DESTDIR)$(PREFIX)/share/man/man1

install: build/kasikirja generator/kasikirja.1
	install -d '$(BINDIR)' '$(MAN1DIR)'
	install -m 755 build/kasikirja '$(BINDIR)/kasikirja'
	sed 's/@VERSION@/$(VERSION)/' generator/kasikirja.1 >'$(MAN1DIR)/kasikirja.1.tmp'
	chmod 644 '$(MAN1DIR)/kasikirja.1.tmp' && mv '$(MAN1DIR)/kasikirja.1.tmp' '$(MAN1DIR)/kasikirja.1'

uninstall:
	rm -f '$(BINDIR)/kasikirja' '$(MAN1DIR)/kasikirja.1'

# {====== The shipped font ======
# "Kasikirja Sans": Liberation Sans from Debian's fonts-liberation2 (SIL OFL 1.1), subset to
# what a Finnish/Swedish site writes, renamed (the OFL's Reserved Font Names) and made WOFF2 by
# tools/fontti.py into the theme's static folder, with the licence beside it. Made here, never
# committed (git-ignored). Graphviz and the wheel measure text in these very files.
FONT_SRC := /usr/share/fonts/truetype/liberation2
FONT_DIR := layouts/static/fontit
# WOFF2 for browsers; the same subset as TrueType for text layout (HarfBuzz, under pango, opens
# font files itself and reads no WOFF2) and for browsers without WOFF2.
FONTS    := $(foreach f,kasikirja-sans kasikirja-sans-bold,$(FONT_DIR)/$(f).woff2 $(FONT_DIR)/$(f).ttf) \
            $(FONT_DIR)/OFL.txt
# Debian's python, which has python3-fonttools (a pyenv or venv python on PATH may not).
FONT_PY  := /usr/bin/python3

fonts: $(FONTS)

$(FONT_DIR)/kasikirja-sans.%: $(FONT_SRC)/LiberationSans-Regular.ttf tools/fontti.py
	@mkdir -p $(dir $@)
	$(FONT_PY) tools/fontti.py $< $@.tmp Regular && mv $@.tmp $@

$(FONT_DIR)/kasikirja-sans-bold.%: $(FONT_SRC)/LiberationSans-Bold.ttf tools/fontti.py
	@mkdir -p $(dir $@)
	$(FONT_PY) tools/fontti.py $< $@.tmp Bold && mv $@.tmp $@

# The font's copyright lines and the OFL text, as Debian ships them (the "Files: *" stanza).
$(FONT_DIR)/OFL.txt: /usr/share/doc/fonts-liberation2/copyright
	awk '/^Files: \*$$/ {on = 1; next} on && /^Files:/ {exit} \
	     on {sub(/^ /, ""); if ($$0 == ".") $$0 = ""; print}' $< >$@.tmp && mv $@.tmp $@
# }======

# {====== The built-in theme ======
# Every file of layouts/ (templates, CSS, JavaScript, hooks, built-in data) and the generated fonts
# are compiled into the binary (generator/1-load/theme.h): a site needs no layouts/ of its own,
# and one it has replaces the built-in files of the same names, file by file.
THEME_FILES  = $(sort $(shell find layouts -type f ! -name '.*' ! -name '*.tmp') $(FONTS))

build/upota: tools/upota.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -o $@ $<

$(THEME_C): build/upota $(THEME_FILES) Makefile
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  EMBED   $@ ($(words $(THEME_FILES)) files of the theme)")
	$(Q)./build/upota $@ $(THEME_FILES)
# }======

# Quiet by default; `make V=1` shows each command.
Q := $(if $(V),,@)

build/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(WARN) $(OPT) $(CPPFLAGS_ALL) -MMD -MP -c $< -o $@

build/asan/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC asan $<")
	$(Q)$(CC) $(WARN) $(SAN) $(CPPFLAGS_ALL) -MMD -MP -c $< -o $@

build/libkasikirja.a: $(REL_OBJS)
	@rm -f $@
	ar rcs $@ $^

build/asan/libkasikirja.a: $(ASAN_OBJS)
	@rm -f $@
	ar rcs $@ $^

# The release binary allocates with jemalloc (a build makes and frees millions
# of small blocks on several threads: 18% faster than glibc's malloc at 10,000
# pages); the sanitizer builds keep the sanitizers' allocator.
build/kasikirja: build/obj/generator/main.o build/libkasikirja.a
	$(CC) $(OPT) -o $@ $^ $(LIBS_ALL) $(shell pkg-config --libs jemalloc)

build/asan/kasikirja: build/asan/obj/generator/main.o build/asan/libkasikirja.a
	$(CC) $(SAN) -o $@ $^ $(LIBS_ALL)

build/asan/tests/%: build/asan/obj/tests/%.o build/asan/libkasikirja.a
	@mkdir -p $(dir $@)
	$(CC) $(SAN) -pthread -o $@ $^ $(LIBS_ALL) $(CHECK_LIBS)

check: test-deps
	@$(MAKE) --no-print-directory bin
	@$(MAKE) --no-print-directory site
	@$(MAKE) --no-print-directory unit spec e2e shapes init-test schema-test bad-test hostile-test crash-test fuzz-smoke leakcheck serve-test \
	  install-test browser

# Sanitizer settings for running tests: Graphviz has no frame pointers (slow
# unwinding finds our frames) and leaks in its dot layout plugin (suppressed).
# The diagram cache of test builds stays in build/, not in the tester's home.
SAN_ENV := ASAN_OPTIONS=fast_unwind_on_malloc=0 \
           LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
           XDG_CACHE_HOME=$(CURDIR)/build/test-cache

# Every Check suite, then one total line. Check's per-test timeouts (4 s by default, 60-120 s
# where a suite sets its own) are stretched 20 times: they are there to stop a hung test, and must
# never decide the outcome on a machine busy with other work (CI shares it).
unit: $(addprefix build/asan/tests/,$(TEST_NAMES)) | fonts
	@fail=0; for t in $^; do echo "== $$t"; $(SAN_ENV) CK_VERBOSITY=normal CK_TIMEOUT_MULTIPLIER=20 ./$$t || fail=1; done; \
	[ $$fail = 0 ] || { echo "unit tests FAILED"; exit 1; }

# The official Mustache spec, case by case.
spec: build/asan/tests/mustache_spec
	$(SAN_ENV) ./build/asan/tests/mustache_spec ../shared/mustache-spec

build/asan/tests/mustache_spec: build/asan/obj/tests/mustache_spec.o build/asan/libkasikirja.a
	@mkdir -p $(dir $@)
	$(CC) $(SAN) -o $@ $^ $(LIBS_ALL)

# End-to-end builds of the fixture sites with the sanitizer binary.
e2e: build/asan/kasikirja fonts
	$(SAN_ENV) bash tests/e2e.sh ./build/asan/kasikirja

# Bounded navigation (tests/shapes.sh): generated sites of each shape at 500 and 2,000 pages, whose
# largest page must not grow with the page count, their section pages and lists, and bad shapes
# (a 30-level tree, 1,000 one-page folders, a 10,000-character title). The release binary: the
# sizes are the point, and the sanitizer builds run the same code in the unit tests.
shapes: build/kasikirja
	bash tests/shapes.sh ./build/kasikirja

# `kasikirja init`: the starter site builds, check names what is still to fill in, the region's
# own data builds, a folder that is not empty is refused, --force replaces nothing, odd names.
init-test: build/asan/kasikirja fonts
	$(SAN_ENV) bash tests/init.sh ./build/asan/kasikirja

# `kasikirja schema`: each JSON Schema is valid draft-07 (python3-jsonschema), every YAML file
# of the repository and of a fresh init site passes its schema, and each wrong file of
# tests/fixtures/schema-bad/ is refused by its schema and by `kasikirja check` alike.
schema-test: build/asan/kasikirja fonts
	$(SAN_ENV) python3 tests/schema_check.py ./build/asan/kasikirja

# The hostile-input corpus (tests/fixtures/bad/<case>/): each case fails cleanly with exactly
# its diagnostics and leaves the previous output untouched, or builds when it must; cases
# listed in tests/fixtures/bad/KNOWN-FAILING show generator bugs and are reported as known.
bad-test: build/asan/kasikirja fonts
	$(SAN_ENV) bash tests/bad.sh ./build/asan/kasikirja

# `make install` and `make uninstall` into a staging DESTDIR: the installed binary runs (--version,
# a build of the good fixture), the manual page renders without a groff warning and names every
# option of every command's --help, and uninstall leaves no file behind.
install-test: build/kasikirja fonts
	bash tests/install.sh $(VERSION)

# Security review of the output: every attack in tests/hostile/site comes out inert
# (HTML, SVG, DOT, CSV, iCalendar); javascript: addresses in YAML and the menu are refused.
hostile-test: build/asan/kasikirja fonts
	$(SAN_ENV) bash tests/hostile.sh ./build/asan/kasikirja

# Crash safety: release builds of the handbook killed with SIGKILL at random moments leave
# either the old or the new complete site, never a mix (`make crash-test CRASH_N=100`).
CRASH_N ?= 30
crash-test: build/kasikirja fonts
	bash tests/crash.sh ./build/kasikirja $(CRASH_N)

# The live preview (kasikirja serve) over HTTP on 127.0.0.1: files, path safety,
# rebuilds after editor-style saves, live reload, the error overlay, a clean stop.
serve-test: build/asan/kasikirja fonts
	$(SAN_ENV) bash tests/serve.sh ./build/asan/kasikirja

# The built handbook in a real browser (Debian's chromium driven by playwright-core,
# axe-core for WCAG 2.1 A/AA; charts.js: chart labels inside their shapes, text size, crossings,
# phones, forced colours, the shipped font; reflow.js: no sideways scroll at 320/390 px, 200 % text
# and text spacing, the booklet printed to an A4 PDF and read back with poppler-utils'
# pdfinfo/pdftotext; kielet.js: the bilingual fixture tests/fixtures/kaksikielinen, every page of
# both languages with axe and at 320/390 px, and the search per language), served on 127.0.0.1
# only. npm packages come from the npm registry into tests/browser/node_modules (ignored). Every script runs; the target fails at the end.
browser: test-deps fonts build/kasikirja
	@cd tests/browser && npm install --no-audit --no-fund --loglevel=error >/dev/null
	@fail=0; \
	node tests/browser/run.js public build/kuvakaappaukset || fail=1; \
	node tests/browser/charts.js public build/kuvakaappaukset || fail=1; \
	node tests/browser/search.js build/kasikirja public build/haku-testi || fail=1; \
	node tests/browser/reflow.js build/kasikirja public build/reflow || fail=1; \
	node tests/browser/kielet.js build/kasikirja build/kaksikielinen || fail=1; \
	node tests/browser/serve.js build/kasikirja || fail=1; \
	[ $$fail = 0 ] || { echo "browser tests FAILED"; exit 1; }

# One end-to-end build of the handbook under valgrind (part of make check): any error, or memory
# definitely lost, fails it (tests/valgrind.supp: Graphviz's own leak in its dot layout plugin).
leakcheck: build/kasikirja fonts
	valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite --num-callers=40 \
	  --soname-synonyms=somalloc='*jemalloc*' \
	  --suppressions=tests/valgrind.supp \
	  ./build/kasikirja build --src . --out build/leakcheck-public -q

# Build speed against Hugo on the same Markdown, in three site shapes and several sizes, outputs
# on a tmpfs and on the disk (prints numbers and the goals met / not met; not part of `make
# check`): `make bench [BENCH_SIZES="1000 10000 100000"] [BENCH_SHAPES="sections folders flat"]
# [BENCH_RUNS=3] [BENCH_FS="tmpfs disk"] [BENCH_MODEL=1 [BENCH_PARTIES=300] [BENCH_FORUMS=400]]
# [BENCH_SERVE=1 [BENCH_SERVE_PAGES=10000]]`. Installs Debian's hugo and time when missing. The
# result also goes to build/bench/result.md. See tests/bench/bench.sh.
BENCH_SIZES   ?= 1000 10000 100000
BENCH_SHAPES  ?= sections folders flat
BENCH_RUNS    ?= 3
BENCH_FS      ?= tmpfs disk
BENCH_MODEL   ?= 0
BENCH_SERVE   ?= 0
BENCH_PARTIES ?= 300
BENCH_FORUMS  ?= 400
BENCH_SERVE_PAGES ?= 10000
# The search index against Pagefind (npm, into build/pagefind-npm/, never committed) on a generated
# site of BENCH_SEARCH_PAGES pages: index time, peak memory, bytes written, bytes per query.
BENCH_SEARCH  ?= 1
BENCH_SEARCH_PAGES ?= 10000
BENCH_PKGS    := hugo time
.PHONY: bench
bench: test-deps
	@$(MAKE) --no-print-directory bin
	@missing=""; for p in $(BENCH_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  echo "bench: installing$$missing"; \
	  $$sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q --no-install-recommends $$missing; \
	fi
	BENCH_SIZES='$(BENCH_SIZES)' BENCH_SHAPES='$(BENCH_SHAPES)' BENCH_RUNS='$(BENCH_RUNS)' BENCH_FS='$(BENCH_FS)' \
	BENCH_MODEL='$(BENCH_MODEL)' BENCH_SERVE='$(BENCH_SERVE)' BENCH_PARTIES='$(BENCH_PARTIES)' \
	BENCH_FORUMS='$(BENCH_FORUMS)' BENCH_SERVE_PAGES='$(BENCH_SERVE_PAGES)' bash tests/bench/bench.sh
	@if [ '$(BENCH_SEARCH)' = 1 ]; then \
	  echo "== search: kasikirja's index and Pagefind's on $(BENCH_SEARCH_PAGES) pages"; \
	  cd tests/browser && npm install --no-audit --no-fund --loglevel=error >/dev/null && cd ../..; \
	  rm -rf build/bench/haku-src build/bench/haku-out; \
	  node tests/browser/search.js --generate $(BENCH_SEARCH_PAGES) build/bench/haku-src && \
	  bash tests/bench/search_bench.sh build/kasikirja build/bench/haku-src build/bench/haku-out; \
	fi

# {====== Fuzzing ======
# libFuzzer targets (tests/fuzz/fuzz_<name>.c) built with clang against a third
# flavour of the sources (build/fuzz/obj/: coverage-instrumented, ASan+UBSan,
# no jemalloc). `make fuzz [FUZZ_SECONDS=60]` runs each target that long on
# build/fuzz/corpus/<name> (seeded from tests/fuzz/seeds/<name>/) and fails on
# any crash, leak, timeout or out-of-memory; `make fuzz-smoke` (part of
# `make check`) runs each for 5 seconds and replays tests/fuzz/crashes/<name>-*.
FUZZ_CC      := clang
FUZZ_TARGETS := frontmatter_yaml model mustache markdown_links ical dot_escape
FUZZ_SECONDS ?= 60
FUZZ_SAN     := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
# Longest input per target (libFuzzer -max_len).
FUZZ_MAX_LEN := frontmatter_yaml=4096 model=8192 mustache=4096 markdown_links=4096 ical=2048 \
                dot_escape=1024
FUZZ_OBJS    := $(patsubst %.c,build/fuzz/obj/%.o,$(LIB_SRCS))
FUZZ_BINS    := $(addprefix build/fuzz/fuzz_,$(FUZZ_TARGETS))

.PHONY: fuzz fuzz-smoke fuzz-bin
build/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC fuzz $<")
	$(Q)$(FUZZ_CC) $(WARN) $(FUZZ_SAN) -fsanitize=fuzzer-no-link $(CPPFLAGS_ALL) -MMD -MP -c $< -o $@

build/fuzz/libkasikirja.a: $(FUZZ_OBJS)
	@rm -f $@
	ar rcs $@ $^

build/fuzz/fuzz_%: build/fuzz/obj/tests/fuzz/fuzz_%.o build/fuzz/libkasikirja.a
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(LIBS_ALL)

fuzz-bin: $(FUZZ_BINS)

fuzz: test-deps
	@$(MAKE) --no-print-directory fuzz-bin
	$(SAN_ENV) bash tests/fuzz/run.sh $(FUZZ_SECONDS) "$(FUZZ_MAX_LEN)" $(FUZZ_TARGETS)
	@$(MAKE) --no-print-directory equiv-long

# Serve's builds (the cache, the one-page patch) against clean full builds
# over many random edits of the handbook (tests/test_incremental.c; `make
# unit` runs the same test with 40 edits). EQUIV_SEED picks another walk.
EQUIV_EDITS ?= 400
EQUIV_SEED  ?= 17
.PHONY: equiv-long
equiv-long: build/asan/tests/test_incremental | fonts
	$(SAN_ENV) CK_VERBOSITY=normal CK_TIMEOUT_MULTIPLIER=20 KK_EQUIV_EDITS=$(EQUIV_EDITS) \
	  KK_EQUIV_SEED=$(EQUIV_SEED) ./build/asan/tests/test_incremental

# Both halves run even when the first fails; a fixed libFuzzer seed keeps
# what `make check` tries the same from run to run.
FUZZ_SMOKE_SECONDS ?= 5
fuzz-smoke: test-deps
	@$(MAKE) --no-print-directory fuzz-bin
	@rc=0; \
	$(SAN_ENV) FUZZ_SEED=1 bash tests/fuzz/run.sh $(FUZZ_SMOKE_SECONDS) "$(FUZZ_MAX_LEN)" $(FUZZ_TARGETS) || rc=1; \
	$(SAN_ENV) bash tests/fuzz/replay.sh tests/fuzz/crashes || rc=1; \
	exit $$rc
# }======

clean:
	rm -rf build public .public.*

-include $(shell find build -name '*.d' 2>/dev/null)
