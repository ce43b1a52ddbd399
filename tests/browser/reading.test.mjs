// The reading aids in a real browser: theme toggle without a flash, 已掌握 progress, the phone
// menu by keyboard, copying code, folding the 30-second answer, random question, anchors,
// back to top, table of contents placement, print stylesheet, and pages without JavaScript.
import { PHONE, DESKTOP, assert } from './util.mjs';

const PAGE = '/tcp/handshake/';
const SECTION = '/tcp/';
const KEY = 'tcp/handshake.md';

// Runs in every document before its own scripts: notes the theme at the moment <body> starts
// and at the first animation frame (both before the first paint), and every later change.
function recordTheme() {
  const seen = [];
  window.__theme = seen;
  const note = (when) => {
    const html = document.documentElement;
    seen.push({
      when,
      theme: html.getAttribute('data-theme'),
      bg: getComputedStyle(html).backgroundColor,
      hlDark: document.getElementById('hl-dark')?.media ?? null,
    });
  };
  new MutationObserver((records, obs) => {
    if (document.body) { note('body'); obs.disconnect(); }
  }).observe(document, { childList: true, subtree: true });
  requestAnimationFrame(() => note('first-frame'));
  new MutationObserver(() => note('changed')).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-theme'] });
}

const DARK_BG = 'rgb(20, 22, 26)';
const LIGHT_BG = 'rgb(255, 255, 255)';

async function themeTest({ base, newPage, check }) {
  // follows the system preference when the reader has not chosen
  for (const [scheme, bg] of [['light', LIGHT_BG], ['dark', DARK_BG]]) {
    const p = await newPage({ viewport: DESKTOP, colorScheme: scheme });
    await p.goto(base + PAGE);
    const got = await p.evaluate(() => ({ bg: getComputedStyle(document.documentElement).backgroundColor, mode: document.querySelector('.theme-toggle').dataset.mode }));
    assert(got.bg === bg, `system ${scheme}: background ${got.bg}`);
    assert(got.mode === 'system', `system ${scheme}: toggle mode=${got.mode}`);
    check(p);
    await p.close();
  }

  const page = await newPage({ viewport: DESKTOP, colorScheme: 'light' });
  await page.addInitScript(recordTheme);
  await page.goto(base + PAGE);
  const toggle = page.locator('.theme-toggle');
  assert(await toggle.getAttribute('data-mode') === 'system', 'light system: the toggle follows the system');
  await toggle.focus();
  await page.keyboard.press('Enter'); // operable by keyboard
  assert(await toggle.getAttribute('data-mode') === 'dark', 'the first press chooses dark');
  const after = await page.evaluate(() => ({
    stored: localStorage.getItem('theme'),
    bg: getComputedStyle(document.documentElement).backgroundColor,
    codeBg: getComputedStyle(document.querySelector('figure.code pre')).backgroundColor,
    hlDark: document.getElementById('hl-dark').media,
    hlLight: document.getElementById('hl-light').media,
  }));
  assert(after.stored === 'dark' && after.bg === DARK_BG, `choosing dark: ${JSON.stringify(after)}`);
  assert(after.hlDark === 'all' && after.hlLight === 'not all', `the dark highlighting stylesheet is switched on: ${JSON.stringify(after)}`);

  // navigate by following a link: the next document is dark from its first frame on
  await Promise.all([page.waitForURL(/\/tcp\/(?!handshake)/), page.click('.prev-next a[rel="next"]')]);
  let seen = await page.evaluate(() => window.__theme);
  // 'changed' is the inline script in <head> setting the attribute (before any stylesheet applies)
  for (const s of seen) {
    assert(s.theme === 'dark' && (s.when === 'changed' || (s.bg === DARK_BG && s.hlDark === 'all')), `flash of the wrong theme after navigation: ${JSON.stringify(seen)}`);
  }
  assert(seen.some((s) => s.when === 'body') && seen.some((s) => s.when === 'first-frame'), `theme was not observed before the first paint: ${JSON.stringify(seen)}`);
  assert(await page.locator('.theme-toggle').getAttribute('data-mode') === 'dark', 'toggle state after navigation');

  // and back to light, which also persists
  await page.click('.theme-toggle');
  await page.goto(`${base}/`);
  seen = await page.evaluate(() => window.__theme);
  for (const s of seen) assert(s.theme === 'light' && (s.when === 'changed' || s.bg === LIGHT_BG), `light choice not kept: ${JSON.stringify(seen)}`);
  check(page);
  await page.close();

  // a stored choice wins over the system preference, from the first frame
  const dark = await newPage({ viewport: PHONE, colorScheme: 'light' });
  await dark.addInitScript(recordTheme);
  await dark.goto(`${base}/`);
  await dark.evaluate(() => localStorage.setItem('theme', 'dark'));
  await dark.goto(base + SECTION);
  seen = await dark.evaluate(() => window.__theme);
  for (const s of seen) assert(s.theme === 'dark' && (s.when === 'changed' || s.bg === DARK_BG), `stored dark theme flashed light: ${JSON.stringify(seen)}`);
  assert(seen.filter((s) => s.when !== 'changed').length === 2, `sampled at body start and first frame: ${JSON.stringify(seen)}`);
  check(dark);
  await dark.close();
}

