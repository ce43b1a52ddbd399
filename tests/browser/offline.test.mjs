// Offline reading (the service worker the build writes as sw.js) in Chromium with the network
// switched off: after a first visit, the pages read and the searches made open and work offline;
// after 离线阅读, every page does, and search too; a new deployment is taken over with the files
// of that deployment only, and 已掌握 survives it. Runs on the sub-path build too (the worker's
// scope is the site's path). Waits on events and states, never on time.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFile, cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sitePaths, questionPaths, assert, countFetches } from './util.mjs';

export const subPath = true;

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const bin = process.env.MIANJING_BIN ?? join(repo, 'target/release/mianjing');
const WAIT = { timeout: 60_000 };

/** Waits until the page is controlled by the site's worker and `url` is in its cache. */
async function kept(page, url) {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, WAIT);
  await page.waitForFunction(async (url) => {
    for (const name of await caches.keys()) if (await (await caches.open(name)).match(url)) return true;
    return false;
  }, url, WAIT);
}

/** Types `q` into the header's search box; resolves with the hits' paths (without the `?q=` and
 * heading a result link carries) once they show and every fetch the search started has ended. */
async function search(page, q) {
  await page.fill('#search-input', q);
  await page.waitForFunction((q) => {
    const box = document.querySelector('#search-results');
    return box.getAttribute('data-query') === q && !box.hidden && window.__loading === 0;
  }, q, WAIT);
  return page.$$eval('#search-results a.search-hit', (as) => as.map((a) => new URL(a.href).pathname));
}

/** Init script: logs (in sessionStorage, across the page's loads) what the page's script does in
 * a handover, for the message when one fails. */
function logHandover() {
  const log = (what) => sessionStorage.setItem('handover', `${sessionStorage.getItem('handover') ?? ''} ${Math.round(performance.now())}:${what}`);
  const sw = navigator.serviceWorker;
  log(`start(${location.pathname},controller=${sw.controller?.state})`);
  const register = sw.register.bind(sw);
  sw.register = (...args) => register(...args).then((r) => { log(`registered(waiting=${r.waiting?.state})`); return r; }, (e) => { log(`register failed(${e})`); throw e; });
  const post = ServiceWorker.prototype.postMessage;
  ServiceWorker.prototype.postMessage = function (m, ...rest) { log(`post(${m?.type},to=${this.state})`); return post.call(this, m, ...rest); };
  sw.addEventListener('controllerchange', () => log('controllerchange'));
  sw.addEventListener('message', (e) => log(`got(${e.data?.type}${e.data?.type === 'served' ? `,${e.data.yes}` : ''})`));
}

/** Stops the browser's trace (once; started with the ServiceWorker category) and resolves with
 * the workers' starts, stops, status changes, events and termination requests, in order. */
function workerTrace(browser) {
  let done = null;
  return () => (done ??= browser.stopTracing().then((buffer) => {
    const events = (JSON.parse(buffer.toString()).traceEvents ?? []).filter((e) => e.ts && e.ph !== 'E'
      && /OnStopped$|Version::StartWorker$|SetStatus$|DispatchFetchEvent(ForSubresource)?$|ExtendableMessageEvent$|Version::Request$|RequestTermination$/.test(e.name));
    events.sort((a, b) => a.ts - b.ts);
    const t0 = events[0]?.ts ?? 0;
    return events.map((e) => `${Math.round((e.ts - t0) / 1000)} ms ${e.name}${e.ph === 'e' ? ' (end)' : ''} ${e.args ? JSON.stringify(e.args) : ''}`);
  }));
}

/** Every stylesheet of the page loaded and has rules. */
const styled = (page) => page.evaluate(() => document.styleSheets.length >= 3
  && [...document.styleSheets].every((s) => { try { return s.cssRules.length > 0; } catch { return false; } }));

const title = async (siteDir, path) => (await readFile(join(siteDir, path, 'index.html'), 'utf8')).match(/<h1>([^<]*)<\/h1>/)[1];

