#!/usr/bin/python3
"""fontti: the handbook's own font, made at build time from a Debian font package.

    fontti.py SOURCE.ttf OUT STYLE

OUT ending in .woff2 is WOFF2 (for browsers), any other name TrueType (the
same glyphs and metrics uncompressed: what pango, Graphviz and our own text
measurements read, since HarfBuzz opens font files itself and cannot read
WOFF2; browsers without WOFF2 get it too).

Subsets SOURCE (Liberation Sans from fonts-liberation2, SIL OFL 1.1) to what
a Finnish/Swedish site writes, renames it "Kasikirja Sans" (the OFL forbids a
modified version, and a subset is one, to keep the Reserved Font Names
"Liberation" and "Arimo") and writes it out. STYLE is Regular or Bold.
The output depends only on the input bytes (no timestamps), so two builds
give the same file.
"""
import sys

from fontTools import subset

FAMILY = "Kasikirja Sans"

# Basic Latin, Latin-1 Supplement, Latin Extended-A, and the punctuation and
# symbols the handbook writes: – — ‘ ’ ‚ “ ” „ … • ‰ ‹ › € → ← ↑ ↓ ✓ ✗ − ×
# (§ and × are in Latin-1). Characters the font lacks are simply not there.
UNICODES = (
    list(range(0x20, 0x7F))
    + list(range(0xA0, 0x100))
    + list(range(0x100, 0x180))
    + [0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2018, 0x2019, 0x201A, 0x201C, 0x201D,
       0x201E, 0x2022, 0x2026, 0x2030, 0x2039, 0x203A, 0x20AC, 0x2122, 0x2190, 0x2191,
       0x2192, 0x2193, 0x2212, 0x2713, 0x2717, 0x00A0, 0x202F, 0x2009]
)


def rename(font, style):
    ps = FAMILY.replace(" ", "") + "-" + style
    version = "1.0"
    for rec in font["name"].names:
        if rec.nameID == 5:
            version = rec.toUnicode()
    names = {
        1: FAMILY,
        2: style,
        3: "%s; %s" % (ps, version),
        4: FAMILY if style == "Regular" else "%s %s" % (FAMILY, style),
        6: ps,
    }
    table = font["name"]
    # Only the copyright, licence and version records stay from the original;
    # every name that says Liberation or Arimo goes.
    table.names = [r for r in table.names if r.nameID in (0, 5, 13, 14)]
    for nid, text in names.items():
        table.setName(text, nid, 3, 1, 0x409)
        table.setName(text, nid, 1, 0, 0)
    if "CFF " in font:
        raise SystemExit("fontti: CFF fonts are not expected")


def main():
    if len(sys.argv) != 4 or sys.argv[3] not in ("Regular", "Bold"):
        raise SystemExit("usage: fontti.py SOURCE.ttf OUT.woff2|OUT.ttf Regular|Bold")
    src, out, style = sys.argv[1:]
    opts = subset.Options()
    opts.flavor = "woff2" if out.endswith((".woff2", ".woff2.tmp")) else None
    opts.hinting = False          # smaller; browsers and our measurements do not hint
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.notdef_outline = True
    opts.drop_tables += ["FFTM"]  # FontForge's timestamps
    opts.layout_features = ["kern", "liga", "clig", "calt", "ccmp", "locl", "mark", "mkmk"]
    font = subset.load_font(src, opts, dontLoadGlyphNames=True)
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=UNICODES)
    sub.subset(font)
    rename(font, style)
    font.recalcTimestamp = False  # keep head.modified: same input, same bytes
    subset.save_font(font, out, opts)


if __name__ == "__main__":
    main()
