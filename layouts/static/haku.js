/* haku.js: the handbook's search page. Reads the index (hakuhakemisto.json and its shards),
 * written at build time with the Finnish Snowball stemmer, and lists the pages
 * on which every query word is found. Plain ES2017, no libraries. The form is
 * an ordinary GET form (?q=...), so a search can be linked and reloaded. */
(function () {
  'use strict';

  var form = document.querySelector('form[data-hakemisto]');
  if (!form) return;
  var input = form.querySelector('#hakusana');
  var status = document.getElementById('hakutila');
  var list = document.getElementById('hakutulokset');

  var MAX_RESULTS = 100;   /* listed at most; the status line still gives the full count */
  var SNIPPET = 200;       /* characters of page text around the first match */

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

  /* }====== */

  /* {====== Matching ====== */

  var index = null;   /* {pages, stems (sorted), byStem (Map stem -> page numbers)} */
  var loading = null;

  function load() {
    if (!loading) {
      var root = form.getAttribute('data-juuri') || '';
      var json = function (url) {
        return fetch(url, {credentials: 'same-origin'}).then(function (r) {
          if (!r.ok) throw new Error('HTTP ' + r.status);
          return r.json();
        });
      };
      /* The index comes in shards, one per top-level section, listed in
       * hakuhakemisto.json; each shard numbers its own pages from 0, so
       * its numbers move up by the pages of the shards before it. */
      loading = json(form.getAttribute('data-hakemisto'))
        .then(function (list) {
          return Promise.all(list.osat.map(function (path) { return json(root + path); }));
        })
        .then(function (shards) {
          var pages = [], byStem = new Map();
          shards.forEach(function (data) {
            var offset = pages.length;
            data.sivut.forEach(function (p) { pages.push(p); });
            Object.keys(data.sanat).forEach(function (s) {
              var nums = byStem.get(s);
              if (!nums) byStem.set(s, nums = []);
              data.sanat[s].forEach(function (n) { nums.push(n + offset); });
            });
          });
          /* Sorted again here: binary search below compares as JavaScript does. */
          index = {pages: pages, stems: Array.from(byStem.keys()).sort(), byStem: byStem};
          return index;
        });
      loading.catch(function () { loading = null; }); /* let a later search try again */
    }
    return loading;
  }

  /* The first position in the sorted array a whose string is >= s. */
  function lowerBound(a, s) {
    var lo = 0, hi = a.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (a[mid] < s) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  /* The index stems a query word finds: every stem that starts with the
   * word's prefix, and, because some stems are shorter than that prefix
   * ("kunta" -> "kun") or the ending longer than 3 letters
   * ("neuvotteluissa" -> "neuvottelu"), every stem of 3 or more letters that
   * is itself the start of the word with at most 5 letters left over. */
  function stemsFor(w) {
    var found = [];
    var prefix = prefixOf(w);
    for (var i = lowerBound(index.stems, prefix); i < index.stems.length; i++) {
      var s = index.stems[i];
      if (s.slice(0, prefix.length) !== prefix) break;
      found.push(s);
    }
    var l = letters(w);
    for (var k = Math.max(3, l.length - 5); k < l.length; k++) {
      var head = l.slice(0, k).join('');
      if (head.length < prefix.length && index.byStem.has(head)) found.push(head);
    }
    return found;
  }

  /* The pages for the query words (all must match), best first. */
  function search(qwords) {
    var perWord = qwords.map(function (w) {
      var stems = stemsFor(w);
      var pages = new Map(); /* page number -> number of stems found on it */
      stems.forEach(function (s) {
        index.byStem.get(s).forEach(function (p) { pages.set(p, (pages.get(p) || 0) + 1); });
      });
      return {word: w, prefix: prefixOf(w), stems: stems, pages: pages};
    });
    var hits = [];
    if (!perWord.length) return {hits: hits, perWord: perWord};
    perWord[0].pages.forEach(function (count, p) {
      var score = 0, inTitle = 0;
      for (var q of perWord) {
        var c = q.pages.get(p);
        if (!c) return;
        score += c;
        if (titleHas(index.pages[p].t, q)) inTitle++;
      }
      hits.push({page: p, score: score, inTitle: inTitle});
    });
    hits.sort(function (a, b) {
      return (b.inTitle - a.inTitle) || (b.score - a.score) || (a.page - b.page);
    });
    return {hits: hits, perWord: perWord};
  }

  function titleHas(title, q) {
    return words(title).some(function (t) {
      return t.slice(0, q.prefix.length) === q.prefix ||
        q.stems.some(function (s) { return t.slice(0, s.length) === s; });
    });
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

  /* The first place in lower where one of the needles starts a word, else
   * where one occurs inside a word (the tail of a compound), else null. */
  function firstMatch(lower, needles) {
    var best = null, inside = null;
    needles.forEach(function (n) {
      if (!n) return;
      for (var i = lower.indexOf(n); i >= 0; i = lower.indexOf(n, i + 1)) {
        if (!letterBefore(lower, i)) {
          if (best === null || i < best.at) best = {at: i, len: n.length};
          break;
        }
        if (inside === null || i < inside.at) inside = {at: i, len: n.length};
      }
    });
    return best || inside;
  }

  /* A paragraph of about SNIPPET characters of text around the first match,
   * the matched word in <mark>. Text nodes only: index text is never HTML. */
  function snippet(text, needles) {
    var p = document.createElement('p');
    p.className = 'hakutulos-ote';
    var lower = lowerSameLength(text);
    var m = firstMatch(lower, needles);
    var start = 0, end = Math.min(text.length, SNIPPET);
    var markStart = -1, markEnd = -1;
    if (m) {
      markStart = m.at;
      markEnd = m.at + m.len;
      while (markEnd < text.length) { /* mark the rest of the word too */
        var cp = text.codePointAt(markEnd);
        if (!isLetter(cp)) break;
        markEnd += cp > 0xFFFF ? 2 : 1;
      }
      start = Math.max(0, markStart - 60);
      end = Math.min(text.length, Math.max(start + SNIPPET, markEnd));
      start = Math.max(0, Math.min(start, end - SNIPPET));
    }
    /* Cut at spaces, not inside words. */
    if (start > 0) {
      var sp = text.indexOf(' ', start);
      if (sp >= 0 && sp < (markStart >= 0 ? markStart : start + 30)) start = sp + 1;
    }
    if (end < text.length) {
      var back = text.lastIndexOf(' ', end);
      if (back > Math.max(start, markEnd)) end = back;
    }
    if (start > 0) p.appendChild(document.createTextNode('… '));
    if (markStart >= 0) {
      p.appendChild(document.createTextNode(text.slice(start, markStart)));
      var mark = document.createElement('mark');
      mark.textContent = text.slice(markStart, markEnd);
      p.appendChild(mark);
      p.appendChild(document.createTextNode(text.slice(markEnd, end)));
    } else {
      p.appendChild(document.createTextNode(text.slice(start, end)));
    }
    if (end < text.length) p.appendChild(document.createTextNode(' …'));
    return p;
  }

  /* The address of a page from the search page: the index has it from the site root. */
  function hrefOf(u) {
    if (/^https?:\/\//i.test(u)) return u;
    if (/^[a-z][a-z0-9+.-]*:/i.test(u)) return '#'; /* no other schemes */
    var root = form.getAttribute('data-juuri') || '';
    var href = root + u.replace(/^\/+/, '');
    return href || './';
  }

  function resultItem(page, needles) {
    var li = document.createElement('li');
    var a = document.createElement('a');
    a.href = hrefOf(page.u);
    a.textContent = page.t || page.u;
    li.appendChild(a);
    if (page.o) {
      var section = document.createElement('span');
      section.className = 'hakutulos-osio';
      section.textContent = ' – ' + page.o;
      li.appendChild(section);
    }
    if (page.x) li.appendChild(snippet(page.x, needles));
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
    var quoted = '”' + q + '”';
    if (n === 0) return 'Ei osumia haulle ' + quoted + '.';
    if (n === 1) return '1 osuma haulle ' + quoted + '.';
    var s = n + ' osumaa haulle ' + quoted + '.';
    if (n > MAX_RESULTS) s += ' Näytetään ' + MAX_RESULTS + ' parasta.';
    return s;
  }

  function show(q) {
    while (list.firstChild) list.removeChild(list.firstChild);
    var qwords = words(q);
    if (!q.trim()) {
      say('');
      return;
    }
    if (!qwords.length) {
      say('Kirjoita hakusanaksi vähintään yksi sana.');
      return;
    }
    var r = search(qwords);
    var needles = [];
    r.perWord.forEach(function (w) {
      needles.push(w.prefix);
      w.stems.forEach(function (s) { if (s.length < w.prefix.length) needles.push(s); });
    });
    var frag = document.createDocumentFragment();
    r.hits.slice(0, MAX_RESULTS).forEach(function (h) {
      frag.appendChild(resultItem(index.pages[h.page], needles));
    });
    list.appendChild(frag);
    say(countText(r.hits.length, q.trim()));
  }

  function run(q) {
    if (!q.trim()) {
      show(q);
      return;
    }
    if (index) {
      show(q);
      return;
    }
    say('Ladataan hakemistoa…');
    load().then(function () { show(q); }, function () {
      say('Hakemistoa ei voitu ladata. Yritä myöhemmin uudelleen.');
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
