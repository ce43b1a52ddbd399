// Screenshots for a person to look at (tests/browser/screenshots/, not committed):
// home and one question page, phone and desktop, light and dark, plus the open phone menu.
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { PHONE, DESKTOP } from './util.mjs';

const dir = fileURLToPath(new URL('./screenshots/', import.meta.url));
const shots = [
  ['home', '/'],
  ['page', '/tcp/handshake/'],
  ['section', '/tcp/'],
  ['code', '/socket/socket-echo/'],
  ['404', '/no-such-page/'],
];

export default async function ({ base, newPage, check }) {
  await mkdir(dir, { recursive: true });
  for (const [size, viewport] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    for (const scheme of ['light', 'dark']) {
      const page = await newPage({ viewport, colorScheme: scheme, deviceScaleFactor: size === 'phone' ? 2 : 1 });
      for (const [name, path] of shots) {
        if (scheme === 'dark' && !['home', 'page', 'code'].includes(name)) continue;
        await page.goto(base + path, { waitUntil: 'load' });
        await page.screenshot({ path: `${dir}${name}-${size}-${scheme}.png`, fullPage: name !== 'page' || size === 'desktop' });
        if (name === 'page') await page.screenshot({ path: `${dir}${name}-${size}-${scheme}-top.png` });
      }
      if (size === 'phone' && scheme === 'light') {
        await page.goto(`${base}/tcp/handshake/`);
        await page.click('.menu-toggle');
        await page.waitForTimeout(300);
        await page.screenshot({ path: `${dir}menu-phone-light.png` });
      }
      check(page);
      await page.close();
    }
  }
}
