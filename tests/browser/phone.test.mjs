// Reading on a phone (and a few things every screen shares): search while an input method
// composes, the sticky header with search, menu and 本页目录, tap-to-enlarge diagrams, the cue
// on code that scrolls sideways and upright Chinese comments, spacing/contrast/tap-target
// defects, keyboard hints only where there is a keyboard, the same live search in every box,
// the three-way theme and Ctrl-K. Every part runs; the failures are reported together.
import { fileURLToPath } from 'node:url';
import { PHONE, DESKTOP, assert } from './util.mjs';

const axePath = fileURLToPath(new URL('./node_modules/axe-core/axe.min.js', import.meta.url));
const PAGE = '/tcp/handshake/';
const TOUCH = { viewport: PHONE, hasTouch: true, isMobile: true, deviceScaleFactor: 2 };
const frames = (page, n = 3) => page.evaluate((n) => new Promise((ok) => {
  const step = (k) => (k ? requestAnimationFrame(() => step(k - 1)) : ok());
  step(n);
}), n);

// ---------- 1. input methods ----------
async function imeTest({ base, newPage, check }) {
  const page = await newPage({ viewport: DESKTOP });
  await page.goto(base + PAGE);
  await page.focus('#search-input');
  const state = () => page.evaluate(() => {
    const box = document.querySelector('#search-results');
    return { query: box.getAttribute('data-query'), hidden: box.hidden, hits: box.querySelectorAll('.search-hit').length };
  });
  // synthetic events, in the order Chromium sends them: compositionstart, input (isComposing) × n,
  // then compositionend, with no input event after it
  await page.evaluate(() => {
    const i = document.querySelector('#search-input');
    i.dispatchEvent(new CompositionEvent('compositionstart', { data: '', bubbles: true }));
    for (const v of ['s', 'sa', 'san', 'sanc', 'sanci']) {
      i.value = v;
      i.dispatchEvent(new CompositionEvent('compositionupdate', { data: v, bubbles: true }));
      i.dispatchEvent(new InputEvent('input', { data: v, inputType: 'insertCompositionText', isComposing: true, bubbles: true }));
    }
  });
  await page.waitForTimeout(300);
  let s = await state();
  assert(s.query === null && s.hidden, `searched the pinyin letters while composing: ${JSON.stringify(s)}`);
  await page.evaluate(() => {
    const i = document.querySelector('#search-input');
    i.value = '三次握手';
    i.dispatchEvent(new InputEvent('input', { data: '三次握手', inputType: 'insertCompositionText', isComposing: true, bubbles: true }));
    i.dispatchEvent(new CompositionEvent('compositionend', { data: '三次握手', bubbles: true }));
  });
  await page.waitForFunction(() => document.querySelector('#search-results').getAttribute('data-query') === '三次握手', null, { timeout: 5000 });
  s = await state();
  assert(!s.hidden && s.hits > 0, `compositionend searches the chosen characters: ${JSON.stringify(s)}`);

  // the same through Chromium's own IME path (CDP): composing text, then committing it
  await page.fill('#search-input', '');
  await page.keyboard.press('Escape');
  await page.focus('#search-input');
  const cdp = await page.context().newCDPSession(page);
  for (const text of ['d', 'ds', 'dsu', 'dsuo']) await cdp.send('Input.imeSetComposition', { text, selectionStart: text.length, selectionEnd: text.length });
  await page.waitForTimeout(300);
  s = await state();
  assert(s.query === null || s.query === '三次握手', `searched during a real composition: ${JSON.stringify(s)}`);
  await cdp.send('Input.insertText', { text: '死锁' });
  await page.waitForFunction(() => document.querySelector('#search-results').getAttribute('data-query') === '死锁', null, { timeout: 5000 });
  check(page);
  await page.close();
}

