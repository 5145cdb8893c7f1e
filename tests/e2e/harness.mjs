// Shared helpers for Rewind's browser tests.
//
// - serveDist(): a tiny static server over the release build (dist/ at the repo
//   root, or $REWIND_DIST), on 127.0.0.1 with a free port.
// - launchBrowser(): Debian's Chromium driven by playwright-core (no browser
//   download: $CHROMIUM or /usr/bin/chromium).
// - openApp(): navigate and wait until the app has mounted, collecting page
//   errors, console errors and dialogs so tests can assert none happened.
// - eventually(): retry an assertion until it passes (the UI updates async).
import { createServer } from 'node:http';
import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, afterEach, before, beforeEach } from 'node:test';
import { chromium } from 'playwright-core';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIST_DIR = resolve(process.env.REWIND_DIST || join(REPO_ROOT, 'dist'));

/** How long to wait for the app to mount (fetch + compile the wasm). */
export const MOUNT_TIMEOUT_MS = 30_000;

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm', // required by WebAssembly.instantiateStreaming
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

/**
 * Serve DIST_DIR on 127.0.0.1 (port chosen by the OS).
 * Paths without a file extension fall back to index.html (client-side
 * routes); a missing asset is a plain 404 so a broken build fails loudly
 * instead of handing HTML to the wasm loader.
 * @returns {Promise<{url: string, dir: string, close: () => Promise<void>}>}
 */
export async function serveDist(dir = DIST_DIR) {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) {
    throw new Error(
      `${index} is missing: run \`trunk build --release\` first (or \`make build\`), ` +
        'or point REWIND_DIST at a built dist/ folder',
    );
  }

  const server = createServer(async (req, res) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' }).end();
        return;
      }
      let pathname;
      try {
        pathname = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
      } catch {
        res.writeHead(400).end('bad request');
        return;
      }
      let file = resolve(dir, '.' + pathname);
      if (file !== dir && !file.startsWith(dir + sep)) {
        res.writeHead(403).end('forbidden');
        return;
      }
      let info = await stat(file).catch(() => null);
      if (info?.isDirectory()) {
        file = join(file, 'index.html');
        info = await stat(file).catch(() => null);
      }
      if (!info?.isFile()) {
        if (extname(pathname) !== '') {
          res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
          return;
        }
        file = index;
        info = await stat(file);
      }
      res.writeHead(200, {
        'content-type': MIME[extname(file).toLowerCase()] || 'application/octet-stream',
        'content-length': info.size,
        'cache-control': 'no-store',
      });
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      createReadStream(file).pipe(res);
    } catch (err) {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(err));
    }
  });

  return { ...(await listenLocally(server)), dir };
}

/**
 * Starts `server` on 127.0.0.1, on a port chosen by the OS.
 * @returns {Promise<{url: string, close: () => Promise<void>}>} its address, and a close that
 *   drops open connections first (a test's server may hold some open on purpose)
 */
export async function listenLocally(server) {
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ok);
  });
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections?.();
        server.close(() => ok());
      }),
  };
}

/**
 * Chromium flags: headless, no sandbox (we run as root), and nothing that
 * phones home: this machine's network is closed, and background requests
 * would only add noise. playwright-core's launch() already gives the browser a
 * fresh, empty profile (a new temporary user-data-dir) and removes it on close.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function launchBrowser() {
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium not found at ${executablePath}: install it (\`make browser\`) or set CHROMIUM`,
    );
  }
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}

/**
 * Start collecting what went wrong on a page. Idempotent per page.
 * Dialogs are recorded and dismissed (an unhandled alert() would block the page).
 * @returns {{pageErrors: string[], consoleErrors: string[], dialogs: string[]}}
 */
const problemsByPage = new WeakMap();
export function watchPage(page) {
  let problems = problemsByPage.get(page);
  if (problems) return problems;
  problems = { pageErrors: [], consoleErrors: [], dialogs: [] };
  problemsByPage.set(page, problems);
  page.on('pageerror', (err) => problems.pageErrors.push(String(err?.stack || err)));
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const where = msg.location()?.url ? ` (${msg.location().url})` : '';
      problems.consoleErrors.push(msg.text() + where);
    }
  });
  page.on('dialog', async (dialog) => {
    problems.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    await dialog.dismiss().catch(() => {});
  });
  return problems;
}

/**
 * Navigate to the app and wait until it has mounted: the region named "State"
 * is visible. Returns the page's problem collector (see watchPage).
 */
export async function openApp(page, server, path = '/') {
  const problems = watchPage(page);
  await page.goto(new URL(path, server.url).href, { waitUntil: 'load' });
  try {
    await page
      .getByRole('region', { name: 'State' })
      .waitFor({ state: 'visible', timeout: MOUNT_TIMEOUT_MS });
  } catch (err) {
    throw new Error(
      `the app did not mount within ${MOUNT_TIMEOUT_MS} ms (no visible region "State").\n` +
        `page errors: ${JSON.stringify(problems.pageErrors)}\n` +
        `console errors: ${JSON.stringify(problems.consoleErrors)}\n` +
        `cause: ${err.message}`,
    );
  }
  return problems;
}

/** A new isolated context + page with the app open. Close `context` when done. */
export async function newApp(browser, server, path = '/') {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = await openApp(page, server, path);
  return { context, page, problems };
}

/** Throw if the page reported uncaught errors, console errors or dialogs. */
export function assertNoProblems(problems, { console: checkConsole = true } = {}) {
  const found = [
    ...problems.pageErrors.map((e) => `page error: ${e}`),
    ...(checkConsole ? problems.consoleErrors.map((e) => `console error: ${e}`) : []),
    ...problems.dialogs.map((d) => `dialog: ${d}`),
  ];
  if (found.length) throw new Error(`the page reported problems:\n  ${found.join('\n  ')}`);
}

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/**
 * Run `check` (an async function that throws on failure) until it passes or
 * `timeout` ms have passed; then rethrow its last error.
 */
export async function eventually(check, { timeout = 5_000, interval = 50 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(interval);
    }
  }
}

/**
 * Inside a `describe`: one server and one browser for the whole group, and a fresh context with
 * the app open for every test (`ctx.app` = { context, page, problems }). Reload-free tests that
 * need another start page can call `newApp(ctx.browser, ctx.server, path)` themselves.
 */
export function useApp() {
  const ctx = { server: undefined, browser: undefined, app: undefined };
  before(async () => {
    ctx.server = await serveDist();
    ctx.browser = await launchBrowser();
    // Fail every test at once, with the reason, if the app does not mount at all.
    const probe = await newApp(ctx.browser, ctx.server);
    await probe.context.close();
  });
  after(async () => {
    await ctx.browser?.close();
    await ctx.server?.close();
  });
  beforeEach(async () => {
    ctx.app = await newApp(ctx.browser, ctx.server);
  });
  afterEach(async () => {
    await ctx.app?.context.close();
    ctx.app = undefined;
  });
  return ctx;
}
