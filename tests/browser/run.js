// Browser tests of the built handbook (public/): every page checked with axe
// for WCAG 2.1 A and AA, Finnish search queries, keyboard reach of results,
// diagram links, the print page. Served on 127.0.0.1 only.
// Usage: node tests/browser/run.js PUBLIC_DIR SCREENSHOT_DIR
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');
const { serveStatic, sitemapPages, CHROMIUM, axeAll } = require('./static');

const root = path.resolve(process.argv[2] || 'public');
const shots = path.resolve(process.argv[3] || 'build/kuvakaappaukset');
function serve() {
  return serveStatic(root);
}

let passed = 0, failed = 0;
function check(name, cond, detail) {
  if (cond) { passed++; console.log('ok   ' + name); }
  else { failed++; console.log('FAIL ' + name + (detail ? '\n     ' + detail : '')); }
}

(async () => {
  const server = await serve();
  const base = 'http://127.0.0.1:' + server.address().port + '/';
  const browser = await chromium.launch(CHROMIUM);
  const context = await browser.newContext();
  const page = await context.newPage();
  fs.mkdirSync(shots, { recursive: true });
  try {
    // Every page of the sitemap, with axe.
    const urls = sitemapPages(root);
    const { clean, detail } = await axeAll(page, base, urls);
    check(`axe: ${clean}/${urls.length} pages without WCAG 2.1 AA violations`, clean === urls.length, detail);

    // Finnish search: inflected forms and parts of compounds.
    const queries = [['neuvottelu', 'HYTE-neuvottelut käytännössä'], ['neuvotteluissa', 'HYTE-neuvottelut käytännössä'],
      ['hyvinvointialueen', 'Pohjois-Karjalan hyvinvointialue'], ['kumppanuus', 'Alueelliset kumppanuusryhmät'],
      ['kunnille', 'Yhdyspinnat ja vastuunjako'], ['valtuustokausi', 'Lainsäädäntö']];
    for (const [q, want] of queries) {
      await page.goto(base + 'haku/?q=' + encodeURIComponent(q));
      await page.waitForSelector('#hakutulokset li', { timeout: 60000 }).catch(() => {});
      // Found at all: ten results are shown at a time, "Näytä lisää" shows the next ten.
      let titles = [];
      for (let round = 0; round < 10; round++) {
        titles = await page.$$eval('#hakutulokset > li > a', (as) => as.map((a) => a.textContent));
        const more = await page.$('button.haku-lisaa');
        if (titles.includes(want) || !more) break;
        const n = titles.length;
        await more.click();
        await page.waitForFunction((k) => document.querySelectorAll('#hakutulokset > li').length > k, n, { timeout: 30000 });
      }
      check(`search '${q}' finds '${want}'`, titles.includes(want), titles.slice(0, 5).join(' | '));
    }
    // Keyboard: the search box in the header, then Tab reaches a result link.
    await page.goto(base);
    await page.focus('#hakukentta');
    await page.keyboard.type('vuosikello');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#hakutulokset li a', { timeout: 60000 }).catch(() => {});
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => !!document.activeElement.closest('#hakutulokset'));
    }
    check('keyboard reaches the search results', reached);
    await page.screenshot({ path: path.join(shots, 'haku.png'), fullPage: false });

    // Diagram links lead to existing pages.
    await page.goto(base + 'yhteistyorakenne/');
    // An <a> with only xlink:title is a tooltip (the diagrams' hover texts), not a link.
    const links = await page.$$eval('figure.kaavio svg a', (as) => as.map((a) => a.getAttribute('xlink:href') || a.getAttribute('href')).filter(Boolean));
    let broken = [];
    for (const l of [...new Set(links)]) {
      const p = l.replace(/^\//, '');
      if (!fs.existsSync(path.join(root, p, p.endsWith('/') || p === '' ? 'index.html' : ''))) broken.push(l);
    }
    check(`diagram links lead to pages (${links.length})`, links.length > 0 && broken.length === 0, broken.join(' '));

    // The print page has every chapter and prints.
    await page.goto(base + 'tulosta/');
    const chapters = await page.$$eval('section.luku', (s) => s.length);
    check(`print page has its chapters (${chapters})`, chapters >= 15);
    const pdf = await page.pdf({ format: 'A4' });
    check('print page renders to PDF', pdf.length > 10000);

    for (const [u, name] of [['', 'etusivu'], ['yhteistyorakenne/pk-2025/strateginen-neuvottelu/', 'foorumi'],
      ['vuosikello/', 'vuosikello'], ['tulosta/', 'tulostus']]) {
      await page.goto(base + u);
      await page.screenshot({ path: path.join(shots, name + '.png'), fullPage: true });
    }
  } finally {
    await browser.close();
    server.close();
  }
  console.log(`browser: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})();