// ---------- 2. diagrams open full width on a phone ----------
async function diagramZoomTest({ base, newPage, check }) {
  const page = await newPage(TOUCH);
  await page.goto(base + PAGE);
  const fig = page.locator('figure.diagram').first();
  const button = fig.locator('button.diagram-zoom');
  assert(await button.count() === 1 && await button.isVisible(), 'a phone diagram has a zoom button');
  const name = await button.getAttribute('aria-label');
  assert(/^放大查看图/.test(name ?? ''), `the button says what it does: ${name}`);
  const figBox = await fig.boundingBox();
  const btnBox = await button.boundingBox();
  assert(btnBox.width >= figBox.width - 2 && btnBox.height >= figBox.height * 0.8, 'tapping anywhere on the diagram opens it');
  await button.tap();
  const dialog = page.locator('dialog.diagram-dialog');
  await dialog.waitFor({ state: 'visible' });
  const open = await page.evaluate(() => {
    const dlg = document.querySelector('dialog.diagram-dialog');
    const svg = dlg.querySelector('svg');
    const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
    return {
      modal: dlg.matches(':modal'), focusInside: dlg.contains(document.activeElement), width: svg.getBoundingClientRect().width,
      dupIds: ids.filter((id, i) => ids.indexOf(id) !== i), label: dlg.getAttribute('aria-label'),
    };
  });
  assert(open.modal && open.focusInside, `opens as a modal dialog with focus inside: ${JSON.stringify(open)}`);
  assert(open.width >= PHONE.width * 0.9, `full width: ${open.width}px`);
  assert(!open.dupIds.length, `ids stay unique: ${open.dupIds.join(' ')}`);
  // zoom in: twice as wide, scrolls inside the dialog
  await page.locator('.diagram-dialog-zoom').tap();
  const zoomed = await page.evaluate(() => document.querySelector('dialog.diagram-dialog svg').getBoundingClientRect().width);
  assert(zoomed >= PHONE.width * 1.8, `zoomed in: ${zoomed}px`);
  assert(await page.locator('.diagram-dialog-zoom').getAttribute('aria-pressed') === 'true', 'zoom button is pressed');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert(await page.evaluate(() => document.activeElement?.classList.contains('diagram-zoom')), 'Esc closes and focus returns to the diagram');
  // keyboard: Enter opens, the close button closes
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'visible' });
  await page.locator('.diagram-dialog-close').tap();
  await dialog.waitFor({ state: 'hidden' });
  // a tap on the backdrop closes it too
  await button.tap();
  await dialog.waitFor({ state: 'visible' });
  await page.touchscreen.tap(PHONE.width / 2, 8);
  await dialog.waitFor({ state: 'hidden' });
  check(page);
  await page.close();
  // on a wide screen the diagram is big enough as it is: no button
  const desk = await newPage({ viewport: DESKTOP });
  await desk.goto(base + PAGE);
  assert(!(await desk.locator('button.diagram-zoom').first().isVisible()), 'no zoom button on a desktop');
  check(desk);
  await desk.close();
}

