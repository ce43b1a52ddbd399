// Helpers shared by the reading-experience tests (not a test module itself).
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

export const PHONE = { width: 390, height: 844 };

// A request the browser cancelled (net::ERR_ABORTED: a test navigated on while the other colour
// scheme's highlighting stylesheet, loaded at low priority, or a page's script was still coming)
// is the browser's doing, not a broken link: a missing file shows as an HTTP 404, a failing one
// as net::ERR_FAILED, and the theme test checks which highlighting stylesheet is switched on.
export const cancelled = (r) => r.failure()?.errorText === 'net::ERR_ABORTED';
export const DESKTOP = { width: 1280, height: 800 };

/** Every HTML page of the built site as a URL path (`/`, `/tcp/handshake/`, `/404.html`), redirects left out. */
export async function sitePaths(siteDir) {
  const out = [];
  async function walk(dir) {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.name.endsWith('.html')) {
        const html = await readFile(full, 'utf8');
        if (/http-equiv="refresh"/i.test(html)) continue; // alias redirects
        const rel = relative(siteDir, full).split(sep).join('/');
        out.push(rel === 'index.html' ? '/' : rel.endsWith('/index.html') ? `/${rel.slice(0, -'index.html'.length)}` : `/${rel}`);
      }
    }
  }
  await walk(siteDir);
  return out.sort();
}

/** Question pages (two path segments under a section), in sorted order. */
export const questionPaths = (paths) => paths.filter((p) => /^\/[^/]+\/[^/]+\/$/.test(p) && !p.startsWith('/tags/') && !p.startsWith('/search/'));
/** Section pages. */
export const sectionPaths = (paths) => paths.filter((p) => /^\/[^/]+\/$/.test(p) && !['/tags/', '/search/'].includes(p));

const gzCache = new Map();
/** Gzip size of a site file named by its URL path (a folder means its index.html). */
export async function gzipSize(siteDir, urlPath) {
  let path = decodeURIComponent(urlPath);
  if (path.endsWith('/')) path += 'index.html';
  if (!gzCache.has(path)) gzCache.set(path, gzipSync(await readFile(join(siteDir, path)), { level: 6 }).length);
  return gzCache.get(path);
}

export function assert(cond, message) {
  if (!cond) throw new Error(message);
}

/** Counts the page's fetches still loading in `window.__loading` (a search fetches its
 * snippets after it shows the hits; leaving the page before they arrive would abort them). */
export function countFetches() {
  const fetch = window.fetch;
  window.__loading = 0;
  window.fetch = (...args) => {
    window.__loading += 1;
    const response = fetch(...args);
    response.then((r) => r.clone().arrayBuffer()).catch(() => {}).finally(() => { window.__loading -= 1; });
    return response;
  };
}

/** Resolves once every fetch counted by [`countFetches`] has ended, so leaving the page aborts
 * none of them (an aborted request counts as a failed one in `check`). */
export const fetchesSettled = (page) => page.waitForFunction(() => window.__loading === 0);
