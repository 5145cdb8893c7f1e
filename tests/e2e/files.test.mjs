// End-to-end tests of logs in and out: the file picker (every fixture format), refused files,
// drag and drop, paste, `?log=<url>`, export and re-import, share links, and a large file's
// progress bar and Cancel.
//
// Elements are found by role and accessible name:
//   button "Open log file" (the file input: Playwright sets its files), progressbar "Reading the
//   log", button "Cancel loading", buttons "Export Rewind JSON" and "Export JSON Lines", button
//   "Copy share link" and textbox "Share link"; statuses by their text. The summary line says
//   "<source> — N events, read as <format>." The drop zone is the text "Drop the log file to open it".
//
// Run: `make build && node --test tests/e2e/files.test.mjs`.
// REWIND_DIST=<dir> serves another build; CHROMIUM=<path> picks the browser.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT, assertNoProblems, eventually, newApp, useApp } from './harness.mjs';
import {
  CLASSIC_LOG,
  alertTexts,
  expectBalance,
  expectEventCount,
  expectNoAlert,
  loadClassic,
  loadLog,
  ui,
} from './ui.mjs';

const TEST_TIMEOUT_MS = 120_000;
const FORMATS = join(REPO_ROOT, 'tests', 'fixtures', 'formats');
const FILES = join(REPO_ROOT, 'tests', 'fixtures', 'files');

// Every fixture format: its events and how the summary says it was read (LogFormat::describe).
const FIXTURES = [
  ['envelope.json', 5, 'Rewind JSON (an object with an "events" array)'],
  ['array.json', 4, 'a JSON array of events'],
  ['flat.json', 3, 'a JSON array of events'],
  ['redux.json', 4, 'Redux-style actions (payload read as data)'],
  ['events.ndjson', 5, 'JSON Lines (one event per line)'],
  ['cloudevents.json', 1, 'CloudEvents 1.0 (a single event)'],
  ['cloudevents-batch.json', 4, 'CloudEvents 1.0 (batch)'],
  ['kurrentdb.json', 3, 'KurrentDB / EventStoreDB event JSON (an array of events)'],
];

function files(page) {
  return {
    open: page.getByRole('button', { name: 'Open log file', exact: true }),
    progress: page.getByRole('progressbar', { name: 'Reading the log', exact: true }),
    cancel: page.getByRole('button', { name: 'Cancel loading', exact: true }),
    exportJson: page.getByRole('button', { name: 'Export Rewind JSON', exact: true }),
    exportNdjson: page.getByRole('button', { name: 'Export JSON Lines', exact: true }),
    copyLink: page.getByRole('button', { name: 'Copy share link', exact: true }),
    link: page.getByRole('textbox', { name: 'Share link', exact: true }),
    dropZone: page.getByText('Drop the log file to open it', { exact: true }),
  };
}

/** The summary line: "<source> — N events, read as <format>." */
function summary(page) {
  return page.getByText(/ — \d+ events?, read as /);
}

async function expectSummary(page, source, count, format) {
  const expected = `${source} — ${count} ${count === 1 ? 'event' : 'events'}, read as ${format}.`;
  await eventually(async () => {
    const texts = (await summary(page).allInnerTexts()).map((t) => t.trim());
    assert.deepEqual(texts, [expected], 'the summary line');
  }, { timeout: 10_000 });
}

async function expectAlert(page, pattern) {
  await eventually(async () => {
    const texts = await alertTexts(page);
    assert.ok(texts.some((t) => pattern.test(t)), `an alert matching ${pattern}; alerts: ${JSON.stringify(texts)}`);
  });
}