// ---------- 3. the phone header stays reachable ----------
async function headerTest({ base, newPage, check }) {
  const page = await newPage(TOUCH);
  await page.goto(base + PAGE);
  const inView = (sel) => page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (!el) return { sel, missing: true };
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return { sel, top: Math.round(r.top), bottom: Math.round(r.bottom), ok: r.height > 0 && r.top >= 0 && r.bottom <= innerHeight && (hit === el || el.contains(hit)) };
  }, sel);
  // halfway down a long page
  await page.evaluate(() => scrollTo(0, (document.documentElement.scrollHeight - innerHeight) / 2));
  await frames(page);
  await page.evaluate(() => scrollBy(0, -60)); // the reader scrolls up a little
  await page.waitForTimeout(300);
  for (const sel of ['#search-input', '.menu-toggle', '.toc-toggle']) {
    const r = await inView(sel);
    assert(r.ok, `halfway down ${PAGE}, after scrolling up, ${sel} is on screen and can be tapped: ${JSON.stringify(r)}`);
  }
  // 本页目录 opens the page's table of contents
  const toc = page.locator('.toc-toggle');
  assert(/本页目录/.test(await toc.textContent()), 'the button is named 本页目录');
  await toc.tap();
  assert(await toc.getAttribute('aria-expanded') === 'true', 'aria-expanded follows');
  const panel = page.locator('#toc-panel');
  assert(await panel.isVisible(), 'the table of contents opens');
  const links = panel.locator('a[href^="#"]');
  const n = await links.count();
  assert(n === await page.locator('.toc-inline a[href^="#"]').count() && n > 2, `all the page's headings are listed (${n})`);
  const pb = await panel.boundingBox();
  assert(pb.y >= 0 && pb.y + pb.height <= PHONE.height + 1 && pb.x >= 0 && pb.x + pb.width <= PHONE.width, `the panel fits the screen: ${JSON.stringify(pb)}`);
  const target = await links.nth(2).getAttribute('href');
  await links.nth(2).tap();
  await page.waitForTimeout(400);
  assert(!(await panel.isVisible()), 'choosing a heading closes the panel');
  const heading = await page.evaluate((id) => document.getElementById(decodeURIComponent(id.slice(1))).getBoundingClientRect().top, target);
  assert(heading >= 0 && heading < PHONE.height / 2, `jumped to the heading: top ${heading}`);
  // Escape closes it and gives focus back
  await toc.focus();
  await page.keyboard.press('Enter');
  assert(await panel.isVisible(), 'Enter opens');
  await page.keyboard.press('Escape');
  assert(!(await panel.isVisible()) && await page.evaluate(() => document.activeElement.classList.contains('toc-toggle')), 'Escape closes, focus back on the button');

  // reading on (scrolling down) frees the screen; scrolling up brings the header back
  await page.evaluate(() => document.activeElement.blur());
  await page.evaluate(() => scrollBy(0, 400));
  await page.waitForTimeout(300);
  await page.evaluate(() => scrollBy(0, -40));
  await page.waitForTimeout(300);
  assert((await inView('#search-input')).ok, 'the header comes back on scrolling up');

  // the results panel stays attached to the box while the page scrolls
  await page.locator('#search-input').tap();
  await page.keyboard.type('死锁');
  await page.waitForFunction(() => document.querySelector('#search-results').getAttribute('data-query') === '死锁' && !document.querySelector('#search-results').hidden);
  const gap = () => page.evaluate(() => {
    const i = document.querySelector('#search-input').getBoundingClientRect();
    const b = document.querySelector('#search-results').getBoundingClientRect();
    return { gap: Math.round(b.top - i.bottom), inputTop: Math.round(i.top), left: b.left, right: b.right };
  });
  const before = await gap();
  for (const dy of [300, -150]) {
    await page.evaluate((dy) => scrollBy(0, dy), dy);
    await page.waitForTimeout(250);
    const after = await gap();
    assert(after.gap === before.gap && after.gap >= 0 && after.gap < 16 && after.inputTop >= 0, `results stay under the box after scrolling ${dy}px: ${JSON.stringify({ before, after })}`);
    assert(after.left >= 0 && after.right <= PHONE.width, `results fit the screen: ${JSON.stringify(after)}`);
  }
  check(page);
  await page.close();

  // desktop: the header is sticky and has no 本页目录 button (the contents have their own column)
  const desk = await newPage({ viewport: DESKTOP });
  await desk.goto(base + PAGE);
  await desk.evaluate(() => scrollTo(0, document.documentElement.scrollHeight / 2));
  await frames(desk);
  const top = await desk.evaluate(() => document.querySelector('.site-header').getBoundingClientRect().top);
  assert(top === 0, `desktop header sticks: top ${top}`);
  assert(!(await desk.locator('.toc-toggle').isVisible()) && await desk.locator('.toc-aside').isVisible(), 'desktop: contents in the side column');
  check(desk);
  await desk.close();
}

