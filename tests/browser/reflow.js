// Reflow and print tests of the built handbook (WCAG 2.1: 1.4.10 reflow, 1.4.4 resize
// text, 1.4.12 text spacing) and of its printed booklet:
//  - every page of the sitemap (and every booklet) at 320 and 390 CSS px, at 1,280 px
//    with the root font size doubled, and at 320 px with the text-spacing bookmarklet's
//    CSS: document.documentElement.scrollWidth <= innerWidth (nothing scrolls sideways);
//  - the whole-handbook booklet printed through Chromium with its own CSS
//    (preferCSSPageSize): A4, every glossary explanation and party name in it, no
//    internal address of the site, no maintainers' guide;
//  - forced colours keep focus, search box and table borders visible; reduced motion stops
//    transitions, animations and smooth scrolling;
//  - a fixture site of hostile content (tests/fixtures/reflow: a 300-character word, a
//    30-column table, a 5,000-line code block) built with the repository's layouts:
//    no sideways scroll at 320 px, the wide things scroll inside a labelled region.
// Prints `N passed, M failed` last; exits 1 on failure. Waits are 60 s deadlines.
// Usage: node tests/browser/reflow.js BIN PUBLIC_DIR OUT_DIR
//   (BIN builds the fixture; OUT_DIR gets the PDF, the fixture's output and screenshots)
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const { chromium } = require('playwright-core');

const repo = path.resolve(__dirname, '..', '..');
const bin = path.resolve(process.argv[2] || 'build/kasikirja');
const root = path.resolve(process.argv[3] || 'public');
const outDir = path.resolve(process.argv[4] || 'build/reflow');
const DEADLINE = 60000;
const { serveStatic, overflow: overflowAt, CHROMIUM } = require('./static');
const overflow = (page, url, width, css) => overflowAt(page, url, width, css, DEADLINE);
// The text-spacing bookmarklet (Steve Faulkner's), as CSS: WCAG 1.4.12's minimums.
const TEXT_SPACING = '* { line-height: 1.5 !important; letter-spacing: 0.12em !important; ' +
  'word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }';
const DOUBLE_TEXT = 'html { font-size: 200% !important; }';

let passed = 0, failed = 0;
function check(name, cond, detail) {
  if (cond) { passed++; console.log('ok   ' + name); }
  else { failed++; console.log('FAIL ' + name + (detail ? '\n     ' + detail : '')); }
}

// The site's pages: the sitemap's, and the booklets (tulosta/ folders) it does not list.
function pagesOf(dir) {
  const sitemap = fs.readFileSync(path.join(dir, 'sitemap.xml'), 'utf8');
  const urls = [...sitemap.matchAll(/<loc>[^<]*?\/\/[^/]+\/([^<]*)<\/loc>/g)].map((m) => m[1]);
  const walk = (rel) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      const sub = rel + e.name + '/';
      if (e.name === 'tulosta' && fs.existsSync(path.join(dir, sub, 'index.html')) && !urls.includes(sub))
        urls.push(sub);
      walk(sub);
    }
  };
  walk('');
  return urls;
}

async function sideways(page, base, urls, width, css, label) {
  const bad = [];
  for (const u of urls) {
    const r = await overflow(page, base + u, width, css);
    if (r.over > 0) bad.push(`/${u} (+${r.over} px, ${r.what})`);
  }
  check(`${label}: ${urls.length - bad.length}/${urls.length} pages without sideways scroll`, bad.length === 0,
    bad.slice(0, 12).join('\n     ') + (bad.length > 12 ? `\n     … and ${bad.length - 12} more` : ''));
  return bad.length;
}

// content/data/sanasto.yaml and toimijat.yaml hold the values as plain `key: value`
// lines (a scalar on one line, maybe quoted): enough of YAML for what the test reads.
function yamlValues(file, key) {
  const out = [];
  const re = new RegExp('^\\s*(?:-\\s+)?' + key + ':\\s*(.*)$');
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = line.match(re);
    if (!m || !m[1] || m[1].startsWith('#')) continue;
    let v = m[1].trim();
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1);
    out.push(v);
  }
  return out;
}

// pdftotext breaks lines and hyphenates: compare words only, with soft hyphens and
// line-end hyphens gone.
function norm(s) {
  return s.replace(/\u00ad/g, '').replace(/-\s*\n\s*/g, '-').replace(/\s+/g, ' ').trim();
}
function inText(text, want) {
  const flat = norm(text);
  if (flat.includes(norm(want))) return true;
  // A word broken at a line end by hyphens: auto prints "hyvinvoin- tialue".
  const joined = text.replace(/\u00ad/g, '').replace(/(\p{L})-\s*\n\s*(\p{Ll})/gu, '$1$2').replace(/\s+/g, ' ');
  return joined.includes(norm(want));
}

