#!/usr/bin/env python3
"""Generates a synthetic kasikirja site of N pages (about 4 KB of Markdown each: front matter,
headings, lists, a GFM table, internal links with anchors, a code block) in one of three shapes,
for timing builds.   Usage: gen_site.py SHAPE N DIR

  sections  folders of 100 pages, each with its index.md (osa-S/); above 100 folders they are
            grouped under 100 top-level parts (osa-G/alue-S/), so the top level stays bounded
  folders   20 folders of N/20 pages (kansio-F/), no index.md in them
  flat      one folder of N pages (sivut/) with its index.md
  root      every page in content/ itself, beside the front page (tests/shapes.sh)

Every page links five times to the next page (in page order, wrapping round) at one of its
headings, and to its folder's index.md (sections, flat) or to its folder's first page (folders).
The site uses the theme built into kasikirja (no layouts/); the built-in editors' guide is left
out (ohjeet: false) and so is the whole-site booklet (kirjaan: false on the home page: a 10,000-page
booklet would be one HTML page of some 60 MB, and the Hugo site it is compared with has none).
Weights start at 1 (Hugo sorts weight 0, no weight, last). One Python process writes every
file: 100,000 pages take seconds.
"""
import os
import posixpath
import shutil
import sys


def folders_of(shape, n):
    """(folder of page i as a function, [(folder, index.md text or None)])."""
    if shape == "sections":
        sections = (n + 99) // 100
        per = 1 if sections <= 100 else (sections + 99) // 100

        def path_of(s):
            return f"osa-{s}" if per == 1 else f"osa-{s // per}/alue-{s}"

        dirs = []
        for s in range(sections):
            if per != 1 and s % per == 0:
                g = s // per
                dirs.append((f"osa-{g}", f"---\ntitle: Osa {g}\nweight: {g + 1}\n---\nOsan {g} alueet.\n"))
            title = "Osa" if per == 1 else "Alue"
            dirs.append((path_of(s), f"---\ntitle: {title} {s}\nweight: {s + 1}\n---\nOsan {s} sivut.\n"))
        return (lambda i: path_of(i // 100)), dirs
    if shape == "folders":
        per = (n + 19) // 20
        count = (n + per - 1) // per
        return (lambda i: f"kansio-{i // per}"), [(f"kansio-{f}", None) for f in range(count)]
    if shape == "flat":
        return (lambda i: "sivut"), [("sivut", f"---\ntitle: Sivut\nweight: 1\n---\nSivuja on {n}.\n")]
    if shape == "root":
        return (lambda i: ""), []
    sys.exit(f"gen_site.py: unknown shape '{shape}' (sections, folders, flat or root)")


CHAPTER = (
    "## Luku {h}\n\nHyvinvointialue ja kunnat neuvottelevat vähintään kerran vuodessa hyvinvoinnin ja "
    "terveyden edistämisestä. Neuvottelussa sovitaan tavoitteista, toimenpiteistä, yhteistyöstä ja "
    "seurannasta. Katso [seuraava sivu]({next}#luku-{h}) ja {up}.\n\n"
    "- kunta osallistuu\n- hyvinvointialue kutsuu koolle\n- järjestöt ja seurakunnat ovat mukana\n\n"
    "| Foorumi | Kutsuu | Kuinka usein |\n|---|---|---|\n| HYTE-neuvottelu | hyvinvointialue | 1/vuosi |\n"
    "| Kuntaneuvottelu | hyvinvointialue | 1/valtuustokausi |\n| Johtoryhmä | maakuntaliitto | 4/vuosi |\n\n"
    "```yaml\nid: hyte-{i}\nkutsuja: hva\n```\n\n"
    "Lisätietoa: https://www.finlex.fi/ ja **lihavoitu** sekä *kursiivi* teksti ~~poistettu~~.\n\n"
)
PAGE = "---\ntitle: Sivu {i}\ndescription: Synteettinen sivu {i}\nweight: {w}\n---\n" + "".join(
    CHAPTER.replace("{h}", str(h)) for h in range(1, 6))


def main():
    if len(sys.argv) != 4 or not sys.argv[2].isdigit() or int(sys.argv[2]) < 1:
        sys.exit("usage: gen_site.py sections|folders|flat|root N DIR")
    shape, n, top = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    folder, dirs = folders_of(shape, n)
    shutil.rmtree(top, ignore_errors=True)
    content = os.path.join(top, "content")
    os.makedirs(content)
    with open(os.path.join(top, "site.yaml"), "w") as f:
        f.write("title: Testisivusto\nlanguage: fi\nbase_url: https://example.fi/\nohjeet: false\n"
                "menu:\n  - title: Etusivu\n    page: index.md\n")
    with open(os.path.join(content, "index.md"), "w") as f:
        f.write(f"---\ntitle: Etusivu\nkirjaan: false\n---\nSivuja on {n}.\n")
    has_index = {""}  # content/index.md
    for d, text in dirs:
        os.makedirs(os.path.join(content, d), exist_ok=True)
        if text is not None:
            has_index.add(d)
            with open(os.path.join(content, d, "index.md"), "w") as f:
                f.write(text)
    first = {}
    for i in range(n):
        first.setdefault(folder(i), i)
    for i in range(n):
        d, nxt = folder(i), (i + 1) % n
        nd = folder(nxt)
        rel = f"sivu-{nxt}.md" if nd == d else posixpath.join(posixpath.relpath(nd, d), f"sivu-{nxt}.md")
        up = "[osan etusivu](index.md)" if d in has_index else f"[osan ensimmäinen sivu](sivu-{first[d]}.md)"
        with open(os.path.join(content, d, f"sivu-{i}.md"), "w") as f:
            f.write(PAGE.replace("{next}", rel).replace("{up}", up).replace("{w}", str(i + 1)).replace("{i}", str(i)))


main()
