// `?log=<url>` against servers that misbehave, each a real HTTP server on another port (another
// origin, with CORS) so the browser's own fetch meets it: a page of HTML, a server that never
// answers (Cancel stops it at once; left alone it is given up after 20 s of silence), a body that
// declares 2 GB, and one that streams without end and without declaring a length. Each says why in
// an alert, the sample loaded before stays, and the server sees its connection dropped: nothing goes
// on downloading after the page has given up.
//
// Run: `make build && node --test tests/e2e/url_faults.test.mjs`.
// REWIND_DIST=<dir> serves another build; CHROMIUM=<path> picks the browser.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { assertNoProblems, eventually, launchBrowser, listenLocally, newApp, serveDist } from './harness.mjs';
import { alertTexts } from './ui.mjs';

const MB = 1024 * 1024;

/** The misbehaving server; `closed` lists the paths whose connection the client dropped. */
async function serveBadly() {
  const closed = [];
  const server = createServer((req, res) => {
    const path = req.url;
    req.socket.once('close', () => closed.push(path));
    const cors = { 'access-control-allow-origin': '*' };
    if (path === '/page.html') {
      res.writeHead(200, { ...cors, 'content-type': 'text/html' }).end('<!doctype html><html><body><h1>Sign in</h1></body></html>');
    } else if (path.startsWith('/silent')) {
      // Never answers.
    } else if (path === '/declared-2gb.json') {
      res.writeHead(200, { ...cors, 'content-type': 'application/json', 'content-length': String(2048 * MB) });
      res.write('[');
    } else if (path === '/endless.ndjson') {
      res.writeHead(200, { ...cors, 'content-type': 'application/x-ndjson' });
      const line = '{"type":"Deposit","stream":"acc-1","data":{"amount":1}}\n';
      const chunk = line.repeat(Math.ceil(MB / line.length));
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    } else {
      res.writeHead(404, cors).end();
    }
  });
  const { url, close } = await listenLocally(server);
  return { url: (path) => new URL(path, url).href, closed, close };
}

describe('?log= from a server that misbehaves', { timeout: 300_000 }, () => {
  let app, bad, browser;
  before(async () => {
    app = await serveDist();
    bad = await serveBadly();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await bad?.close();
  });

  /** Opens the app with `?log=` naming `path` on the bad server. */
  async function openLog(path) {
    return newApp(browser, app, `/?log=${encodeURIComponent(bad.url(path))}`);
  }

  async function expectAlert(page, pattern, timeout = 15_000) {
    await eventually(async () => {
      const texts = await alertTexts(page);
      assert.ok(texts.some((t) => pattern.test(t)), `an alert matching ${pattern}; alerts: ${JSON.stringify(texts)}`);
    }, { timeout });
  }

  async function expectSampleStays(page) {
    await eventually(async () => assert.match(await page.getByText(/ — \d+ events?, read as /).innerText(), /^Bank account — .* — 3 events, read as /));
  }

  async function expectDropped(path) {
    await eventually(async () => assert.ok(bad.closed.includes(path), `${path} dropped; dropped: ${JSON.stringify(bad.closed)}`), { timeout: 10_000 });
  }

  it('a page of HTML is refused where it stops being JSON', { timeout: 60_000 }, async () => {
    const { context, page, problems } = await openLog('/page.html');
    await expectAlert(page, /Not valid JSON: line 1, column 1/);
    await expectSampleStays(page);
    assertNoProblems(problems);
    await context.close();
  });

  it('a server that never answers: Cancel stops the download at once', { timeout: 60_000 }, async () => {
    const { context, page, problems } = await openLog('/silent.json');
    const status = page.getByRole('status').filter({ hasText: 'Loading the log from' });
    await eventually(async () => assert.match(await status.innerText(), /Loading the log from .*silent\.json…/));
    await page.getByRole('button', { name: 'Cancel loading' }).click();
    await eventually(async () => assert.match(await page.getByRole('status').filter({ hasText: 'cancelled' }).innerText(), /was cancelled: the log loaded before is still shown\./));
    await expectDropped('/silent.json');
    await expectSampleStays(page);
    assert.deepEqual(await alertTexts(page), []);
    assertNoProblems(problems);
    await context.close();
  });

  it('a server that never answers is given up after 20 s of silence', { timeout: 90_000 }, async () => {
    const { context, page, problems } = await openLog('/silent-too.json');
    await expectAlert(page, /^Could not fetch .*silent-too\.json: the server sent nothing for 20 seconds$/m, 40_000);
    await expectDropped('/silent-too.json');
    await expectSampleStays(page);
    assertNoProblems(problems, { console: false });
    await context.close();
  });

  it('a body that declares 2 GB is refused before any of it is read', { timeout: 60_000 }, async () => {
    const { context, page, problems } = await openLog('/declared-2gb.json');
    await expectAlert(page, /^Could not fetch .*declared-2gb\.json: The file is .*, over the 256 MB limit/m);
    await expectDropped('/declared-2gb.json');
    await expectSampleStays(page);
    assertNoProblems(problems, { console: false });
    await context.close();
  });

  it('a body without a length that never ends is stopped at the 256 MB limit', { timeout: 120_000 }, async () => {
    const { context, page, problems } = await openLog('/endless.ndjson');
    await expectAlert(page, /^Could not fetch .*endless\.ndjson: it sent more than the 256 MB limit and was stopped/m, 90_000);
    await expectDropped('/endless.ndjson');
    await expectSampleStays(page);
    assertNoProblems(problems, { console: false });
    await context.close();
  });
});
