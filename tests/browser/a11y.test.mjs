// axe-core on the home page, a section page, three question pages, the tag list and the 404 page,
// in the light and the dark theme, on desktop (and the open phone menu): no serious or critical violations.
import { fileURLToPath } from 'node:url';
import { PHONE, DESKTOP, assert } from './util.mjs';

const axePath = fileURLToPath(new URL('./node_modules/axe-core/axe.min.js', import.meta.url));
const PATHS = ['/', '/tcp/', '/tcp/handshake/', '/socket/socket-echo/', '/process/gil/'];
const LIGHT_ONLY = ['/tags/', '/no-such-page/']; // same components as above; one theme is enough

async function audit(page) {
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 4).map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1, 2).join(' ')}`),
    }));
  });
  return result.map((v) => `[${v.impact}] ${v.id}: ${v.help}\n      ${v.nodes.join('\n      ')}`);
}

export default async function ({ base, newPage, check }) {
  const problems = [];
  for (const scheme of ['light', 'dark']) {
    const page = await newPage({ viewport: DESKTOP, colorScheme: scheme });
    for (const path of scheme === 'light' ? [...PATHS, ...LIGHT_ONLY] : PATHS) {
      await page.goto(base + path, { waitUntil: 'load' });
      const theme = await page.evaluate(() => getComputedStyle(document.documentElement).colorScheme);
      assert(theme === scheme, `${path}: expected the ${scheme} theme, got ${theme}`);
      for (const v of await audit(page)) problems.push(`${scheme} ${path}: ${v}`);
    }
    check(page);
    await page.close();
    // the phone layout with the menu open, and with a reader's explicit choice of the other theme
    const phone = await newPage({ viewport: PHONE, colorScheme: scheme });
    await phone.addInitScript((t) => { try { localStorage.setItem('theme', t); } catch { /* about:blank */ } }, scheme === 'light' ? 'dark' : 'light');
    await phone.goto(`${base}/tcp/handshake/`, { waitUntil: 'load' });
    await phone.click('.menu-toggle');
    for (const v of await audit(phone)) problems.push(`phone, menu open, stored theme opposite of ${scheme}: ${v}`);
    check(phone);
    await phone.close();
  }
  assert(!problems.length, `axe found serious or critical problems:\n  ${problems.join('\n  ')}`);
}
