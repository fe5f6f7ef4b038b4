/* haku.js: the handbook's search page. Reads the index a query at a time
 * (generator/4-render/search.h): the manifest hakuhakemisto.json, the chunks
 * of the word index its words fall in, and the fragments of the results it
 * shows, ten at a time. Pages with every query word come first (else any of
 * them, with a note), ranked with BM25, title and heading matches above
 * matches in the text. Plain ES2017, no libraries, no eval: works under a
 * strict Content-Security-Policy. The form is an ordinary GET form (?q=...),
 * so a search can be linked and reloaded. Every word it shows a reader, and
 * the words a query leaves out, come from the form's data- attributes, which
 * the layout fills from the page language's interface catalog
 * (layouts/kielet/<lang>.yaml, group haku); the index is that language's. */
(function () {
  'use strict';

  var form = document.querySelector('form[data-hakemisto]');
  if (!form) return;
  var input = form.querySelector('#hakusana');
  var status = document.getElementById('hakutila');
  var list = document.getElementById('hakutulokset');
  var root = form.getAttribute('data-juuri') || '';

  /* The catalog's text for name, {placeholders} filled from vars. */
  function msg(name, vars) {
    var text = form.getAttribute('data-' + name) || '';
    return text.replace(/\{([a-z_]+)\}/g, function (all, k) {
      return Object.prototype.hasOwnProperty.call(vars || {}, k) ? String(vars[k]) : all;
    });
  }

  var PER_PAGE = 10;       /* results shown at a time (data-lisaa for more) */
  var SNIPPET = 200;       /* characters of page text around the first match */
  var MAX_CHARS = 100;     /* of a query */
  var MAX_WORDS = 10;
  var WORD_MAX = 40;       /* letters; longer words are not in the index (SEARCH_WORD_MAX) */
  var MAX_SUB = 3;         /* headings linked under a result */

  /* Words that find nearly every page in the page's language; left out of a query. */
  var STOP = new Set((form.getAttribute('data-ohitettavat') || '').toLowerCase().split(/\s+/).filter(Boolean));

  /* {====== Words, as the indexer (generator/4-render/search.c) reads them ====== */

  /* Mirrors is_letter in search.c: ASCII letters and digits, and everything
   * beyond ASCII except punctuation, symbols and spaces. */
  function isLetter(cp) {
    if (cp < 0x80) {
      return (cp >= 97 && cp <= 122) || (cp >= 65 && cp <= 90) || (cp >= 48 && cp <= 57);
    }
    if (cp <= 0xBF || cp === 0xD7 || cp === 0xF7) return false;
    if (cp >= 0x2000 && cp <= 0x2BFF) return false;
    if (cp >= 0x2E00 && cp <= 0x2E7F) return false;
    if (cp >= 0x3000 && cp <= 0x303F) return false;
    if ((cp >= 0xFE00 && cp <= 0xFE0F) || cp === 0xFEFF) return false;
    if (cp >= 0xFFF0 && cp <= 0xFFFF) return false;
    if (cp >= 0x1F000 && cp <= 0x1FAFF) return false;
    if (cp >= 0xD800 && cp <= 0xDFFF) return false; /* a lone surrogate */
    return cp <= 0x10FFFF;
  }

  /* The lower-cased words of s, each once, in order. */
  function words(s) {
    var out = [];
    var cur = '';
    for (var ch of s.toLowerCase() + ' ') {
      if (isLetter(ch.codePointAt(0))) {
        cur += ch;
      } else if (cur) {
        if (out.indexOf(cur) < 0) out.push(cur);
        cur = '';
      }
    }
    return out;
  }

  function letters(w) {
    return Array.from(w);
  }

  /* The query prefix of a word: the word itself when shorter than 4 letters,
   * else its first max(4, length - 3) letters. The stemmer removes case
   * endings, so "neuvottelu" -> "neuvott" finds the stem "neuvottelu" of
   * "neuvotteluissa", and "kumppanuus" -> "kumppan" finds "kumppanuusryhm". */
  function prefixOf(w) {
    var l = letters(w);
    var k = l.length < 4 ? l.length : Math.max(4, l.length - 3);
    return l.slice(0, k).join('');
  }

  /* Because some stems are shorter than the prefix ("kunta" -> "kun") or the
   * ending longer than 3 letters ("neuvotteluissa" -> "neuvottelu"), a stem
   * of 3 or more letters that is itself the start of the word with at most 5
   * letters left over finds it too: these starts. */
  function headsOf(w, prefix) {
    var l = letters(w), out = [];
    for (var k = Math.max(3, l.length - 5); k < l.length; k++) {
      var head = l.slice(0, k).join('');
      if (head.length < prefix.length) out.push(head);
    }
    return out;
  }

  /* The query: at most MAX_CHARS characters and MAX_WORDS words, stop words
   * and words too long to be in the index left out; notes say what was. */
  function parseQuery(q) {
    var notes = [];
    var text = q.trim();
    if (Array.from(text).length > MAX_CHARS) {
      text = Array.from(text).slice(0, MAX_CHARS).join('');
      notes.push(msg('lyhennetty', {n: MAX_CHARS}));
    }
    var all = words(text), ws = [], longOnes = 0;
    all.forEach(function (w) {
      if (STOP.has(w)) return;
      if (letters(w).length > WORD_MAX) { longOnes++; return; }
      ws.push(w);
    });
    if (longOnes) notes.push(msg('pitkat-sanat', {n: WORD_MAX}));
    if (ws.length > MAX_WORDS) {
      ws = ws.slice(0, MAX_WORDS);
      notes.push(msg('ensimmaiset', {n: MAX_WORDS}));
    }
    return {text: text, words: ws, notes: notes};
  }

  /* }====== */

  /* {====== The index, a part at a time ====== */

  /* The fragments' folder: beside the manifest (hakuhakemisto.json -> hakuhakemisto/sivut/). */
  var fragmentDir = form.getAttribute('data-hakemisto').replace(/\.json$/, '') + '/sivut/';
  var manifest = null, loadingManifest = null;
  var chunks = new Map();     /* file -> promise of {stem: encoded postings} */
  var fragments = new Map();  /* page number -> promise of the fragment */

  function json(url, fresh) {
    return fetch(url, {credentials: 'same-origin', cache: fresh ? 'no-cache' : 'default'}).then(function (r) {
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.json();
    });
  }

  function loadManifest() {
    if (!loadingManifest) {
      loadingManifest = json(form.getAttribute('data-hakemisto'), true).then(function (m) {
        manifest = {n: m.n, avg: m.pituus || 1, version: m.versio,
          keys: m.osat.map(function (o) { return o[0]; }), files: m.osat.map(function (o) { return o[1]; })};
        return manifest;
      });
      loadingManifest.catch(function () { loadingManifest = null; }); /* let a later search try again */
    }
    return loadingManifest;
  }

  /* The chunk whose range holds s: the last whose key is <= s. */
  function chunkOf(s) {
    var keys = manifest.keys, lo = 0, hi = keys.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (keys[mid] <= s) lo = mid + 1; else hi = mid;
    }
    return Math.max(0, lo - 1);
  }

  function chunk(i) {
    var file = manifest.files[i];
    if (!chunks.has(file)) {
      var p = json(root + file);
      p.catch(function () { chunks.delete(file); });
      chunks.set(file, p);
    }
    return chunks.get(file);
  }

  /* The chunks a query word needs: those the range of stems starting with
   * its prefix covers, and those holding its heads. */
  function chunksFor(q) {
    var need = new Set();
    var i = chunkOf(q.prefix);
    need.add(i);
    for (var k = i + 1; k < manifest.keys.length && manifest.keys[k].slice(0, q.prefix.length) === q.prefix; k++) {
      need.add(k);
    }
    q.heads.forEach(function (h) { need.add(chunkOf(h)); });
    return Array.from(need);
  }

  var DIGIT = {};
  '0123456789abcdefghijklmnopqrstuvWXYZABCDEFGHIJKLMNOPQRSTUVwxyz-_'.split('').forEach(function (c, i) { DIGIT[c] = i; });

  /* Postings: [page, code, page, code, ...] from their encoding (search.h). */
  function decode(s) {
    var out = [], acc = 0, page = 0, odd = false;
    for (var i = 0; i < s.length; i++) {
      var d = DIGIT[s[i]];
      if (d === undefined) break;
      if (d >= 32) { acc = acc * 32 + (d - 32); continue; }
      acc = acc * 32 + d;
      if (odd) out.push(acc); else { page += acc; out.push(page); }
      odd = !odd;
      acc = 0;
    }
    return out;
  }

  function fragment(n) {
    if (!fragments.has(n)) {
      var p = json(fragmentDir + n + '.json?v=' + encodeURIComponent(manifest.version));
      p.catch(function () { fragments.delete(n); });
      fragments.set(n, p);
    }
    return fragments.get(n);
  }

  /* }====== */

  /* {====== Ranking ====== */

  var K1 = 1.2, B = 0.75;
  var TITLE = 4, HEADING = 1.5; /* added to the weight of a word found there */

  /* Each query word: its stems in the loaded chunks and, per page, its best
   * BM25 score over them. */
  function scoreWord(q, loaded) {
    var stems = [];
    loaded.forEach(function (c) {
      Object.keys(c).forEach(function (s) {
        if (s.slice(0, q.prefix.length) === q.prefix || q.heads.indexOf(s) >= 0) {
          if (stems.indexOf(s) < 0) stems.push(s);
        }
      });
    });
    var pages = new Map(); /* page -> {score, title, heading} */
    var n = manifest.n;
    stems.forEach(function (s) {
      var enc;
      for (var c of loaded) if (Object.prototype.hasOwnProperty.call(c, s)) { enc = c[s]; break; }
      var post = decode(enc);
      var df = post.length / 2;
      var idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      for (var i = 0; i < post.length; i += 2) {
        var code = post[i + 1], tf = code >> 6, flags = code & 3;
        var dl = Math.pow(2, ((code >> 2) & 15) - 0.5);
        var w = idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * dl / manifest.avg));
        w *= 1 + (flags & 1 ? TITLE : 0) + (flags & 2 ? HEADING : 0);
        var cur = pages.get(post[i]);
        if (!cur) pages.set(post[i], cur = {score: 0, title: false});
        if (w > cur.score) cur.score = w;
        if (flags & 1) cur.title = true;
      }
    });
    q.stems = stems;
    return pages;
  }

  /* Pages with every word, best first; when there are none, pages with any. */
  function rank(qs, perWord) {
    var all = true;
    function collect(needAll) {
      var hits = [];
      var seen = new Map();
      perWord.forEach(function (pages) {
        pages.forEach(function (v, p) {
          var h = seen.get(p);
          if (!h) { seen.set(p, h = {page: p, score: 0, words: 0, titles: 0}); hits.push(h); }
          h.score += v.score;
          h.words++;
          if (v.title) h.titles++;
        });
      });
      if (needAll) hits = hits.filter(function (h) { return h.words === qs.length; });
      hits.sort(function (a, b) {
        return (b.words - a.words) || (b.titles - a.titles) || (b.score - a.score) || (a.page - b.page);
      });
      return hits;
    }
    var hits = collect(true);
    if (!hits.length && qs.length > 1) { all = false; hits = collect(false); }
    return {hits: hits, all: all};
  }

  /* }====== */

  /* {====== Showing the results ====== */

  /* toLowerCase that keeps every position where it was ("İ" would grow). */
  function lowerSameLength(s) {
    var l = s.toLowerCase();
    if (l.length === s.length) return l;
    var out = '';
    for (var ch of s) {
      var c = ch.toLowerCase();
      out += c.length === ch.length ? c : ch;
    }
    return out;
  }

  function letterBefore(s, i) {
    if (i === 0) return false;
    var c = s.charCodeAt(i - 1);
    if (c >= 0xDC00 && c <= 0xDFFF && i >= 2) return isLetter(s.codePointAt(i - 2));
    return isLetter(c);
  }

  /* Every place in text where a needle starts a word (the whole word marked),
   * in order, not overlapping; those inside words (compounds' tails) only
   * when there are none at word starts. */
  function matches(text, needles) {
    var lower = lowerSameLength(text), starts = [], inside = [];
    needles.forEach(function (n) {
      if (!n) return;
      for (var i = lower.indexOf(n); i >= 0 && starts.length + inside.length < 200; i = lower.indexOf(n, i + 1)) {
        (letterBefore(lower, i) ? inside : starts).push(i);
      }
    });
    var at = (starts.length ? starts : inside).sort(function (a, b) { return a - b; });
    var out = [];
    at.forEach(function (i) {
      if (out.length && i < out[out.length - 1].end) return;
      var end = i;
      while (end < text.length) {
        var cp = text.codePointAt(end);
        if (!isLetter(cp)) break;
        end += cp > 0xFFFF ? 2 : 1;
      }
      out.push({at: i, end: Math.max(end, i + 1)});
    });
    return out;
  }

  /* About SNIPPET characters of text around its first match, every match in
   * <mark>. Text nodes only: page text is never taken as HTML. */
  function snippet(text, ms, className) {
    var p = document.createElement('p');
    p.className = className;
    var start = 0, end = Math.min(text.length, SNIPPET);
    if (ms.length) {
      start = Math.max(0, ms[0].at - 60);
      end = Math.min(text.length, Math.max(start + SNIPPET, ms[0].end));
      start = Math.max(0, Math.min(start, end - SNIPPET));
    }
    if (start > 0) {
      var sp = text.indexOf(' ', start);
      if (sp >= 0 && sp < (ms.length ? ms[0].at : start + 30)) start = sp + 1;
    }
    if (end < text.length) {
      var back = text.lastIndexOf(' ', end);
      if (back > Math.max(start, ms.length ? ms[0].end : 0)) end = back;
    }
    if (start > 0) p.appendChild(document.createTextNode('… '));
    var pos = start;
    ms.forEach(function (m) {
      if (m.at < pos || m.end > end) return;
      p.appendChild(document.createTextNode(text.slice(pos, m.at)));
      var mark = document.createElement('mark');
      mark.textContent = text.slice(m.at, m.end);
      p.appendChild(mark);
      pos = m.end;
    });
    p.appendChild(document.createTextNode(text.slice(pos, end)));
    if (end < text.length) p.appendChild(document.createTextNode(' …'));
    return p;
  }

  /* The address of a page from the search page: the index has it from the site root. */
  function hrefOf(u) {
    if (/^https?:\/\//i.test(u)) return u;
    if (/^[a-z][a-z0-9+.-]*:/i.test(u)) return '#'; /* no other schemes */
    var href = root + u.replace(/^\/+/, '');
    return href || './';
  }

  function resultItem(f, needles) {
    var li = document.createElement('li');
    var a = document.createElement('a');
    var href = hrefOf(String(f.u || ''));
    a.href = href;
    a.textContent = f.t || f.u;
    li.appendChild(a);
    if (f.o) {
      var section = document.createElement('span');
      section.className = 'hakutulos-osio';
      section.textContent = ' – ' + f.o;
      li.appendChild(section);
    }
    var secs = Array.isArray(f.s) ? f.s : [];
    /* The excerpt: from the first section whose text matches, else the start. */
    var best = null;
    var subs = [];
    secs.forEach(function (s) {
      var body = String(s[2] || ''), head = String(s[1] || ''), anchor = String(s[0] || '');
      var mb = matches(body, needles);
      if (!best && mb.length) best = {text: body, ms: mb};
      if (anchor && head && subs.length < MAX_SUB && (matches(head, needles).length || mb.length)) {
        subs.push({anchor: anchor, head: head, hm: matches(head, needles)});
      }
    });
    if (!best) {
      var first = secs.length ? String(secs[0][2] || '') : '';
      best = {text: first, ms: []};
    }
    if (best.text) li.appendChild(snippet(best.text, best.ms, 'hakutulos-ote'));
    if (subs.length && href !== '#') {
      var ul = document.createElement('ul');
      ul.className = 'hakutulos-kohdat';
      subs.forEach(function (s) {
        var sli = document.createElement('li');
        var sa = document.createElement('a');
        sa.href = href + '#' + s.anchor;
        var pos = 0;
        s.hm.forEach(function (m) {
          sa.appendChild(document.createTextNode(s.head.slice(pos, m.at)));
          var mark = document.createElement('mark');
          mark.textContent = s.head.slice(m.at, m.end);
          sa.appendChild(mark);
          pos = m.end;
        });
        sa.appendChild(document.createTextNode(s.head.slice(pos)));
        sli.appendChild(sa);
        ul.appendChild(sli);
      });
      li.appendChild(ul);
    }
    return li;
  }

  /* Sets the live status line; cleared first so that the same message for a
   * repeated search is announced again. */
  var sayTimer = 0;
  function say(msg) {
    window.clearTimeout(sayTimer);
    status.textContent = '';
    sayTimer = window.setTimeout(function () { status.textContent = msg; }, 50);
  }

  function countText(n, q) {
    if (n === 0) return msg('ei-tuloksia', {haku: q});
    return msg(n === 1 ? 'tulos-yksi' : 'tulos-monta', {n: n, haku: q});
  }

  var more = null;   /* the button for more results */
  var current = 0;   /* the search being shown; an older one's results are dropped */

  function clear() {
    while (list.firstChild) list.removeChild(list.firstChild);
    if (more) { more.remove(); more = null; }
  }

  /* Shows results [from, from + PER_PAGE) of r. */
  function showPage(id, r, from, needles) {
    var page = r.hits.slice(from, from + PER_PAGE);
    return Promise.all(page.map(function (h) { return fragment(h.page); })).then(function (fs) {
      if (id !== current) return;
      var frag = document.createDocumentFragment();
      var firstNew = null;
      fs.forEach(function (f) {
        var li = resultItem(f || {}, needles);
        if (!firstNew) firstNew = li;
        frag.appendChild(li);
      });
      list.appendChild(frag);
      var shown = from + page.length;
      if (more) { more.remove(); more = null; }
      if (shown < r.hits.length) {
        more = document.createElement('button');
        more.type = 'button';
        more.className = 'haku-lisaa';
        more.textContent = msg('lisaa', {n: shown, kaikki: r.hits.length});
        more.addEventListener('click', function () {
          var b = more;
          b.disabled = true;
          showPage(id, r, shown, needles).then(function () {
            /* Keyboard users go on from the first new result. */
            var items = list.querySelectorAll(':scope > li');
            var a = items[shown] && items[shown].querySelector('a');
            if (a) a.focus();
          });
        });
        list.parentNode.insertBefore(more, list.nextSibling);
      }
      return firstNew;
    });
  }

  function run(raw) {
    var id = ++current;
    clear();
    if (!raw.trim()) { say(''); return; }
    var pq = parseQuery(raw);
    var notes = pq.notes.join(' ');
    if (!pq.words.length) {
      say(msg('ei-sanoja') + (notes ? ' ' + notes : ''));
      return;
    }
    var qs = pq.words.map(function (w) {
      var prefix = prefixOf(w);
      return {word: w, prefix: prefix, heads: headsOf(w, prefix), stems: []};
    });
    say(msg('haetaan'));
    loadManifest().then(function () {
      return Promise.all(qs.map(function (q) {
        return Promise.all(chunksFor(q).map(chunk)).then(function (loaded) { return scoreWord(q, loaded); });
      }));
    }).then(function (perWord) {
      if (id !== current) return;
      var r = rank(qs, perWord);
      var needles = [];
      qs.forEach(function (q) {
        needles.push(q.prefix);
        q.stems.forEach(function (s) { if (s.length < q.prefix.length) needles.push(s); });
      });
      return showPage(id, r, 0, needles).then(function () {
        if (id !== current) return;
        var text = countText(r.hits.length, pq.text);
        if (!r.all && r.hits.length) text += ' ' + msg('osittain');
        say(text + (notes ? ' ' + notes : ''));
      });
    }).catch(function () {
      if (id === current) say(msg('virhe'));
    });
  }

  /* }====== */

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var q = input.value;
    var url = window.location.pathname + (q.trim() ? '?q=' + encodeURIComponent(q.trim()) : '');
    window.history.replaceState(null, '', url);
    run(q);
  });

  var initial = new URLSearchParams(window.location.search).get('q');
  if (initial) {
    input.value = initial;
    run(initial);
  }
})();