async function progressTest({ base, newPage, check }) {
  const page = await newPage({ viewport: DESKTOP });
  await page.goto(base + SECTION);
  const done = () => page.locator('[data-section-progress] [data-done]').textContent();
  assert(await done() === '0', 'a new reader has mastered nothing');
  const total = Number(await page.locator('[data-section-progress]').getAttribute('data-total'));
  assert(total === await page.locator('.page-list li').count(), 'the section total counts its pages');

  await page.goto(base + PAGE);
  const button = page.locator('.page-head .mastered-toggle');
  assert(await button.getAttribute('aria-pressed') === 'false', 'not mastered yet');
  await button.click();
  assert(await button.getAttribute('aria-pressed') === 'true', 'marked as mastered');
  assert(await page.locator('.done-box .mastered-toggle').getAttribute('aria-pressed') === 'true', 'both buttons agree');
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('mastered')));
  assert(stored.includes(KEY), `stored by page key: ${JSON.stringify(stored)}`);
  assert(await page.locator(`#sidebar [data-progress="tcp"] [data-done]`).textContent() === '1', 'sidebar progress updates at once');

  // after navigation: the section page shows it
  await Promise.all([page.waitForURL(base + SECTION), page.click(`.breadcrumbs a[href="${SECTION}"]`)]);
  assert(await done() === '1', `section page shows 已掌握 1 / ${total}, got ${await done()}`);
  assert(await page.locator(`.page-list li[data-key="${KEY}"]`).evaluate((li) => li.classList.contains('is-mastered')), 'the page is ticked in the list');
  assert(await page.locator(`.page-list li[data-key="${KEY}"] .mastered-mark`).isVisible(), 'the 已掌握 mark is visible');
  assert(await page.locator(`#sidebar a[data-key="${KEY}"]`).evaluate((a) => a.classList.contains('is-mastered')), 'sidebar ticks the page');
  const width = await page.locator('.section-progress .fill').evaluate((el) => el.getBoundingClientRect().width);
  assert(width > 0, 'the progress bar fills');
  // the home page counts it too
  await page.goto(`${base}/`);
  assert(await page.locator('.section-card[data-section="tcp"] [data-done]').textContent() === '1', 'home shows the section progress');

  // un-marking takes it back
  await page.goto(base + PAGE);
  await page.locator('.done-box .mastered-toggle').click();
  await page.goto(base + SECTION);
  assert(await done() === '0', 'un-marked');
  check(page);
  await page.close();
}

