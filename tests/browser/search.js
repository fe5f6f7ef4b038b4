// The search page in a real browser: on the built handbook, ranked results with <mark>ed
// excerpts and heading links, the count announced, axe, bad input; and on generated sites of 500
// and 2,000 pages, the bytes five Finnish queries transfer (each in a fresh browser context: a
// cold cache), which must grow slowly with the site and stay under 300 KB. The sites are served
// gzip-compressed, as static hosts serve JSON and scripts; the uncompressed sizes are printed too.
// Usage: node tests/browser/search.js KASIKIRJA PUBLIC_DIR WORK_DIR
//        node tests/browser/search.js --measure SITE_DIR [kasikirja|pagefind]   (tests/bench/search_bench.sh)
//        node tests/browser/search.js --generate N DIR   (a generated site's sources)
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { chromium } = require('playwright-core');
const { AxeBuilder } = require('@axe-core/playwright');
const { serveStatic, CHROMIUM } = require('./static');

const QUERIES = ['neuvottelu', 'hyvinvointialueen', 'kunnat', 'yhteistyö seuranta', 'järjestöt'];

let passed = 0, failed = 0;
function check(name, cond, detail) {
  if (cond) { passed++; console.log('ok   ' + name); }
  else { failed++; console.log('FAIL ' + name + (detail ? '\n     ' + detail : '')); }
}

function launch() {
  return chromium.launch(CHROMIUM);
}

