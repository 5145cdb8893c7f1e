// End-to-end tests of storage faults (issue 18, part 3): whatever storage does, nothing is lost
// without a visible notice saying so and a way to export it.
//
// - Quota exceeded: localStorage.setItem and IndexedDB put throw QuotaExceededError.
// - IndexedDB unavailable: `indexedDB.open` throws, or `window.indexedDB` is undefined.
// - A damaged save, and a save from a newer Rewind.
// - Two tabs (two pages of one browser context) editing the same session.
//
// Elements are found only by role and accessible name: role "status" notices ("Your work is not
// being saved in this browser (…)", "The saved session could not be restored: …"), buttons
// "Export Rewind JSON", "Export the saved session", "Save this tab's work here".
//
// Run: `make build && node --test tests/e2e/storage_faults.test.mjs`.
// REWIND_DIST=<dir> serves another build; CHROMIUM=<path> picks the browser.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { assertNoProblems, eventually, MOUNT_TIMEOUT_MS, openApp, useApp } from './harness.mjs';
import { SETTINGS_KEY, damageStorageOnNextLoad, expectSaved, savedRecord } from './saved_storage.mjs';
import { expectBalance, expectEventCount, expectSlider, loadClassic, loadLog, ui } from './ui.mjs';

const TEST_TIMEOUT_MS = 180_000;

const LOG_KEY = 'rewind.log';

function controls(page) {
  return {
    exportJson: page.getByRole('button', { name: 'Export Rewind JSON', exact: true }),
    downloadSaved: page.getByRole('button', { name: 'Export the saved session', exact: true }),
    saveHere: page.getByRole('button', { name: "Save this tab's work here", exact: true }),
    skip: (n) => page.getByRole('checkbox', { name: `Skip event ${n}`, exact: true }),
  };
}

async function reopen(page) {
  await page.reload({ waitUntil: 'load' });
  await ui(page).state.waitFor({ state: 'visible', timeout: MOUNT_TIMEOUT_MS });
}

