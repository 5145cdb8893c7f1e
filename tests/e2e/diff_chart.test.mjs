// End-to-end tests of the Diff and Chart panels, in headless Chromium.
//
// Elements are found by role and accessible name:
//   region "Diff": the event at the cursor ("Event 2 of 3 — Withdraw on default"), a list
//     "Changes" (rows "changed default.balance 100 → 70"), button "Copy as JSON Patch" with a
//     status, a group "JSON Patch" (a <details> "Show JSON Patch" holding the patch), and a group
//     "Compare" with buttons "Pin position A" / "Unpin" and a list "Differences";
//   region "Chart": combobox "Chart field", an img (the svg) with one circle per event of the
//     charted stream, and a sentence describing it;
//   slider "Timeline", combobox "Sample", combobox "Stream", list "Events".
//
// Run: `make build && node --test tests/e2e/diff_chart.test.mjs`
// (REWIND_DIST=<dir> serves another build; CHROMIUM=<path> picks the browser).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertNoProblems, eventually, useApp } from './harness.mjs';
import { chooseSample, expectEventCount, expectSlider, loadLog, sliderValue, ui } from './ui.mjs';

const TEST_TIMEOUT_MS = 90_000;

// ------------------------------------------------------------------ helpers

/** The Diff and Chart regions (and the Stream picker); the rest comes from `ui(page)`. */
function panels(page) {
  const diff = page.getByRole('region', { name: 'Diff' });
  const chart = page.getByRole('region', { name: 'Chart' });
  const compare = diff.getByRole('group', { name: 'Compare' });
  return {
    stream: page.getByRole('combobox', { name: 'Stream', exact: true }),
    diff,
    changes: diff.getByRole('list', { name: 'Changes' }),
    copy: diff.getByRole('button', { name: 'Copy as JSON Patch' }),
    copyStatus: diff.getByRole('status'),
    patch: diff.getByRole('group', { name: 'JSON Patch' }),
    compare,
    pin: compare.getByRole('button', { name: 'Pin position A' }),
    unpin: compare.getByRole('button', { name: 'Unpin' }),
    differences: compare.getByRole('list', { name: 'Differences' }),
    chart,
    field: chart.getByRole('combobox', { name: 'Chart field' }),
    plot: chart.getByRole('img', { name: /^Chart of/ }),
  };
}

/** Wait until `locator`'s text matches every pattern. */
async function expectText(locator, patterns, what) {
  await eventually(async () => {
    const text = await locator.innerText();
    for (const pattern of patterns) assert.match(text, pattern, `${what}:\n${text}`);
  });
}

/** "balance 100 → 70", tolerant of the spacing and line breaks between the row's parts. */
function changeRow(field, before, after) {
  return new RegExp(`\\b${field}\\b[\\s\\S]{0,40}?${before}\\s*→\\s*${after}`);
}

async function seek(page, position) {
  await ui(page).slider.fill(String(position));
  await expectSlider(page, position);
}

async function circleCount(page) {
  return panels(page).plot.evaluate((svg) => svg.querySelectorAll('circle').length);
}

async function selectedField(page) {
  return panels(page).field.evaluate((select) => select.selectedOptions[0]?.textContent.trim());
}

async function pickStoreSample(page) {
  await chooseSample(page, 'Online store');
  await expectEventCount(page, 7); // the store sample has 7 events
  await expectSlider(page, 7); // and opens at its end
}

// -------------------------------------------------------------------- tests

