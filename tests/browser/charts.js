// The charts of the built handbook measured in chromium, on every page of the
// sitemap at 1,280 and 390 px: every Graphviz label inside its shape, no "…"
// cuts, no chart text under 12 px at 1,280 px, at most 5 edge crossings in a
// structure chart, nothing but the chart regions scrolling sideways on a
// phone, the regions focusable, named and scrolling from the keyboard, the
// chart alone as a file, forced colours keeping the charts readable; then the
// labels again with the machine's own fonts unavailable (only @font-face
// fonts and one monospace stand-in, so a label that is not in the web font
// is measured in a wider font and found). Prints the numbers per chart type.
// Usage: node tests/browser/charts.js PUBLIC_DIR SCREENSHOT_DIR
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { chromium } = require('playwright-core');
const { serveStatic, sitemapPages } = require('./static');

const root = path.resolve(process.argv[2] || 'public');
const shots = path.resolve(process.argv[3] || 'build/kuvakaappaukset');
const repo = path.resolve(__dirname, '..', '..');
const WIDTHS = [1280, 390];
const TOLERANCE_PX = 1;     // a label may touch its shape's edge
const MIN_TEXT_PX = 12;     // at 1,280 px
const ROUNDING_PX = 0.05;   // Graphviz rounds a picture's width to whole points
const MAX_CROSSINGS = 5;    // per structure chart
const DEADLINE_MS = 60000;  // for something hung; waits return as soon as ready
// The web font is shipped (and so checked) once its folder is in the tree.
const FONT_FAMILY = 'Kasikirja Sans';
const fontShipped = fs.existsSync(path.join(repo, 'layouts', 'static', 'fontit'));

let passed = 0, failed = 0;
function check(name, cond, detail) {
  if (cond) { passed++; console.log('ok   ' + name); }
  else { failed++; console.log('FAIL ' + name + (detail ? '\n     ' + detail : '')); }
}
const list = (xs, n = 8) => xs.slice(0, n).join('\n     ') + (xs.length > n ? `\n     … and ${xs.length - n} more` : '');

// A chart's kind, from its figure's id (kuva-<id>, l<n>-kuva-<id> in booklets).
function chartId(figId) { return figId.replace(/^l\d+-/, '').replace(/^kuva-/, ''); }
function chartType(id) {
  for (const t of ['rakenne', 'toimija', 'vertailu', 'lakiperusta', 'organisaatio', 'vuosikello', 'dot'])
    if (id === t || id.startsWith(t + '-')) return t;
  return id === 'valtuustokausi' ? 'aikajana' : id;
}
const isStructure = (id) => chartType(id) === 'rakenne';

// {====== In the page ======