async function menuTest({ base, newPage, check }) {
  const page = await newPage({ viewport: PHONE });
  await page.goto(base + PAGE);
  const toggle = page.locator('.menu-toggle');
  const sidebar = page.locator('#sidebar');
  const shown = () => sidebar.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return getComputedStyle(el).visibility === 'visible' && r.right > 0 && r.left >= -1;
  });
  assert(await toggle.isVisible(), 'menu button is shown on a phone');
  assert(await toggle.getAttribute('aria-controls') === 'sidebar', 'menu button controls the sidebar');
  assert(await toggle.getAttribute('aria-expanded') === 'false', 'closed at first');
  assert(!(await shown()), 'the drawer is hidden at first');

  await page.keyboard.press('Tab'); // skip link
  assert(await page.evaluate(() => document.activeElement.classList.contains('skip-link')), 'first Tab reaches the skip link');
  assert(await page.locator('.skip-link').isVisible(), 'the skip link shows when focused');
  await page.keyboard.press('Tab');
  assert(await page.evaluate(() => document.activeElement.classList.contains('menu-toggle')), 'second Tab reaches the menu button');
  await page.keyboard.press('Enter');
  assert(await toggle.getAttribute('aria-expanded') === 'true', 'Enter opens the menu');
  await page.waitForTimeout(300);
  assert(await shown(), 'the drawer is on screen');
  assert(await page.evaluate(() => document.getElementById('sidebar').contains(document.activeElement)), 'focus moves into the menu');
  for (let i = 0; i < 25; i += 1) await page.keyboard.press('Tab');
  assert(await page.evaluate(() => document.getElementById('sidebar').contains(document.activeElement)), 'Tab stays inside the open menu');
  const current = page.locator('#sidebar a[aria-current="page"]');
  assert(await current.isVisible(), 'the current page is marked and visible in the menu');
  await page.keyboard.press('Escape');
  assert(await toggle.getAttribute('aria-expanded') === 'false', 'Escape closes the menu');
  assert(await page.evaluate(() => document.activeElement.classList.contains('menu-toggle')), 'focus returns to the menu button');
  await page.waitForTimeout(300);
  assert(!(await shown()), 'the drawer is hidden again');

  await page.keyboard.press('Space');
  assert(await toggle.getAttribute('aria-expanded') === 'true', 'Space opens the menu');
  await page.waitForTimeout(50);
  await page.keyboard.press('Enter'); // focus is on the close button
  assert(await toggle.getAttribute('aria-expanded') === 'false', 'the close button closes the menu');
  check(page);
  await page.close();

  // desktop: sidebar always there, menu button hidden, current page marked
  const desk = await newPage({ viewport: DESKTOP });
  await desk.goto(base + PAGE);
  assert(!(await desk.locator('.menu-toggle').isVisible()), 'no menu button on desktop');
  assert(await desk.locator('#sidebar a[aria-current="page"]').isVisible(), 'current page visible in the desktop sidebar');
  assert(await desk.locator('.toc-aside').isVisible(), 'on-page table of contents on a wide screen');
  assert(!(await desk.locator('.toc-inline').isVisible()), 'no inline contents on a wide screen');
  check(desk);
  await desk.close();
}

async function copyTest({ base, newPage, check }) {
  const page = await newPage({ viewport: DESKTOP, permissions: ['clipboard-read', 'clipboard-write'] });
  await page.goto(`${base}/socket/socket-echo/`);
  const figures = page.locator('figure.code');
  const n = await figures.count();
  assert(n >= 2, 'the page has code blocks');
  assert(await page.locator('figure.code .copy-button').count() === n, 'every code block has a copy button');
  const withCaption = page.locator('figure.code:has(figcaption)').first();
  assert(/^snippets\/[\w\/]+\.(rs|py)$/.test((await withCaption.locator('figcaption .src').textContent()).trim()), 'caption names the source file under snippets/');
  const run = (await withCaption.locator('figcaption code.run').textContent()).trim();
  assert(/^(cargo (run|test) -p snippets|python3 snippets\/)/.test(run), `caption shows the command that runs the code, got "${run}"`);
  for (const fig of [withCaption, figures.first()]) {
    const expected = await fig.locator('pre code').evaluate((c) => c.textContent);
    await fig.locator('.copy-button').click();
    await page.waitForFunction((el) => el.textContent !== '复制', await fig.locator('.copy-button').elementHandle());
    const got = await page.evaluate(() => navigator.clipboard.readText());
    assert(got === expected, `clipboard differs from the code:\n--- got\n${got}\n--- expected\n${expected}`);
    assert(!/hl-|<span/.test(got), 'no markup on the clipboard');
    assert(await fig.locator('.copy-button').textContent() === '已复制', 'button confirms the copy');
  }
  check(page);
  await page.close();
  // on a phone, a long line scrolls inside the block, never the page
  const phone = await newPage({ viewport: PHONE });
  await phone.goto(`${base}/tcp/handshake/`);
  const pre = await phone.locator('figure.code pre').first().evaluate((el) => ({ sw: el.scrollWidth, cw: el.clientWidth, overflow: getComputedStyle(el).overflowX, tab: el.tabIndex }));
  assert(pre.sw > pre.cw && pre.overflow === 'auto' && pre.tab === 0, `long code scrolls inside its block and is keyboard-scrollable: ${JSON.stringify(pre)}`);
  assert(await phone.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth), 'the page does not scroll sideways');
  check(phone);
  await phone.close();
}