async function expectStatus(page, pattern) {
  await eventually(async () => {
    const texts = (await page.getByRole('status').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
    assert.ok(texts.some((t) => pattern.test(t)), `a status matching ${pattern}; statuses: ${JSON.stringify(texts)}`);
  });
}

/** The classic log, pasted: what a refused file must leave in place. */
async function classicLoaded(page) {
  await expectSummary(page, 'pasted log', 3, 'a JSON array of events');
  await expectBalance(page, 120, 'the log loaded before');
}

/** A route matcher for one path on the test server, whatever the query. */
function path(pathname) {
  return (url) => url.pathname === pathname;
}

/** The first sample, shown at start-up, is still what is loaded. */
async function expectSampleStays(page) {
  await eventually(async () => assert.match(await summary(page).innerText(), /^Bank account — .* — 3 events, read as /));
}

/** Fire a drag of `files` ({name, text, type}) or of plain text over the page, as the browser would. */
async function drag(page, kind, { files: list = [], text = '' } = {}) {
  await page.evaluate(
    ({ kind, list, text }) => {
      const dt = new DataTransfer();
      for (const f of list) dt.items.add(new File([f.text], f.name, { type: f.type }));
      if (text) dt.setData('text/plain', text);
      const target = document.querySelector('main') || document.body;
      const ev = new DragEvent(kind, { dataTransfer: dt, bubbles: true, cancelable: true });
      target.dispatchEvent(ev);
    },
    { kind, list, text },
  );
}

describe('Logs in and out', { timeout: 900_000 }, () => {
  const ctx = useApp();

  it('opens every fixture format through "Open log file"', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const f = files(page);
    for (const [name, count, format] of FIXTURES) {
      await f.open.setInputFiles(join(FORMATS, name));
      await expectSummary(page, name, count, format);
      await expectEventCount(page, count);
      await expectNoAlert(page);
    }
    // The same file picked twice loads twice (the input is cleared after each pick).
    await loadClassic(page);
    await f.open.setInputFiles(join(FORMATS, 'kurrentdb.json'));
    await expectSummary(page, 'kurrentdb.json', 3, FIXTURES[7][2]);
    assertNoProblems(problems);
  });

  it('a UTF-16 file is decoded; a 0-byte, binary or broken file is refused and the log stays', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const f = files(page);
    await f.open.setInputFiles(join(FILES, 'flat-utf16le.json'));
    await expectSummary(page, 'flat-utf16le.json', 3, 'a JSON array of events');
    assert.match(await ui(page).events.innerText(), /Withdraw/);

    await loadClassic(page);
    await f.open.setInputFiles({ name: 'empty.json', mimeType: 'application/json', buffer: Buffer.alloc(0) });
    await expectAlert(page, /^The file is empty \(0 bytes\): there is no log in it\./);
    await classicLoaded(page);

    await f.open.setInputFiles(join(FILES, 'flat.json.gz'));
    await expectAlert(page, /This is not a text file \(it is gzip-compressed: decompress it first\)/);
    await classicLoaded(page);

    await f.open.setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]) });
    await expectAlert(page, /This is not a text file \(it contains NUL bytes, the first at byte offset 8\)/);
    await classicLoaded(page);

    // A line that is not JSON: loading strictly, the whole file is refused and the log stays.
    const strict = page.getByRole('checkbox', { name: 'Strict loading', exact: true });
    await strict.check();
    await f.open.setInputFiles(join(FORMATS, 'events-broken.ndjson'));
    await expectAlert(page, /line 3/);
    await classicLoaded(page);
    await strict.uncheck();

    // A good file afterwards loads and clears the alert.
    await f.open.setInputFiles(join(FORMATS, 'redux.json'));
    await expectSummary(page, 'redux.json', 4, FIXTURES[3][2]);
    await expectNoAlert(page);
    assertNoProblems(problems);
  });

  it('a file dragged over the page shows the drop zone; dropping it loads it', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const f = files(page);
    const text = await readFile(join(FORMATS, 'events.ndjson'), 'utf8');
    const file = { name: 'dropped.ndjson', text, type: 'application/x-ndjson' };

    // Text dragged about the page is not a file: no drop zone.
    await drag(page, 'dragenter', { text: 'hello' });
    await drag(page, 'dragover', { text: 'hello' });
    await page.waitForTimeout(200);
    assert.equal(await f.dropZone.count(), 0, 'no drop zone for dragged text');

    // A file enters and leaves the window: shown, then hidden.
    await drag(page, 'dragenter', { files: [file] });
    await f.dropZone.waitFor({ state: 'visible' });
    await drag(page, 'dragleave', { files: [file] });
    await f.dropZone.waitFor({ state: 'hidden' });

    await drag(page, 'dragenter', { files: [file] });
    await drag(page, 'dragover', { files: [file] });
    await f.dropZone.waitFor({ state: 'visible' });
    await drag(page, 'drop', { files: [file] });
    await f.dropZone.waitFor({ state: 'hidden' });
    await expectSummary(page, 'dropped.ndjson', 5, 'JSON Lines (one event per line)');
    await expectNoAlert(page);

    // A refused drop says why and keeps the log.
    const empty = { name: 'nothing.json', text: '', type: 'application/json' };
    await drag(page, 'dragenter', { files: [empty] });
    await drag(page, 'drop', { files: [empty] });
    await expectAlert(page, /The file is empty \(0 bytes\)/);
    await expectSummary(page, 'dropped.ndjson', 5, 'JSON Lines (one event per line)');
    assertNoProblems(problems);
  });

  it('pasted JSON Lines load through "Event log" and Load', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    await loadLog(page, CLASSIC_LOG.slice(1, -1).split(/,(?=\{)/).join('\n'));
    await expectSummary(page, 'pasted log', 3, 'JSON Lines (one event per line)');
    await expectBalance(page, 120, '100 - 30 + 50');
    assertNoProblems(problems);
  });

  it('?log=<url> fetches the log, saying so while it loads', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context } = ctx.app;
    const body = await readFile(join(FORMATS, 'cloudevents-batch.json'), 'utf8');
    let release;
    const held = new Promise((ok) => (release = ok));
    // Matched on the path: a glob would also match the page's own address, whose query names it.
    await context.route(path('/logs/remote-log.json'), async (route) => {
      await held;
      await route.fulfill({ body, contentType: 'application/json' });
    });
    const page = await context.newPage();
    // Not waiting for "load": the held fetch may hold it back.
    await page.goto(new URL('/?log=/logs/remote-log.json#at=2', ctx.server.url).href, { waitUntil: 'commit' });
    await expectStatus(page, /^Loading the log from \/logs\/remote-log\.json…$/);
    release();
    await expectSummary(page, 'remote-log.json', 4, 'CloudEvents 1.0 (batch)');
    await expectNoAlert(page);
    await eventually(async () => assert.equal(await ui(page).slider.inputValue(), '2', 'the position the link named'));
    // Loaded once: the parameter leaves the address, so a reload restores the work instead.
    await eventually(async () => assert.ok(!page.url().includes('log='), page.url()));
    await page.close();
  });

  it('?log= that fails says why precisely, and the sample stays', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context } = ctx.app;
    await context.route(path('/missing.json'), (route) => route.fulfill({ status: 404, body: 'nope' }));
    await context.route(path('/blocked.json'), (route) => route.abort('failed'));
    await context.route(path('/archive.gz'), (route) =>
      route.fulfill({ body: Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3]), contentType: 'application/octet-stream' }),
    );
    const cases = [
      ['/missing.json', /^Could not fetch \/missing\.json: HTTP 404 Not Found$/m],
      ['/blocked.json', /^Could not fetch \/blocked\.json: the server did not allow it or could not be reached \(network or CORS\)$/m],
      ['/archive.gz', /gzip-compressed: decompress it first/],
    ];
    for (const [path, pattern] of cases) {
      const page = await context.newPage();
      await page.goto(new URL(`/?log=${path}`, ctx.server.url).href);
      await expectAlert(page, pattern);
      await expectSampleStays(page);
      await page.close();
    }
  });

  it('exports Rewind JSON and JSON Lines that open again as the same log', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const f = files(page);
    for (const [button, fileName, format] of [
      [f.exportJson, 'envelope-rewind.json', FIXTURES[0][2]],
      [f.exportNdjson, 'envelope-rewind.ndjson', 'JSON Lines (one event per line)'],
    ]) {
      await f.open.setInputFiles(join(FORMATS, 'envelope.json'));
      await expectSummary(page, 'envelope.json', 5, FIXTURES[0][2]);
      const before = await ui(page).state.innerText();
      const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
      assert.equal(download.suggestedFilename(), fileName);
      const exported = await readFile(await download.path(), 'utf8');
      assert.match(exported, /"exported_by"|"channel": ?"atm"/, 'unknown fields are kept');
      await expectStatus(page, new RegExp(`^Exported ${fileName.replace('.', '\\.')}\\.$`));

      await loadClassic(page);
      await f.open.setInputFiles({ name: fileName, mimeType: 'application/json', buffer: Buffer.from(exported) });
      await expectSummary(page, fileName, 5, format);
      await eventually(async () => assert.equal(await ui(page).state.innerText(), before, 'the same state'));
    }
    assertNoProblems(problems);
  });

  it('export keeps a correction and its reason', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const f = files(page);
    await loadClassic(page);
    await page.getByRole('button', { name: 'Add corrective event', exact: true }).click();
    const form = page.getByRole('region', { name: 'Corrective event', exact: true });
    await form.getByRole('textbox', { name: 'amount', exact: true }).fill('5');
    await form.getByRole('textbox', { name: 'Reason', exact: true }).fill('Fee refunded');
    await form.getByRole('button', { name: 'Append', exact: true }).click();
    await expectEventCount(page, 4);
    await expectBalance(page, 125);

    const [download] = await Promise.all([page.waitForEvent('download'), f.exportJson.click()]);
    assert.equal(download.suggestedFilename(), 'pasted-log-rewind.json');
    const exported = await readFile(await download.path(), 'utf8');
    assert.match(exported, /"reason": "Fee refunded"/);

    await page.getByRole('combobox', { name: 'Sample' }).selectOption({ index: 0 });
    await f.open.setInputFiles({ name: 'fixed.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
    await expectSummary(page, 'fixed.json', 4, FIXTURES[0][2]);
    await expectBalance(page, 125, 'the correction came back');
    assertNoProblems(problems);
  });

  it('a share link carries the log: copied, shown, and opened on another page', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, context, problems } = ctx.app;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ctx.server.url });
    const f = files(page);
    await f.open.setInputFiles(join(FORMATS, 'redux.json'));
    await expectSummary(page, 'redux.json', 4, FIXTURES[3][2]);
    const state = await ui(page).state.innerText();

    await f.copyLink.click();
    await expectStatus(page, /^Link copied$/);
    const link = await f.link.inputValue();
    assert.ok(link.startsWith(`${ctx.server.url}#log=`), link);
    assert.match(link, /#log=[A-Za-z0-9_-]+$/);
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link, 'the clipboard holds the link');

    const other = await newApp(ctx.browser, ctx.server, link.slice(ctx.server.url.length - 1));
    try {
      await expectSummary(other.page, 'shared link', 4, 'Rewind JSON (an object with an "events" array)');
      await eventually(async () => assert.equal(await ui(other.page).state.innerText(), state, 'the same state'));
      await eventually(async () => assert.ok(!other.page.url().includes('log='), `log= left the address: ${other.page.url()}`));
      await expectNoAlert(other.page);
      assertNoProblems(other.problems);
    } finally {
      await other.context.close();
    }

    // A new log makes the link shown stale: it goes.
    await loadClassic(page);
    await eventually(async () => assert.equal(await f.link.count(), 0, 'no stale link'));
    assertNoProblems(problems);
  });

  it('a log too large for a link says to export; a damaged link says what is wrong', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const f = files(page);
    // Random ids do not compress: about 3000 × 16 random bytes is well over 32 KB.
    const events = Array.from({ length: 3000 }, (_, i) => ({
      id: [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join(''),
      type: 'Deposit',
      amount: i + 1,
    }));
    await loadLog(page, JSON.stringify(events));
    await expectSummary(page, 'pasted log', 3000, 'a JSON array of events');
    await f.copyLink.click();
    await expectStatus(page, /^This log is too large for a link \(\d+ KB compressed; a link holds about 32 KB\): use Export instead\.$/);
    assert.equal(await f.link.count(), 0, 'no link shown');

    const damaged = await newApp(ctx.browser, ctx.server, '/#log=eJy!!!&at=1');
    try {
      await expectAlert(damaged.page, /^The share link is damaged: its log is not URL-safe base64 \(the character '!' at position 4 cannot be part of it\)/);
      await expectSampleStays(damaged.page);
    } finally {
      await damaged.context.close();
    }
    assertNoProblems(problems);
  });

  it('a large file shows its progress and can be cancelled', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context } = ctx.app;
    // A slow disk: every slice takes 400 ms to arrive.
    await context.addInitScript(() => {
      const read = FileReader.prototype.readAsArrayBuffer;
      FileReader.prototype.readAsArrayBuffer = function (blob) {
        setTimeout(() => read.call(this, blob), 400);
      };
    });
    const page = await context.newPage();
    await page.goto(ctx.server.url);
    await ui(page).state.waitFor();
    const f = files(page);
    const line = (i) => `{"type":"Deposit","stream":"acc-${i % 7}","amount":${(i % 90) + 10}}\n`;
    let text = '';
    for (let i = 0; text.length < 10.5 * 1024 * 1024; i++) text += line(i);
    const count = text.split('\n').length - 1;
    const buffer = Buffer.from(text);

    // Cancel, and the log loaded before is still there, also once the cancelled load would be done.
    const cancelAndFindTheLogBefore = async () => {
      await f.cancel.click();
      await f.progress.waitFor({ state: 'hidden' });
      await expectStatus(page, /^Loading big\.ndjson was cancelled: the log loaded before is still shown\.$/);
      await page.waitForTimeout(1500);
      await classicLoaded(page);
    };

    await loadClassic(page);
    await f.open.setInputFiles({ name: 'big.ndjson', mimeType: 'application/x-ndjson', buffer });
    await f.progress.waitFor({ state: 'visible' });
    await eventually(async () =>
      assert.match(await f.progress.getAttribute('aria-valuetext'), /^[48]\.0 MB of 10\.5 MB$/, 'bytes read of total'),
    );
    await cancelAndFindTheLogBefore();

    // Cancelled once reading is done and the engine is at work: the page still takes the click.
    // The engine yields with scheduler.yield() between slices; a slow machine is imitated by making
    // each of those pauses 150 ms, so the click lands while parsing is still under way.
    await page.evaluate(() => {
      window.__scheduler = window.scheduler;
      window.scheduler = { yield: () => new Promise((resolve) => setTimeout(resolve, 150)) };
    });
    await f.open.setInputFiles({ name: 'big.ndjson', mimeType: 'application/x-ndjson', buffer });
    await page.waitForFunction(
      () => document.querySelector('.load-progress .amount')?.textContent.startsWith('Parsing: '),
      null,
      { polling: 'raf', timeout: 60_000 },
    );
    await cancelAndFindTheLogBefore();
    await page.evaluate(() => {
      window.scheduler = window.__scheduler;
    });

    // Not cancelled, it loads; the bar counts bytes and events parsed, then events replayed.
    await page.evaluate(() => {
      window.__seen = [];
      new MutationObserver(() => {
        const amount = document.querySelector('.load-progress .amount');
        if (amount) window.__seen.push(amount.textContent);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await f.open.setInputFiles({ name: 'big.ndjson', mimeType: 'application/x-ndjson', buffer });
    await expectSummary(page, 'big.ndjson', count, 'JSON Lines (one event per line)');
    const seen = await page.evaluate(() => [...new Set(window.__seen)]);
    const texts = JSON.stringify(seen);
    assert.ok(seen.some((t) => /^\d+\.\d MB of 10\.5 MB$/.test(t)), `bytes read: ${texts}`);
    const parsed = seen.map((t) => t.match(/^Parsing: \d+\.\d MB of 10\.5 MB, ([\d,]+) events$/)).filter(Boolean);
    assert.ok(parsed.some((m) => Number(m[1].replaceAll(',', '')) > 0), `events parsed: ${texts}`);
    const total = count.toLocaleString('en-US');
    assert.ok(seen.some((t) => new RegExp(`^Replaying: [\\d,]+ of ${total} events$`).test(t)), `replayed: ${texts}`);
    await f.progress.waitFor({ state: 'hidden' });
    await page.close();
  });
});
