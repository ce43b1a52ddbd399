// Every page of the built site, on a phone (390×844) and a desktop (1280×800):
// no sideways scrolling of the document, no console errors, no failed or off-site requests,
// one h1, the landmarks and skip link, no render-blocking script, no web fonts, and the
// per-page weight budget (HTML + CSS + JS, gzip, search index excluded) ≤ 60 KB.
import { PHONE, DESKTOP, sitePaths, gzipSize, assert, cancelled } from './util.mjs';

const BUDGET = 60 * 1024;

/** Runs on a sub-path build too (`run.mjs --base-path`): every page's assets load from under it. */
export const subPath = true;

export default async function ({ base, basePath, siteDir, newPage, check }) {
  const origin = new URL(base).origin;
  const paths = await sitePaths(siteDir);
  assert(paths.length > 10, `only ${paths.length} pages found in ${siteDir}`);
  const failures = [];
  let heaviest = { path: '', bytes: 0 };
  let total = 0;
  // the two viewports run side by side (one page each, navigating from URL to URL)
  await Promise.all([['phone', PHONE], ['desktop', DESKTOP]].map(async ([name, viewport]) => {
    const page = await newPage({ viewport });
    const perUrl = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') perUrl.push(`console ${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => perUrl.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => { if (!cancelled(r)) perUrl.push(`failed request: ${r.url()}`); });
    page.on('request', (r) => {
      if (r.resourceType() === 'font') perUrl.push(`web font fetched: ${r.url()}`);
      if (!r.url().startsWith(`${base}/`)) perUrl.push(`request outside the site (${base}/): ${r.url()}`);
    });
    for (const path of paths) {
      perUrl.length = 0;
      // 'load', not 'domcontentloaded': a stylesheet whose media does not match (the other theme's
      // highlighting) is fetched at low priority after DOMContentLoaded, and going to the next URL
      // before it arrives aborts it (a failed request) and leaves it out of the page's weight.
      const res = await page.goto(base + path, { waitUntil: 'load' });
      const status = res?.status();
      if (status !== 200) perUrl.push(`HTTP ${status}`);
      const facts = await page.evaluate(() => {
        const doc = document.documentElement;
        const overflow = doc.scrollWidth - doc.clientWidth;
        const wide = overflow <= 0 ? [] : [...document.querySelectorAll('body *')].filter((el) => {
          const r = el.getBoundingClientRect();
          return r.width > 0 && r.right > doc.clientWidth + 1 && getComputedStyle(el).position !== 'fixed' && !el.closest('pre, table, .sidebar:not(.open)');
        }).slice(0, 3).map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
        const resources = performance.getEntriesByType('resource').map((e) => e.name);
        return {
          overflow,
          wide,
          h1: document.querySelectorAll('h1').length,
          main: document.querySelectorAll('main').length,
          banner: document.querySelectorAll('body > header').length,
          nav: document.querySelectorAll('nav').length,
          skip: document.querySelector('a.skip-link')?.getAttribute('href') ?? null,
          blocking: [...document.querySelectorAll('head script[src]')].filter((s) => !s.defer && !s.async && s.type !== 'module').map((s) => s.src),
          resources,
        };
      });
      if (facts.overflow > 0) perUrl.push(`document scrolls sideways by ${facts.overflow}px (${facts.wide.join(', ')})`);
      if (facts.h1 !== 1) perUrl.push(`${facts.h1} h1 elements`);
      if (facts.main !== 1 || facts.banner !== 1 || facts.nav < 1) perUrl.push('missing landmarks (header, nav, main)');
      if (facts.skip !== '#main') perUrl.push('no skip link to #main');
      if (facts.blocking.length) perUrl.push(`render-blocking scripts: ${facts.blocking.join(', ')}`);
      if (name === 'desktop') {
        // weight: the document plus every CSS and JS file it loaded (search index shards excluded)
        const assets = facts.resources.map((u) => new URL(u)).filter((u) => u.origin === origin && /\.(css|js|mjs)$/.test(u.pathname) && !u.pathname.startsWith(`${basePath}/search/`));
        let bytes = await gzipSize(siteDir, path);
        for (const u of new Set(assets.map((u) => u.pathname.slice(basePath.length)))) bytes += await gzipSize(siteDir, u);
        total += bytes;
        if (bytes > heaviest.bytes) heaviest = { path, bytes };
        if (bytes > BUDGET) perUrl.push(`weighs ${(bytes / 1024).toFixed(1)} KB gzip (budget 60 KB)`);
      }
      if (perUrl.length) failures.push(`${name} ${path}:\n    ${perUrl.join('\n    ')}`);
    }
    check(page);
    await page.close();
  }));
  console.log(`     ${paths.length} pages × 2 viewports; weight (HTML+CSS+JS gzip): heaviest ${(heaviest.bytes / 1024).toFixed(1)} KB (${heaviest.path}), mean ${(total / paths.length / 1024).toFixed(1)} KB`);
  assert(!failures.length, `${failures.length} page problems:\n  ${failures.join('\n  ')}`);
}