// ---------- 4. code on phones ----------
async function codeTest({ base, newPage, check }) {
  const page = await newPage(TOUCH);
  await page.goto(base + PAGE);
  const mask = (el) => { const s = getComputedStyle(el); return s.maskImage && s.maskImage !== 'none' ? s.maskImage : s.webkitMaskImage; };
  const facts = await page.evaluate((maskSrc) => {
    const m = new Function(`return (${maskSrc})`)();
    return [...document.querySelectorAll('figure.code pre')].map((pre) => ({ over: pre.scrollWidth > pre.clientWidth + 1, mask: m(pre) }));
  }, mask.toString());
  const long = facts.findIndex((f) => f.over);
  assert(long >= 0, 'a code block on the page has lines longer than the phone screen');
  for (const f of facts) {
    if (f.over) assert(/gradient/.test(f.mask), `code that runs past the edge fades there: ${JSON.stringify(f)}`);
    else assert(!f.mask || f.mask === 'none', `code that fits has no fade: ${JSON.stringify(f)}`);
  }
  // scrolled to the end: the cue moves to the left edge
  const end = await page.evaluate(async ({ long, maskSrc }) => {
    const m = new Function(`return (${maskSrc})`)();
    const pre = [...document.querySelectorAll('figure.code pre')][long];
    pre.scrollLeft = pre.scrollWidth;
    await new Promise((ok) => setTimeout(ok, 100));
    return { cls: pre.className, mask: m(pre) };
  }, { long, maskSrc: mask.toString() });
  assert(/more-left/.test(end.cls) && !/more-right/.test(end.cls) && /gradient/.test(end.mask), `at the end only the left edge fades: ${JSON.stringify(end)}`);
  check(page);
  await page.close();

  // comments in Chinese are never slanted, in either theme
  for (const scheme of ['light', 'dark']) {
    const p = await newPage({ viewport: DESKTOP, colorScheme: scheme });
    const slanted = [];
    let seen = 0;
    for (const path of [PAGE, '/socket/socket-echo/', '/lock/deadlock/']) {
      await p.goto(base + path, { waitUntil: 'load' });
      const r = await p.evaluate(() => {
        const cjk = /[\u3400-\u9fff]/;
        const els = [...document.querySelectorAll('figure.code .L')].filter((e) => cjk.test(e.textContent));
        return { n: els.length, bad: els.filter((e) => getComputedStyle(e).fontStyle !== 'normal').map((e) => `${getComputedStyle(e).fontStyle}: ${e.textContent.trim().slice(0, 30)}`) };
      });
      seen += r.n;
      slanted.push(...r.bad.map((b) => `${path} ${b}`));
    }
    assert(seen > 0, `${scheme}: found Chinese comments to check`);
    assert(!slanted.length, `${scheme}: ${slanted.length} Chinese comments in a slanted style:\n  ${slanted.slice(0, 5).join('\n  ')}`);
    check(p);
    await p.close();
  }
}

// ---------- 5. spacing, contrast, widths, tap targets ----------
function contrastIn(page, selector) {
  return page.evaluate((selector) => {
    const parse = (c) => {
      const m = c.match(/rgba?\(([^)]+)\)/);
      if (!m) return [0, 0, 0, 0];
      const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
      return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    };
    const over = (top, under) => top.slice(0, 3).map((v, i) => v * top[3] + under[i] * (1 - top[3])).concat(1);
    const backdrop = (el) => {
      const layers = [];
      for (let e = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c[3] > 0) layers.push(c);
        if (c[3] >= 1) break;
      }
      let bg = [255, 255, 255, 1];
      for (const l of layers.reverse()) bg = over(l, bg);
      return bg;
    };
    const lum = ([r, g, b]) => {
      const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    return [...document.querySelectorAll(selector)].map((el) => {
      const bg = backdrop(el);
      const fg = over(parse(getComputedStyle(el).color), bg);
      const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
      return { text: el.textContent.slice(0, 12), ratio: Math.round(((a + 0.05) / (b + 0.05)) * 100) / 100 };
    });
  }, selector);
}

