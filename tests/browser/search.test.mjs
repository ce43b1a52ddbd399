// Drives the real search box in headless Chromium: lazy loading, the shared query set (top-3 hit
// rate ≥ 95%), the same top 3 as the Rust ranking (`mianjing search`), the tokenizer fixture,
// keyboard use, snippets and the /search/?q= page.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import assert from 'node:assert/strict';

const here = fileURLToPath(new URL('.', import.meta.url));
const data = join(here, '../data');
const bin = process.env.MIANJING_BIN ?? join(here, '../../target/release/mianjing');

function readQueries(file) {
  return readFileSync(join(data, file), 'utf8').split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => { const [q, e = ''] = l.split('\t'); return { q, expected: e.trim() }; });
}
const titleMatches = (title, expected) => expected.split('|')
  .some((alt) => alt.split(/\s+/).filter(Boolean).every((w) => title.toLowerCase().includes(w.toLowerCase())));

function rustTop3(siteDir, file) {
  const out = execFileSync(bin, ['search', '--json', '--limit', '3', '--output', siteDir, '--queries', join(data, file)], { encoding: 'utf8' });
  return out.trim().split('\n').map((l) => JSON.parse(l).results.map((r) => r.url));
}

// Types a query into the focused box as keystrokes and waits until its results are rendered.
async function typeQuery(page, q) {
  await page.fill('#search-input', '');
  await page.evaluate(() => { window.__t = { keys: [], done: null }; });
  await page.keyboard.type(q);
  await page.waitForFunction((q) => {
    const box = document.querySelector('#search-results');
    return box.getAttribute('data-query') === q && !box.hidden;
  }, q, { timeout: 5000 });
  return page.evaluate(() => ({
    ms: window.__t.done - window.__t.keys[window.__t.keys.length - 1],
    hits: [...document.querySelectorAll('#search-results a.search-hit')].map((a) => ({
      href: a.getAttribute('href'), title: a.querySelector('.search-hit-title').textContent,
    })),
  }));
}

async function runSet(page, file, siteDir, base) {
  const queries = readQueries(file);
  const rust = rustTop3(siteDir, file);
  let ok = 0;
  const misses = [], mismatches = [], times = [];
  for (const [i, { q, expected }] of queries.entries()) {
    const r = await typeQuery(page, q);
    times.push(r.ms);
    const top = r.hits.slice(0, 3);
    if (top.some((h) => titleMatches(h.title, expected))) ok += 1;
    else misses.push(`${q} → expected ${expected}, got ${top.map((h) => h.title).join(' / ')}`);
    const urls = top.map((h) => h.href);
    if (JSON.stringify(urls) !== JSON.stringify(rust[i])) mismatches.push(`${q}: browser ${urls.join(' ')} vs rust ${rust[i].join(' ')}`);
  }
  times.sort((a, b) => a - b);
  return { ok, n: queries.length, misses, mismatches, median: times[Math.floor(times.length / 2)], p90: times[Math.floor(times.length * 0.9)] };
}