async function booklet(page, base) {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(base + 'tulosta/', { waitUntil: 'load', timeout: DEADLINE });
  const pdfPath = path.join(outDir, 'kirja.pdf');
  fs.writeFileSync(pdfPath, await page.pdf({ preferCSSPageSize: true, timeout: DEADLINE }));
  const info = execFileSync('pdfinfo', [pdfPath], { encoding: 'utf8' });
  const size = (info.match(/Page size:\s*(.*)/) || [])[1] || '?';
  const pages = Number((info.match(/Pages:\s*(\d+)/) || [])[1] || 0);
  console.log(`booklet: ${pages} pages, ${size}`);
  // A4 is 595.28 x 841.89 pt; Chromium lays pages out in whole CSS pixels, so allow a point.
  const [w, h] = (size.match(/^([\d.]+) x ([\d.]+) pts/) || []).slice(1).map(Number);
  check(`booklet is A4 (${size})`, Math.abs(w - 595.28) < 1 && Math.abs(h - 841.89) < 1);
  const text = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', pdfPath, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const raw = execFileSync('pdftotext', ['-enc', 'UTF-8', pdfPath, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const missing = (list) => list.filter((w) => !inText(raw, w) && !inText(text, w));
  const terms = yamlValues(path.join(repo, 'content/data/sanasto.yaml'), 'selitys');
  const mt = missing(terms);
  check(`booklet has every glossary explanation (${terms.length - mt.length}/${terms.length})`, terms.length > 0 && mt.length === 0,
    mt.slice(0, 3).join('\n     '));
  const parties = yamlValues(path.join(repo, 'content/data/toimijat.yaml'), 'nimi');
  const mp = missing(parties);
  check(`booklet has every party name (${parties.length - mp.length}/${parties.length})`, parties.length > 0 && mp.length === 0,
    mp.slice(0, 5).join(' | '));
  const siteYaml = fs.readFileSync(path.join(repo, 'site.yaml'), 'utf8');
  const baseUrl = ((siteYaml.match(/^base_url:\s*(\S+)/m) || [])[1] || 'https://kasikirja.example.fi/');
  const host = baseUrl.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  const hits = raw.split(host).length - 1;
  check(`booklet prints no internal address (${host}: ${hits})`, hits === 0);
  // Other chapters may name the guide in their text (the front page lists it): no chapter
  // or table-of-contents line is it, and its own text is not there.
  const guide = fs.readFileSync(path.join(repo, 'layouts/sivut/ohjeet/index.md'), 'utf8').split('\n---\n')[1].trim().split('. ')[0];
  check('booklet leaves out the maintainers\' guide', !/^\s*(\d+\.)?\s*Ohjeet ylläpitäjälle\s*$/m.test(raw) &&
    !inText(raw, guide) && !/^\s*(\d+\.)?\s*Rakennetiedot: näin muokkaat/m.test(raw), guide);
  check('booklet leaves out the search page', !/^\s*(\d+\.)?\s*Haku\s*$/m.test(raw));
  const missingNumbers = [];
  for (let i = 2; i <= Math.min(pages, 6); i++) if (!new RegExp('^\\s*' + i + '\\s*$', 'm').test(text)) missingNumbers.push(i);
  check('booklet pages are numbered', pages > 1 && missingNumbers.length === 0, 'no number on pages ' + missingNumbers.join(', '));
  return pages;
}

// The hostile fixture, built into OUT_DIR/fixture with the repository's layouts.
function buildFixture() {
  const src = fs.mkdtempSync(path.join(os.tmpdir(), 'kk-reflow-'));
  fs.cpSync(path.join(repo, 'tests/fixtures/reflow/site'), src, { recursive: true });
  fs.cpSync(path.join(repo, 'layouts'), path.join(src, 'layouts'), { recursive: true });
  const lines = [];
  for (let i = 1; i <= 5000; i++) lines.push(`rivi_${i} = "${'x'.repeat(i % 200)}"; // koodirivi numero ${i}`);
  fs.appendFileSync(path.join(src, 'content/index.md'), '\n```\n' + lines.join('\n') + '\n```\n');
  const out = path.join(outDir, 'fixture');
  execFileSync(bin, ['build', '--src', src, '--out', out, '-q'], { stdio: 'inherit' });
  fs.rmSync(src, { recursive: true, force: true });
  return out;
}

