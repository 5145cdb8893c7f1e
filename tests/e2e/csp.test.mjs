// The Content-Security-Policy in index.html: the app runs fully under it, and it stops what it is
// there to stop.
//
// Under the policy: the app mounts (boot.js starts the wasm: Trunk's inline start-up script is
// not in the page), a sample loads, a file opens through "Open log file", and `?log=<url>` fetches a
// log from a second server on another port (another origin, as logs come from other sites). A
// `securitypolicyviolation` listener added before any page script records every violation: none
// while the app works. Then script is injected as an attacker would: an inline <script>, a
// <script src> from the other origin, an inline event handler, eval and new Function. None runs,
// each is reported as a violation, and the other server never receives the script request.
//
// Run: `make build && node --test tests/e2e/csp.test.mjs`.
// REWIND_DIST=<dir> serves another build; CHROMIUM=<path> picks the browser.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT, assertNoProblems, eventually, launchBrowser, listenLocally, openApp, serveDist } from './harness.mjs';
import { alertTexts, chooseSample, expectEventCount, expectNoAlert, ui } from './ui.mjs';

const TEST_TIMEOUT_MS = 90_000;
const FORMATS = join(REPO_ROOT, 'tests', 'fixtures', 'formats');

/** Records every CSP violation in window.__cspViolations, from before the page's first script. */
function recordViolations() {
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} (${e.sourceFile || ''}:${e.lineNumber})`);
  });
}

const violations = (page) => page.evaluate(() => window.__cspViolations);

/** A second server, on another port (so another origin): a log with CORS, and a script. */
async function serveOtherOrigin(log) {
  const requests = [];
  const server = createServer((req, res) => {
    requests.push(req.url);
    if (req.url === '/remote.ndjson') {
      res.writeHead(200, { 'content-type': 'application/x-ndjson', 'access-control-allow-origin': '*' }).end(log);
    } else if (req.url === '/evil.js') {
      res.writeHead(200, { 'content-type': 'text/javascript', 'access-control-allow-origin': '*' }).end('window.__pwned = "remote script";');
    } else {
      res.writeHead(404).end();
    }
  });
  return { ...(await listenLocally(server)), requests };
}

describe('Content-Security-Policy', { timeout: 300_000 }, () => {
  let server, other, browser;
  before(async () => {
    server = await serveDist();
    other = await serveOtherOrigin(await readFile(join(FORMATS, 'events.ndjson'), 'utf8'));
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await other?.close();
  });

  async function open(path = '/') {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript(recordViolations);
    const page = await context.newPage();
    const problems = await openApp(page, server, path);
    return { context, page, problems };
  }

  it('the page carries the policy, and the app starts without inline script', { timeout: TEST_TIMEOUT_MS }, async () => {
    const html = await readFile(join(server.dir, 'index.html'), 'utf8');
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    assert.ok(policy, 'a CSP <meta> in the built index.html');
    const directives = Object.fromEntries(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    assert.deepEqual(directives['script-src'], ["'self'", "'wasm-unsafe-eval'"], 'script-src: this origin and WebAssembly only');
    assert.deepEqual(directives['default-src'], ["'none'"]);
    assert.ok(!policy.includes("'unsafe-eval'") && !/script-src[^;]*'unsafe-inline'/.test(policy), policy);
    // The CSP <meta> comes before anything it governs, and no inline script is left in the page.
    assert.ok(html.indexOf('Content-Security-Policy') < html.search(/<link rel="stylesheet"|<script/), 'the policy is first');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.ok(scripts.length >= 1, 'the start-up script');
    for (const [tag, attrs, body] of scripts) {
      assert.match(attrs, /\bsrc="\/[^"/]/, `every script is a same-origin file: ${tag}`);
      assert.equal(body.trim(), '', `no inline code: ${tag}`);
    }

    const { context, page, problems } = await open();
    assert.equal(await page.evaluate(() => typeof window.wasmBindings), 'object', 'boot.js exposes the bindings as Trunk did');
    assert.deepEqual(await violations(page), [], 'no violation while the app starts');
    assertNoProblems(problems);
    await context.close();
  });

  it('under the policy a sample loads and a file opens through the picker', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page, problems } = await open();
    await chooseSample(page, 'Online store');
    await eventually(async () => assert.match(await page.getByText(/ — \d+ events?, read as /).innerText(), /^Online store/));
    await page.getByRole('button', { name: 'Open log file', exact: true }).setInputFiles(join(FORMATS, 'envelope.json'));
    await eventually(async () => assert.match(await page.getByText(/ — \d+ events?, read as /).innerText(), /^envelope\.json — 5 events/));
    await expectEventCount(page, 5);
    await expectNoAlert(page);
    // Scrubbing re-renders the state (style= attributes included): still nothing blocked.
    await ui(page).stepBack.click();
    await ui(page).stepBack.click();
    await page.waitForTimeout(300);
    assert.deepEqual(await violations(page), [], 'no violation while working');
    assertNoProblems(problems);
    await context.close();
  });

  it('?log= fetches a log from another origin', { timeout: TEST_TIMEOUT_MS }, async () => {
    const logUrl = `${other.url}remote.ndjson`;
    const { context, page, problems } = await open(`/?log=${encodeURIComponent(logUrl)}`);
    await eventually(async () => assert.match(await page.getByText(/ — \d+ events?, read as /).innerText(), /^remote\.ndjson — 5 events, read as JSON Lines/), { timeout: 15_000 });
    await expectEventCount(page, 5);
    assert.deepEqual(await alertTexts(page), []);
    assert.ok(other.requests.includes('/remote.ndjson'), `the other origin was asked: ${JSON.stringify(other.requests)}`);
    assert.deepEqual(await violations(page), [], 'connect-src lets the log through');
    assertNoProblems(problems);
    await context.close();
  });

  it('injected inline script, other-origin script, event handlers and eval do not run', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page, problems } = await open();
    const evilUrl = `${other.url}evil.js`;
    const outcome = await page.evaluate(async (evilUrl) => {
      const inline = document.createElement('script');
      inline.textContent = 'window.__pwned = "inline script";';
      document.body.append(inline);

      const remote = document.createElement('script');
      remote.src = evilUrl;
      const remoteDone = new Promise((ok) => { remote.onload = () => ok('loaded'); remote.onerror = () => ok('error'); });
      document.body.append(remote);

      const holder = document.createElement('div');
      holder.innerHTML = '<img src="data:," onerror="window.__pwned = \'onerror\'" onload="window.__pwned = \'onload\'">';
      document.body.append(holder);

      // eval and new Function, from a task of the page's own (code run by the test harness itself
      // through DevTools is exempt from the policy).
      const tries = await new Promise((ok) => setTimeout(() => {
        const t = {};
        try { eval('window.__pwned = "eval"'); t.eval = 'ran'; } catch (e) { t.eval = e.name; }
        try { new Function('window.__pwned = "Function"')(); t.Function = 'ran'; } catch (e) { t.Function = e.name; }
        ok(t);
      }, 0));
      tries.remote = await remoteDone;
      await new Promise((ok) => setTimeout(ok, 300));
      return { ...tries, pwned: window.__pwned ?? null };
    }, evilUrl);

    assert.deepEqual(outcome, { eval: 'EvalError', Function: 'EvalError', remote: 'error', pwned: null }, 'nothing injected ran');
    assert.ok(!other.requests.includes('/evil.js'), 'the other-origin script was not even requested');
    const seen = await violations(page);
    for (const directive of ['script-src-elem', 'script-src-attr']) {
      assert.ok(seen.some((v) => v.startsWith(directive)), `a ${directive} violation was reported: ${JSON.stringify(seen)}`);
    }
    assert.ok(seen.some((v) => v.includes('evil.js')), `the remote script was reported: ${JSON.stringify(seen)}`);
    assert.ok(seen.some((v) => / blocked eval /.test(v)), `eval was reported: ${JSON.stringify(seen)}`);
    // The app still works afterwards.
    await ui(page).stepBack.click();
    assert.deepEqual(problems.pageErrors, []);
    assert.deepEqual(problems.dialogs, []);
    await context.close();
  });
});