async function answerTest({ base, newPage, check }) {
  const page = await newPage({ viewport: PHONE });
  await page.goto(base + PAGE);
  const details = page.locator('details.answer');
  const body = page.locator('details.answer .answer-body');
  assert(await details.evaluate((d) => d.open) && await body.isVisible(), 'the answer is open by default');
  await page.locator('details.answer summary').click();
  assert(!(await details.evaluate((d) => d.open)) && !(await body.isVisible()), 'the summary folds the answer');
  await page.locator('details.answer summary').click();
  assert(await body.isVisible(), 'and unfolds it');
  // 先自己答: every page starts folded, with no jump: folded already at the first frame
  const pref = page.locator('.answer-first-toggle');
  await pref.click();
  assert(await pref.getAttribute('aria-pressed') === 'true', 'preference on');
  assert(!(await body.isVisible()), 'turning it on folds this answer');
  await page.addInitScript(() => {
    // every frame until load: once the answer exists, it must already be folded
    const frames = [];
    window.__answerFrames = frames;
    const tick = () => {
      const b = document.querySelector('details.answer .answer-body');
      frames.push(!b ? 'missing' : b.checkVisibility() ? 'shown' : 'folded');
      if (document.readyState !== 'complete') requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await page.goto(`${base}/tcp/close/`);
  const frames = await page.evaluate(() => window.__answerFrames);
  assert(frames.includes('folded') && !frames.includes('shown'), `folded from the first frame that has it: ${frames.join(' ')}`);
  assert(!(await page.locator('details.answer .answer-body').isVisible()), 'folded on the next page');
  await page.locator('details.answer summary').click();
  assert(await page.locator('details.answer .answer-body').isVisible(), 'a folded answer opens on demand');
  await page.locator('.answer-first-toggle').click();
  await page.goto(base + PAGE);
  assert(await page.locator('details.answer .answer-body').isVisible(), 'preference off: open again');
  check(page);
  await page.close();
}

async function navigationTest({ base, newPage, check }) {
  const page = await newPage({ viewport: DESKTOP });
  await page.goto(base + PAGE);
  // breadcrumbs, prev/next, edit link, tags
  assert(await page.locator('.breadcrumbs li').count() === 3, 'breadcrumbs: home / section / page');
  assert(await page.locator('.prev-next a').count() >= 1, 'previous/next links');
  const edit = await page.locator('a.edit-link').getAttribute('href');
  assert(/^https?:\/\/.+content\/tcp\/handshake\.md$/.test(edit), `edit link: ${edit}`);
  const tag = page.locator('.page-head a.tag').first();
  const tagHref = await tag.getAttribute('href');
  assert(/^\/tags\/[^/]+\/$/.test(tagHref), `tag link: ${tagHref}`);
  // heading anchors appear on hover and on focus
  const anchor = page.locator('.content h2 .heading-anchor').first();
  const opacity = () => anchor.evaluate((a) => getComputedStyle(a).opacity);
  assert(await opacity() === '0', 'anchor hidden at rest');
  await anchor.focus();
  await page.waitForTimeout(250);
  assert(await opacity() === '1', 'anchor visible on focus');
  await page.locator('.content h2').nth(1).hover();
  await page.waitForTimeout(250);
  assert(await page.locator('.content h2 .heading-anchor').nth(1).evaluate((a) => getComputedStyle(a).opacity) === '1', 'anchor visible on hover');
  // back to top on a long page
  await page.evaluate(() => scrollTo(0, document.documentElement.scrollHeight));
  await page.waitForTimeout(300);
  const top = page.locator('.to-top-float');
  assert(await top.isVisible(), 'back-to-top appears far down a long page');
  await top.click();
  await page.waitForFunction(() => scrollY === 0, null, { timeout: 3000 });
  // random question: a question page other than this one, preferring unmastered ones
  for (let i = 0; i < 3; i += 1) {
    await page.goto(base + PAGE);
    await Promise.all([page.waitForURL((u) => u.pathname !== PAGE), page.click('.site-header [data-random]')]);
    const path = new URL(page.url()).pathname;
    assert(/^\/[^/]+\/[^/]+\/$/.test(path) && !path.startsWith('/tags/'), `random question went to ${path}`);
  }
  // print: the content only
  await page.goto(base + PAGE);
  await page.emulateMedia({ media: 'print' });
  for (const sel of ['.site-header', '#sidebar', '.toc-aside', '.prev-next', '.site-footer']) {
    assert(!(await page.locator(sel).isVisible()), `${sel} is not printed`);
  }
  assert(await page.locator('article h1').isVisible() && await page.locator('details.answer .answer-body').isVisible(), 'the article and answer are printed');
  await page.emulateMedia({ media: 'screen' });
  // 404: the search box and a way back
  await page.goto(`${base}/no-such-page/`);
  assert(await page.locator('main form[role="search"] input[type="search"]').isVisible(), '404 page has a prominent search box');
  assert(await page.locator('main a[href="/"]').count() >= 1, '404 page links home');
  await page.goto(`${base}/`);
  assert(await page.locator('main form[role="search"] input[type="search"]').isVisible(), 'home has a prominent search box');
  assert(await page.locator('.section-card').count() >= 8, 'home lists the sections');
  check(page);
  await page.close();
}

async function noScriptTest({ base, newPage, check }) {
  for (const viewport of [PHONE, DESKTOP]) {
    const page = await newPage({ viewport, javaScriptEnabled: false });
    await page.goto(base + PAGE);
    assert(await page.locator('details.answer .answer-body').isVisible(), 'without JS the answer is open');
    assert(await page.locator('#sidebar a[aria-current="page"]').isVisible(), 'without JS the sidebar is reachable');
    assert(!(await page.locator('.menu-toggle').isVisible()) && !(await page.locator('.mastered-toggle').first().isVisible()), 'JS-only controls are hidden');
    assert(await page.locator('.site-header [data-random]').getAttribute('href') === '/#sections', 'random falls back to the section list');
    const counter = page.locator('#sidebar [data-progress="tcp"]');
    assert(/^\d+$/.test((await counter.textContent()).trim())
      && await counter.evaluate((el) => getComputedStyle(el, '::after').content) === '" 题"', 'without JS a section counter reads "N 题"');
    assert(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth), 'no sideways scroll without JS');
    const h = await page.locator('.content h2').first().boundingBox();
    assert(h && h.height > 0, 'content is laid out');
    check(page);
    await page.close();
  }
}

// Nothing moves once painted: layout shifts while loading (with stored progress, the
// answer-first preference and a dark theme, so every script-driven state is exercised).
async function stabilityTest({ base, newPage, check }) {
  for (const viewport of [PHONE, DESKTOP]) {
    const page = await newPage({ viewport });
    await page.goto(`${base}/`);
    await page.evaluate((key) => {
      // the whole section and a few others, so ticks appear on long sidebar titles too
      const keys = [...document.querySelectorAll('#sidebar a[data-key]')].map((a) => a.dataset.key).filter((k, i) => k.startsWith('tcp/') || i % 3 === 0);
      localStorage.setItem('mastered', JSON.stringify([key, ...keys]));
      localStorage.setItem('answer-first', '1');
      localStorage.setItem('theme', 'dark');
    }, KEY);
    await page.addInitScript(() => {
      window.__shift = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value;
      }).observe({ type: 'layout-shift', buffered: true });
    });
    for (const path of ['/', SECTION, PAGE, '/socket/socket-echo/']) {
      await page.goto(base + path, { waitUntil: 'load' });
      await page.waitForTimeout(200);
      const shift = await page.evaluate(() => window.__shift);
      assert(shift < 0.01, `${path} at ${viewport.width}px: layout shift ${shift.toFixed(4)} while loading`);
    }
    check(page);
    await page.close();
  }
}

export default async function (ctx) {
  for (const t of [stabilityTest, themeTest, progressTest, menuTest, copyTest, answerTest, navigationTest, noScriptTest]) {
    try {
      await t(ctx);
    } catch (e) {
      e.message = `${t.name}: ${e.message}`;
      throw e;
    }
  }
}
