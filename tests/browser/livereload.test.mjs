// `serve`'s live-reload client in a real browser: editing a page's Markdown reloads the open
// page with the new text (keeping its scroll position), an edited stylesheet is swapped in
// without a reload, a broken edit shows the errors as an overlay over the last good page, and
// fixing it removes the overlay and shows the fix.
//
// Ignores the built site run.mjs serves: starts its own `mianjing serve --port 0` (the newest of
// target/debug and target/release, or $MIANJING_BIN) on a copy of tests/sites/basic in a
// temporary folder. Waits on events (the printed address, a load, an element), never on time.
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { cp, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { assert } from './util.mjs';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
/** Longest wait for anything: far more than a rebuild of the fixture takes on a loaded machine. */
const PATIENCE = 60_000;
const PAGE = '/net/udp/';
const GOOD = 'UDP sends datagrams.';

function binary() {
  if (process.env.MIANJING_BIN) return process.env.MIANJING_BIN;
  const built = ['debug', 'release']
    .map((profile) => join(repo, 'target', profile, 'mianjing'))
    .filter((path) => existsSync(path))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (!built.length) throw new Error('no target/{debug,release}/mianjing: run `cargo build` first');
  return built[0];
}

/** Starts `serve` on `root`; resolves once it prints its address. */
async function startServe(root, cwd) {
  const child = spawn(binary(), ['--root', root, 'serve', '--port', '0'], {
    cwd,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const log = [];
  const waiting = [];
  const exited = new Promise((ok) => child.once('exit', (code, signal) => ok({ code, signal })));
  createInterface({ input: child.stderr }).on('line', (line) => {
    log.push(line);
    for (const w of waiting) if (w.test(line)) w.ok(line);
  });
  /** Resolves with the first line of stderr, past or future, that passes `test`. */
  const line = (what, test) => {
    const seen = log.find(test);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`timed out waiting for ${what}:\n${log.join('\n')}`)), PATIENCE);
      waiting.push({ test, ok: (l) => { clearTimeout(timer); ok(l); } });
      exited.then(({ code, signal }) => {
        clearTimeout(timer);
        fail(new Error(`serve exited (${code ?? signal}) before ${what}:\n${log.join('\n')}`));
      });
    });
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    const serving = await line('the address', (l) => l.startsWith('serving http://'));
    const base = serving.slice('serving '.length).split(' ')[0].replace(/\/$/, '');
    return { base, line, log, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Replaces `file` at once, as editors save: a whole new file renamed over the old one. */
async function save(file, text, scratch) {
  const temporary = join(scratch, 'saving.md');
  await writeFile(temporary, text);
  await rename(temporary, file);
}

export default async function ({ browser }) {
  const dir = await mkdtemp(join(tmpdir(), 'mianjing-livereload-'));
  const root = join(dir, 'site');
  await cp(join(repo, 'tests/sites/basic'), root, { recursive: true });
  // The stylesheet linked as the real site links it: by its content-hashed name.
  const baseHtml = join(root, 'templates/base.html');
  const linked = (await readFile(baseHtml, 'utf8')).replace('{{ site.base_path }}/css/style.css', '{{ asset(path="css/style.css") }}');
  assert(linked.includes('asset('), 'the fixture links css/style.css');
  await writeFile(baseHtml, linked);
  const udp = join(root, 'content/net/udp.md');
  const source = await readFile(udp, 'utf8');
  assert(source.includes(GOOD), `${GOOD} not in ${udp}`);
  let server = null;
  let context = null;
  try {
    server = await startServe(root, dir);
    context = await browser.newContext({ viewport: { width: 800, height: 600 } });
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    // The fixture has no favicon.ico; the browser asks for one anyway.
    const favicon = (url) => url.endsWith('/favicon.ico');
    page.on('console', (m) => {
      const url = m.location()?.url ?? '';
      if (m.type() === 'error' && !favicon(url)) problems.push(`console error: ${m.text()} (${url})`);
    });
    const wait = { timeout: PATIENCE };

    // The page connects to the event stream, saying which build it shows.
    const connected = page.waitForRequest((r) => r.url().startsWith(`${server.base}/__livereload?since=`), wait);
    await page.goto(server.base + PAGE);
    await connected;
    assert((await page.textContent('body')).includes(GOOD), 'the page as built');

    // An edit reloads the page with the new text. The edit also makes the page long, so the next
    // reload can show that the scroll position is kept. (A page that connected after the build
    // would catch up on it, so nothing needs to wait for the connection to be open.)
    const filler = Array.from({ length: 80 }, (_, i) => `Filler paragraph ${i + 1}.`).join('\n\n');
    await page.evaluate(() => { window.__before = 1; });
    let loaded = page.waitForEvent('load', wait);
    await save(udp, source.replace(GOOD, `UDP sends datagrams, edited.\n\n${filler}`), dir);
    await loaded;
    await page.getByText('UDP sends datagrams, edited.').waitFor(wait);
    assert(await page.evaluate(() => window.__before === undefined), 'the page was reloaded');

    await page.evaluate(() => { window.scrollTo(0, 700); window.__before = 1; });
    const scrolled = await page.evaluate(() => window.scrollY);
    assert(scrolled > 600, `the edited page is long enough to scroll (${scrolled})`);
    loaded = page.waitForEvent('load', wait);
    await save(udp, source.replace(GOOD, `UDP sends datagrams, edited twice.\n\n${filler}`), dir);
    await loaded;
    await page.getByText('UDP sends datagrams, edited twice.').waitFor(wait);
    assert(await page.evaluate(() => window.__before === undefined), 'reloaded again');
    await page.waitForFunction((y) => Math.abs(window.scrollY - y) <= 1, scrolled, wait);

    // A changed stylesheet is swapped in place under its new name: the page is not reloaded.
    await page.evaluate(() => { window.__before = 1; });
    await save(join(root, 'static/css/style.css'), 'body{}\n#toc{outline:3px solid rgb(1, 2, 3)}\n', dir);
    await page.waitForFunction(() => getComputedStyle(document.getElementById('toc')).outlineColor === 'rgb(1, 2, 3)', null, wait);
    assert(await page.evaluate(() => window.__before === 1), 'a stylesheet change does not reload the page');
    assert(await page.evaluate(() => [...document.querySelectorAll('link[rel=stylesheet]')].every((l) => /\/css\/style\.[0-9a-f]{10}\.css$/.test(new URL(l.href).pathname))), 'the stylesheet is linked by its new hashed name');

    // A broken edit: the errors show over the last good page, which is not reloaded.
    await page.evaluate(() => { window.__before = 1; });
    await save(udp, '---\ntitle: [unclosed\n---\n', dir);
    const overlay = page.locator('#__mianjing-errors');
    await overlay.waitFor({ state: 'visible', ...wait });
    const errors = await overlay.textContent();
    assert(errors.startsWith('Build failed; this page shows the last good build.'), errors);
    assert(errors.includes('content/net/udp.md'), `the overlay names the file:\n${errors}`);
    assert(await page.getAttribute('#__mianjing-errors', 'role') === 'alert', 'announced to screen readers');
    assert(await page.evaluate(() => window.__before === 1), 'a failed build does not reload the page');
    assert((await page.textContent('body')).includes('edited twice.'), 'the last good page stays');
    await server.line('the failure on the terminal', (l) => l.includes('still serving the last good build'));

    // The fix: the overlay goes and the page shows the fixed text.
    loaded = page.waitForEvent('load', wait);
    await save(udp, source.replace(GOOD, 'UDP, fixed.'), dir);
    await loaded;
    await page.getByText('UDP, fixed.').waitFor(wait);
    assert(await overlay.count() === 0, 'the overlay is gone');
    assert(problems.length === 0, problems.join('\n'));
  } finally {
    await context?.close().catch(() => {});
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