// Everything measured on one page; runs in the browser.
function measure(opts) {
  const rect = (el) => el.getBoundingClientRect();
  const union = (rs) => rs.reduce((u, r) => ({ left: Math.min(u.left, r.left), top: Math.min(u.top, r.top),
    right: Math.max(u.right, r.right), bottom: Math.max(u.bottom, r.bottom) }),
  { left: Infinity, top: Infinity, right: -Infinity, bottom: -Infinity });
  const titleOf = (g) => { const t = g.querySelector(':scope > title'); return t ? t.textContent : g.id; };

  // How far each text of a group sticks out of the group's shapes, in px.
  function overflows(g, shapes, texts, what) {
    const rs = shapes.map(rect).filter((r) => r.width > 0 || r.height > 0);
    if (!rs.length) return [];
    const box = union(rs);
    const out = [];
    for (const t of texts) {
      const r = rect(t);
      if (!r.width || !t.textContent.trim()) continue;
      const px = Math.max(box.left - r.left, r.right - box.right, box.top - r.top, r.bottom - box.bottom);
      if (px > opts.tolerance)
        out.push({ what, title: titleOf(g), text: t.textContent, px: Math.round(px * 10) / 10, gid: g.id });
    }
    return out;
  }

  // Edges as polylines (user units), sampled along each path.
  function polyline(p) {
    const len = p.getTotalLength();
    const n = Math.max(2, Math.min(400, Math.ceil(len / 2)));
    const pts = [];
    for (let i = 0; i <= n; i++) { const q = p.getPointAtLength((len * i) / n); pts.push([q.x, q.y]); }
    return pts;
  }
  function cross(a, b, c, d) { // the point where segments ab and cd cross properly, or null
    const r = [b[0] - a[0], b[1] - a[1]], s = [d[0] - c[0], d[1] - c[1]];
    const den = r[0] * s[1] - r[1] * s[0];
    if (Math.abs(den) < 1e-9) return null; // parallel or collinear: no crossing
    const t = ((c[0] - a[0]) * s[1] - (c[1] - a[1]) * s[0]) / den;
    const u = ((c[0] - a[0]) * r[1] - (c[1] - a[1]) * r[0]) / den;
    return t >= 0 && t <= 1 && u >= 0 && u <= 1 ? [a[0] + t * r[0], a[1] + t * r[1]] : null;
  }
  const near = (p, q, d) => Math.hypot(p[0] - q[0], p[1] - q[1]) < d;
  // Crossings between edges that share no node (the graph-drawing count; edges
  // fanning out of one node are counted apart, as 'adjacent'): points where two
  // of them cross, away from their ends, each counted once.
  function crossings(svg) {
    const edges = [...svg.querySelectorAll('g.edge')].map((g) => ({ title: titleOf(g),
      ends: titleOf(g).split(/->|--/),
      lines: [...g.querySelectorAll('path')].map(polyline).filter((l) => l.length > 1) })).filter((e) => e.lines.length);
    let n = 0, adjacent = 0;
    const pairs = [];
    for (let i = 0; i < edges.length; i++) {
      for (let j = i + 1; j < edges.length; j++) {
        const shared = edges[i].ends.some((e) => edges[j].ends.includes(e));
        const ends = [];
        for (const l of [...edges[i].lines, ...edges[j].lines]) ends.push(l[0], l[l.length - 1]);
        const found = [];
        for (const A of edges[i].lines) for (const B of edges[j].lines) {
          for (let a = 1; a < A.length; a++) for (let b = 1; b < B.length; b++) {
            const p = cross(A[a - 1], A[a], B[b - 1], B[b]);
            if (p && !ends.some((e) => near(p, e, 4)) && !found.some((f) => near(p, f, 3))) found.push(p);
          }
        }
        if (shared) { adjacent += found.length; continue; }
        n += found.length;
        if (found.length) pairs.push(`${edges[i].title} × ${edges[j].title}`);
      }
    }
    return { n, adjacent, edges: edges.length, pairs };
  }

  function accessibleName(el) {
    const label = (el.getAttribute('aria-label') || '').trim();
    if (label) return label;
    const ids = (el.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
    return ids.map((id) => { const t = document.getElementById(id); return t ? t.textContent.trim() : ''; }).join(' ').trim();
  }

  const figures = [];
  for (const fig of document.querySelectorAll('figure.kaavio')) {
    const svg = fig.querySelector('svg');
    const region = fig.querySelector('.kaavio-kuva');
    const f = { id: fig.id, overflow: [], ellipsis: [], minPx: Infinity, minText: '', texts: 0 };
    figures.push(f);
    if (!svg) continue;
    for (const g of svg.querySelectorAll('g.node'))
      f.overflow.push(...overflows(g, [...g.querySelectorAll('polygon, polyline, path, ellipse, rect')],
        [...g.querySelectorAll('text')], 'node'));
    for (const g of svg.querySelectorAll('g.cluster'))
      f.overflow.push(...overflows(g, [...g.querySelectorAll(':scope > path, :scope > polygon')],
        [...g.querySelectorAll(':scope > text')], 'cluster'));
    for (const t of svg.querySelectorAll('text')) {
      if (t.textContent.includes('\u2026')) f.ellipsis.push(t.textContent);
      const m = t.getScreenCTM();
      if (!m || !rect(t).width) continue;
      f.texts++;
      const px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
      if (px < f.minPx) { f.minPx = px; f.minText = t.textContent; }
    }
    f.nodes = svg.querySelectorAll('g.node').length;
    if (opts.crossings(f.id)) f.crossings = crossings(svg);
    // The picture at its natural size: its width attribute, in CSS px.
    const w = svg.width && svg.width.baseVal;
    f.natural = svg.hasAttribute('width') && w ? w.value : null;
    f.shown = rect(svg).width;
    f.region = region ? { role: region.getAttribute('role'), tabIndex: region.tabIndex, name: accessibleName(region),
      wide: region.scrollWidth > region.clientWidth + 1, overflowX: getComputedStyle(region).overflowX } : null;
    if (region) { region.focus(); f.region.focused = document.activeElement === region; region.blur(); }
    const alone = fig.querySelector('.kaavio-avaa a');
    f.alone = alone ? alone.getAttribute('href') : null;
  }

  // What makes the page wider than the window: boxes outside the charts whose
  // content overflows them visibly, and that hold no such box themselves.
  const wide = [];
  if (document.documentElement.scrollWidth > innerWidth) {
    const over = [...document.body.querySelectorAll('*')].filter((el) => !el.closest('svg') &&
      el.clientWidth && el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === 'visible');
    for (const el of over)
      if (!over.some((o) => o !== el && el.contains(o)))
        wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.classList.length ? '.' + [...el.classList].join('.') : '') +
          ` (${el.scrollWidth} px in ${el.clientWidth} px: '${el.textContent.trim().slice(0, 40)}')`);
  }
  return { figures, scrollWidth: document.documentElement.scrollWidth, innerWidth, wide: wide.slice(0, 5) };
}

