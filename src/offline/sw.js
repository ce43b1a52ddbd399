// The site's service worker: offline reading. The build writes it as `sw.js` at the site's
// root, after two lines that set VERSION (the digest of the build's files) and BASE (the
// site's path, "" or "/notes"), so a new deployment is a new worker.
//
// - One cache per deployment, named after VERSION. A file goes into it only if its SHA-256 is
//   the one offline.json (written by the same build) lists, so a cache never mixes two
//   deployments, and a page is served from one deployment whole.
// - Pages and files the reader loads are kept as they are loaded. A page can ask for all of
//   offline.json at once ({type: "download"}); progress comes back as {type: "progress",
//   done, total}, then {type: "done"} or {type: "failed"}.
// - A new worker fills its own cache (the files the reader had, as the new build has them;
//   everything if the reader had saved the whole site) before it may take over, and removes
//   the older caches only when it does. It takes over when a page asks ({type: "skip"}): the
//   page does so only as it starts, and reloads. A page also asks whether this worker served
//   it ({type: "served?", start}, the time its navigation started): if a new deployment took
//   over between the page's response and its script, it did not, and the page reloads.
//   Chromium lets the new worker take over once this one has stopped; a request after that
//   starts this one again, and the handover then waits until it idles out (with DevTools
//   attached, for 5 minutes). So nothing a page loads by itself comes after its script: its
//   icon is a data: URL, which the browser does not fetch.
'use strict';
const PREFIX = `mianjing:${BASE}/:`;
const CACHE = PREFIX + VERSION;
const LIST = `${BASE}/offline.json`;
/** Present in a cache that holds every file of its list. */
const WHOLE = `${BASE}/offline.json?whole`;
/** Downloads at once. */
const PARALLEL = 6;

/** A URL's path as offline.json writes it: decoded, no query. */
const pathOf = (url) => { try { return decodeURIComponent(new URL(url).pathname); } catch { return null; } };
/** The cache key of a path (one spelling, however a link encoded it). */
const keyOf = (path) => new Request(new URL(encodeURI(path), location.origin));

async function digest(response) {
  const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', await response.clone().arrayBuffer()));
  return Array.from(bytes.slice(0, 8), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The build's list of files from the server; fails if the server has another build. */
async function fetchList() {
  const response = await fetch(LIST, { cache: 'no-cache' });
  if (!response.ok) throw new Error(`${LIST}: HTTP ${response.status}`);
  const list = await response.json();
  if (list.version !== VERSION) throw new Error('the site has a newer deployment');
  return list;
}

let listed = null;
/** This worker's list: the copy in its cache (put there when it was installed). */
const list = () => (listed ??= caches.open(CACHE)
  .then((cache) => cache.match(keyOf(LIST)))
  .then((r) => (r ? r.json() : fetchList()))
  .catch((e) => { listed = null; throw e; }));

/** Fetches `paths` into `cache`, each checked against its digest; `step` after each. */
async function store(cache, paths, files, step) {
  const queue = paths.slice();
  const one = async () => {
    for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
      const response = await fetch(keyOf(path), { cache: 'no-cache' });
      if (!response.ok || response.redirected) throw new Error(`${path}: HTTP ${response.status}`);
      if (await digest(response) !== files[path]) throw new Error('the site has a newer deployment');
      await cache.put(keyOf(path), response);
      step();
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, one));
}

self.addEventListener('install', (event) => event.waitUntil((async () => {
  const fresh = await fetchList();
  const files = fresh.files;
  // What the reader had: the paths in the older caches of this site, or everything.
  const had = new Set();
  let whole = false;
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX) || name === CACHE) continue;
    const old = await caches.open(name);
    if (await old.match(keyOf(WHOLE))) whole = true;
    for (const request of await old.keys()) had.add(pathOf(request.url));
  }
  const wanted = Object.keys(files).filter((p) => whole || had.has(p) || fresh.shell.includes(p));
  const cache = await caches.open(CACHE);
  try {
    await store(cache, wanted, files, () => {});
    await cache.put(keyOf(LIST), new Response(JSON.stringify(fresh), { headers: { 'content-type': 'application/json' } }));
    if (whole) await cache.put(keyOf(WHOLE), new Response('1'));
  } catch (e) {
    await caches.delete(CACHE);
    throw e;
  }
})()));

