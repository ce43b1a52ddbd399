/* Site search: plain JavaScript, no dependencies. Nothing is fetched until the search box is
 * first focused (or the /search/ page has a query); a page opened from a result marks the
 * query's words without fetching anything. The tokenizer, the query parser and the ranking
 * are those of src/search/tokenize.rs, parse.rs and query.rs, line by line: keep them in step (the Rust
 * tests and tests/browser/search.test.mjs check that they agree). */
(function () {
  'use strict';

  // ---- tokenizer and query parser (src/search/tokenize.rs, parse.rs) ----------------------
  var CONNECTORS = '_-./+#!:';
  var KEPT_AT_END = '!+#';

  function normalize(c) {
    var cp = c.codePointAt(0);
    if (cp === 0x3000) return ' ';
    if (cp >= 0xff01 && cp <= 0xff5e) cp -= 0xfee0;
    if (cp >= 65 && cp <= 90) cp += 32;
    return cp < 0x10000 && cp !== c.codePointAt(0) ? String.fromCharCode(cp) : c;
  }
  function isCjk(c) {
    var cp = c.codePointAt(0);
    return (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff) ||
      (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x20000 && cp <= 0x2ffff);
  }
  function isWord(c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
  function isConnector(c) { return c.length === 1 && CONNECTORS.indexOf(c) >= 0; }

  function trimToken(raw) {
    var start = -1, last = -1, i;
    for (i = 0; i < raw.length; i++) if (isWord(raw[i])) { if (start < 0) start = i; last = i; }
    if (start < 0) return null;
    var end = last + 1;
    while (end < raw.length && KEPT_AT_END.indexOf(raw[end]) >= 0) end++;
    return raw.slice(start, end);
  }

  function segments(text) {
    var out = [], cjk = '', ascii = '';
    function flush() {
      var t = trimToken(ascii);
      if (t !== null) out.push({ cjk: false, text: t });
      ascii = '';
    }
    for (var ch of text) {
      var c = normalize(ch);
      if (isCjk(c)) {
        flush();
        cjk += c;
      } else {
        if (cjk) { out.push({ cjk: true, text: cjk }); cjk = ''; }
        if (isWord(c) || isConnector(c)) ascii += c; else flush();
      }
    }
    flush();
    if (cjk) out.push({ cjk: true, text: cjk });
    return out;
  }

  function bigrams(run) {
    var cs = Array.from(run), out = [];
    if (cs.length < 2) return [run];
    for (var i = 0; i + 1 < cs.length; i++) out.push(cs[i] + cs[i + 1]);
    return out;
  }
  function parts(token) { return token.split(/[^a-z0-9]+/).filter(Boolean); }
  function isCompound(token) { return /[^a-z0-9]/.test(token); }

  function shardKey(term) {
    var cs = Array.from(term);
    if (!cs.length) return term;
    if (isCjk(cs[0])) return cs[0];
    return cs.slice(0, 2).join('');
  }
  var encoder = new TextEncoder();
  function fnv1a(s) {
    var h = 0x811c9dc5, bytes = encoder.encode(s);
    for (var i = 0; i < bytes.length; i++) { h ^= bytes[i]; h = Math.imul(h, 0x01000193) >>> 0; }
    return h >>> 0;
  }
  function shardOf(term, n) { return fnv1a(shardKey(term)) % Math.max(1, n); }

  // Cuts the stock phrases (meta.json's w.q) out of a CJK run: the longest at each position.
  function cutStock(run, stock, out) {
    var start = 0, i = 0;
    while (i < run.length) {
      var best = null;
      stock.forEach(function (p) {
        if (p && run.startsWith(p, i) && (!best || Array.from(p).length > Array.from(best).length)) best = p;
      });
      if (best) {
        if (start < i) out.push({ k: 'cjk', text: run.slice(start, i) });
        out.push({ k: 'stock', text: best });
        i += best.length; start = i;
      } else i += run.codePointAt(i) > 0xffff ? 2 : 1;
    }
    if (start < run.length) out.push({ k: 'cjk', text: run.slice(start) });
  }

  function parseQuery(text, stock) {
    stock = stock || [];
    var pieces = [];
    segments(text).forEach(function (seg) {
      if (seg.cjk) cutStock(seg.text, stock, pieces); else pieces.push({ k: 'ascii', text: seg.text });
    });
    var chars = Array.from(text);
    var lastChar = chars.length ? normalize(chars[chars.length - 1]) : '';
    var open = lastChar !== '' && (isWord(lastChar) || isConnector(lastChar));
    var q = { clauses: [], bonus: [], runs: [], marks: [], words: [] };
    function push(list, t) {
      for (var i = 0; i < list.length; i++) {
        if (list[i].term === t.term) { list[i].prefix = list[i].prefix || t.prefix; return; }
      }
      list.push(t);
    }
    pieces.forEach(function (seg, i) {
      var last = i + 1 === pieces.length;
      if (seg.k === 'stock') {
        bigrams(seg.text).forEach(function (term) { push(q.bonus, { term: term, prefix: false, fuzzy: false }); });
      } else if (seg.k === 'cjk') {
        var single = Array.from(seg.text).length === 1;
        // A lone character between other terms (和, 的, 与) only adds to the score.
        if (single && pieces.length > 1) push(q.bonus, { term: seg.text, prefix: false, fuzzy: false });
        else {
          q.words.push(seg.text);
          bigrams(seg.text).forEach(function (term) { push(q.clauses, { term: term, prefix: single, fuzzy: false }); });
        }
        if (Array.from(seg.text).length >= 3 && q.runs.indexOf(seg.text) < 0) q.runs.push(seg.text);
        if (q.marks.indexOf(seg.text) < 0) q.marks.push(seg.text);
      } else {
        q.words.push(seg.text);
        var ps = parts(seg.text);
        ps.forEach(function (part, j) {
          push(q.clauses, { term: part, prefix: last && open && j + 1 === ps.length && part.length >= 2, fuzzy: part.length >= 4 });
          if (q.marks.indexOf(part) < 0) q.marks.push(part);
        });
        if (isCompound(seg.text)) push(q.bonus, { term: seg.text, prefix: last && open, fuzzy: false });
      }
    });
    return !q.clauses.length && stock.length ? parseQuery(text) : q;
  }

  // ---- index loading ----------------------------------------------------------------------
  var base = '';
  var meta = null, metaPromise = null;
  var shards = new Map(); // shard number → Promise of rows [{t, d: [docs], i: [impacts]}]

  var DIGIT = new Uint8Array(128); // a postings character's digit
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('').forEach(function (c, i) { DIGIT[c.charCodeAt(0)] = i; });

  function url(path) { return base + path; }
  function getJson(path) {
    return fetch(url(path)).then(function (r) {
      if (!r.ok) throw new Error('search index: HTTP ' + r.status + ' for ' + path);
      return r.json();
    });
  }
  function loadMeta() {
    if (!metaPromise) {
      metaPromise = getJson('/search/meta.json').then(function (m) {
        m.titles = m.d.map(function (d) { return folded(d[0]); }); // for exact-title matches
        meta = m; return m;
      });
    }
    return metaPromise;
  }
  function loadShard(k) {
    if (!shards.has(k)) {
      shards.set(k, getJson('/search/s/' + k + '.json').then(function (raw) {
        return raw.map(function (row) {
          // pairs of numbers (page delta, impact), five bits a character (src/search/format.rs)
          var s = row[1], docs = [], imps = [], doc = 0, v = 0, shift = 0, odd = false;
          for (var i = 0; i < s.length; i++) {
            var digit = DIGIT[s.charCodeAt(i)];
            v |= (digit & 31) << shift;
            if (digit >= 32) { shift += 5; continue; }
            if (odd) imps.push(v); else { doc += v; docs.push(doc); }
            odd = !odd; v = 0; shift = 0;
          }
          return { t: row[0], d: docs, i: imps };
        });
      }));
    }
    return shards.get(k);
  }
  function neededShards(q, n) {
    var set = new Set();
    q.clauses.concat(q.bonus).forEach(function (t) { set.add(shardOf(t.term, n)); });
    q.runs.forEach(function (run) {
      var cs = Array.from(run);
      for (var i = 0; i + 2 < cs.length; i++) set.add(shardOf(cs[i], n));
    });
    return Array.from(set).sort(function (a, b) { return a - b; });
  }

  // ---- ranking (src/search/query.rs) ------------------------------------------------------
  function oneEdit(a, b) {
    var s = a.length <= b.length ? a : b, l = a.length <= b.length ? b : a;
    if (l.length - s.length > 1 || a === b) return false;
    var p = 0;
    while (p < s.length && s[p] === l[p]) p++;
    if (s.length === l.length) {
      return s.slice(p + 1) === l.slice(p + 1) ||
        (p + 1 < s.length && s[p] === l[p + 1] && s[p + 1] === l[p] && s.slice(p + 2) === l.slice(p + 2));
    }
    return s.slice(p) === l.slice(p + 1);
  }
  function isAscii(s) { return /^[\x00-\x7f]*$/.test(s); }
  function isAllCjk(s) { for (var c of s) if (!isCjk(c)) return false; return true; }

  function slug(path) { return path.replace(/\/+$/, '').split('/').pop(); }
  function rank(q, rowsOf, m) {
    function clause(t, fuzzyAllowed) {
      var best = new Map(), rows = rowsOf(t.term), found = false;
      function put(row, half) {
        for (var k = 0; k < row.d.length; k++) {
          var v = half ? row.i[k] >> 1 : row.i[k];
          var old = best.get(row.d[k]);
          if (old === undefined || v > old) best.set(row.d[k], v);
        }
      }
      rows.forEach(function (row) {
        if (row.t === t.term) { put(row, false); found = true; }
        else if (t.prefix && row.t.startsWith(t.term)) { put(row, true); found = true; }
      });
      if (!found && fuzzyAllowed && t.fuzzy) {
        rows.forEach(function (row) { if (isAscii(row.t) && oneEdit(row.t, t.term)) put(row, true); });
      }
      return best;
    }
    var acc = new Map(), bonus = new Map();
    q.clauses.forEach(function (t) {
      clause(t, true).forEach(function (v, doc) {
        var e = acc.get(doc) || { matched: 0, score: 0 };
        e.matched += 1; e.score += v; acc.set(doc, e);
      });
    });
    q.bonus.forEach(function (t) {
      clause(t, false).forEach(function (v, doc) { bonus.set(doc, (bonus.get(doc) || 0) + v); });
    });
    var words = new Set();
    q.runs.forEach(function (run) {
      var cs = Array.from(run);
      for (var i = 0; i + 2 < cs.length; i++) {
        var rest = cs.slice(i).join('');
        rowsOf(cs[i]).forEach(function (row) {
          if (Array.from(row.t).length >= 3 && isAllCjk(row.t) && rest.startsWith(row.t) && !words.has(row.t)) {
            words.add(row.t);
            for (var k = 0; k < row.d.length; k++) bonus.set(row.d[k], (bonus.get(row.d[k]) || 0) + row.i[k]);
          }
        });
      }
    });
    var hits = [], top = 0, dash = q.words.join('-');
    acc.forEach(function (e, doc) {
      var d = m.d[doc] || ['', ''], title = m.titles[doc] || '';
      hits.push({
        doc: doc, matched: e.matched, score: e.score + (bonus.get(doc) || 0),
        exact: q.words.length > 0 && (q.words.every(function (w) { return title.indexOf(w) >= 0; }) || slug(d[1]) === dash),
      });
      top = Math.max(top, e.matched);
    });
    // Exact titles first; coverage counts twice: score × matched², then more clauses matched,
    // then reading order. Pages matching under half the clauses the best page matches go.
    hits.sort(function (a, b) {
      return b.exact - a.exact || b.score * b.matched * b.matched - a.score * a.matched * a.matched || b.matched - a.matched || a.doc - b.doc;
    });
    return hits.filter(function (h) { return h.matched * 2 >= top; });
  }

  /** Ranks `text`: loads meta and the shards the query needs, then returns hits with docs;
   * `partial` when even the best page matches fewer than half of the query's terms. */
  function search(text) {
    var plain = parseQuery(text);
    if (!plain.clauses.length) return Promise.resolve({ query: plain, text: text, hits: [] });
    return loadMeta().then(function (m) {
      m.w.t.forEach(function (t) { text = text.split(t[0]).join(t[1]); });
      var q = parseQuery(text, m.w.q);
      var need = neededShards(q, m.n);
      return Promise.all(need.map(loadShard)).then(function (lists) {
        var byShard = new Map();
        need.forEach(function (k, i) { byShard.set(k, lists[i]); });
        var hits = rank(q, function (term) { return byShard.get(shardOf(term, m.n)) || []; }, m);
        hits.forEach(function (h) {
          var d = m.d[h.doc];
          h.title = d[0]; h.path = d[1]; h.section = m.s[d[2]] || ''; h.description = d[3];
        });
        return { query: q, text: text, hits: hits, partial: hits.length > 0 && hits[0].matched * 2 < q.clauses.length };
      });
    });
  }

  // ---- snippets and highlighting ----------------------------------------------------------
  // A heading's id as src/markdown/toc.rs derives it; the index writes the id only when it differs.
  function headingId(t) {
    var id = '';
    for (var c of t) {
      if (/[\p{Alphabetic}\p{N}_]/u.test(c)) id += c.toLowerCase();
      else if (id && id[id.length - 1] !== '-') id += '-';
    }
    return id.replace(/-+$/, '') || 'section';
  }
  // A page's prose with its headings taken out of the \x1e-marked lines (src/search/format.rs).
  function prose(raw) {
    var text = '', heads = [];
    raw.split('\n').forEach(function (line, i, all) {
      if (line[0] === '\x1e') {
        var rest = line.slice(1), k = rest.indexOf('\x1e');
        var id = k >= 0 ? rest.slice(0, k) : null;
        if (k >= 0) rest = rest.slice(k + 1);
        heads.push({ at: text.length, id: id === null ? headingId(rest) : id, title: rest });
        line = rest;
      }
      text += i + 1 < all.length ? line + '\n' : line;
    });
    return { text: text, heads: heads };
  }
  var fragments = new Map(); // d file number → Promise of the prose of its pages
  function loadFragment(doc) {
    return loadMeta().then(function (m) {
      var k = Math.floor(doc / m.f);
      if (!fragments.has(k)) {
        fragments.set(k, fetch(url('/search/d/' + k + '.json')).then(function (r) { return r.ok ? r.json() : []; }).catch(function () { return []; })
          .then(function (texts) { return texts.map(prose); }));
      }
      return fragments.get(k).then(function (texts) { return texts[doc % m.f] || prose(''); });
    });
  }
  // What to mark: the query's words and CJK bigrams, whole compound tokens (SO_REUSEADDR as one
  // mark), longest first; `open` holds the words still being typed, which may end inside a word.
  function needles(q) {
    var list = [];
    function add(m) { if (list.indexOf(m) < 0) list.push(m); }
    q.marks.forEach(function (m) {
      add(m);
      if (isCjk(Array.from(m)[0])) bigrams(m).forEach(add);
    });
    q.bonus.forEach(function (t) { if (!isCjk(Array.from(t.term)[0])) add(t.term); });
    list.sort(function (a, b) { return b.length - a.length; });
    list.open = q.clauses.concat(q.bonus).filter(function (t) { return t.prefix; }).map(function (t) { return t.term; });
    return list;
  }
  // Same length as the input in UTF-16 units: only BMP characters change, each to one unit.
  function folded(text) {
    var out = '';
    for (var i = 0; i < text.length; i++) {
      var c = text[i], cp = text.charCodeAt(i);
      out += (cp >= 0xd800 && cp <= 0xdfff) ? c : normalize(c);
    }
    return out;
  }
  // Where the needles are, overlapping and touching ones merged (one word, one mark); an ASCII
  // needle only as a whole word (not "so" in "socket").
  function ranges(text, list) {
    var low = folded(text), found = [], open = list.open || [];
    list.forEach(function (n) {
      var ascii = !isCjk(Array.from(n)[0]);
      for (var at = low.indexOf(n); at >= 0; at = low.indexOf(n, at + 1)) {
        if (ascii && ((at > 0 && isWord(low[at - 1])) || (isWord(low[at + n.length] || '') && open.indexOf(n) < 0))) continue;
        found.push([at, at + n.length, n]);
      }
    });
    return found.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
  }
  function esc(s) {
    return s.replace(/[&<>"]/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; });
  }
  function merged(text, list) {
    var out = [];
    ranges(text, list).forEach(function (r) {
      var last = out[out.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]); else out.push([r[0], r[1]]);
    });
    return out;
  }
  function highlight(text, list) {
    var out = '', pos = 0;
    merged(text, list).forEach(function (r) {
      out += esc(text.slice(pos, r[0])) + '<mark>' + esc(text.slice(r[0], r[1])) + '</mark>';
      pos = r[1];
    });
    return out + esc(text.slice(pos));
  }
  var SNIPPET = 96;
  /** The best passage of a page's prose ({text, heads}) for the needles: its HTML and the
   * heading above it (null when it is before the first heading), or null. */
  function snippet(page, list) {
    var text = page.text, rs = ranges(text, list), best = null, bestScore = 0;
    rs.forEach(function (r) {
      var start = Math.max(0, r[0] - 16), seen = new Set(), score = 0;
      rs.forEach(function (o) {
        if (o[0] >= start && o[1] <= start + SNIPPET && !seen.has(o[2])) { seen.add(o[2]); score += o[2].length; }
      });
      if (score > bestScore) { bestScore = score; best = r[0]; }
    });
    if (best === null) return null;
    var start = Math.max(0, best - 16);
    var cut = text.slice(start, best);
    var brk = Math.max(cut.lastIndexOf('\n'), cut.lastIndexOf('。'), cut.lastIndexOf('；'));
    if (brk >= 0) start += brk + 1;
    var piece = text.slice(start, start + SNIPPET).replace(/\s*\n\s*/g, ' ');
    var head = null;
    page.heads.forEach(function (h) { if (h.at <= best) head = h; });
    return { html: (start > 0 ? '…' : '') + highlight(piece, list) + (start + SNIPPET < text.length ? '…' : ''), head: head };
  }

  // ---- rendering --------------------------------------------------------------------------
  var DROPDOWN = 8, PAGE = 50, FRAGMENTS = 5;

  // A result's link: the page (at a heading, once known) with the query's words, which the page
  // marks on arrival.
  function link(h, words, head) {
    return url(h.path) + (words ? '?q=' + encodeURIComponent(words) : '') + (head ? '#' + encodeURIComponent(head.id) : '');
  }
  function render(box, result, opts) {
    var list = needles(result.query), words = result.query.words.join(' ');
    var all = result.hits, hits = all.slice(0, opts.limit);
    var prefix = box.id || 'sr';
    if (!hits.length) {
      box.removeAttribute('role'); // a listbox holds options only; this is a message
      box.innerHTML = '<p class="search-empty" role="status">没有找到相关题目，换个说法试试（中文、英文关键词都可以）。</p>';
      return;
    }
    // Options in labelled groups: the count (or that nothing matches fully), then the pages that
    // match fewer terms than the best one, as related.
    var html = '', top = hits[0].matched, group = 0;
    function open(label) {
      html += (group ? '</div>' : '') + '<div role="group" class="search-group" aria-labelledby="' + prefix + '-g' + group +
        '"><div class="search-group-label" id="' + prefix + '-g' + group + '">' + label + '</div>';
      group++;
    }
    open(result.partial ? '没有完全匹配的题目 · ' + all.length + ' 道相关题目' : '找到 ' + all.length + ' 道题');
    hits.forEach(function (h, i) {
      if (!result.partial && group === 1 && h.matched < top) open('相关题目');
      html += '<a class="search-hit" role="option" aria-selected="false" id="' + prefix + '-' + i + '" href="' +
        esc(link(h, words)) + '" data-doc="' + h.doc + '"><span class="search-hit-title">' + highlight(h.title, list) +
        '</span><span class="search-hit-section">' + esc(h.section) + '</span><span class="search-hit-snippet">' +
        highlight(h.description, list) + '</span></a>';
    });
    html += '</div>';
    if (opts.more && all.length > hits.length) {
      html += '<a class="search-all" role="option" aria-selected="false" id="' + prefix + '-all" href="' + esc(url('/search/?q=' + encodeURIComponent(opts.text))) + '">查看全部 ' +
        all.length + ' 条结果</a>';
    }
    box.setAttribute('role', 'listbox');
    box.innerHTML = html;
    hits.slice(0, FRAGMENTS).forEach(function (h, i) {
      loadFragment(h.doc).then(function (page) {
        var el = box.querySelector('#' + prefix + '-' + i);
        var s = snippet(page, list);
        if (!el || el.getAttribute('data-doc') !== String(h.doc) || !s) return;
        el.querySelector('.search-hit-snippet').innerHTML = s.html;
        if (s.head) {
          el.href = link(h, words, s.head);
          el.querySelector('.search-hit-section').insertAdjacentHTML('afterend', '<span class="search-hit-heading">' + highlight(s.head.title, list) + '</span>');
        }
      });
    });
  }

  function setup(input, box, opts) {
    var seq = 0, timer = 0, active = -1, composing = false;
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-controls', box.id);
    input.setAttribute('aria-expanded', 'false');
    function options() { return box.querySelectorAll('[role="option"]'); }
    function select(i) {
      var os = options();
      if (active >= 0 && os[active]) os[active].setAttribute('aria-selected', 'false');
      active = os.length ? (i + os.length) % os.length : -1;
      if (active >= 0) {
        os[active].setAttribute('aria-selected', 'true');
        os[active].scrollIntoView({ block: 'nearest' });
        input.setAttribute('aria-activedescendant', os[active].id);
      } else input.removeAttribute('aria-activedescendant');
    }
    function show(on) {
      if (!opts.dropdown) return;
      box.hidden = !on;
      input.setAttribute('aria-expanded', on ? 'true' : 'false');
    }
    function run() {
      var text = input.value, mine = ++seq;
      if (opts.onQuery) opts.onQuery(text);
      if (!text.trim()) { box.innerHTML = ''; active = -1; show(false); return; }
      search(text).then(function (result) {
        if (mine !== seq) return;
        active = -1;
        input.removeAttribute('aria-activedescendant');
        render(box, result, { limit: opts.limit, more: opts.dropdown, text: text });
        show(true);
        box.setAttribute('data-query', text);
      }).catch(function (e) {
        if (mine === seq) { box.removeAttribute('role'); box.innerHTML = '<p class="search-empty" role="status">搜索索引加载失败。</p>'; show(true); }
        if (window.console) console.warn(e);
      });
    }
    input.addEventListener('focus', function () { loadMeta().catch(function () {}); if (opts.dropdown && box.innerHTML && input.value.trim()) show(true); });
    // While an input method composes (pinyin letters before they become 汉字), the value is not
    // what the reader means: wait for compositionend, which carries the chosen characters.
    input.addEventListener('compositionstart', function () { composing = true; clearTimeout(timer); });
    input.addEventListener('compositionend', function () { composing = false; clearTimeout(timer); timer = setTimeout(run, 16); });
    input.addEventListener('input', function (e) {
      if (composing || e.isComposing) return;
      clearTimeout(timer); timer = setTimeout(run, 16);
    });
    input.addEventListener('keydown', function (e) {
      if (e.isComposing || composing || e.keyCode === 229) return; // keys that pick a candidate in the IME
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        if (!options().length) return;
        e.preventDefault();
        show(true);
        select(active < 0 ? (e.key === 'ArrowDown' ? 0 : -1) : active + (e.key === 'ArrowDown' ? 1 : -1));
      } else if (e.key === 'Enter') {
        var os = options();
        if (active >= 0 && os[active]) { e.preventDefault(); window.location.href = os[active].href; }
      } else if (e.key === 'Escape' && opts.dropdown) {
        e.preventDefault();
        e.stopPropagation();
        if (input.value || !box.hidden) { input.value = ''; box.innerHTML = ''; active = -1; show(false); seq++; }
        else input.blur();
      }
    });
    if (opts.dropdown) {
      document.addEventListener('click', function (e) { if (!input.form || !input.form.contains(e.target)) show(false); });
    }
    return run;
  }

  function visible(el) { return !!el && el.getClientRects().length > 0; }

  // A result's link carries the query's words (?q=): mark them in the page's article — only in
  // the section of the heading it opens at, if any, so the reader sees them where they land
  // rather than everywhere. Nothing is fetched; a page opened any other way is left as it is.
  function markArrival() {
    var words = new URLSearchParams(window.location.search).get('q');
    var article = document.querySelector('article.prose');
    if (!words || !article) return;
    var list = needles(parseQuery(words + ' ')), nodes = [];
    var hs = Array.from(article.querySelectorAll('h1, h2, h3, h4, h5, h6'));
    var at = hs.indexOf(document.getElementById(decodeURIComponent(window.location.hash.slice(1))));
    var from = hs[at], to = at >= 0 ? hs[at + 1] : null;
    var walk = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {
      acceptNode: function (n) {
        var inside = (!from || from.compareDocumentPosition(n) & 4) && (!to || to.compareDocumentPosition(n) & 2);
        return inside && !n.parentNode.closest('script, style, mark, .heading-anchor') ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT;
      },
    });
    while (walk.nextNode()) nodes.push(walk.currentNode);
    nodes.forEach(function (node) {
      var rs = merged(node.data, list), pos = 0, frag = document.createDocumentFragment();
      if (!rs.length) return;
      rs.forEach(function (r) {
        var m = document.createElement('mark');
        m.className = 'search-term';
        m.textContent = node.data.slice(r[0], r[1]);
        frag.append(node.data.slice(pos, r[0]), m);
        pos = r[1];
      });
      frag.append(node.data.slice(pos));
      node.parentNode.replaceChild(frag, node);
    });
  }

  function init() {
    var input = document.getElementById('search-input');
    base = (input && input.getAttribute('data-base')) || document.documentElement.getAttribute('data-base') || '';
    base = base.replace(/\/+$/, '');
    // Every search box with a results panel in its form (the header's, the home and 404 pages'
    // big one) gets the same live dropdown, keyboard use and combobox semantics.
    ['search-input', 'hero-search-input'].forEach(function (id) {
      var el = document.getElementById(id);
      var box = el && el.form && el.form.querySelector('[data-search-results]');
      if (el && box) setup(el, box, { dropdown: true, limit: DROPDOWN });
    });
    // The box `/` and Ctrl-K / ⌘K go to: the search page's own, else the header's when it is
    // shown, else the big one (the header hides its box where the page has one).
    function target() {
      var ids = ['search-page-input', 'search-input', 'hero-search-input'];
      for (var i = 0; i < ids.length; i++) {
        var el = document.getElementById(ids[i]);
        if (visible(el)) return el;
      }
      return null;
    }
    document.addEventListener('keydown', function (e) {
      var slash = e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey;
      var ctrlK = (e.key === 'k' || e.key === 'K') && (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey;
      if (!slash && !ctrlK) return;
      var t = e.target, tag = t && t.tagName;
      if (slash && (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || (t && t.isContentEditable))) return;
      var el = target();
      if (!el) return;
      e.preventDefault();
      el.focus();
      el.select();
    });
    markArrival();
    var page = document.getElementById('search-page-results');
    var pageInput = document.getElementById('search-page-input');
    if (page && pageInput) {
      var title = document.title;
      var run = setup(pageInput, page, {
        dropdown: false,
        limit: PAGE,
        onQuery: function (text) {
          var u = new URL(window.location.href);
          if (text) u.searchParams.set('q', text); else u.searchParams.delete('q');
          history.replaceState(null, '', u);
          document.title = (text.trim() ? text.trim() + ' · ' : '') + title;
        },
      });
      var q = new URLSearchParams(window.location.search).get('q') || '';
      if (q) { pageInput.value = q; run(); }
    }
  }

  window.mianjingSearch = { normalize: normalize, segments: segments, parseQuery: parseQuery, shardOf: shardOf, fnv1a: fnv1a, search: search, snippet: snippet, prose: prose };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
})();