// For forced colours: each chart's ground, its own colours (fill and stroke of
// its texts and shapes, which meet the contrast ratios when they are kept), a
// focused region's outline, table borders.
function measureColours() {
  const rgb = (c) => { const m = c.match(/rgba?\(([^)]*)\)/); return m ? m[1].split(',').map(Number) : null; };
  const out = { figures: [], matches: matchMedia('(forced-colors: active)').matches };
  for (const fig of document.querySelectorAll('figure.kaavio')) {
    const svg = fig.querySelector('.kaavio-kuva svg');
    if (!svg) continue;
    const cs = getComputedStyle(svg);
    const bg = rgb(cs.backgroundColor);
    const f = { id: fig.id, bg: cs.backgroundColor, opaque: !!bg && (bg.length < 4 || bg[3] === 1), adjust: cs.forcedColorAdjust,
      fills: [...svg.querySelectorAll('text, path, polygon, ellipse')].map((t) => getComputedStyle(t).fill + ' ' + getComputedStyle(t).stroke) };
    const region = fig.querySelector('.kaavio-kuva');
    region.focus();
    const o = getComputedStyle(region);
    f.outline = o.outlineStyle !== 'none' && parseFloat(o.outlineWidth) >= 2 ? o.outlineStyle + ' ' + o.outlineWidth : null;
    region.blur();
    out.figures.push(f);
  }
  const td = document.querySelector('main td');
  if (td) { const c = getComputedStyle(td); out.td = c.borderTopStyle !== 'none' && parseFloat(c.borderTopWidth) >= 1; }
  return out;
}

// }======

// A fontconfig file that offers chromium none of the machine's fonts, only one
// monospace stand-in (chromium aborts with no font at all): text not covered by
// an @font-face is then set in it, measured wide and named by CSS.getPlatformFontsForNode.
function standInFonts() {
  const dir = path.resolve(repo, 'build', 'fontconfig-ilman-fontteja');
  const fonts = path.join(dir, 'fontit');
  fs.mkdirSync(fonts, { recursive: true });
  const mono = execFileSync('fc-match', ['-f', '%{file}', 'DejaVu Sans Mono:style=Book'], { encoding: 'utf8' }).trim();
  const link = path.join(fonts, path.basename(mono));
  if (!fs.existsSync(link)) fs.symlinkSync(mono, link);
  const conf = path.join(dir, 'fonts.conf');
  fs.writeFileSync(conf, `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n` +
    `  <dir>${fonts}</dir>\n  <cachedir>${path.join(dir, 'cache')}</cachedir>\n</fontconfig>\n`);
  return { conf, family: execFileSync('fc-query', ['-f', '%{family[0]}', mono], { encoding: 'utf8' }).trim() };
}

