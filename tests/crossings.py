#!/usr/bin/env python3
"""crossings: counts edge crossings and reads the natural size of Graphviz SVG charts.

    python3 tests/crossings.py FILE.html|FILE.svg [FIGURE-ID ...]

For every Graphviz <svg> (sized in pt) in FILE (inside <figure id="kuva-ID"> when the file is a page;
only the given figure ids when any are named) prints one line:

    rakenne-2025 width=1150pt height=980pt edges=41 crossings=3

Edges are Graphviz's <g class="edge"> paths ("M x,y C x,y x,y x,y …"); each
cubic Bézier is sampled into 20 segments and every pair of edges is tested
segment by segment. Points where two edges meet near an end of either (a
shared node, within 4 pt) are not crossings, and meetings of one pair closer
than 4 pt to each other count once (two lines that run together and part).
With --max N the exit status is 1 when any chart has more than N crossings.
Used by hand and by the browser tests; needs only the standard library.
"""
import re
import sys

SAMPLES = 20
NEAR = 4.0


def bezier(p0, p1, p2, p3, t):
    u = 1 - t
    return (u * u * u * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t * t * t * p3[0],
            u * u * u * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t * t * t * p3[1])


def polyline(d):
    """The points of a Graphviz path 'M x,y C x,y x,y x,y …' (cubic pieces only)."""
    nums = [float(x) for x in re.findall(r'-?\d+(?:\.\d+)?(?:e-?\d+)?', d)]
    pts = list(zip(nums[0::2], nums[1::2]))
    if not pts:
        return []
    out = [pts[0]]
    for i in range(1, len(pts) - 2, 3):
        p0, p1, p2, p3 = pts[i - 1], pts[i], pts[i + 1], pts[i + 2]
        out.extend(bezier(p0, p1, p2, p3, k / SAMPLES) for k in range(1, SAMPLES + 1))
    return out


def intersect(a, b, c, d):
    """The point where segments ab and cd cross, or None."""
    r = (b[0] - a[0], b[1] - a[1])
    s = (d[0] - c[0], d[1] - c[1])
    den = r[0] * s[1] - r[1] * s[0]
    if abs(den) < 1e-12:
        return None
    t = ((c[0] - a[0]) * s[1] - (c[1] - a[1]) * s[0]) / den
    u = ((c[0] - a[0]) * r[1] - (c[1] - a[1]) * r[0]) / den
    if 0 <= t <= 1 and 0 <= u <= 1:
        return (a[0] + t * r[0], a[1] + t * r[1])
    return None


def dist(p, q):
    return ((p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2) ** 0.5


def bbox(pl):
    xs = [p[0] for p in pl]
    ys = [p[1] for p in pl]
    return min(xs), min(ys), max(xs), max(ys)


def crossings(paths):
    lines = [pl for pl in (polyline(d) for d in paths) if len(pl) > 1]
    boxes = [bbox(pl) for pl in lines]
    total = 0
    for i in range(len(lines)):
        for j in range(i + 1, len(lines)):
            bi, bj = boxes[i], boxes[j]
            if bi[2] < bj[0] or bj[2] < bi[0] or bi[3] < bj[1] or bj[3] < bi[1]:
                continue
            ends = [lines[i][0], lines[i][-1], lines[j][0], lines[j][-1]]
            found = []
            for a, b in zip(lines[i], lines[i][1:]):
                for c, d in zip(lines[j], lines[j][1:]):
                    p = intersect(a, b, c, d)
                    if p is None or any(dist(p, e) < NEAR for e in ends):
                        continue
                    if all(dist(p, q) >= NEAR for q in found):
                        found.append(p)
            total += len(found)
    return total


def charts(text):
    """(name, svg text) for every <svg> in text."""
    out = []
    for m in re.finditer(r'<svg\b[^>]*\swidth="[\d.]+pt".*?</svg>', text, re.S):
        before = text[:m.start()]
        fig = re.findall(r'<figure[^>]*id="kuva-([^"]+)"', before)
        out.append((fig[-1] if fig else 'svg', m.group(0)))
    return out


def edge_paths(svg):
    """The path of each drawn edge: an invisible edge's <g> has none."""
    blocks = re.split(r'(?=<g\b[^>]*class="(?:edge|node|cluster)")', svg)
    out = []
    for b in blocks:
        if re.match(r'<g\b[^>]*class="edge"', b):
            m = re.search(r'<path\b[^>]*\sd="([^"]+)"', b)
            if m:
                out.append(m.group(1))
    return out


def main(argv):
    limit = None
    if '--max' in argv:
        k = argv.index('--max')
        limit = int(argv[k + 1])
        del argv[k:k + 2]
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    with open(argv[1], encoding='utf-8') as f:
        text = f.read()
    wanted = set(argv[2:])
    worst = 0
    for name, svg in charts(text):
        if wanted and name not in wanted:
            continue
        w = re.search(r'<svg[^>]*\swidth="([\d.]+)pt"', svg)
        h = re.search(r'<svg[^>]*\sheight="([\d.]+)pt"', svg)
        paths = edge_paths(svg)
        n = crossings(paths)
        worst = max(worst, n)
        print('%s width=%spt height=%spt edges=%d crossings=%d'
              % (name, w.group(1) if w else '?', h.group(1) if h else '?', len(paths), n))
    return 1 if limit is not None and worst > limit else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
