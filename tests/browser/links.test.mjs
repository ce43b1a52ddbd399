// Every link and asset of every page resolves: each href, src and form action of each built page
// (and each page URL in the nav.json lists 随机一题 and long sidebars use) that points into the
// site is under the site's path and answers 200. Runs on the sub-path build too, where a link
// that forgot the base path points outside it.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sitePaths, assert } from './util.mjs';

export const subPath = true;

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" };
const decode = (s) => s.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_, e) => ENTITIES[e]);

export default async function ({ base, siteDir }) {
  const origin = new URL(base).origin;
  const paths = await sitePaths(siteDir);
  assert(paths.length > 10, `only ${paths.length} pages found in ${siteDir}`);
  /** URL (no fragment) → the pages that link it. */
  const targets = new Map();
  const note = (url, from) => {
    const u = new URL(url, base + from);
    if (u.origin !== origin) return;
    u.hash = '';
    if (!targets.has(u.href)) targets.set(u.href, []);
    targets.get(u.href).push(from);
  };
  for (const path of paths) {
    const file = join(siteDir, path.endsWith('/') ? `${path}index.html` : path);
    const html = await readFile(file, 'utf8');
    for (const [, , value] of html.matchAll(/\s(href|src|action|data-nav-all)="([^"]*)"/g)) {
      if (value.startsWith('#') || /^(mailto|data|javascript):/.test(value)) continue;
      note(decode(value), path);
    }
  }
  for (const list of ['/nav.json', ...[...targets.keys()].filter((u) => u.endsWith('/nav.json')).map((u) => u.slice(base.length))]) {
    for (const entry of JSON.parse(await readFile(join(siteDir, list), 'utf8'))) {
      note(entry.find((v) => typeof v === 'string' && v.startsWith('/')), list);
    }
  }
  const problems = [];
  for (const [url, from] of targets) {
    const where = `${url} (linked from ${from.slice(0, 3).join(', ')}${from.length > 3 ? ', …' : ''})`;
    if (!url.startsWith(`${base}/`)) { problems.push(`outside the site's path: ${where}`); continue; }
    const res = await fetch(url);
    if (res.status !== 200) problems.push(`HTTP ${res.status}: ${where}`);
    await res.arrayBuffer();
  }
  console.log(`     ${targets.size} distinct links and assets on ${paths.length} pages`);
  assert(!problems.length, `${problems.length} broken links:\n  ${problems.join('\n  ')}`);
}