async function launch(env) {
  return chromium.launch({
    executablePath: '/usr/bin/chromium', env,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

async function open(page, url) {
  await page.goto(url, { waitUntil: 'load', timeout: DEADLINE_MS });
  await page.evaluate(() => document.fonts.ready.then(() => true));
}

(async () => {
  const server = await serveStatic(root);
  const base = 'http://127.0.0.1:' + server.address().port + '/';
  fs.mkdirSync(shots, { recursive: true });
  // CHARTS_ONLY=regex limits the pages (for working on the test; make browser checks them all).
  const only = process.env.CHARTS_ONLY ? new RegExp(process.env.CHARTS_ONLY) : null;
  const urls = sitemapPages(root).filter((u) => !only || only.test('/' + u));
  const opts = { tolerance: TOLERANCE_PX };
  // Per viewport: every chart's numbers (by chart id; the worst page), pages scrolling sideways.
  const seen = { 1280: new Map(), 390: new Map() };
  const problems = { overflow: {}, ellipsis: [], small: [], crossings: [], sideways: [], region: [], natural: [], alone: [], forced: [] };
  for (const w of WIDTHS) problems.overflow[w] = [];
  const overflowShots = [];
  const counted = new Set();
  const chartPages = [];
  let browser = await launch(process.env);
  try {
    for (const w of WIDTHS) {
      const context = await browser.newContext({ viewport: { width: w, height: 900 } });
      const page = await context.newPage();
      for (const u of urls) {
        await open(page, base + u);
        const r = await page.evaluate(({ measure, opts }) => {
          const fn = new Function('return ' + measure)();
          return fn({ ...opts, crossings: (id) => /^(l\d+-)?kuva-rakenne(-|$)/.test(id) });
        }, { measure: measure.toString(), opts });
        if (w === 390 && r.scrollWidth > r.innerWidth)
          problems.sideways.push(`/${u}: ${r.scrollWidth} px wide at ${r.innerWidth} px: ${r.wide.join(', ')}`);
        if (r.figures.length && w === WIDTHS[0]) chartPages.push(u);
        for (const f of r.figures) {
          const id = chartId(f.id), where = `/${u}#${f.id}`;
          const prev = seen[w].get(id);
          if (!prev || f.overflow.length > prev.overflow.length) seen[w].set(id, { ...f, page: u });
          for (const o of f.overflow) {
            problems.overflow[w].push(`${where} ${o.what} '${o.title}': '${o.text}' sticks out ${o.px} px`);
            if (w === 1280 && overflowShots.length < 6 && !overflowShots.some((s) => s.u === u)) overflowShots.push({ u, gid: o.gid });
          }
          if (w === 1280 && !counted.has(id)) { // each chart once (booklets repeat them)
            counted.add(id);
            problems.ellipsis.push(...f.ellipsis.map((t) => `${where}: '${t}'`));
            if (f.texts && f.minPx < MIN_TEXT_PX - ROUNDING_PX) problems.small.push(`${where}: '${f.minText}' at ${f.minPx.toFixed(1)} px`);
            if (f.crossings && f.crossings.n > MAX_CROSSINGS)
              problems.crossings.push(`${where}: ${f.crossings.n} crossings (${f.crossings.pairs.slice(0, 4).join('; ')})`);
          }
          if (!f.region || f.region.role !== 'region' || f.region.tabIndex < 0 || !f.region.focused || !f.region.name ||
              !/auto|scroll/.test(f.region.overflowX))
            problems.region.push(`${where} at ${w} px: ${JSON.stringify(f.region)}`);
          if (f.natural !== null && Math.abs(f.shown - f.natural) > 1)
            problems.natural.push(`${where} at ${w} px: shown ${f.shown.toFixed(0)} px, natural ${f.natural.toFixed(0)} px`);
          else if (f.natural === null && f.texts)
            problems.natural.push(`${where} at ${w} px: no natural width (an <svg> without width)`);
          if (w === 1280 && f.texts && (!f.alone || !fs.existsSync(path.join(root, f.alone.replace(/^\//, '')))))
            problems.alone.push(`${where}: link to the chart alone: ${f.alone}`);
        }
        // On a phone the keyboard scrolls a chart wider than the column.
        if (w === 390 && r.figures.some((f) => f.region && f.region.wide)) {
          const sel = `#${r.figures.find((f) => f.region && f.region.wide).id} .kaavio-kuva`;
          await page.focus(sel);
          await page.keyboard.press('ArrowRight');
          const moved = await page.waitForFunction((s) => document.querySelector(s).scrollLeft > 0, sel,
            { timeout: DEADLINE_MS }).then(() => true, () => false);
          if (!moved) problems.region.push(`/${u} ${sel}: the right arrow key does not scroll the chart`);
        }
        // Forced colours (Windows high contrast), at the wide size.
        if (w === 1280 && r.figures.length) {
          const own = await page.evaluate(measureColours);
          await page.emulateMedia({ forcedColors: 'active' });
          const fc = await page.evaluate(measureColours);
          await page.emulateMedia({ forcedColors: 'none' });
          if (!fc.matches) problems.forced.push(`/${u}: forced colours not emulated`);
          fc.figures.forEach((f, i) => {
            const changed = f.fills.filter((c, k) => c !== own.figures[i].fills[k]).length;
            if (!f.opaque || f.adjust !== 'none' || changed || !f.outline)
              problems.forced.push(`/${u}#${f.id}: ground ${f.bg}, forced-color-adjust ${f.adjust}, outline ${f.outline}, ` +
                `${changed} of ${f.fills.length} colours changed`);
          });
          if (fc.td === false) problems.forced.push(`/${u}: table cells lose their borders`);
        }
      }
      // Screenshots for a person to look at.
      for (const [u, name] of [['yhteistyorakenne/', 'rakenne'], ['toimijat/siun-sote/', 'toimija'], ['vuosikello/', 'vuosikello']]) {
        await open(page, base + u);
        await page.screenshot({ path: path.join(shots, `kaaviot-${name}-${w}.png`), fullPage: true });
        await page.locator('figure.kaavio').first().scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(shots, `kaaviot-${name}-${w}-kuva.png`) });
      }
      if (w === 1280) {
        for (let i = 0; i < overflowShots.length; i++) {
          await open(page, base + overflowShots[i].u);
          await page.locator('#' + overflowShots[i].gid).screenshot({ path: path.join(shots, `ylivuoto-${i + 1}.png`) });
        }
        await open(page, base + 'kaaviot/rakenne-2025.svg');
        await page.screenshot({ path: path.join(shots, 'kaavio-yksinaan.png') });
      }
      await context.close();
    }
  } finally {
    await browser.close();
  }

  // The same charts with the machine's fonts unavailable.
  const stand = standInFonts();
  let fontlessShots = 0;
  const fontless = { overflow: [], fallback: 0, fallbackTexts: [], loaded: null, checked: null };
  browser = await launch({ ...process.env, FONTCONFIG_FILE: stand.conf });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    for (const u of chartPages) {
      await open(page, base + u);
      const r = await page.evaluate(({ measure, opts }) => new Function('return ' + measure)()({ ...opts, crossings: () => false }),
        { measure: measure.toString(), opts });
      for (const f of r.figures)
        for (const o of f.overflow) fontless.overflow.push(`/${u}#${f.id} ${o.what} '${o.title}': '${o.text}' sticks out ${o.px} px`);
      // A look at a few overflowing labels, to see that the numbers are real.
      const first = r.figures.flatMap((f) => f.overflow)[0];
      if (first && fontlessShots < 4)
        await page.locator('#' + first.gid).screenshot({ path: path.join(shots, `ylivuoto-ilman-fontteja-${++fontlessShots}.png`) });
      const { root: doc } = await cdp.send('DOM.getDocument', { depth: 0 });
      const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: doc.nodeId, selector: 'figure.kaavio svg text' });
      for (const id of nodeIds) {
        const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId: id });
        if (fonts.some((f) => !f.isCustomFont)) {
          fontless.fallback++;
          if (fontless.fallbackTexts.length < 3) fontless.fallbackTexts.push(`/${u}: ${fonts.map((f) => f.familyName).join(', ')}`);
        }
      }
      if (fontless.loaded === null) {
        const fl = await page.evaluate((family) => document.fonts.ready.then(() => ({
          check: document.fonts.check(`12px "${family}"`),
          loaded: [...document.fonts].some((f) => f.family.replace(/["']/g, '') === family && f.status === 'loaded'),
        })), FONT_FAMILY);
        fontless.checked = fl.check;
        fontless.loaded = fl.loaded;
      }
    }
    await context.close();
  } finally {
    await browser.close();
    server.close();
  }

  // {====== Numbers per chart type ======
  console.log('\nchart type      width  charts  labels out  smallest text px  crossings (structure charts)');
  for (const w of WIDTHS) {
    const types = new Map();
    for (const [id, f] of seen[w]) {
      const t = chartType(id);
      const e = types.get(t) || { n: 0, out: 0, min: Infinity, cross: [] };
      e.n++; e.out += f.overflow.length;
      if (f.texts) e.min = Math.min(e.min, f.minPx);
      if (f.crossings) e.cross.push(`${id}: ${f.crossings.n} (+${f.crossings.adjacent} adjacent)`);
      types.set(t, e);
    }
    for (const [t, e] of [...types].sort()) {
      console.log(`${t.padEnd(15)} ${String(w).padStart(5)}  ${String(e.n).padStart(6)}  ${String(e.out).padStart(10)}  ` +
        `${(e.min === Infinity ? '-' : e.min.toFixed(1)).padStart(16)}  ${w === 1280 ? e.cross.join(', ') : ''}`);
    }
  }
  console.log(`pages scrolling sideways at 390 px: ${problems.sideways.length} of ${urls.length}`);
  console.log(`without the machine's fonts: ${fontless.overflow.length} labels out, ${fontless.fallback} chart texts in ` +
    `a fallback font (${stand.family}), web font "${FONT_FAMILY}" loaded: ${fontless.loaded}\n`);
  // }======

  for (const w of WIDTHS)
    check(`no chart label sticks out of its shape at ${w} px (${problems.overflow[w].length})`, !problems.overflow[w].length, list(problems.overflow[w]));
  check(`no chart text cut with '…' (${problems.ellipsis.length})`, !problems.ellipsis.length, list(problems.ellipsis));
  check(`no chart text under ${MIN_TEXT_PX} px at 1280 px (${problems.small.length} charts)`, !problems.small.length, list(problems.small));
  check(`structure charts have at most ${MAX_CROSSINGS} edge crossings (${problems.crossings.length} have more)`,
    !problems.crossings.length, list(problems.crossings));
  check(`no page scrolls sideways at 390 px except inside its charts (${problems.sideways.length} of ${urls.length})`,
    !problems.sideways.length, list(problems.sideways));
  check('every chart region is named, focusable, scrolls sideways and from the keyboard', !problems.region.length, list(problems.region));
  check('every chart keeps its natural size at 1280 and 390 px', !problems.natural.length, list(problems.natural));
  check('every chart links to itself alone (kaaviot/<id>.svg)', !problems.alone.length, list(problems.alone));
  check('forced colours: charts keep an opaque ground and their contrast, focus outlines and table borders show',
    !problems.forced.length, list(problems.forced));
  check(`without the machine's fonts no chart label sticks out (${fontless.overflow.length})`, !fontless.overflow.length, list(fontless.overflow));
  if (fontShipped) {
    check(`the web font "${FONT_FAMILY}" loads (document.fonts.check)`, fontless.checked && fontless.loaded,
      `check ${fontless.checked}, loaded ${fontless.loaded}`);
    check(`every chart text is set in a web font (${fontless.fallback} fall back)`, !fontless.fallback, list(fontless.fallbackTexts));
  } else {
    console.log(`skip the web font checks: no layouts/static/fontit/ in this tree (${fontless.fallback} chart texts fall back now)`);
  }
  console.log(`charts: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})().catch((e) => { console.error(e); console.log(`charts: ${passed} passed, ${failed + 1} failed`); process.exit(1); });
