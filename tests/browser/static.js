// The built site served on 127.0.0.1 (any free port), for the browser tests.
'use strict';
const http = require('http');
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.ics': 'text/calendar', '.xml': 'application/xml',
  '.txt': 'text/plain', '.csv': 'text/csv', '.woff2': 'font/woff2', '.woff': 'font/woff' };

// Resolves to the listening server; its address().port is the port. opts.gzip: text files
// gzip-compressed when the browser asks (as static hosts serve them); opts.log: an array that gets
// {path, raw, sent} for every file served (raw: its size, sent: the bytes of the body sent).
function serveStatic(root, opts) {
  opts = opts || {};
  const server = http.createServer((req, res) => {
    const p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = path.join(root, p);
    if (!file.startsWith(root)) { res.writeHead(403); res.end(); return; }
    if (p.endsWith('/')) file = path.join(file, 'index.html');
    fs.readFile(file, (err, data) => {
      if (err) { res.writeHead(404); res.end('not found'); return; }
      const headers = { 'content-type': types[path.extname(file)] || 'application/octet-stream' };
      let body = data;
      const textual = /^(text|application\/(json|javascript|xml)|image\/svg)/.test(headers['content-type']) ||
        /\.pf_/.test(file);
      if (opts.gzip && textual && !/\.pf_/.test(file) && /gzip/.test(req.headers['accept-encoding'] || '')) {
        body = zlib.gzipSync(data, { level: 6 });
        headers['content-encoding'] = 'gzip';
      }
      if (opts.log) opts.log.push({ path: p, raw: data.length, sent: body.length });
      res.writeHead(200, headers);
      res.end(body);
    });
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

// The pages of the site's sitemap, as paths from the root ('' is the front page).
function sitemapPages(root) {
  const sitemap = fs.readFileSync(path.join(root, 'sitemap.xml'), 'utf8');
  return [...sitemap.matchAll(/<loc>[^<]*?\/\/[^/]+\/([^<]*)<\/loc>/g)].map((m) => m[1]);
}

// Opens a page at a width, with extra CSS (or null), waiting at most deadline ms; returns how far
// it sticks out sideways and the widest element that sticks out (for the failure message). What
// scrolls inside a labelled region of its own (.vieritys) does not count.
async function overflow(page, url, width, css, deadline) {
  await page.setViewportSize({ width, height: 800 });
  await page.goto(url, { waitUntil: 'load', timeout: deadline });
  if (css) await page.addStyleTag({ content: css });
  return page.evaluate(() => {
    const de = document.documentElement, vw = window.innerWidth;
    const over = de.scrollWidth - vw;
    if (over <= 0) return { over, what: '' };
    let worst = null, right = vw;
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.right > right + 0.5 && !el.closest('.vieritys')) { right = r.right; worst = el; }
    }
    const name = worst ? worst.tagName.toLowerCase() + (worst.className ? '.' + String(worst.className).split(' ')[0] : '') +
      ' "' + (worst.textContent || '').trim().slice(0, 40) + '"' : '?';
    return { over, what: `${Math.round(right)} px: ${name}` };
  });
}

// Debian's Chromium, headless, with nothing that reaches the network on its own.
const CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};

// Runs axe (WCAG 2.1 A and AA) on each of urls (paths from base) at 1,280 px; returns how many had
// no violation and a description of the violations (each rule once, with up to three places).
async function axeAll(page, base, urls) {
  const { AxeBuilder } = require('@axe-core/playwright');
  let clean = 0;
  const seen = {};
  for (const u of urls) {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(base + u);
    const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    if (r.violations.length === 0) clean++;
    for (const v of r.violations) {
      seen[v.id] = seen[v.id] || { n: 0, help: v.help, where: [] };
      seen[v.id].n += v.nodes.length;
      if (seen[v.id].where.length < 3) seen[v.id].where.push('/' + u + ' ' + v.nodes[0].target.join(' '));
    }
  }
  const detail = Object.entries(seen).map(([id, s]) => `${id} (${s.n}): ${s.help} — ${s.where.join('; ')}`).join('\n     ');
  return { clean, detail };
}

module.exports = { serveStatic, sitemapPages, overflow, CHROMIUM, axeAll };