async function cssTest({ base, newPage, check }) {
  const problems = [];
  for (const [size, opts] of [['phone', TOUCH], ['desktop', { viewport: DESKTOP }]]) {
    const page = await newPage(opts);
    await page.goto(base + PAGE);
    const g = await page.evaluate(() => {
      const r = (s) => document.querySelector(s).getBoundingClientRect();
      const crumbs = [...document.querySelectorAll('.breadcrumbs a')].map((a) => Math.round(a.getBoundingClientRect().height));
      const title = document.querySelector('.answer-title');
      const lines = (el) => { const range = document.createRange(); range.selectNodeContents(el); return new Set([...range.getClientRects()].map((q) => Math.round(q.top))).size; };
      return {
        alsoAsked: Math.round(r('.also-asked').top - r('.page-head .meta').bottom),
        footLinks: Math.round(r('.foot-links').top - r('.done-box').bottom),
        titleLines: lines(title),
        prose: [r('article.prose').left, r('article.prose').right],
        prevNext: [r('.prev-next').left, r('.prev-next').right],
        crumbs,
      };
    });
    if (g.alsoAsked < 8) problems.push(`${size}: 也常被问作 sits ${g.alsoAsked}px under the line with 已掌握 (want ≥ 8)`);
    if (g.footLinks < 12) problems.push(`${size}: the edit link and tags sit ${g.footLinks}px under the 读完了？ box (want ≥ 12)`);
    if (g.titleLines !== 1) problems.push(`${size}: "30 秒回答" breaks over ${g.titleLines} lines`);
    if (Math.abs(g.prevNext[0] - g.prose[0]) > 0.5 || Math.abs(g.prevNext[1] - g.prose[1]) > 0.5) {
      problems.push(`${size}: the prev/next row spans ${g.prevNext.map(Math.round).join('–')} but the text column ${g.prose.map(Math.round).join('–')}`);
    }
    if (size === 'phone' && g.crumbs.some((h) => h < 44)) problems.push(`${size}: breadcrumb links are ${g.crumbs.join('/')}px tall (want ≥ 44)`);
    // the folded answer's title too (its hint is the longer one)
    await page.locator('details.answer summary').click();
    const folded = await page.evaluate(() => { const range = document.createRange(); range.selectNodeContents(document.querySelector('.answer-title')); return new Set([...range.getClientRects()].map((q) => Math.round(q.top))).size; });
    if (folded !== 1) problems.push(`${size}: folded, "30 秒回答" breaks over ${folded} lines`);
    check(page);
    await page.close();
  }
  // search highlights: 4.5:1 in both themes, plain and on the selected row
  for (const scheme of ['light', 'dark']) {
    const page = await newPage({ viewport: DESKTOP, colorScheme: scheme });
    await page.goto(base + PAGE);
    await page.focus('#search-input');
    await page.keyboard.type('三次握手');
    await page.waitForFunction(() => document.querySelector('#search-results .search-hit-snippet mark'));
    for (const state of ['plain', 'selected']) {
      if (state === 'selected') await page.keyboard.press('ArrowDown');
      const marks = await contrastIn(page, '#search-results mark');
      const low = marks.filter((m) => m.ratio < 4.5);
      if (!marks.length) problems.push(`${scheme}: no highlights found`);
      if (low.length) problems.push(`${scheme} ${state}: ${low.length} search highlights below 4.5:1, e.g. ${low.slice(0, 3).map((m) => `「${m.text}」 ${m.ratio}:1`).join(', ')}`);
    }
    check(page);
    await page.close();
  }
  assert(!problems.length, problems.join('\n  '));
}

// ---------- 6. keyboard hints only with a keyboard ----------
async function hintsTest({ base, newPage, check }) {
  const hintRe = /按\s*(\/|↑|↓|Ctrl|⌘)|（按/;
  const visibleHints = (page) => page.evaluate((src) => {
    const re = new RegExp(src);
    const found = [];
    const text = document.body.innerText;
    for (const line of text.split('\n')) if (re.test(line)) found.push(line.trim().slice(0, 60));
    for (const i of document.querySelectorAll('input')) if (re.test(i.placeholder ?? '') && i.getClientRects().length) found.push(`placeholder: ${i.placeholder}`);
    for (const k of document.querySelectorAll('.key-hint')) if (k.checkVisibility()) found.push(`key hint: ${k.textContent}`);
    return found;
  }, hintRe.source);
  const touch = await newPage(TOUCH);
  const touchMedia = await touch.evaluate(() => matchMedia('(hover: hover) and (pointer: fine)').matches);
  const problems = [];
  if (touchMedia) problems.push('the touch context still matches (hover: hover) and (pointer: fine)');
  for (const path of ['/', PAGE, '/search/', '/no-such-page/']) {
    await touch.goto(base + path);
    const found = await visibleHints(touch);
    if (found.length) problems.push(`touch ${path}: ${found.join(' | ')}`);
  }
  check(touch);
  await touch.close();
  // with a mouse and keyboard the hints are there
  const desk = await newPage({ viewport: DESKTOP });
  await desk.goto(base + PAGE);
  if (!(await desk.locator('.site-header .key-hint').isVisible())) problems.push('desktop: no "/" hint in the header search box');
  await desk.goto(`${base}/search/`);
  if (!(await visibleHints(desk)).some((l) => /↑/.test(l))) problems.push('desktop: the search page does not say how to use the arrow keys');
  check(desk);
  await desk.close();
  assert(!problems.length, problems.join('\n  '));
}