export default async function ({ base, siteDir, newPage, check }) {
  assert.ok(existsSync(bin), `${bin} is missing: cargo build --release first (or set MIANJING_BIN)`);
  const page = await newPage({ viewport: { width: 1200, height: 800 } });
  const searchRequests = [];
  page.on('request', (r) => { if (new URL(r.url()).pathname.startsWith('/search/')) searchRequests.push(r.url()); });
  await page.goto(`${base}/tcp/handshake/`);
  await page.waitForLoadState('networkidle');
  assert.deepEqual(searchRequests, [], 'the index must not load before the search box is focused');

  // The tokenizer in the browser agrees with the Rust one on the fixture.
  const cases = JSON.parse(readFileSync(join(data, 'tokenizer-cases.json'), 'utf8'));
  const js = await page.evaluate((inputs) => inputs.map((input) => {
    const s = window.mianjingSearch, q = s.parseQuery(input);
    const terms = (l) => l.map((t) => [t.term, t.prefix, t.fuzzy, s.shardOf(t.term, 32), s.shardOf(t.term, 7)]);
    return {
      input, segments: s.segments(input).map((x) => (x.cjk ? 'cjk:' : 'ascii:') + x.text),
      clauses: terms(q.clauses), bonus: terms(q.bonus), runs: q.runs, marks: q.marks,
    };
  }), cases.map((c) => c.input));
  assert.deepEqual(js, cases, 'search.js tokenizes differently from src/search/tokenize.rs');

  // `/` focuses the box; focusing loads the index metadata, nothing more.
  await page.evaluate(() => {
    document.addEventListener('input', () => { if (window.__t) window.__t.keys.push(performance.now()); }, true);
    new MutationObserver(() => { if (window.__t) window.__t.done = performance.now(); })
      .observe(document.querySelector('#search-results'), { attributes: true, attributeFilter: ['data-query'], childList: true });
  });
  const metaLoaded = page.waitForResponse((r) => r.url().endsWith('/search/meta.json'));
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'search-input', '/ focuses the search box');
  await metaLoaded;
  assert.ok(searchRequests.every((u) => u.endsWith('/search/meta.json')), searchRequests.join(' '));

  // The shared query set, then the larger one: hit rates, parity with the CLI, latency.
  const shared = await runSet(page, 'search-queries.tsv', siteDir, base);
  const extra = await runSet(page, 'search-queries-extra.tsv', siteDir, base);
  const pct = (r) => (100 * r.ok / r.n).toFixed(1);
  console.log(`  shared queries: ${r2(shared)}\n  larger set:     ${r2(extra)}`);
  function r2(r) { return `${r.ok}/${r.n} in the top 3 (${pct(r)}%), keystroke→results median ${r.median.toFixed(1)} ms, p90 ${r.p90.toFixed(1)} ms`; }
  if (extra.misses.length) console.log(`  larger-set misses:\n    ${extra.misses.join('\n    ')}`);
  assert.ok(shared.ok * 100 >= shared.n * 95, `shared top-3 hit rate below 95%:\n${shared.misses.join('\n')}`);
  assert.deepEqual([...shared.mismatches, ...extra.mismatches], [], 'browser and `mianjing search` rank differently');
  assert.ok(shared.median < 50, `keystroke→results median ${shared.median} ms`);

  // Snippets highlight the matched words.
  const r = await typeQuery(page, '三次握手');
  assert.match(r.hits[0].title, /三次握手/);
  await page.waitForFunction(() => document.querySelector('#search-results .search-hit-snippet mark'));
  assert.ok(await page.$('#search-results .search-hit-title mark'), 'title highlight');
  assert.ok(await page.$('#search-results .search-hit-section'), 'section shown');

  // Keyboard: arrows move, Enter opens, Escape closes and clears.
  const sel = () => page.evaluate(() => {
    const input = document.querySelector('#search-input');
    const on = [...document.querySelectorAll('#search-results .search-hit')].findIndex((a) => a.getAttribute('aria-selected') === 'true');
    return { on, active: input.getAttribute('aria-activedescendant') };
  });
  await page.keyboard.press('ArrowDown');
  assert.deepEqual(await sel(), { on: 0, active: 'search-results-0' });
  await page.keyboard.press('ArrowDown');
  assert.equal((await sel()).on, 1);
  await page.keyboard.press('ArrowUp');
  assert.equal((await sel()).on, 0);
  await page.keyboard.press('Escape');
  assert.equal(await page.$eval('#search-results', (b) => b.hidden), true, 'Escape closes');
  assert.equal(await page.$eval('#search-input', (i) => i.value), '', 'Escape clears');
  const again = await typeQuery(page, 'epol');
  assert.match(again.hits[0].title, /epoll/);
  await page.keyboard.press('ArrowDown');
  await Promise.all([page.waitForURL(`${base}${again.hits[0].href}`), page.keyboard.press('Enter')]);
  check(page);
  await page.context().close();

  // The /search/?q= page shows the same ranking and can be linked.
  const sp = await newPage({ viewport: { width: 390, height: 800 }, isMobile: true, hasTouch: true });
  await sp.goto(`${base}/search/?q=${encodeURIComponent('TCP 粘包')}`);
  await sp.waitForSelector('#search-page-results a.search-hit');
  const pageTitles = await sp.$$eval('#search-page-results a.search-hit .search-hit-title', (l) => l.map((e) => e.textContent));
  assert.match(pageTitles[0], /粘包/);
  assert.equal(await sp.$eval('#search-page-input', (i) => i.value), 'TCP 粘包');
  // On a phone, the header box's results fit the screen.
  await sp.tap('#search-input');
  await sp.keyboard.type('死锁');
  await sp.waitForFunction(() => document.querySelector('#search-results').getAttribute('data-query') === '死锁');
  const box = await sp.$eval('#search-results', (b) => { const r = b.getBoundingClientRect(); return { left: r.left, right: r.right }; });
  assert.ok(box.left >= 0 && box.right <= 390, `results overflow the phone screen: ${JSON.stringify(box)}`);
  check(sp);
  await sp.context().close();
}
