// Runs every *.test.mjs in this folder against a built site, in headless Chromium.
// Usage: node run.mjs <built-site-dir> [name-filter] [--base-path /sub]
// With --base-path, the site (built with `--base-url /sub/`) is served under that path only, and
// only the modules that export `subPath = true` run (their URLs all start from `base`).
// Each test module exports `default async function (ctx)`, where ctx holds
//   browser  – a playwright-core Browser (Debian's /usr/bin/chromium)
//   base     – the site's address without a trailing slash: its origin, e.g.
//              http://127.0.0.1:41234, plus the base path if there is one
//   basePath – "" or the base path, e.g. "/sub"
//   siteDir  – the built site folder
//   deploy(dir) – serves another built folder from now on (a new deployment); deploy() goes back
//   requests – a list every page of newPage() records its requests into
//   newPage(options) – a page (in its own browser context, closed with the page) that records console errors, failed requests and off-site requests
//   check(page) – throws if that page logged a console error, a failed request or an off-site request
import { readdir, readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, resolve, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { cancelled } from './util.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const args = process.argv.slice(2);
const at = args.indexOf('--base-path');
const basePath = at < 0 ? '' : `/${args.splice(at, 2)[1].replace(/^\/+|\/+$/g, '')}`;
const siteDir = resolve(args[0] ?? join(here, '../../public'));
const filter = args[1] ?? '';
let served = siteDir;
const deploy = (dir) => { served = dir ? resolve(dir) : siteDir; };

const types = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8', '.png': 'image/png', '.ico': 'image/x-icon',
  '.wasm': 'application/wasm', '.bin': 'application/octet-stream',
};

// A plain static server: /dir/ serves /dir/index.html, unknown paths get 404.html with status 404.
// Under a base path, nothing outside it exists.
const server = createServer(async (req, res) => {
  const url = new URL(req.url, 'http://localhost');
  let path = normalize(decodeURIComponent(url.pathname));
  if (path.includes('..')) { res.writeHead(400).end(); return; }
  const siteDir = served;
  let file = join(siteDir, path.slice(basePath.length));
  try {
    if (!path.startsWith(`${basePath}/`)) throw new Error('outside the base path');
    if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(body);
  } catch {
    const body = await readFile(join(siteDir, '404.html')).catch(() => 'not found');
    res.writeHead(404, { 'content-type': types['.html'] }).end(body);
  }
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const origin = `http://127.0.0.1:${server.address().port}`;
const base = origin + basePath;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
});

const problems = new WeakMap();
const requests = [];
async function newPage(options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.on('close', () => { context.close().catch(() => {}); });
  const list = [];
  problems.set(page, list);
  // A deliberate visit to /no-such-page/ (the 404 page) is not a problem; everything else is.
  const expected404 = (url) => url.endsWith('/no-such-page/');
  page.on('console', (m) => { if (m.type() === 'error' && !expected404(m.location()?.url ?? '')) list.push(`console error: ${m.text()} (${m.location()?.url ?? ''})`); });
  page.on('pageerror', (e) => list.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => { if (!cancelled(r)) list.push(`failed request: ${r.url()} ${r.failure()?.errorText}`); });
  page.on('response', (r) => { if (r.status() >= 400 && !expected404(r.url())) list.push(`HTTP ${r.status()}: ${r.url()}`); });
  page.on('request', (r) => {
    const url = r.url();
    requests.push(url);
    if (url.startsWith('data:') || url.startsWith('about:')) return;
    if (!url.startsWith(origin)) list.push(`off-site request: ${url}`);
    else if (!url.startsWith(`${base}/`)) list.push(`request outside the site's path ${basePath}/: ${url}`);
  });
  return page;
}
function check(page) {
  const list = problems.get(page) ?? [];
  if (list.length) throw new Error(list.join('\n'));
}

const modules = [];
for (const file of (await readdir(here)).filter((f) => f.endsWith('.test.mjs') && f.includes(filter)).sort()) {
  const mod = await import(join(here, file));
  if (!basePath || mod.subPath) modules.push([file, mod]);
}
if (basePath) console.log(`     the site under ${basePath}/: ${modules.map(([f]) => f).join(', ')}`);
const files = modules.map(([f]) => f);
let failed = 0;
for (const [file, mod] of modules) {
  const started = Date.now();
  try {
    await mod.default({ browser, base, basePath, siteDir, deploy, requests, newPage, check });
    console.log(`ok   ${file} (${Date.now() - started} ms)`);
  } catch (e) {
    failed += 1;
    console.log(`FAIL ${file}\n${e.stack ?? e}`);
  } finally {
    deploy();
  }
}
await browser.close();
server.close();
console.log(`${files.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