// ---------- 7. every search box is the same live combobox ----------
async function boxesTest({ base, newPage, check }) {
  const problems = [];
  for (const [size, opts] of [['phone', TOUCH], ['desktop', { viewport: DESKTOP }]]) {
    const page = await newPage(opts);
    for (const [path, id] of [['/', 'hero-search-input'], ['/no-such-page/', 'hero-search-input'], [PAGE, 'search-input'], ['/', 'search-input']]) {
      if (size === 'phone' && path === '/' && id === 'search-input') continue; // the header hides its box where the page has a big one
      const where = `${size} ${path} #${id}`;
      if (process.env.PHONE_TRACE) console.log(`     ${where}`);
      await page.goto(base + path);
      const input = page.locator(`#${id}`);
      if (!(await input.isVisible())) { problems.push(`${where}: the box is not shown`); continue; }
      const aria = await input.evaluate((i) => ({ role: i.getAttribute('role'), controls: i.getAttribute('aria-controls'), expanded: i.getAttribute('aria-expanded'), auto: i.getAttribute('aria-autocomplete') }));
      if (aria.role !== 'combobox' || !aria.controls || aria.expanded !== 'false' || aria.auto !== 'list') { problems.push(`${where}: not an ARIA combobox: ${JSON.stringify(aria)}`); continue; }
      if (size === 'phone') await input.tap(); else await input.click();
      await page.keyboard.type('三次握手');
      const live = await page.waitForFunction((c) => {
        const box = document.getElementById(c);
        return box && !box.hidden && box.getAttribute('data-query') === '三次握手' && box.querySelector('[role="option"]');
      }, aria.controls, { timeout: 5000 }).then(() => true, () => false);
      if (!live) { problems.push(`${where}: no live results while typing`); continue; }
      const got = await page.evaluate((c) => {
        const box = document.getElementById(c);
        const r = box.getBoundingClientRect();
        const i = document.activeElement;
        return {
          role: box.getAttribute('role'), expanded: i.getAttribute('aria-expanded'), first: box.querySelector('[role="option"] .search-hit-title').textContent,
          left: r.left, right: r.right, below: Math.round(r.top - i.getBoundingClientRect().bottom),
        };
      }, aria.controls);
      if (got.role !== 'listbox' || got.expanded !== 'true') problems.push(`${where}: listbox/expanded wrong: ${JSON.stringify(got)}`);
      if (!/三次握手/.test(got.first)) problems.push(`${where}: first result ${got.first}`);
      if (got.left < 0 || got.right > (opts.viewport.width)) problems.push(`${where}: results leave the screen: ${JSON.stringify(got)}`);
      if (got.below < 0 || got.below > 40) problems.push(`${where}: results are not under the box: ${JSON.stringify(got)}`);
      await page.keyboard.press('ArrowDown');
      const sel = await page.evaluate(() => {
        const i = document.activeElement;
        const id = i.getAttribute('aria-activedescendant');
        return { id, selected: id && document.getElementById(id)?.getAttribute('aria-selected') };
      });
      if (!sel.id || sel.selected !== 'true') problems.push(`${where}: ArrowDown does not select the first result: ${JSON.stringify(sel)}`);
      // axe on the open combobox
      await page.addScriptTag({ path: axePath });
      const v = await page.evaluate(async (id) => {
        // eslint-disable-next-line no-undef
        const r = await axe.run(document.getElementById(id).form, { resultTypes: ['violations'] });
        return r.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical').map((x) => `${x.id}: ${x.nodes[0]?.target.join(' ')}`);
      }, id);
      if (v.length) problems.push(`${where}: axe on the open box: ${v.join('; ')}`);
      const href = await page.evaluate(() => document.getElementById(document.activeElement.getAttribute('aria-activedescendant')).getAttribute('href'));
      await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
      if (page.url() !== base + href) problems.push(`${where}: Enter went to ${page.url()}, not ${href}`);
    }
    check(page);
    await page.close();
  }
  assert(!problems.length, problems.join('\n  '));
}

