// End-to-end tests of saved sessions: the work is saved in the browser after every change and
// comes back on reload; "New session" clears it after a confirmation; a damaged save is discarded
// with a message; a storage that refuses writes is said so, and the app goes on in memory.
//
// Elements are found only by role and accessible name:
//   button "New session" → text "Start over? This clears the saved log, corrections and settings."
//   with buttons "Start over" and "Keep working"; role "status" notices: "Your work is not being
//   saved in this browser (…)" and "The saved session could not be restored: …".
// Each test has a fresh browser context (empty storage); a reload in the same context keeps it.
//
// Run: `make build && node --test tests/e2e/saved.test.mjs`.
// REWIND_DIST=<dir> serves another build; CHROMIUM=<path> picks the browser.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertNoProblems, eventually, MOUNT_TIMEOUT_MS, useApp } from './harness.mjs';
import { SETTINGS_KEY, damageStorageOnNextLoad, expectSaved, savedRecord } from './saved_storage.mjs';
import {
  chooseSample,
  expectBalance,
  expectEventCount,
  expectSlider,
  loadClassic,
  loadLog,
  sliderValue,
  ui,
} from './ui.mjs';

const TEST_TIMEOUT_MS = 120_000;

const LOG_KEY = 'rewind.log';

function controls(page) {
  const form = page.getByRole('region', { name: 'Corrective event', exact: true });
  return {
    newSession: page.getByRole('button', { name: 'New session', exact: true }),
    startOver: page.getByRole('button', { name: 'Start over', exact: true }),
    keepWorking: page.getByRole('button', { name: 'Keep working', exact: true }),
    question: page.getByText('Start over? This clears the saved log, corrections and settings.'),
    speed: page.getByRole('combobox', { name: 'Speed' }),
    stream: page.getByRole('combobox', { name: 'Stream', exact: true }),
    skip: (n) => page.getByRole('checkbox', { name: `Skip event ${n}`, exact: true }),
    addCorrection: page.getByRole('button', { name: 'Add corrective event', exact: true }),
    form,
    type: form.getByRole('combobox', { name: 'Type', exact: true }),
    amount: form.getByRole('textbox', { name: 'amount', exact: true }),
    reason: form.getByRole('textbox', { name: 'Reason', exact: true }),
    append: form.getByRole('button', { name: 'Append', exact: true }),
  };
}

/** Reload (or go to `url`) and wait until the app has mounted again. */
async function reopen(page, url) {
  if (url) await page.goto(url, { waitUntil: 'load' });
  else await page.reload({ waitUntil: 'load' });
  await ui(page).state.waitFor({ state: 'visible', timeout: MOUNT_TIMEOUT_MS });
}