async function statusTexts(page) {
  return (await page.getByRole('status').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
}

async function expectStatus(page, pattern, timeout = 10_000) {
  await eventually(
    async () => {
      const texts = await statusTexts(page);
      assert.ok(texts.some((t) => pattern.test(t)), `a status matching ${pattern}: ${JSON.stringify(texts)}`);
    },
    { timeout },
  );
}

async function expectNoStatus(page, pattern) {
  const texts = await statusTexts(page);
  assert.ok(!texts.some((t) => pattern.test(t)), `no status matching ${pattern}: ${JSON.stringify(texts)}`);
}

/** Click `button` and return the text of the file it downloads, and its name. */
async function downloaded(page, button) {
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  return { name: download.suggestedFilename(), text: await readFile(await download.path(), 'utf8') };
}

/** Events in an exported Rewind JSON text. */
function eventsOf(text) {
  const value = JSON.parse(text);
  return Array.isArray(value) ? value : value.events;
}

async function expectSliderMax(page, max) {
  await eventually(async () => assert.equal(await ui(page).slider.getAttribute('max'), String(max), 'Timeline max'), {
    timeout: 60_000,
  });
}

/** A log whose Rewind JSON is over the 2 MB kept in localStorage: it is saved in IndexedDB. */
const LARGE_COUNT = 30_000;
const largeLog = () =>
  JSON.stringify(Array.from({ length: LARGE_COUNT }, (_, i) => ({ type: 'Deposit', amount: (i % 9) + 1 })));

describe('storage faults', () => {
  const ctx = useApp();

  it('says a full quota stops saving, offers Export, and keeps the last good save', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const c = controls(page);
    await expectSaved(page, (r) => r.sample === 'bank', 'the bank sample');
    // From now on, both stores are full.
    await page.evaluate(() => {
      const full = () => {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      };
      Storage.prototype.setItem = full;
      IDBObjectStore.prototype.put = full;
    });
    await loadClassic(page);
    await expectStatus(page, /Your work is not being saved in this browser \(quota exceeded\): it is kept in memory; use Export to keep it\./);
    const file = await downloaded(page, c.exportJson);
    assert.deepEqual(
      eventsOf(file.text).map((e) => [e.type, e.amount ?? e.data?.amount]),
      [['Deposit', 100], ['Withdraw', 30], ['Deposit', 50]],
      'Export gives the log that could not be saved',
    );
    assert.equal((await savedRecord(page)).sample, 'bank', 'the last good save is untouched');

    // The fault gone (a reload drops the patches), the last good save comes back, as was said.
    await reopen(page);
    await eventually(async () => assert.equal(await ui(page).sample.inputValue(), 'bank'));
    await expectNoStatus(page, /not being saved|could not be restored/);
    assertNoProblems(problems);
  });

  it('says so when IndexedDB is missing and a large log cannot be saved', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const c = controls(page);
    await page.addInitScript(() => {
      Object.defineProperty(window, 'indexedDB', { configurable: true, get: () => undefined });
    });
    await reopen(page);
    await loadLog(page, largeLog());
    await expectSliderMax(page, LARGE_COUNT);
    await expectStatus(page, /Your work is not being saved in this browser \(IndexedDB is unavailable\).*use Export/, 30_000);
    const file = await downloaded(page, c.exportJson);
    assert.equal(eventsOf(file.text).length, LARGE_COUNT, 'Export has every event');
    assertNoProblems(problems);
  });

  it('keeps a save whose log IndexedDB cannot read now, and restores it once it can', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page, problems } = ctx.app;
    const c = controls(page);
    await loadLog(page, largeLog());
    await expectSliderMax(page, LARGE_COUNT);
    await ui(page).slider.fill('10');
    await expectSaved(page, (r) => r.log?.place === 'indexedDB' && r.cursor === 10, 'the log in IndexedDB');

    await page.addInitScript(() => {
      IDBFactory.prototype.open = function open() {
        throw new DOMException('IndexedDB is switched off in this test.', 'InvalidStateError');
      };
    });
    await reopen(page);
    await expectStatus(page, /The saved session could not be restored: its log could not be read from IndexedDB \(.*\)\. It is kept as it was/, 30_000);
    await expectStatus(page, /Your work is not being saved in this browser \(the saved session, whose log IndexedDB cannot read now, is kept in its place\)/);
    await c.saveHere.waitFor({ state: 'visible' });
    // Working on here does not write over the kept save.
    await ui(page).slider.fill('1');
    await page.waitForTimeout(1_000);
    const record = await savedRecord(page);
    assert.equal(record.log?.place, 'indexedDB', `the kept record: ${JSON.stringify(record)}`);
    assert.equal(record.cursor, 10);

    // A tab without the fault finds the whole session.
    const other = await context.newPage();
    const otherProblems = await openApp(other, ctx.server);
    await expectSliderMax(other, LARGE_COUNT);
    await expectSlider(other, 10);
    await expectNoStatus(other, /could not be restored|not being saved/);
    assertNoProblems(problems);
    assertNoProblems(otherProblems);
  });

  it('discards a damaged save only after offering it for download', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const c = controls(page);
    await loadClassic(page);
    await expectSaved(page, (r) => r.source === 'pasted log', 'the pasted log');
    const log = await page.evaluate((key) => localStorage.getItem(key), LOG_KEY);
    await damageStorageOnNextLoad(page, { [SETTINGS_KEY]: 'garbage{' });
    await reopen(page);
    await expectStatus(page, /The saved session could not be restored: the saved settings are damaged.*It was discarded/);
    const file = await downloaded(page, c.downloadSaved);
    assert.equal(file.name, 'rewind-saved-session.json');
    assert.equal(file.text, log, 'the download is the saved log as it was stored');
    assert.equal(eventsOf(file.text).length, 3);

    // Dismissed, the button goes with the notice.
    await page.getByRole('button', { name: 'Dismiss', exact: true }).click();
    await c.downloadSaved.waitFor({ state: 'hidden' });

    // A log that no longer matches its record: the text found is offered too.
    await loadClassic(page);
    await expectSaved(page, (r) => r.source === 'pasted log', 'the pasted log');
    const other = '[{"type":"Deposit","amount":1}]';
    await damageStorageOnNextLoad(page, { [LOG_KEY]: other });
    await reopen(page);
    await expectStatus(page, /could not be restored: the log in localStorage is \d+ bytes long/);
    assert.equal((await downloaded(page, c.downloadSaved)).text, other);
    assertNoProblems(problems);
  });

  it('keeps a save from a newer Rewind and does not write over it until asked', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const c = controls(page);
    const newer = JSON.stringify({ version: 99, log: { place: 'localStorage' }, whatever: true });
    const newerLog = '{"format":"from the future"}';
    await damageStorageOnNextLoad(page, { [SETTINGS_KEY]: newer, [LOG_KEY]: newerLog });
    await reopen(page);
    await expectStatus(page, /could not be restored: it was saved by a newer version of Rewind \(save format 99.*\)\. It is kept as it was/);
    await expectStatus(page, /Your work is not being saved in this browser \(a session saved by a newer version of Rewind is kept in its place\)/);
    assert.equal((await downloaded(page, c.downloadSaved)).text, newerLog, 'a copy of its log');

    await loadClassic(page);
    await expectEventCount(page, 3);
    await page.waitForTimeout(1_000);
    assert.equal(await page.evaluate((key) => localStorage.getItem(key), SETTINGS_KEY), newer, 'not written over');
    assert.equal(await page.evaluate((key) => localStorage.getItem(key), LOG_KEY), newerLog, 'its log neither');

    await c.saveHere.click();
    await expectSaved(page, (r) => r.version === 1 && r.source === 'pasted log', "this tab's session");
    await c.saveHere.waitFor({ state: 'hidden' });
    await expectNoStatus(page, /not being saved/);
    await reopen(page);
    await expectEventCount(page, 3);
    await expectBalance(page, 120);
    assertNoProblems(problems);
  });

  it('tells a tab when another tab saved over its session, and lets it save here instead', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page: first, problems } = ctx.app;
    await loadClassic(first);
    await expectSaved(first, (r) => r.source === 'pasted log' && r.cursor === 3, 'the pasted log');

    const second = await context.newPage();
    const secondProblems = await openApp(second, ctx.server);
    await expectEventCount(second, 3);
    await expectSlider(second, 3);
    await second.waitForTimeout(1_000);
    await expectNoStatus(first, /another tab/);

    // The second tab changes the session: the first is told, and stops saving.
    await controls(second).skip(2).check();
    await expectSaved(second, (r) => r.skipped?.includes(1), 'the skip made in the second tab');
    await expectStatus(first, /Your work is not being saved in this browser \(another tab saved its session in place of this one\): it is kept in memory; use Export to keep it\./);
    await ui(first).slider.fill('1');
    await first.waitForTimeout(1_000);
    const record = await savedRecord(first);
    assert.ok(record.skipped.includes(1) && record.cursor === 3, `the second tab's save stays: ${JSON.stringify(record)}`);
    await controls(first).exportJson.waitFor({ state: 'visible' });

    // The first tab chooses its own work: saved, and now the second tab is told.
    await controls(first).saveHere.click();
    await expectSaved(first, (r) => r.cursor === 1 && !r.skipped.includes(1), "the first tab's session");
    await expectNoStatus(first, /not being saved/);
    await expectStatus(second, /not being saved in this browser \(another tab saved its session in place of this one\)/);
    assertNoProblems(problems);
    assertNoProblems(secondProblems);
  });
});