// ---------- 8. three-way theme, Ctrl-K ----------
async function themeModeTest({ base, newPage, check }) {
  const bg = (page) => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  const DARK = 'rgb(20, 22, 26)';
  const LIGHT = 'rgb(255, 255, 255)';
  const page = await newPage({ viewport: PHONE, colorScheme: 'light' });
  await page.goto(base + PAGE);
  const button = page.locator('.theme-toggle');
  const state = () => page.evaluate(() => ({
    mode: document.querySelector('.theme-toggle').dataset.mode, attr: document.documentElement.getAttribute('data-theme'),
    stored: localStorage.getItem('theme'), label: document.querySelector('.theme-toggle').getAttribute('aria-label'),
  }));
  let s = await state();
  assert(s.mode === 'system' && s.attr === null && /跟随系统/.test(s.label), `follows the system at first: ${JSON.stringify(s)}`);
  await button.click();
  s = await state();
  assert(s.mode === 'dark' && s.stored === 'dark' && await bg(page) === DARK, `first press: dark: ${JSON.stringify(s)}`);
  await button.click();
  s = await state();
  assert(s.mode === 'light' && s.stored === 'light' && await bg(page) === LIGHT, `second press: light: ${JSON.stringify(s)}`);
  await button.click();
  s = await state();
  assert(s.mode === 'system' && s.stored === null && s.attr === null && /跟随系统/.test(s.label), `third press: back to the system: ${JSON.stringify(s)}`);
  // following the system again: a change of the system preference shows at once, and after reloading
  await page.emulateMedia({ colorScheme: 'dark' });
  await frames(page, 2);
  assert(await bg(page) === DARK, 'follows the system to dark');
  assert(await page.evaluate(() => document.getElementById('hl-dark').media) === '(prefers-color-scheme: dark)', 'highlighting follows the system too');
  await page.reload();
  s = await state();
  assert(s.mode === 'system' && await bg(page) === DARK, `still following the system after a reload: ${JSON.stringify(s)}`);
  // the icon shows the mode before any script: one visible icon per state
  const icons = await page.evaluate(() => [...document.querySelectorAll('.theme-toggle svg')].filter((e) => getComputedStyle(e).display !== 'none').map((e) => e.getAttribute('class')));
  assert(icons.length === 1 && icons[0] === 'icon-auto', `icon for 跟随系统: ${icons}`);
  check(page);
  await page.close();

  // a stored choice is applied before the first paint (no flash), from the very first frame
  const p2 = await newPage({ viewport: DESKTOP, colorScheme: 'dark' });
  await p2.addInitScript(() => {
    try { localStorage.setItem('theme', 'light'); } catch { /* about:blank */ }
    window.__bgs = [];
    requestAnimationFrame(() => window.__bgs.push(getComputedStyle(document.documentElement).backgroundColor));
  });
  await p2.goto(base + PAGE);
  const seen = await p2.evaluate(() => window.__bgs);
  assert(seen.length && seen.every((b) => b === LIGHT), `stored light over a dark system, first frame: ${seen}`);
  check(p2);
  await p2.close();
}

async function ctrlKTest({ base, newPage, check }) {
  const problems = [];
  for (const [path, viewport, want] of [[PAGE, DESKTOP, 'search-input'], ['/', PHONE, 'hero-search-input'], ['/search/', DESKTOP, 'search-page-input'], [PAGE, PHONE, 'search-input']]) {
    const page = await newPage({ viewport });
    await page.goto(base + path);
    for (const combo of ['Control+k', 'Meta+k']) {
      await page.evaluate(() => { document.activeElement?.blur(); scrollTo(0, 400); });
      await page.keyboard.press(combo);
      const got = await page.evaluate(() => document.activeElement?.id);
      if (got !== want) problems.push(`${path} at ${viewport.width}px: ${combo} focused ${got}, want #${want}`);
    }
    check(page);
    await page.close();
  }
  assert(!problems.length, problems.join('\n  '));
}

export default async function (ctx) {
  const failures = [];
  const only = process.env.PHONE_ONLY; // e.g. PHONE_ONLY=boxesTest,imeTest to run some parts
  for (const t of [imeTest, diagramZoomTest, headerTest, codeTest, cssTest, hintsTest, boxesTest, themeModeTest, ctrlKTest]) {
    if (only && !only.split(',').includes(t.name)) continue;
    const started = Date.now();
    try {
      await t(ctx);
    } catch (e) {
      failures.push(`${t.name}: ${e.message}`);
    }
    if (only) console.log(`     ${t.name} ${Date.now() - started} ms`);
  }
  assert(!failures.length, `${failures.length} failed:\n${failures.join('\n')}`);
}