/** Texts of the role="status" elements that say something. */
async function statusTexts(page) {
  return (await page.getByRole('status').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
}

async function expectStatus(page, pattern) {
  await eventually(async () => {
    const texts = await statusTexts(page);
    assert.ok(texts.some((t) => pattern.test(t)), `a status matching ${pattern}: ${JSON.stringify(texts)}`);
  });
}

async function expectNoStatus(page, pattern) {
  const texts = await statusTexts(page);
  assert.ok(!texts.some((t) => pattern.test(t)), `no status matching ${pattern}: ${JSON.stringify(texts)}`);
}

async function expectSample(page, id) {
  await eventually(async () => assert.equal(await ui(page).sample.inputValue(), id, 'Sample'));
}

async function expectSliderMax(page, max) {
  await eventually(async () => assert.equal(await ui(page).slider.getAttribute('max'), String(max), 'Timeline max'));
}

describe('saved sessions', () => {
  const ctx = useApp();

  it('brings back a pasted log with its correction, skip, position and speed after a reload', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const c = controls(page);
    await loadClassic(page);
    await ui(page).slider.fill('2');
    await c.skip(3).check();
    await c.addCorrection.click();
    await c.type.selectOption('Deposit');
    await c.amount.fill('5');
    await c.reason.fill('test');
    await c.append.click();
    await expectEventCount(page, 4);
    // The correction moved the cursor to it; move it back, then pick a speed.
    await ui(page).slider.fill('2');
    await c.speed.selectOption({ label: '2× (200 ms per event)' });
    await expectSaved(page, (r) => r.cursor === 2 && r.speed === '2' && r.skipped?.includes(2), 'cursor 2, speed 2, skip 3');

    await reopen(page);
    await expectEventCount(page, 4);
    await eventually(async () => assert.match(await ui(page).items.nth(3).innerText(), /Correction/));
    await eventually(async () => assert.equal(await c.skip(3).isChecked(), true, 'Skip event 3 still on'));
    await expectSlider(page, 2);
    assert.equal(await c.speed.inputValue(), '2', 'Speed kept');
    await expectBalance(page, 70, 'after Deposit 100, Withdraw 30');

    // Opened again without the fragment (a new tab tomorrow): still there, from storage alone.
    await reopen(page, ctx.server.url);
    await expectEventCount(page, 4);
    await expectSlider(page, 2);
    assert.equal(await c.speed.inputValue(), '2', 'Speed kept');
    assertNoProblems(problems);
  });

  it('writes once the slider stops, and only the small record when just the cursor moved', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    await loadClassic(page);
    await expectSaved(page, (r) => r.source === 'pasted log' && r.cursor === 3, 'the pasted log at its end');
    await page.waitForTimeout(600);
    await page.evaluate(() => {
      window.rewindTestWrites = [];
      const setItem = Storage.prototype.setItem;
      Storage.prototype.setItem = function countedSetItem(key, value) {
        window.rewindTestWrites.push(key);
        return setItem.call(this, key, value);
      };
    });
    const moves = 30;
    for (let i = 0; i < moves; i++) await ui(page).slider.fill(String(i % 4));
    await ui(page).slider.fill('1');
    await expectSaved(page, (r) => r.cursor === 1, 'cursor 1');
    await page.waitForTimeout(600);
    const writes = await page.evaluate(() => window.rewindTestWrites);
    assert.deepEqual(writes.filter((key) => key !== SETTINGS_KEY), [], 'only the settings record is written');
    assert.ok(writes.length <= 5, `${moves + 1} moves wrote ${writes.length} times: ${JSON.stringify(writes)}`);
    assertNoProblems(problems);
  });

  it('keeps an untouched sample as its id alone, and the focused stream', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const c = controls(page);
    await chooseSample(page, 'Online store');
    await expectSample(page, 'store');
    await c.stream.selectOption('order-1002');
    await expectSaved(page, (r) => r.sample === 'store' && r.focus === 'order-1002', 'the store sample and its focus');

    const stored = await page.evaluate(() => Object.fromEntries(Object.entries(localStorage)));
    assert.equal(stored[LOG_KEY], undefined, `no log text for an untouched sample: ${Object.keys(stored)}`);
    const size = Object.values(stored).reduce((n, v) => n + v.length, 0);
    assert.ok(size < 1000, `storage holds only a small record (${size} characters): ${JSON.stringify(stored)}`);

    await reopen(page);
    await expectSample(page, 'store');
    await eventually(async () => assert.equal(await c.stream.inputValue(), 'order-1002'));

    await reopen(page, ctx.server.url);
    await expectSample(page, 'store');
    await eventually(async () => assert.equal(await c.stream.inputValue(), 'order-1002', 'focus restored without a fragment'));
    assertNoProblems(problems);
  });

  it('starts over with the bank sample after a confirmation, and Keep working changes nothing', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const c = controls(page);
    await loadClassic(page);
    await ui(page).slider.fill('1');
    await expectSaved(page, (r) => r.source === 'pasted log' && r.cursor === 1, 'the pasted log at 1');

    await c.newSession.click();
    await c.question.waitFor({ state: 'visible' });
    assert.equal(await c.newSession.getAttribute('aria-expanded'), 'true');
    await c.keepWorking.click();
    await c.question.waitFor({ state: 'hidden' });
    await expectSample(page, '');
    await expectSlider(page, 1);
    await expectEventCount(page, 3);
    assert.equal((await savedRecord(page)).source, 'pasted log', 'the save is untouched');

    await c.newSession.click();
    await c.startOver.click();
    await c.question.waitFor({ state: 'hidden' });
    await expectSample(page, 'bank');
    await expectSlider(page, 3);
    await expectSaved(page, (r) => r.sample === 'bank' && !r.log, 'the bank sample');
    assert.equal(await page.evaluate((key) => localStorage.getItem(key), LOG_KEY), null, 'the log text is gone');

    await reopen(page);
    await expectSample(page, 'bank');
    await expectSlider(page, 3);
    await expectEventCount(page, 3);
    assertNoProblems(problems);
  });

  it('discards a damaged save, says so, and starts with the default sample', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    await loadClassic(page);
    await expectSaved(page, (r) => r.source === 'pasted log', 'the pasted log');
    await damageStorageOnNextLoad(page, { [SETTINGS_KEY]: 'garbage{', [LOG_KEY]: 'more garbage' });
    await reopen(page);
    await expectStatus(page, /saved session could not be restored.*damaged.*discarded/is);
    await expectSample(page, 'bank');
    await expectEventCount(page, 3);
    await expectBalance(page, 120);

    // It was discarded: the next reload is quiet (and saves work again).
    await expectSaved(page, (r) => r.sample === 'bank', 'the bank sample');
    await reopen(page);
    await expectSample(page, 'bank');
    await expectNoStatus(page, /could not be restored/);

    // A log text that is not the one the record was written with (cut short, another save's).
    await loadClassic(page);
    await expectSaved(page, (r) => r.source === 'pasted log', 'the pasted log');
    await damageStorageOnNextLoad(page, { [LOG_KEY]: '[{"type":"Deposit","amount":1}]' });
    await reopen(page);
    await expectStatus(page, /could not be restored: the log in localStorage is \d+ bytes long where \d+ were saved/);
    await expectSample(page, 'bank');
    assertNoProblems(problems);
  });

  it('says a save from a newer Rewind could not be restored', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    await damageStorageOnNextLoad(page, { [SETTINGS_KEY]: JSON.stringify({ version: 99, whatever: true }) });
    await reopen(page);
    await expectStatus(page, /could not be restored: it was saved by a newer version of Rewind/);
    await page.getByRole('button', { name: 'Dismiss', exact: true }).click();
    await expectNoStatus(page, /could not be restored/);
    await expectSample(page, 'bank');
    assertNoProblems(problems);
  });

  it('keeps working in memory when storage refuses to save, and says so', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    await page.addInitScript(() => {
      Storage.prototype.setItem = function setItem() {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      };
    });
    await reopen(page);
    await expectStatus(page, /Your work is not being saved in this browser \(quota exceeded\): it is kept in memory; use Export to keep it\./);

    await loadClassic(page);
    await ui(page).slider.fill('1');
    await expectBalance(page, 100);
    await expectSlider(page, 1);
    await expectStatus(page, /not being saved/);
    assertNoProblems(problems);
  });

  it('keeps a log too large for localStorage in IndexedDB', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    // About 1 MB pasted, about 2.4 MB as Rewind JSON: over the 2 MB kept in localStorage.
    const count = 30_000;
    const events = Array.from({ length: count }, (_, i) => ({ type: 'Deposit', amount: (i % 9) + 1 }));
    await loadLog(page, JSON.stringify(events));
    await expectSliderMax(page, count);
    await ui(page).slider.fill('10');
    await expectSaved(page, (r) => r.log?.place === 'indexedDB' && r.cursor === 10, 'the log in IndexedDB');
    const local = await page.evaluate(() => Object.values(localStorage).reduce((n, v) => n + v.length, 0));
    assert.ok(local < 2000, `localStorage holds only the record (${local} characters)`);

    await reopen(page);
    await expectSliderMax(page, count);
    await expectSlider(page, 10);
    assert.equal(await sliderValue(page), 10);
    await expectBalance(page, 1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9 + 1);
    await expectNoStatus(page, /could not be restored|not being saved/);
    assertNoProblems(problems);
  });
});
