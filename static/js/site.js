// Reading aids: theme toggle, phone menu, study progress (已掌握), random question, folding the
// 30-second answer, copy buttons on code, back to top, on-page TOC highlight.
// Everything here is an enhancement: without JavaScript the pages read normally.
(() => {
  'use strict';
  const d = document;
  const root = d.documentElement;
  const $ = (s, el = d) => el.querySelector(s);
  const $$ = (s, el = d) => Array.from(el.querySelectorAll(s));
  const store = {
    get(k) { try { return localStorage.getItem(k); } catch { return null; } },
    set(k, v) { try { localStorage.setItem(k, v); } catch { /* private mode: keep going */ } },
    remove(k) { try { localStorage.removeItem(k); } catch { /* private mode: keep going */ } },
  };
  const live = d.createElement('div');
  live.className = 'visually-hidden';
  live.setAttribute('aria-live', 'polite');
  d.body.append(live);
  const say = (text) => { live.textContent = ''; setTimeout(() => { live.textContent = text; }, 50); };

  // ---------- theme: 跟随系统 / 浅色 / 深色 ----------
  // No stored value means "follow the system"; the inline script in <head> applies a stored
  // choice before the first paint. The button cycles so that its first press always changes the
  // colours (to the opposite of the system), the second gives the other fixed theme, the third
  // goes back to following the system.
  const dark = matchMedia('(prefers-color-scheme: dark)');
  const system = () => (dark.matches ? 'dark' : 'light');
  const mode = () => (root.dataset.theme === 'light' || root.dataset.theme === 'dark' ? root.dataset.theme : 'system');
  const nextMode = (m) => (m === 'system' ? (system() === 'dark' ? 'light' : 'dark') : m !== system() ? system() : 'system');
  const NAMES = { system: '跟随系统', light: '浅色', dark: '深色' };
  const themeButton = $('.theme-toggle');
  function syncTheme() {
    const t = root.dataset.theme;
    const light = d.getElementById('hl-light');
    const darkLink = d.getElementById('hl-dark');
    if (light && darkLink) {
      light.media = t ? (t === 'light' ? 'all' : 'not all') : '(prefers-color-scheme: light)';
      darkLink.media = t ? (t === 'dark' ? 'all' : 'not all') : '(prefers-color-scheme: dark)';
    }
    if (themeButton) {
      const m = mode();
      const now = m === 'system' ? `跟随系统（现为${NAMES[system()]}）` : NAMES[m];
      const label = `配色：${now}，点按切换为${NAMES[nextMode(m)]}`;
      themeButton.setAttribute('aria-label', label);
      themeButton.title = label;
      themeButton.dataset.mode = m;
    }
  }
  function setMode(m) {
    if (m === 'system') { delete root.dataset.theme; store.remove('theme'); } else { root.dataset.theme = m; store.set('theme', m); }
    syncTheme();
  }
  themeButton?.addEventListener('click', () => {
    const next = nextMode(mode());
    setMode(next);
    say(`配色：${NAMES[next]}`);
  });
  dark.addEventListener?.('change', syncTheme);
  // another tab (or, back from the cache, another page) changed the choice
  function applyStoredTheme() {
    const t = store.get('theme');
    if (t === 'light' || t === 'dark') root.dataset.theme = t; else delete root.dataset.theme;
    syncTheme();
  }
  addEventListener('storage', (e) => { if (e.key === 'theme' || e.key === null) applyStoredTheme(); });
  syncTheme();

  // ---------- phone menu ----------
  const menuButton = $('.menu-toggle');
  const sidebar = d.getElementById('sidebar');
  const backdrop = $('[data-menu-backdrop]');
  const closeButton = $('.menu-close');
  const isOpen = () => sidebar?.classList.contains('open');
  function openMenu() {
    if (!sidebar || !menuButton) return;
    sidebar.classList.add('open');
    root.classList.add('menu-open');
    menuButton.setAttribute('aria-expanded', 'true');
    if (backdrop) backdrop.hidden = false;
    (closeButton ?? sidebar.querySelector('a'))?.focus();
  }
  function closeMenu(returnFocus) {
    if (!sidebar || !menuButton || !isOpen()) return;
    sidebar.classList.remove('open');
    root.classList.remove('menu-open');
    menuButton.setAttribute('aria-expanded', 'false');
    if (backdrop) backdrop.hidden = true;
    if (returnFocus) menuButton.focus();
  }
  menuButton?.addEventListener('click', () => (isOpen() ? closeMenu(true) : openMenu()));
  closeButton?.addEventListener('click', () => closeMenu(true));
  backdrop?.addEventListener('click', () => closeMenu(true));
  d.addEventListener('keydown', (e) => {
    if (!isOpen()) return;
    if (e.key === 'Escape') { e.preventDefault(); closeMenu(true); return; }
    if (e.key !== 'Tab') return;
    // keep focus inside the open drawer
    const items = $$('button, a[href], summary', sidebar).filter((el) => el.offsetParent !== null || el === closeButton);
    if (!items.length) return;
    const first = items[0];
    const last = items[items.length - 1];
    if (e.shiftKey && d.activeElement === first) { e.preventDefault(); last.focus(); }
    else if (!e.shiftKey && d.activeElement === last) { e.preventDefault(); first.focus(); }
    else if (!sidebar.contains(d.activeElement)) { e.preventDefault(); first.focus(); }
  });
  matchMedia('(min-width: 48rem)').addEventListener?.('change', (e) => { if (e.matches) closeMenu(false); });

  // the current page is visible in the sidebar without scrolling it by hand
  const current = sidebar?.querySelector('a[aria-current="page"]');
  if (current && sidebar.scrollHeight > sidebar.clientHeight) {
    const top = current.offsetTop;
    if (top > sidebar.scrollTop + sidebar.clientHeight - 60) sidebar.scrollTop = top - sidebar.clientHeight / 3;
  }

  // ---------- study progress: 已掌握 ----------
  const readMastered = () => {
    try {
      const v = JSON.parse(store.get('mastered') ?? '[]');
      return new Set(Array.isArray(v) ? v.filter((k) => typeof k === 'string') : []);
    } catch { return new Set(); }
  };
  const writeMastered = (set) => store.set('mastered', JSON.stringify([...set].sort()));
  function renderProgress() {
    const m = readMastered();
    for (const b of $$('.mastered-toggle')) b.setAttribute('aria-pressed', String(m.has(b.dataset.key)));
    if (root.dataset.key) root.classList.toggle('mastered', m.has(root.dataset.key));
    for (const a of $$('#sidebar a[data-key]')) {
      const on = m.has(a.dataset.key);
      a.classList.toggle('is-mastered', on);
      if (on) a.title = '已掌握'; else a.removeAttribute('title');
    }
    for (const li of $$('li[data-key]')) li.classList.toggle('is-mastered', m.has(li.dataset.key));
    // A page's key starts with its section's folder, so no page list is needed to count.
    const mastered = {};
    for (const k of m) {
      const section = k.split('/')[0];
      mastered[section] = (mastered[section] ?? 0) + 1;
    }
    for (const el of $$('[data-progress], [data-section-progress]')) {
      // The sidebar's and home page's counters are written as the bare total (a long section
      // list repeats them on every page); the "已掌握 n /" part is added here.
      if (el.dataset.progress && !el.dataset.total) {
        el.dataset.total = el.textContent.trim();
        el.insertAdjacentHTML('afterbegin', '已掌握 <b data-done>0</b> / ');
      }
      const total = Number(el.dataset.total) || 0;
      const c = { done: Math.min(mastered[el.dataset.progress ?? el.dataset.sectionProgress] ?? 0, total), total };
      const done = $('[data-done]', el);
      if (done) done.textContent = String(c.done);
      el.classList.toggle('complete', c.total > 0 && c.done === c.total);
      const fill = $('.fill', el);
      if (fill) fill.style.setProperty('--pct', `${c.total ? (100 * c.done) / c.total : 0}%`);
    }
  }
  for (const b of $$('.mastered-toggle')) {
    b.addEventListener('click', () => {
      const m = readMastered();
      const on = !m.has(b.dataset.key);
      if (on) m.add(b.dataset.key); else m.delete(b.dataset.key);
      writeMastered(m);
      renderProgress();
      say(on ? '已标记为已掌握' : '已取消已掌握');
    });
  }
  renderProgress();
  addEventListener('storage', (e) => { if (e.key === 'mastered') renderProgress(); });
  addEventListener('pageshow', (e) => { if (e.persisted) { renderProgress(); applyStoredTheme(); } });

  // ---------- 随机一题: prefers questions not yet mastered ----------
  // Every page as [key, url], one file for the whole site, fetched on the first click only.
  let allPages = null;
  const pageList = () => (allPages ??= fetch(`${root.dataset.base ?? ''}/nav.json`)
    .then((r) => (r.ok ? r.json() : []))
    .catch(() => []));
  for (const link of $$('[data-random]')) {
    link.addEventListener('click', (e) => {
      e.preventDefault();
      pageList().then((all) => {
        const here = location.pathname;
        const others = all.filter(([, url]) => url !== here);
        const m = readMastered();
        const fresh = others.filter(([key]) => !m.has(key));
        const pool = fresh.length ? fresh : others;
        location.href = pool.length ? pool[Math.floor(Math.random() * pool.length)][1] : link.href;
      });
    });
  }

  // ---------- a large section's sidebar: the pages around this one, the rest on request ----------
  // Above 40 pages the list holds only this page's neighbours and a link to the section page;
  // the link loads the section's nav.json ([title, url, key] per page) and shows them all.
  for (const more of $$('#sidebar a[data-nav-all]')) {
    more.addEventListener('click', (e) => {
      e.preventDefault();
      fetch(more.dataset.navAll)
        .then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
        .then((all) => {
          const item = more.closest('li');
          const list = item.parentElement;
          for (const a of $$('a[data-key]', list)) a.closest('li').remove();
          const here = location.pathname;
          const items = all.map(([title, url, key]) => {
            const li = d.createElement('li');
            const a = d.createElement('a');
            a.href = url;
            a.dataset.key = key;
            a.textContent = title;
            if (url === here) a.setAttribute('aria-current', 'page');
            li.append(a);
            return li;
          });
          item.replaceWith(...items);
          renderProgress();
          (list.querySelector('a[aria-current="page"]') ?? items[0]?.firstChild)?.focus();
        })
        .catch(() => { location.href = more.href; });
    });
  }

  // ---------- the 30-second answer: "先自己答" folds it on every page ----------
  const answerFirst = root.classList.contains('answer-first');
  for (const det of $$('details.answer')) {
    if (answerFirst) det.open = false;
    det.classList.add('ready');
  }
  for (const b of $$('.answer-first-toggle')) {
    b.setAttribute('aria-pressed', String(answerFirst));
    b.addEventListener('click', () => {
      const on = b.getAttribute('aria-pressed') !== 'true';
      store.set('answer-first', on ? '1' : '0');
      root.classList.toggle('answer-first', on);
      for (const other of $$('.answer-first-toggle')) other.setAttribute('aria-pressed', String(on));
      for (const det of $$('details.answer')) det.open = !on;
      say(on ? '先自己答：每页的回答默认收起' : '回答默认展开');
    });
  }
  let printState = [];
  addEventListener('beforeprint', () => {
    printState = $$('details').map((el) => [el, el.open]);
    for (const [el] of printState) el.open = true;
  });
  addEventListener('afterprint', () => { for (const [el, open] of printState) el.open = open; });

  // ---------- copy buttons on code blocks ----------
  async function copyText(text) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      const area = d.createElement('textarea');
      area.value = text;
      area.setAttribute('readonly', '');
      area.style.cssText = 'position:fixed;top:0;left:0;opacity:0';
      d.body.append(area);
      area.select();
      let ok = false;
      try { ok = d.execCommand('copy'); } catch { ok = false; }
      area.remove();
      return ok;
    }
  }
  for (const fig of $$('figure.code')) {
    const code = $('pre code', fig) ?? $('pre', fig);
    if (!code) continue;
    const b = d.createElement('button');
    b.type = 'button';
    b.className = 'copy-button';
    b.textContent = '复制';
    b.setAttribute('aria-label', '复制代码');
    let timer;
    b.addEventListener('click', async () => {
      const ok = await copyText(code.textContent);
      b.textContent = ok ? '已复制' : '复制失败';
      b.classList.toggle('copied', ok);
      say(ok ? '代码已复制到剪贴板' : '复制失败，请手动选择代码');
      clearTimeout(timer);
      timer = setTimeout(() => { b.textContent = '复制'; b.classList.remove('copied'); }, 2000);
    });
    fig.append(b);
  }

  // a block that scrolls sideways can be scrolled with the keyboard too, and code that runs past
  // the edge fades out on the side where there is more (more-left / more-right, see site.css)
  function edges(pre) {
    const max = pre.scrollWidth - pre.clientWidth;
    pre.classList.toggle('more-left', max > 1 && pre.scrollLeft > 1);
    pre.classList.toggle('more-right', max > 1 && pre.scrollLeft < max - 1);
  }
  for (const pre of $$('figure.code pre')) pre.addEventListener('scroll', () => edges(pre), { passive: true });
  function scrollablesFocusable() {
    for (const el of $$('figure.code pre, .prose table')) {
      if (el.scrollWidth > el.clientWidth + 1) el.tabIndex = 0; else el.removeAttribute('tabindex');
    }
    for (const pre of $$('figure.code pre')) edges(pre);
  }
  scrollablesFocusable();
  let resizeTimer;
  addEventListener('resize', () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(scrollablesFocusable, 150); });

  // ---------- back to top, on-page TOC highlight ----------
  const toTop = d.createElement('a');
  toTop.className = 'to-top-float';
  toTop.href = '#top';
  toTop.setAttribute('aria-label', '回到顶部');
  toTop.textContent = '↑';
  toTop.tabIndex = -1;
  d.body.append(toTop);
  let tocLinks = $$('.toc-aside a[href^="#"]');
  const headings = tocLinks.map((a) => d.getElementById(decodeURIComponent(a.hash.slice(1)))).filter(Boolean);
  let ticking = false;
  function onScroll() {
    ticking = false;
    const long = root.scrollHeight > innerHeight * 2.5;
    const show = long && scrollY > innerHeight * 1.2;
    toTop.classList.toggle('show', show);
    toTop.tabIndex = show ? 0 : -1;
    if (!headings.length) return;
    let active = -1;
    for (let i = 0; i < headings.length; i += 1) {
      if (headings[i].getBoundingClientRect().top < 140) active = i; else break;
    }
    tocLinks.forEach((a, i) => a.classList.toggle('active', i === active));
    const panelLinks = $$('#toc-panel a[href^="#"]');
    panelLinks.forEach((a, i) => a.classList.toggle('active', i === active));
  }
  addEventListener('scroll', () => { if (!ticking) { ticking = true; requestAnimationFrame(() => { onScroll(); headerOnScroll(); }); } }, { passive: true });
  toTop.addEventListener('click', (e) => {
    e.preventDefault();
    scrollTo({ top: 0, behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
  });
  onScroll();

  // ---------- 本页目录 from the header, on any screen without the side column ----------
  const tocButton = $('.toc-toggle');
  const tocPanel = d.getElementById('toc-panel');
  const tocSource = $('.toc-inline nav') ?? $('.toc-aside nav');
  const tocOpen = () => tocButton?.getAttribute('aria-expanded') === 'true';
  function closeToc(returnFocus) {
    if (!tocOpen()) return;
    tocButton.setAttribute('aria-expanded', 'false');
    tocPanel.hidden = true;
    if (returnFocus) tocButton.focus();
  }
  function openToc() {
    if (!tocPanel.firstChild) {
      const heading = d.createElement('p');
      heading.className = 'toc-panel-heading';
      heading.textContent = '本页目录';
      heading.setAttribute('aria-hidden', 'true');
      const nav = tocSource.cloneNode(true);
      tocPanel.append(heading, nav);
    }
    tocPanel.hidden = false;
    tocButton.setAttribute('aria-expanded', 'true');
    onScroll();
    // the section being read is in view inside a long list
    $('a.active', tocPanel)?.scrollIntoView({ block: 'nearest' });
  }
  if (tocButton && tocPanel && tocSource) {
    tocButton.addEventListener('click', () => (tocOpen() ? closeToc(false) : openToc()));
    tocPanel.addEventListener('click', (e) => { if (e.target.closest('a')) closeToc(false); });
    d.addEventListener('keydown', (e) => { if (e.key === 'Escape' && tocOpen()) { e.preventDefault(); closeToc(true); } });
    d.addEventListener('click', (e) => { if (tocOpen() && !tocPanel.contains(e.target) && !tocButton.contains(e.target)) closeToc(false); });
    d.addEventListener('focusin', (e) => { if (tocOpen() && !tocPanel.contains(e.target) && e.target !== tocButton) closeToc(false); });
  } else tocButton?.remove();

  // ---------- phone: the header slides away while reading down, comes back on scrolling up ----------
  const header = $('.site-header');
  const narrow = matchMedia('(max-width: 47.99rem)');
  let lastY = scrollY;
  function setAway(on) { root.classList.toggle('header-away', on); }
  function headerOnScroll() {
    const y = scrollY;
    const dy = y - lastY;
    if (!narrow.matches || !header) { setAway(false); lastY = y; return; }
    const busy = header.contains(d.activeElement) || tocOpen() || isOpen();
    if (y < header.offsetHeight || busy) setAway(false);
    else if (dy > 6) setAway(true);
    else if (dy < -6) setAway(false);
    if (Math.abs(dy) > 6 || y < header.offsetHeight) lastY = y;
  }
  header?.addEventListener('focusin', () => setAway(false));
  narrow.addEventListener?.('change', () => setAway(false));

  // ---------- offline reading: the service worker (sw.js, written by the build) ----------
  // It keeps every page read; 离线阅读 on the home page asks it for the whole site. A new
  // deployment's worker, once it has its files, takes over as a page starts, and the page
  // reloads from it. Not under `serve` (its live-reload script is in the page).
  const sw = navigator.serviceWorker;
  const box = $('[data-offline]');
  if (!sw || $('script[data-mianjing]')) {
    box?.remove();
    // under `serve`, a worker left by a built copy on this address would serve stale pages
    sw?.getRegistrations().then((all) => all.forEach((r) => r.unregister())).catch(() => {});
  } else {
    const base = root.dataset.base ?? '';
    const controller = sw.controller;
    const tell = (message) => sw.ready.then((r) => r.active?.postMessage(message));
    sw.register(`${base}/sw.js`, { scope: `${base}/` }).then((reg) => {
      if (controller && reg.waiting) reg.waiting.postMessage({ type: 'skip' });
      else if (!controller) tell({ type: 'visited', url: location.href });
    }).catch(() => {});
    const reload = () => (d.hidden ? d.addEventListener('visibilitychange', reload, { once: true }) : location.reload());
    if (controller) {
      sw.addEventListener('controllerchange', reload);
      // A new deployment's worker can take over between this page's response and this script
      // (no controllerchange then): the page came from the old one. Ask the worker whether it
      // served this page; a page reloaded once does not ask again.
      sw.addEventListener('message', (e) => {
        if (e.data?.type === 'served' && !e.data.yes) reload();
      });
      if (performance.getEntriesByType('navigation')[0]?.type !== 'reload') controller.postMessage({ type: 'served?', start: performance.timeOrigin });
    }
    if (box) {
      const button = $('button', box);
      const bar = $('progress', box);
      const status = $('.offline-status', box);
      const show = (text, busy) => {
        status.textContent = text;
        button.disabled = busy;
        bar.hidden = !busy;
      };
      sw.addEventListener('message', (e) => {
        const m = e.data ?? {};
        if (m.type === 'status' && m.whole) show('全站已存到这台设备，断网也能读、能搜。', false);
        else if (m.type === 'progress') {
          bar.max = m.total;
          bar.value = m.done;
          show(`正在保存：${m.done} / ${m.total} 个文件`, true);
        } else if (m.type === 'done') show(`已保存全站 ${m.total} 个文件，断网也能读、能搜。`, false);
        else if (m.type === 'failed') show('没有保存完：网络断了，或网站刚更新。请稍后再点一次。', false);
      });
      sw.startMessages();
      tell({ type: 'status' });
      button.addEventListener('click', () => {
        show('正在准备…', true);
        tell({ type: 'download' });
      });
    }
  }

  // ---------- diagrams: on a phone, tap to see one full width and zoom in ----------
  let dialog = null;
  let opener = null;
  function diagramDialog() {
    if (dialog) return dialog;
    dialog = d.createElement('dialog');
    dialog.className = 'diagram-dialog';
    dialog.setAttribute('aria-label', '放大的图');
    dialog.innerHTML = '<div class="diagram-dialog-bar"><p></p><button type="button" class="diagram-dialog-zoom" aria-pressed="false">放大</button>' +
      '<button type="button" class="diagram-dialog-close">关闭</button></div><div class="diagram-dialog-body"></div>';
    const zoom = $('.diagram-dialog-zoom', dialog);
    const setZoom = (on) => {
      dialog.classList.toggle('zoomed', on);
      zoom.setAttribute('aria-pressed', String(on));
      zoom.textContent = on ? '缩小' : '放大';
    };
    dialog.setZoom = setZoom;
    zoom.addEventListener('click', () => setZoom(!dialog.classList.contains('zoomed')));
    $('.diagram-dialog-close', dialog).addEventListener('click', () => dialog.close());
    dialog.addEventListener('click', (e) => {
      if (e.target === dialog) dialog.close(); // a tap on the backdrop
      else if (e.target.closest('svg')) setZoom(!dialog.classList.contains('zoomed'));
    });
    dialog.addEventListener('close', () => {
      $('.diagram-dialog-body', dialog).textContent = '';
      opener?.focus();
    });
    d.body.append(dialog);
    return dialog;
  }
  function openDiagram(fig, button) {
    const svg = $('svg', fig);
    if (!svg) return;
    const dlg = diagramDialog();
    const copy = svg.cloneNode(true);
    // ids (arrow markers) must stay unique in the document: suffix them and their references
    const ids = $$('[id]', copy).map((el) => el.id);
    for (const el of $$('[id]', copy)) el.id += '-zoom';
    if (ids.length) {
      for (const el of [copy, ...$$('*', copy)]) {
        for (const attr of Array.from(el.attributes)) {
          if (!/#/.test(attr.value)) continue;
          let v = attr.value;
          for (const id of ids) v = v.split(`#${id})`).join(`#${id}-zoom)`).replace(new RegExp(`^#${id}$`), `#${id}-zoom`);
          if (v !== attr.value) el.setAttribute(attr.name, v);
        }
      }
    }
    copy.removeAttribute('width');
    copy.removeAttribute('height');
    $('.diagram-dialog-body', dlg).replaceChildren(copy);
    $('.diagram-dialog-bar p', dlg).textContent = $('figcaption', fig)?.textContent ?? '';
    dlg.setZoom(false);
    opener = button;
    dlg.showModal();
    $('.diagram-dialog-close', dlg).focus();
  }
  for (const fig of $$('figure.diagram')) {
    if (!$('svg', fig)) continue;
    const b = d.createElement('button');
    b.type = 'button';
    b.className = 'diagram-zoom';
    const what = ($('figcaption', fig)?.textContent ?? $('svg', fig).getAttribute('aria-label') ?? '').replace(/^图：/, '');
    b.setAttribute('aria-label', `放大查看图${what ? `：${what}` : ''}`);
    b.addEventListener('click', () => openDiagram(fig, b));
    fig.append(b);
  }
})();
