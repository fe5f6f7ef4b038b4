// The bilingual fixture (tests/fixtures/kaksikielinen, `languages: [fi, sv]`) in a real browser:
//  - every page of both languages — every index.html of its output: the sitemap's pages, the
//    Swedish ones under sv/, the generated ones (actors, sections, lists) and the booklets — with
//    axe (WCAG 2.1 A and AA) and at 320 and 390 CSS px (nothing scrolls sideways);
//  - the search per language: on the Swedish search page "förhandlingar" finds the Swedish page
//    "Förhandling" (Snowball's Swedish stemmer) and only Swedish pages, every message is Swedish;
//    the Finnish search page finds Finnish pages only.
// Prints `N passed, M failed` last; exits 1 on failure.
// Usage: node tests/browser/kielet.js BIN OUT_DIR   (BIN builds the fixture into OUT_DIR)
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { chromium } = require('playwright-core');
const { AxeBuilder } = require('@axe-core/playwright');
const { serveStatic, overflow, CHROMIUM, axeAll } = require('./static');

const repo = path.resolve(__dirname, '..', '..');
const bin = path.resolve(process.argv[2] || 'build/kasikirja');
const out = path.resolve(process.argv[3] || 'build/kaksikielinen');
const DEADLINE = 60000;

let passed = 0, failed = 0;
function check(name, cond, detail) {
  if (cond) { passed++; console.log('ok   ' + name); }
  else { failed++; console.log('FAIL ' + name + (detail ? '\n     ' + detail : '')); }
}

// Every page of the output: each folder's index.html, as a path from the root ('' is the front page);
// not the redirect pages of old addresses (they leave at once for the page they name, which is here).
function pagesOf(dir) {
  const urls = [];
  const walk = (rel) => {
    const file = path.join(dir, rel, 'index.html');
    if (fs.existsSync(file) && !/<meta http-equiv="refresh"/.test(fs.readFileSync(file, 'utf8'))) urls.push(rel);
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      if (e.isDirectory()) walk(rel + e.name + '/');
    }
  };
  walk('');
  return urls.sort();
}

// The search page at u for query q: its status once the search is done, and the results' titles
// and addresses (from the site root).
async function search(page, base, u, q) {
  await page.goto(base + u + '?q=' + encodeURIComponent(q));
  await page.waitForFunction(() => {
    const t = document.getElementById('hakutila').textContent;
    return t && t !== document.querySelector('form[data-hakemisto]').getAttribute('data-haetaan');
  }, null, { timeout: DEADLINE });
  const status = await page.$eval('#hakutila', (e) => e.textContent);
  const hits = await page.$$eval('#hakutulokset > li > a', (as) => as.map((a) => ({
    title: a.textContent, url: new URL(a.href).pathname.replace(/^\//, '') })));
  return { status, hits };
}

// Words of haku.js's Finnish messages: none may show on a Swedish page.
const FINNISH = /haulle|tulosta|Haetaan|Hakusanasta|hakusanoja|Näytä|lyhennetty|jätettiin|Hakemistoa/;

async function searches(page, base) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  let r = await search(page, base, 'sv/haku/', 'förhandlingar');
  check(`sv: 'förhandlingar' finds 'Förhandling' (${r.hits.map((h) => h.title).join(' | ')})`,
    r.hits.some((h) => h.title === 'Förhandling' && h.url === 'sv/palvelut/neuvottelu/'));
  check('sv: only Swedish pages in the Swedish results', r.hits.length > 0 && r.hits.every((h) => /^sv\//.test(h.url)),
    r.hits.map((h) => h.url).join(' '));
  check(`sv: the count in Swedish (${r.status})`, /^\d+ träffa?r? för ”förhandlingar”\.$/.test(r.status) && !FINNISH.test(r.status));
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  check('axe: the Swedish search page with results', axe.violations.length === 0,
    axe.violations.map((v) => v.id + ': ' + v.help).join('; '));
  r = await search(page, base, 'sv/haku/', 'neuvottelu');
  check(`sv: a Finnish word finds no Swedish page (${r.status})`, r.hits.length === 0 && r.status === 'Inga träffar för ”neuvottelu”.');
  r = await search(page, base, 'sv/haku/', 'förhandling zzqqxx');
  check(`sv: some words found, said in Swedish (${r.status})`, /Ingen sida har alla sökord/.test(r.status) && !FINNISH.test(r.status));
  r = await search(page, base, 'sv/haku/', 'och ?!');
  check(`sv: Swedish stop words left out, said in Swedish (${r.status})`,
    r.status === 'Sökningen innehöll inga ord att söka efter. Skriv minst ett ord.');
  r = await search(page, base, 'sv/haku/', 'x'.repeat(50));
  check(`sv: too long a word, said in Swedish (${r.status})`, /Ord med fler än 40 bokstäver utelämnades\./.test(r.status) && !FINNISH.test(r.status));
  r = await search(page, base, 'haku/', 'neuvotteluissa');
  check(`fi: 'neuvotteluissa' finds 'Neuvottelu', Finnish pages only (${r.hits.map((h) => h.url).join(' ')})`,
    r.hits.some((h) => h.title === 'Neuvottelu') && r.hits.every((h) => !/^sv\//.test(h.url)));
  check(`fi: the count in Finnish (${r.status})`, /^\d+ tulos(ta)? haulle ”neuvotteluissa”\.$/.test(r.status));
  r = await search(page, base, 'haku/', 'förhandlingar');
  check(`fi: the Finnish index has no Swedish page (${r.status})`, r.hits.length === 0);
  check('search: no errors in the page', errors.length === 0, errors.join('\n     '));
}

(async () => {
  execFileSync(bin, ['build', '-q', '--src', path.join(repo, 'tests/fixtures/kaksikielinen'), '--out', out],
    { stdio: ['ignore', 'ignore', 'inherit'] });
  const server = await serveStatic(out);
  const base = 'http://127.0.0.1:' + server.address().port + '/';
  const browser = await chromium.launch(CHROMIUM);
  const page = await (await browser.newContext()).newPage();
  page.setDefaultTimeout(DEADLINE);
  try {
    const urls = pagesOf(out);
    check(`the pages of both languages (${urls.length}, ${urls.filter((u) => /^sv\//.test(u)).length} Swedish)`,
      urls.includes('sv/') && urls.includes('sv/haku/') && urls.includes('toimijat/hva/'), urls.join(' '));
    const { clean, detail } = await axeAll(page, base, urls);
    check(`axe: ${clean}/${urls.length} pages without WCAG 2.1 AA violations`, clean === urls.length, detail);
    for (const width of [320, 390]) {
      const bad = [];
      for (const u of urls) {
        const r = await overflow(page, base + u, width, null, DEADLINE);
        if (r.over > 0) bad.push(`/${u} (+${r.over} px, ${r.what})`);
      }
      check(`${width} px: ${urls.length - bad.length}/${urls.length} pages without sideways scroll`, bad.length === 0,
        bad.slice(0, 12).join('\n     '));
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await searches(page, base);
  } catch (e) {
    check('the test ran to the end', false, e.stack);
  } finally {
    await browser.close();
    server.close();
  }
  console.log(`kielet: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})();
