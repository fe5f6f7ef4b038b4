#!/usr/bin/python3
"""labels: how many Graphviz node labels leave their node's shape as Chromium draws them.

    tests/labels.py PUBLIC_DIR [OUT_HTML]

Gathers every chart of a built site (the <svg> of each .kaavio-kuva with nodes) into one page
that links the site's tyyli.css, lets headless Chromium lay it out with the site's fonts, and prints
{"figures", "nodes", "labels", "over", "worst", "ex"}: labels whose text box sticks out of its
node's shape by more than 0.5 units, the worst overhang and a few examples. FORCE_FONT="DejaVu
Sans" draws every SVG text in that font instead (what a browser without the requested font does).
Not part of `make check` (it needs a built site and takes a few seconds); the README's numbers
come from it.
"""
import re, subprocess, sys, pathlib
pub = pathlib.Path(sys.argv[1])
out = pathlib.Path(sys.argv[2] if len(sys.argv) > 2 else '/tmp/kaavio-mittaus.html')
css = (pub / 'tyyli.css').resolve().as_uri()
figs = []
for f in sorted(pub.rglob('index.html')):
    h = f.read_text()
    for m in re.finditer(r'<div class="kaavio-kuva">(<svg.*?</svg>)', h, re.S):
        if 'class="node"' in m.group(1):
            figs.append(m.group(1))
script = r'''<script>
document.fonts.ready.then(() => {
  let nodes = 0, labels = 0, over = 0, worst = 0, ex = [];
  for (const g of document.querySelectorAll('svg g.node')) {
    const shape = g.querySelector('polygon, ellipse, path');
    if (!shape) continue;
    nodes++;
    const s = shape.getBBox();
    for (const t of g.querySelectorAll('text')) {
      labels++;
      const b = t.getBBox();
      const o = Math.max(s.x - b.x, (b.x + b.width) - (s.x + s.width));
      if (o > 0.5) { over++; if (ex.length < 5) ex.push(t.textContent + ' +' + o.toFixed(1)); }
      worst = Math.max(worst, o);
    }
  }
  document.body.setAttribute('data-result', JSON.stringify({figures: document.querySelectorAll('svg').length, nodes, labels, over, worst: worst.toFixed(1), ex}));
});
</script>'''
import os
force = os.environ.get('FORCE_FONT')
extra = '<style>svg text{font-family:"%s" !important}</style>' % force if force else ''
out.write_text('<!doctype html><html lang="fi"><head><meta charset="utf-8"><link rel="stylesheet" href="' + css + '">' + extra + '</head><body>'
               + '\n'.join(figs) + script + '</body></html>')
dom = subprocess.run(['chromium', '--headless', '--no-sandbox', '--disable-gpu', '--virtual-time-budget=10000',
                      '--dump-dom', 'file://' + str(out.resolve())], capture_output=True, text=True).stdout
m = re.search(r'data-result="([^"]*)"', dom)
print(m.group(1).replace('&quot;', '"') if m else 'no result')