async function fixture(page) {
  const dir = buildFixture();
  const server = await serveStatic(dir);
  try {
    const base = 'http://127.0.0.1:' + server.address().port + '/';
    for (const w of [320, 390]) {
      const r = await overflow(page, base, w, null);
      check(`hostile content at ${w} px: no sideways scroll`, r.over <= 0, r.what);
    }
    const regions = await page.$$eval('.vieritys', (els) => els.map((e) => ({
      label: e.getAttribute('aria-label'), role: e.getAttribute('role'), tab: e.tabIndex,
      scrolls: e.scrollWidth > e.clientWidth, inner: e.firstElementChild && e.firstElementChild.tagName })));
    const table = regions.find((r) => r.inner === 'TABLE'), pre = regions.find((r) => r.inner === 'PRE');
    check('the wide table scrolls in a focusable, labelled region', !!table && table.scrolls && table.role === 'region' &&
      table.tab === 0 && !!table.label, JSON.stringify(table));
    check('the code block scrolls in a focusable, labelled region', !!pre && pre.scrolls && pre.role === 'region' &&
      pre.tab === 0 && !!pre.label, JSON.stringify(pre));
    const r = await overflow(page, base, 320, TEXT_SPACING);
    check('hostile content with text spacing at 320 px: no sideways scroll', r.over <= 0, r.what);
  } finally {
    server.close();
  }
}

// Forced colours (Windows high contrast, as Chromium emulates it): the keyboard focus, the
// search box and table borders stay visible; reduced motion: nothing animates.
async function modes(page, base) {
  await page.setViewportSize({ width: 390, height: 800 });
  await page.emulateMedia({ forcedColors: 'active' });
  await page.goto(base + 'toimijat/', { waitUntil: 'load' });
  await page.focus('#hakukentta');
  const fc = await page.evaluate(() => {
    const cs = (el) => getComputedStyle(el);
    const input = document.querySelector('#hakukentta'), th = document.querySelector('main th');
    return { outline: cs(input).outlineStyle !== 'none' && parseFloat(cs(input).outlineWidth) >= 2,
      input: parseFloat(cs(input).borderTopWidth) >= 1 && cs(input).borderTopStyle !== 'none',
      th: !!th && parseFloat(cs(th).borderTopWidth) >= 1 && cs(th).borderTopStyle !== 'none' };
  });
  check('forced colours: focus outline, search box and table borders visible', fc.outline && fc.input && fc.th, JSON.stringify(fc));
  await page.emulateMedia({ forcedColors: 'none', reducedMotion: 'reduce' });
  const moving = [];
  for (const u of ['', 'yhteistyorakenne/', 'haku/?q=kunta', 'vuosikello/']) {
    await page.goto(base + u, { waitUntil: 'load' });
    moving.push(...await page.evaluate((u) => {
      const out = [];
      if (getComputedStyle(document.documentElement).scrollBehavior === 'smooth') out.push('/' + u + ' html: smooth scrolling');
      for (const el of document.querySelectorAll('*')) {
        const cs = getComputedStyle(el);
        const t = cs.transitionDuration.split(',').some((d) => parseFloat(d) > 0);
        const a = cs.animationName !== 'none';
        if (t || a) out.push('/' + u + ' ' + el.tagName.toLowerCase() + (t ? ' transition' : ' animation'));
      }
      return out;
    }, u));
  }
  check('reduced motion: no transitions, animations or smooth scrolling', moving.length === 0, moving.slice(0, 5).join('; '));
  await page.emulateMedia({ reducedMotion: 'no-preference' });
}

(async () => {
  fs.mkdirSync(outDir, { recursive: true });
  const server = await serveStatic(root);
  const base = 'http://127.0.0.1:' + server.address().port + '/';
  const browser = await chromium.launch(CHROMIUM);
  const page = await (await browser.newContext()).newPage();
  page.setDefaultTimeout(DEADLINE);
  const counts = {};
  try {
    const urls = pagesOf(root);
    counts[320] = await sideways(page, base, urls, 320, null, '320 px');
    counts[390] = await sideways(page, base, urls, 390, null, '390 px');
    counts['200 %'] = await sideways(page, base, urls, 1280, DOUBLE_TEXT, '1,280 px, text 200 %');
    counts['spacing'] = await sideways(page, base, urls, 320, TEXT_SPACING, '320 px, WCAG text spacing');
    counts.pdf = await booklet(page, base);
    await modes(page, base);
    for (const [u, name] of [['', 'etusivu'], ['yhteistyorakenne/pk-2025/strateginen-neuvottelu/', 'foorumi'],
      ['sanasto/', 'sanasto']]) {
      await page.setViewportSize({ width: 320, height: 800 });
      await page.goto(base + u, { waitUntil: 'load' });
      await page.screenshot({ path: path.join(outDir, `${name}-320.png`), fullPage: true });
    }
    await fixture(page);
  } catch (e) {
    check('the test ran to the end', false, e.stack);
  } finally {
    await browser.close();
    server.close();
  }
  console.log(`reflow: sideways at 320 px ${counts[320]}, 390 px ${counts[390]}, 200 % ${counts['200 %']}, ` +
    `text spacing ${counts.spacing}; booklet ${counts.pdf} pages`);
  console.log(`reflow: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})();