// The bytes the search of each query moves: the script, the index files, the fragments (not the
// page's HTML, style sheet or fonts, which every page loads). kind: kasikirja or pagefind (its
// default UI on a page of its own, pagefind-haku.html, that search_bench.sh writes).
async function measure(browser, dir, kind) {
  const log = [];
  const server = await serveStatic(path.resolve(dir), { gzip: true, log });
  const base = 'http://127.0.0.1:' + server.address().port + '/';
  const per = [];
  const errors = [];
  try {
    for (const q of QUERIES) {
      const context = await browser.newContext();
      const page = await context.newPage();
      page.on('pageerror', (e) => errors.push(String(e)));
      log.length = 0;
      if (kind === 'pagefind') {
        await page.goto(base + 'pagefind-haku.html');
        await page.fill('.pagefind-ui__search-input', q);
        await page.waitForSelector('.pagefind-ui__result, .pagefind-ui__message', { timeout: 60000 });
        await page.waitForTimeout(2000);
      } else {
        await page.goto(base + 'haku/?q=' + encodeURIComponent(q));
        await page.waitForFunction(() => /tulos|osum|Ei tuloksia|ei voitu/.test(document.getElementById('hakutila').textContent),
          null, { timeout: 60000 });
        await page.waitForTimeout(200);
      }
      const mine = log.filter((e) => kind === 'pagefind' ? /\/pagefind\//.test(e.path) : /haku\.js|hakuhakemisto/.test(e.path));
      per.push({ q, sent: mine.reduce((a, e) => a + e.sent, 0), raw: mine.reduce((a, e) => a + e.raw, 0), files: mine.length });
      await context.close();
    }
  } finally {
    server.close();
  }
  const sum = (k) => per.reduce((a, e) => a + e[k], 0);
  return { per, sent: sum('sent'), raw: sum('raw'), errors };
}

// A generated site of n pages (tests/bench/gen_site.sh repeats one text on every page; here each
// page draws its words from a vocabulary of real Finnish words and a long tail of made-up ones,
// Zipf-distributed, so that the index grows with the site as real text does). Deterministic.
function generate(n, dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'content'), { recursive: true });
  let seed = 12345;
  const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
  const real = ('hyvinvointialue hyvinvointialueen hyvinvointialueella kunta kunnan kunnat kunnille kuntien ' +
    'neuvottelu neuvottelussa neuvottelut neuvotteluissa neuvottelun yhteistyö yhteistyössä yhteistyön ' +
    'seuranta seurannan seurannassa järjestöt järjestöjen järjestöille seurakunnat terveyden edistäminen ' +
    'hyvinvoinnin suunnitelma suunnitelman kertomus kertomuksen valtuusto valtuustokausi toimenpide ' +
    'toimenpiteet tavoite tavoitteet vastuu vastuunjako foorumi johtoryhmä kumppanuus kumppanuusryhmä ' +
    'asukas asukkaiden osallisuus ennaltaehkäisy palvelut palveluiden lapset nuoret ikääntyneet työikäiset ' +
    'liikunta kulttuuri koulutus opetus sosiaalityö perhekeskus mielenterveys päihdetyö arviointi raportti').split(' ');
  const syl = ['ka', 'ta', 'lo', 'mi', 'su', 'ne', 'vi', 'rä', 'hö', 'pu', 'ja', 'ke', 'ti', 'ossa', 'lla', 'nen', 'uus', 'ri'];
  const vocab = real.slice();
  while (vocab.length < 30000) {
    let w = '';
    const k = 2 + Math.floor(rnd() * 4);
    for (let i = 0; i < k; i++) w += syl[Math.floor(rnd() * syl.length)];
    vocab.push(w);
  }
  const word = () => vocab[Math.min(vocab.length - 1, Math.floor(Math.pow(vocab.length, rnd())) - 1)];
  const sentence = (k) => { const w = []; for (let i = 0; i < k; i++) w.push(word()); const s = w.join(' '); return s[0].toUpperCase() + s.slice(1) + '.'; };
  fs.writeFileSync(path.join(dir, 'site.yaml'), 'title: Testisivusto\nlanguage: fi\nbase_url: https://example.fi/\n' +
    'menu:\n  - title: Etusivu\n    page: index.md\n  - title: Haku\n    page: haku.md\n');
  fs.writeFileSync(path.join(dir, 'content', 'index.md'), `---\ntitle: Etusivu\n---\nSivuja on ${n}.\n`);
  fs.writeFileSync(path.join(dir, 'content', 'haku.md'), '---\ntitle: Haku\nlayout: haku\nkirjaan: false\n---\nHae sivuilta.\n');
  const sections = Math.ceil(n / 100);
  for (let s = 0; s < sections; s++) {
    fs.mkdirSync(path.join(dir, 'content', 'osa-' + s), { recursive: true });
    fs.writeFileSync(path.join(dir, 'content', 'osa-' + s, 'index.md'), `---\ntitle: Osa ${s} ${word()}\nweight: ${s}\n---\n${sentence(12)}\n`);
  }
  for (let i = 0; i < n; i++) {
    let md = `---\ntitle: ${word()} ja ${word()} ${i}\nweight: ${i}\n---\n${sentence(20)} ${sentence(15)}\n\n`;
    for (let h = 0; h < 4; h++) {
      md += `## ${word()} ${word()}\n\n${sentence(18)} ${sentence(12)} ${sentence(20)}\n\n- ${sentence(6)}\n- ${sentence(8)}\n\n`;
    }
    fs.writeFileSync(path.join(dir, 'content', 'osa-' + Math.floor(i / 100), 'sivu-' + i + '.md'), md);
  }
}

function kb(n) { return (n / 1024).toFixed(1) + ' KB'; }

function report(label, m) {
  console.log(`${label}: five queries ${kb(m.sent)} transferred (${kb(m.raw)} uncompressed); per query ` +
    m.per.map((e) => `${e.q} ${kb(e.sent)}/${kb(e.raw)} in ${e.files} files`).join(', '));
}

