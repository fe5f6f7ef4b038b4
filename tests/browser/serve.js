// `kasikirja serve` in a real browser: a copy of the repo's handbook is
// served on 127.0.0.1; an editor-style save (write a temporary file, rename
// it over the original) of one forum must reload the open page by itself with
// the new name; a broken save must show the error overlay (checked with axe
// too), and the fix must take it away. Prints the time from each save to the
// reloaded page (measured, never asserted).
// Usage: node tests/browser/serve.js KASIKIRJA_BINARY
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn, execFileSync } = require('child_process');
const { chromium } = require('playwright-core');
const { AxeBuilder } = require('@axe-core/playwright');

const bin = path.resolve(process.argv[2] || 'build/kasikirja');
const repo = path.resolve(__dirname, '..', '..');
let passed = 0, failed = 0;
function check(name, cond, detail) {
  if (cond) { passed++; console.log('ok   ' + name); }
  else { failed++; console.log('FAIL ' + name + (detail ? '\n     ' + detail : '')); }
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kk-serve-browser-'));
for (const f of ['site.yaml', 'content', 'layouts', 'diagrams'])
  execFileSync('cp', ['-r', path.join(repo, f), work]);
const forumFile = path.join(work, 'content/data/mallit/pk-2021.yaml');
const forumUrl = 'yhteistyorakenne/pk-2021/operatiivinen-yhteistyo/';
const original = fs.readFileSync(forumFile, 'utf8');

// An editor's save: the new text in a temporary file, renamed over the original.
function save(text) {
  const tmp = path.join(path.dirname(forumFile), '.pk-2021.yaml.tmp');
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, forumFile);
  return Date.now();
}

function freePort() {
  return new Promise((ok) => {
    const s = require('net').createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port; s.close(() => ok(p));
    });
  });
}

(async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}/`;
  const server = spawn(bin, ['serve', '--src', work, '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  server.stdout.on('data', (d) => { log += d; });
  server.stderr.on('data', (d) => { log += d; });
  for (let i = 0; i < 100 && !/serving/.test(log); i++) await new Promise((r) => setTimeout(r, 100));
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const page = await (await browser.newContext()).newPage();
  const times = [];
  try {
    await page.goto(base + forumUrl);
    const h1 = async () => (await page.textContent('h1')).trim();
    check('the forum page is served', (await h1()) === 'Operatiivinen yhteistyö', await h1());
    // Five saves, each a new name: the open page reloads itself every time.
    for (let i = 1; i <= 5; i++) {
      const name = `Operatiivinen yhteistyö ${i}`;
      await page.waitForTimeout(300);
      const t0 = save(original.replace('nimi: Operatiivinen yhteistyö\n', `nimi: ${name}\n`));
      try {
        await page.waitForFunction((n) => document.querySelector('h1') &&
          document.querySelector('h1').textContent.trim() === n, name, { timeout: 60000 });
        times.push(Date.now() - t0);
      } catch (e) { times.push(NaN); }
    }
    check('each save reloads the open page with the new name', times.every((t) => !Number.isNaN(t)), times.join(', '));
    // A broken save: the overlay appears on the open page, names the file and line, and passes axe.
    const t0 = save(original.replace('kutsuja: siun-sote', 'kutsuja: siun-sotte'));
    let overlay = '';
    try {
      await page.waitForSelector('#kasikirja-virheet', { timeout: 60000 });
      overlay = await page.textContent('#kasikirja-virheet');
      console.log(`     error overlay shown ${Date.now() - t0} ms after the save`);
    } catch (e) { /* checked below */ }
    check('a broken save shows the overlay with file:line:col', /content\/data\/mallit\/pk-2021\.yaml:\d+:\d+: error: /.test(overlay), overlay);
    check('the previous version of the page stays under the overlay', (await h1()).startsWith('Operatiivinen yhteistyö'));
    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    check('the overlay passes axe (WCAG 2.1 AA)', axe.violations.length === 0,
      axe.violations.map((v) => v.id + ': ' + v.nodes.map((n) => n.target).join(' ')).join('; '));
    await page.screenshot({ path: path.join(repo, 'build', 'kuvakaappaukset', 'serve-virhe.png') }).catch(() => {});
    save(original);
    let gone = false;
    try { await page.waitForSelector('#kasikirja-virheet', { state: 'detached', timeout: 60000 }); gone = true; } catch (e) { /* below */ }
    check('the fix takes the overlay away', gone && (await h1()) === 'Operatiivinen yhteistyö');
  } finally {
    await browser.close();
    server.kill('SIGINT');
    await new Promise((r) => server.on('exit', r));
    fs.rmSync(work, { recursive: true, force: true });
  }
  const ok = times.filter((t) => !Number.isNaN(t)).sort((a, b) => a - b);
  if (ok.length) console.log(`     save -> reloaded page (one forum renamed, handbook): median ${ok[ok.length >> 1]} ms, min ${ok[0]} ms, max ${ok[ok.length - 1]} ms (includes the 50 ms debounce)`);
  for (const line of log.split('\n').filter((l) => /change/.test(l))) console.log('     serve: ' + line);
  console.log(`serve in a browser: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})().catch((e) => { console.error(e); process.exit(1); });