describe('Diff and Chart', { timeout: 600_000 }, () => {
  const ctx = useApp(); // ctx.app = { context, page, problems }, fresh for every test

  it('shows what the event at the cursor changed', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const { diff, changes } = panels(page);
    await expectSlider(page, 3); // the bank sample opens at its end
    await expectText(diff, [/Event 3 of 3 — Deposit on default/, changeRow('balance', 70, 120)], 'Diff at the end');

    await seek(page, 2);
    await expectText(diff, [/Event 2 of 3 — Withdraw on default/], 'Diff heading at 2');
    await expectText(
      changes,
      [changeRow('balance', 100, 70), changeRow('transactions', 1, 2), /\bchanged\b/i],
      'Changes at 2',
    );
    assert.equal(await changes.getByRole('listitem').count(), 2, 'the Withdraw changes balance and transactions only');

    await seek(page, 1);
    await expectText(changes, [/\badded\b/i, /\bdefault\b/, /"balance":\s*100/], 'the first event adds the account');

    await seek(page, 0);
    await expectText(diff, [/no event applied yet/i], 'Diff at 0');
    assert.equal(await changes.count(), 0, 'no Changes list at 0');
    assertNoProblems(problems);
  });

  it('shows the JSON Patch and copies it', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems, context } = ctx.app;
    const { copy, copyStatus, patch } = panels(page);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ctx.server.url });
    await seek(page, 2);

    // The patch is behind "Show JSON Patch": reach it with the keyboard from the Copy button.
    const pre = () => patch.evaluate((details) => ({ open: details.open, text: details.innerText }));
    assert.equal((await pre()).open, false, 'the patch starts folded');
    await copy.focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await eventually(async () => {
      const { open, text } = await pre();
      assert.equal(open, true, 'Enter on "Show JSON Patch" opens it');
      assert.match(text, /"op": "replace"/);
      assert.match(text, /"\/default\/balance"/);
    });
    const shown = await patch.innerText();
    const json = JSON.parse(shown.slice(shown.indexOf('[')));
    assert.deepEqual(
      json,
      [
        { op: 'replace', path: '/default/balance', value: 70 },
        { op: 'replace', path: '/default/transactions', value: 2 },
      ],
      'the RFC 6902 patch of the Withdraw',
    );

    await copy.click();
    await eventually(async () => assert.match(await copyStatus.innerText(), /^(Copied|Could not copy)/));
    if ((await copyStatus.innerText()).startsWith('Copied')) {
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      assert.deepEqual(JSON.parse(copied), json, 'the clipboard holds the patch');
    }
    // Moving on clears the status: it was about the other event's patch.
    await seek(page, 3);
    await eventually(async () => assert.equal((await copyStatus.innerText()).trim(), ''));
    assertNoProblems(problems);
  });

  it('says when an event changed nothing, and when it is on another stream than the focused one', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const { diff, stream } = panels(page);
    await loadLog(page, '[{"type":"Deposit","amount":100},{"type":"Deposit","amount":"lots"}]');
    await expectEventCount(page, 2);
    await seek(page, 2);
    await expectText(diff, [/Event 2 of 2/, /This event changed nothing/], 'Diff of an event that failed');

    await pickStoreSample(page);
    await stream.selectOption('order-1002');
    await seek(page, 4); // PaymentReceived on order-1001
    await expectText(
      diff,
      [/This event changed stream order-1001, not the focused stream order-1002/, /PaymentReceived on order-1001/],
      'Diff of an event of another stream',
    );
    await seek(page, 5); // OrderCancelled on order-1002
    await eventually(async () => assert.doesNotMatch(await diff.innerText(), /not the focused stream/));
    assertNoProblems(problems, { console: false });
  });

  it('compares a pinned position A with the cursor', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const { compare, pin, unpin, differences } = panels(page);
    assert.equal(await unpin.count(), 0, 'nothing to unpin yet');

    await seek(page, 1);
    await pin.click();
    await seek(page, 3);
    await expectText(compare, [/Compare A = event 1 with cursor = event 3/], 'Compare heading');
    await expectText(differences, [changeRow('balance', 100, 120), changeRow('transactions', 1, 3)], 'Differences');

    await seek(page, 1);
    await expectText(compare, [/Same position: nothing differs/], 'Compare at A');

    await seek(page, 0);
    await expectText(differences, [/\bremoved\b/i, /\bdefault\b/], 'before the first event, the account is gone');

    await unpin.click();
    await eventually(async () => assert.doesNotMatch(await compare.innerText(), /Compare A =/));
    assert.equal(await unpin.count(), 0, 'Unpin is gone once unpinned');
    assertNoProblems(problems);
  });

  it('charts the balance of the bank sample, one dot per event', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const { chart, plot } = panels(page);
    await eventually(async () => assert.equal(await circleCount(page), 3, 'circles in the chart'));
    assert.equal(await selectedField(page), 'balance');
    assert.match(await plot.getAttribute('aria-label'), /balance/);
    await expectText(chart, [/Charting stream default/, /Stream picker/], 'which stream is charted');
    await expectText(
      chart,
      [/balance at the cursor: 120 \(event 3\)\. Lowest 70, highest 120, over 3 events of stream default\./],
      'chart description at the end',
    );
    const titles = await plot.evaluate((svg) => [...svg.querySelectorAll('circle > title')].map((t) => t.textContent));
    assert.deepEqual(titles, ['event 1: 100', 'event 2: 70', 'event 3: 120']);

    await seek(page, 2);
    await expectText(chart, [/balance at the cursor: 70 \(event 2\)/], 'chart description at 2');
    assertNoProblems(problems);
  });

  it('charts the store sample: total by default, and a click moves the cursor', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const { chart, plot, field } = panels(page);
    await pickStoreSample(page);

    await eventually(async () => assert.equal(await selectedField(page), 'total', 'default chart field'));
    const text = await chart.innerText();
    const name = /Charting stream (\S+)/.exec(text)?.[1];
    assert.ok(name, `the chart does not say which stream it charts:\n${text}`);
    const ofStream = await ui(page).items.filter({ hasText: name }).count();
    assert.ok(ofStream > 1, `events of ${name}: ${ofStream}`);
    await eventually(async () => assert.equal(await circleCount(page), ofStream, `one circle per event of ${name}`));
    await expectText(chart, [new RegExp(`over ${ofStream} events of stream ${name}`)], 'chart description');

    // Another field.
    const fields = (await field.getByRole('option').allInnerTexts()).map((f) => f.trim());
    const other = fields.find((f) => f !== 'total');
    assert.ok(other, `only one numeric field: ${JSON.stringify(fields)}`);
    await field.selectOption({ label: other });
    await expectText(chart, [new RegExp(`${other.replace(/[.[\]"]/g, '\\$&')} at the cursor`)], 'after choosing another field');

    // A click near the left edge goes to the start of the log, one near the right to its end.
    await plot.scrollIntoViewIfNeeded();
    const box = await plot.boundingBox();
    assert.ok(box && box.width > 100, `the chart has no usable size: ${JSON.stringify(box)}`);
    await plot.click({ position: { x: 3, y: box.height / 2 } });
    await eventually(async () => assert.ok((await sliderValue(page)) <= 1, `Timeline after a click at the left: ${await sliderValue(page)}`));
    await plot.click({ position: { x: box.width - 2, y: box.height / 2 } });
    await eventually(async () => assert.equal(await sliderValue(page), 7, 'Timeline after a click at the right'));
    await plot.click({ position: { x: (box.width * 3) / 7, y: box.height / 2 } });
    await eventually(async () => assert.equal(await sliderValue(page), 3, 'Timeline after a click at 3/7 of the width'));
    assertNoProblems(problems);
  });

  it('follows the focused stream', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const { chart, stream } = panels(page);
    await pickStoreSample(page);
    await stream.selectOption('order-1002');
    await expectText(chart, [/Charting stream order-1002 \(the focused stream\)/], 'chart of the focused stream');
    await eventually(async () => assert.equal(await circleCount(page), 2, 'order-1002 has two events'));
    assertNoProblems(problems);
  });
});