async function handbook(browser, root) {
  const server = await serveStatic(path.resolve(root));
  const base = 'http://127.0.0.1:' + server.address().port + '/';
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  const status = async () => {
    await page.waitForFunction(() => {
      const t = document.getElementById('hakutila').textContent;
      return t && !/^Haetaan/.test(t);
    }, null, { timeout: 60000 });
    return page.$eval('#hakutila', (e) => e.textContent);
  };
  try {
    await page.goto(base + 'haku/?q=neuvottelu');
    const said = await status();
    const n = await page.$$eval('#hakutulokset > li', (l) => l.length);
    check(`'neuvottelu': the count is announced (${said})`, /^\d+ tulosta haulle ”neuvottelu”/.test(said), said);
    check(`'neuvottelu': ten results at first (${n})`, n > 0 && n <= 10);
    const live = await page.$eval('#hakutila', (e) => e.getAttribute('aria-live'));
    check('the count is in an aria-live region', live === 'polite');
    const marks = await page.$$eval('#hakutulokset .hakutulos-ote mark', (m) => m.map((x) => x.textContent));
    check(`excerpts mark the matches (${marks.slice(0, 3).join(', ')})`, marks.length > 0 && marks.every((m) => /^neuvott/i.test(m)), marks.join(' '));
    const subs = await page.$$eval('#hakutulokset .hakutulos-kohdat a', (a) => a.map((x) => x.getAttribute('href')));
    check(`results link to their matching headings (${subs.length})`, subs.some((h) => /#./.test(h)), subs.slice(0, 3).join(' '));
    const titles = await page.$$eval('#hakutulokset > li > a', (a) => a.map((x) => x.textContent));
    check(`a title match comes first ('${titles[0]}')`, /neuvottel/i.test(titles[0] || ''), titles.slice(0, 5).join(' | '));
    const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    check('axe: the search page with results', r.violations.length === 0, r.violations.map((v) => v.id + ': ' + v.help).join('; '));
    const more = await page.$('button.haku-lisaa');
    if (more) {
      await more.click();
      await page.waitForFunction(() => document.querySelectorAll('#hakutulokset > li').length > 10, null, { timeout: 30000 });
      const focused = await page.evaluate(() => !!document.activeElement.closest('#hakutulokset'));
      check('"Näytä lisää" shows more and moves focus to them', focused);
    }

    // Bad input: a clear message, bounded work, no error.
    const bad = [
      ['a'.repeat(300) + ' ' + 'sana '.repeat(200), /lyhennetty/],
      ['ja tai ...!!', /ei löytynyt haettavia sanoja/],
      ['?!,.;:', /ei löytynyt haettavia sanoja/],
      ['x'.repeat(300), /ei löytynyt haettavia sanoja.*Yli 40 kirjaimen/],
      ['neuvottelu zzqqxx', /Kaikkia hakusanoja ei löytynyt/],
    ];
    for (const [q, want] of bad) {
      await page.goto(base + 'haku/?q=' + encodeURIComponent(q));
      const t = await status();
      check(`bad input '${q.slice(0, 20)}…' (${q.length} chars): ${t.slice(0, 80)}`, want.test(t), t);
    }
    check('no console errors', errors.length === 0, errors.join('\n     '));
  } finally {
    await context.close();
    server.close();
  }
}

(async () => {
  const browser = await launch();
  try {
    if (process.argv[2] === '--generate') {
      generate(Number(process.argv[3]), path.resolve(process.argv[4]));
      return;
    }
    if (process.argv[2] === '--measure') {
      const m = await measure(browser, process.argv[3], process.argv[4] || 'kasikirja');
      report(process.argv[4] || 'kasikirja', m);
      console.log(JSON.stringify({ sent: m.sent, raw: m.raw, perQuerySent: Math.round(m.sent / QUERIES.length), perQueryRaw: Math.round(m.raw / QUERIES.length) }));
      return;
    }
    const [bin, root, work] = process.argv.slice(2);
    await handbook(browser, root);
    const sums = {};
    for (const n of [500, 2000]) {
      const dir = path.resolve(work, 'sivusto-' + n);
      generate(n, dir);
      execFileSync(bin, ['build', '--src', dir, '--out', path.join(dir, 'public')], { stdio: 'ignore' });
      const m = await measure(browser, path.join(dir, 'public'), 'kasikirja');
      report(`${n} pages`, m);
      check(`${n} pages: no errors`, m.errors.length === 0, m.errors.join(' '));
      sums[n] = m.sent;
    }
    check(`2,000 pages: ${kb(sums[2000])} <= 500 pages × 1.5 + 50 KB (${kb(sums[500] * 1.5 + 51200)})`, sums[2000] <= sums[500] * 1.5 + 51200);
    check(`2,000 pages: five queries under 300 KB (${kb(sums[2000])})`, sums[2000] < 300 * 1024);
  } finally {
    await browser.close();
  }
  console.log(`search: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})().catch((e) => { console.error(e); process.exit(1); });