export default async function ({ browser, base, basePath, siteDir, deploy, newPage, check }) {
  const list = JSON.parse(await readFile(join(siteDir, 'offline.json'), 'utf8'));
  const worker = await readFile(join(siteDir, 'sw.js'), 'utf8');
  assert(worker.includes(`const VERSION = "${list.version}";`) && worker.includes(`const BASE = "${basePath}";`), 'sw.js carries the build version and the base path');
  // The list is the build's files as served, each with its digest.
  for (const [path, digest] of Object.entries(list.files)) {
    const res = await fetch(new URL(encodeURI(path), base));
    const bytes = Buffer.from(await res.arrayBuffer());
    assert(res.status === 200 && createHash('sha256').update(bytes).digest('hex').startsWith(digest), `offline.json: ${path} is served as listed (HTTP ${res.status})`);
  }
  const questions = questionPaths(await sitePaths(siteDir));
  const [A, B, C] = [questions[0], questions[1], questions[questions.length - 1]];

  // ---- first visit: what was read and searched opens offline ----
  {
    const page = await newPage();
    await page.addInitScript(countFetches);
    await page.goto(base + A);
    // An icon file would be fetched by the browser on its own, after the page's script, and
    // could hold a new deployment's handover back (see sw.js): the icon is inline.
    const icons = await page.$$eval('link[rel~="icon"]', (links) => links.map((l) => l.href));
    assert(icons.length > 0 && icons.every((href) => href.startsWith('data:image/svg+xml,')), `the page's icon is a data: URL: ${icons.join(' ')}`);
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    assert(scope === `${base}/`, `the worker's scope is the site's path: ${scope}`);
    await kept(page, base + A);
    await page.goto(base + B);
    const q = await title(siteDir, B);
    const online = await search(page, q);
    assert(online.includes(basePath + B), `online, "${q}" finds ${B}: ${online.join(' ')}`);
    await page.context().setOffline(true);
    const res = await page.goto(base + A);
    assert(res.status() === 200 && (await page.textContent('h1')) === await title(siteDir, A), `offline, ${A} opens from the cache`);
    assert(await styled(page), `offline, ${A} has its styles`);
    const offline = await search(page, q);
    assert(JSON.stringify(offline) === JSON.stringify(online), `offline, "${q}" finds the same: ${offline.join(' ')}`);
    check(page);
    const missing = await page.goto(base + C);
    assert(missing.status() === 503 && (await page.textContent('h1')).includes('还没有保存到本机'), `offline, a page never read says it is not saved (${missing.status()})`);
    await page.close();
  }

  // ---- 离线阅读: the whole site, with progress; then every page and search offline ----
  {
    const page = await newPage();
    await page.addInitScript(countFetches);
    await page.goto(`${base}/`);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, WAIT);
    const button = page.locator('[data-offline] button');
    assert(await button.isVisible() && (await button.textContent()) === '离线阅读', 'the home page shows 离线阅读');
    await page.evaluate(() => {
      window.__progress = [];
      navigator.serviceWorker.addEventListener('message', (e) => { if (e.data?.type === 'progress') window.__progress.push(e.data); });
    });
    await button.click();
    await page.locator('[data-offline] .offline-status', { hasText: '已保存全站' }).waitFor(WAIT);
    const progress = await page.evaluate(() => window.__progress);
    const total = Object.keys(list.files).length;
    assert(progress.length > 2 && progress.every((p, i) => p.total === total && (i === 0 || p.done === progress[i - 1].done + 1)), `progress counts up one file at a time to ${total}`);
    assert(progress.at(-1).done === total, 'every file saved');
    await page.context().setOffline(true);
    for (const path of await sitePaths(siteDir)) {
      const res = await page.goto(base + path);
      assert(res.status() === 200 && await styled(page), `offline after 离线阅读: ${path} (HTTP ${res.status()})`);
    }
    const notFound = (await readFile(join(siteDir, '404.html'), 'utf8')).match(/<h1[^>]*>([^<]*)<\/h1>/)[1];
    const lost = await page.goto(`${base}/no-such-page/`);
    assert(lost.status() === 404 && (await page.textContent('h1')) === notFound, `offline, an unknown address gets the site's 404 page (${lost.status()})`);
    await page.goto(base + A);
    const q = await title(siteDir, C);
    const hits = await search(page, q);
    assert(hits.includes(basePath + C), `offline, "${q}" finds ${C}: ${hits.join(' ')}`);
    check(page);
    await page.close();
  }

  // ---- a new deployment: its worker takes over with its own files; 已掌握 stays ----
  const scratch = await mkdtemp(join(tmpdir(), 'mianjing-offline-'));
  try {
    const root = join(scratch, 'site');
    for (const part of ['content', 'templates', 'static', 'snippets', 'syntaxes', 'site.toml']) {
      await cp(join(repo, part), join(root, part), { recursive: true });
    }
    const page = await newPage();
    await page.addInitScript(logHandover);
    await page.goto(base + A);
    await kept(page, base + A);
    const key = await page.getAttribute('html', 'data-key');
    await page.locator('.mastered-toggle').first().click();
    assert(await page.evaluate(() => document.documentElement.classList.contains('mastered')), '已掌握 is on');
    await page.goto(base + B);
    await kept(page, base + B);

    const NEW = '新部署加上的一段。';
    await appendFile(join(root, 'content', key), `\n\n${NEW}\n`);
    await appendFile(join(root, 'static/css/site.css'), '\n.new-deployment { color: inherit; }\n');
    const out = join(scratch, 'public');
    execFileSync(bin, ['--root', root, 'build', '--output', out, '--base-url', `${basePath}/`], { stdio: 'pipe' });
    const next = JSON.parse(await readFile(join(out, 'offline.json'), 'utf8'));
    assert(next.version !== list.version, 'the new build has a new version');
    deploy(out);

    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
    await page.waitForFunction(async () => !!(await navigator.serviceWorker.getRegistration())?.waiting, null, WAIT);
    // The next page to start hands over to the new worker and reloads from it. Chromium's
    // service-worker trace of the handover is kept for the message if it fails.
    await browser.startTracing(undefined, { categories: ['ServiceWorker'] });
    const trace = workerTrace(browser);
    await page.goto(base + A);
    await page.getByText(NEW).waitFor(WAIT).catch(async (e) => {
      const state = await page.evaluate(async () => {
        const reg = await navigator.serviceWorker.getRegistration();
        return { active: reg?.active?.state, waiting: reg?.waiting?.state, installing: reg?.installing?.state, caches: await caches.keys(), navigation: performance.getEntriesByType('navigation')[0]?.type, log: sessionStorage.getItem('handover') };
      }).catch((x) => String(x));
      const timeline = await trace().catch((x) => [String(x)]);
      throw new Error(`the new deployment's text never showed on ${page.url()}: ${JSON.stringify(state)}\nthe workers, as Chromium traced them:\n  ${timeline.join('\n  ')}\n${e.message}`);
    });
    await trace();
    const css = (await readFile(join(out, A, 'index.html'), 'utf8')).match(/href="([^"]*\/css\/site\.[0-9a-f]+\.css)"/)[1];
    assert(await page.locator(`link[href="${css}"]`).count() === 1, `the page links the new stylesheet ${css}`);
    assert(await page.evaluate(() => document.documentElement.classList.contains('mastered')), '已掌握 survives the new deployment');
    // One cache, the new build's, and every file in it is the new build's.
    const cached = await page.evaluate(async () => {
      const names = await caches.keys();
      const out = {};
      for (const name of names) {
        const cache = await caches.open(name);
        for (const request of await cache.keys()) {
          const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', await (await cache.match(request)).arrayBuffer()));
          out[decodeURIComponent(new URL(request.url).pathname)] = Array.from(bytes.slice(0, 8), (b) => b.toString(16).padStart(2, '0')).join('');
        }
      }
      return { names, files: out };
    });
    assert(cached.names.length === 1 && cached.names[0].endsWith(next.version), `only the new build's cache: ${cached.names.join(', ')}`);
    const mixed = Object.entries(cached.files).filter(([path, digest]) => path in next.files && next.files[path] !== digest);
    assert(!mixed.length, `files of the old build in the new cache: ${mixed.map(([p]) => p).join(', ')}`);
    for (const path of [A, B]) assert(basePath + path in cached.files, `${path}, read before, is kept for the new build`);
    // A page whose navigation started before the new worker took over came from the old one
    // (the worker can take over between a response and the page's script): it reloads.
    const reloaded = page.waitForEvent('load', WAIT);
    await page.evaluate(() => navigator.serviceWorker.controller.postMessage({ type: 'served?', start: 0 }));
    await reloaded;
    assert(await page.evaluate(() => performance.getEntriesByType('navigation')[0].type) === 'reload', 'a page the new worker did not serve reloads');
    await page.context().setOffline(true);
    const res = await page.goto(base + B);
    assert(res.status() === 200 && await styled(page), `offline after the new deployment: ${B}`);
    check(page);
    await page.close();
  } finally {
    deploy();
    await rm(scratch, { recursive: true, force: true });
  }
}