/** When this worker took over from an older deployment's (0 on a first visit, or if it was
 * restarted since): a page whose navigation started earlier came from the older deployment. */
let replaced = 0;

self.addEventListener('activate', (event) => event.waitUntil((async () => {
  const started = Date.now();
  for (const name of await caches.keys()) {
    if (name.startsWith(PREFIX) && name !== CACHE) {
      replaced = started;
      await caches.delete(name);
    }
  }
  await self.clients.claim();
})()));

self.addEventListener('message', (event) => {
  const client = event.source;
  const post = (message) => client?.postMessage(message);
  const type = event.data?.type;
  if (type === 'skip') self.skipWaiting();
  else if (type === 'served?') post({ type: 'served', yes: !(event.data.start < replaced) });
  else if (type === 'status') {
    event.waitUntil(caches.open(CACHE).then((c) => c.match(keyOf(WHOLE))).then((r) => post({ type: 'status', whole: !!r })));
  } else if (type === 'visited') {
    // The first page, loaded before this worker was there.
    event.waitUntil(respond(keyOf(pathOf(event.data.url)), false).catch(() => {}));
  } else if (type === 'download') {
    event.waitUntil((async () => {
      try {
        const { files } = await list();
        const cache = await caches.open(CACHE);
        const have = new Set((await cache.keys()).map((r) => pathOf(r.url)));
        const all = Object.keys(files);
        const todo = all.filter((p) => !have.has(p));
        let done = all.length - todo.length;
        post({ type: 'progress', done, total: all.length });
        await store(cache, todo, files, () => { done += 1; post({ type: 'progress', done, total: all.length }); });
        await cache.put(keyOf(WHOLE), new Response('1'));
        post({ type: 'done', total: all.length });
      } catch (e) {
        self.registration.update().catch(() => {});
        post({ type: 'failed', message: String(e?.message ?? e) });
      }
    })());
  }
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== location.origin || !url.pathname.startsWith(`${BASE}/`)) return;
  if (url.pathname === `${BASE}/sw.js`) return;
  event.respondWith(respond(request, request.mode === 'navigate'));
});

/** From this deployment's cache, else from the network (kept if it is this deployment's file). */
async function respond(request, navigation) {
  const path = pathOf(request.url);
  const cache = await caches.open(CACHE);
  const hit = await cache.match(keyOf(path));
  if (hit) return hit;
  let response;
  try {
    response = await fetch(request);
  } catch (e) {
    if (!navigation) throw e;
    const { files } = await list();
    const missing = !(path in files) && await cache.match(keyOf(`${BASE}/404.html`));
    if (!missing) return notSaved();
    return new Response(missing.body, { status: 404, headers: missing.headers });
  }
  const { files } = await list().catch(() => ({ files: {} }));
  if (!(path in files) || !response.ok || response.redirected) return response;
  if (await digest(response) === files[path]) {
    await cache.put(keyOf(path), response.clone());
    return response;
  }
  // The server has a newer deployment: its worker is fetched now. A whole page of it may be
  // shown; a file of it must not be mixed into a page of this one.
  self.registration.update().catch(() => {});
  return navigation ? response : new Response('', { status: 503, statusText: 'site updated' });
}

function notSaved() {
  return new Response(`<!doctype html><html lang="zh-CN"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>这一页还没有保存</title>
<body style="font:17px/1.7 system-ui,sans-serif;max-width:34em;margin:3em auto;padding:0 1em"><h1 style="font-size:1.4em">这一页还没有保存到本机</h1>
<p>现在没有网络连接。读过的页面会自动保存；在首页点“离线阅读”，可以一次保存全部页面。</p><p><a href="${BASE}/">回到首页</a></p></body></html>`,
  { status: 503, headers: { 'content-type': 'text/html; charset=utf-8' } });
}
