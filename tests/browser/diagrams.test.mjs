// Diagram text must be legible on a phone: at 390 px width no SVG <text> on any page renders
// below 12 CSS px. The rendered size is the computed font-size (in the SVG's user units) times
// the scale from user units to CSS px (getScreenCTM, which includes the viewBox fit).
// Lists every offender, page by page, so a redraw can go through them one by one.
import { PHONE, sitePaths, assert } from './util.mjs';

const MIN_PX = 12;

function measure(min) {
  const out = [];
  let n = 0;
  for (const el of document.querySelectorAll('svg text, svg tspan')) {
    // the element's own words (a <text> holding <tspan>s is measured through them)
    const own = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('').trim();
    if (!own) continue;
    const svg = el.ownerSVGElement;
    if (!svg || svg.closest('dialog') || !svg.getClientRects().length) continue;
    const m = el.getScreenCTM();
    if (!m) continue;
    n += 1;
    const scale = Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
    const size = parseFloat(getComputedStyle(el).fontSize) * scale;
    if (size < min - 0.005) {
      const fig = svg.closest('figure');
      const caption = fig?.querySelector('figcaption')?.textContent.trim() ?? svg.getAttribute('aria-label') ?? '';
      out.push({ text: own.slice(0, 40), size: Math.round(size * 10) / 10, caption: caption.slice(0, 40) });
    }
  }
  return { n, bad: out };
}

export default async function ({ base, siteDir, newPage, check }) {
  const paths = await sitePaths(siteDir);
  const byPage = [];
  let texts = 0;
  // two pages side by side, each walking half of the site
  const halves = [paths.filter((_, i) => i % 2 === 0), paths.filter((_, i) => i % 2 === 1)];
  await Promise.all(halves.map(async (list) => {
    const page = await newPage({ viewport: PHONE, deviceScaleFactor: 1 });
    for (const path of list) {
      await page.goto(base + path, { waitUntil: 'load' });
      const { n, bad } = await page.evaluate(measure, MIN_PX);
      texts += n;
      if (bad.length) byPage.push({ path, bad });
    }
    check(page);
    await page.close();
  }));
  byPage.sort((a, b) => a.path.localeCompare(b.path));
  const count = byPage.reduce((n, p) => n + p.bad.length, 0);
  console.log(`     ${texts} SVG texts on ${paths.length} pages; ${count} below ${MIN_PX} px at ${PHONE.width} px on ${byPage.length} pages`);
  const report = byPage.map((p) => {
    const figs = new Map();
    for (const b of p.bad) {
      if (!figs.has(b.caption)) figs.set(b.caption, []);
      figs.get(b.caption).push(`${b.size}px「${b.text}」`);
    }
    return `${p.path} (${p.bad.length}):\n${[...figs].map(([c, l]) => `      ${c || '(no caption)'}: ${l.join(' ')}`).join('\n')}`;
  });
  assert(!count, `${count} diagram texts render below ${MIN_PX} CSS px on a ${PHONE.width} px screen, on ${byPage.length} pages ` +
    `(font-size must be >= viewBox width / 27):\n  ${report.join('\n  ')}`);
}
