// Measures a search engine over a built site in headless Chromium, per query of a TSV file:
//   - bytes the browser transfers for the first query (cold cache, gzip of each response as a
//     server would send it; files that are already compressed count as they are),
//   - time from the last keystroke to the rendered results (warm, median over the queries),
//   - top-3 hit rate.
// Usage: node measure.mjs <ours|pagefind> <site-dir> <queries.tsv> [more.tsv …]
// Prints one JSON line per query file. Only loopback traffic.
import { readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const require = createRequire(join(here, '../../tests/browser/package.json'));
const { chromium } = require('playwright-core');

const [engine, siteArg, ...files] = process.argv.slice(2);
const siteDir = resolve(siteArg);
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.css': 'text/css', '.json': 'application/json', '.txt': 'text/plain; charset=utf-8', '.wasm': 'application/wasm' };
const server = createServer(async (req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
  let file = join(siteDir, path);
  try {
    if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'cache-control': 'max-age=3600' })
      .end(await readFile(file));
  } catch { res.writeHead(404).end('not found'); }
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});

const gz = (buf) => Math.min(buf.length, gzipSync(buf).length);
const counted = (path) => engine === 'ours'
  ? path.startsWith('/search/') || path === '/js/search.js' || path === '/css/search.css'
  : path.startsWith('/pagefind/');
const titleMatches = (title, expected) => expected.split('|')
  .some((alt) => alt.split(/\s+/).filter(Boolean).every((w) => title.toLowerCase().includes(w.toLowerCase())));

// The page to search from, its input, and how to read the rendered results' titles.
const setup = engine === 'ours'
  ? { url: '/tcp/handshake/', input: '#search-input', box: '#search-results', titles: '#search-results a.search-hit .search-hit-title' }
  : { url: '/pagefind-bench.html', input: '#q', box: '#out', titles: '#out a' };

async function open(context) {
  const page = await context.newPage();
  await page.goto(base + setup.url);
  await page.waitForLoadState('networkidle');
  await page.evaluate((sel) => {
    window.__t = { keys: [], done: 0 };
    document.addEventListener('input', () => window.__t.keys.push(performance.now()), true);
    new MutationObserver(() => { window.__t.done = performance.now(); })
      .observe(document.querySelector(sel), { attributes: true, attributeFilter: ['data-query'] });
  }, setup.box);
  return page;
}
async function type(page, q) {
  await page.fill(setup.input, '');
  await page.evaluate(() => { window.__t.keys = []; window.__t.done = 0; });
  await page.focus(setup.input);
  await page.keyboard.type(q);
  await page.waitForFunction(([sel, q]) => document.querySelector(sel).getAttribute('data-query') === q, [setup.box, q], { timeout: 10000 });
  const ms = await page.evaluate(() => window.__t.done - window.__t.keys[window.__t.keys.length - 1]);
  const titles = await page.$$eval(setup.titles, (l) => l.map((e) => e.textContent));
  return { ms, titles };
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

for (const file of files) {
  const queries = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => { const [q, e = ''] = l.split('\t'); return { q, expected: e.trim() }; });
  // Cold: a fresh context (empty cache) per query; count what the search fetches.
  const bytes = [];
  for (const { q } of queries) {
    const context = await browser.newContext();
    const sizes = new Map();
    context.on('response', async (r) => {
      const path = new URL(r.url()).pathname;
      if (!counted(path)) return;
      try { sizes.set(r.url(), gz(await r.body())); } catch { /* redirects have no body */ }
    });
    const page = await open(context);
    await type(page, q);
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(150);
    bytes.push([...sizes.values()].reduce((a, b) => a + b, 0));
    await context.close();
  }
  // Warm: one page, every query typed in turn.
  const context = await browser.newContext();
  const page = await open(context);
  const times = [];
  let hits = 0;
  const misses = [];
  for (const { q, expected } of queries) {
    const r = await type(page, q);
    times.push(r.ms);
    if (r.titles.slice(0, 3).some((t) => titleMatches(t, expected))) hits += 1;
    else misses.push(q);
  }
  await context.close();
  console.log(JSON.stringify({
    engine, file: file.split('/').pop(), queries: queries.length, hits,
    hit_rate: hits / queries.length, first_query_bytes_median: median(bytes),
    first_query_bytes_mean: Math.round(bytes.reduce((a, b) => a + b, 0) / bytes.length),
    ms_median: median(times), ms_p90: [...times].sort((a, b) => a - b)[Math.floor(times.length * 0.9)], misses,
  }));
}
await browser.close();
server.close();
