// End-to-end tests: Rewind's release build in headless Chromium.
//
// Elements are found only by role and accessible name, the contract the UI
// promises (and what assistive technology sees):
//   slider "Timeline"; buttons "Step back", "Step forward", "Load";
//   textbox "Event log"; combobox "Sample"; region "State"; list "Events"
//   (the current event's listitem has aria-current="step"); role "alert" for
//   load errors; a readout such as "event 2 of 3".
//
// Run: `make test`, or `make build && node --test tests/e2e/*.test.mjs`.
// REWIND_DIST=<dir> serves another build; CHROMIUM=<path> picks the browser.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertNoProblems, eventually, useApp } from './harness.mjs';
import {
  CLASSIC_BALANCES,
  CLASSIC_LOG,
  ui,
  balanceIn,
  expectBalance,
  expectReadout,
  sliderValue,
  expectSlider,
  expectEventCount,
  currentMarks,
  expectCurrent,
  alertTexts,
  expectNoAlert,
  loadLog,
  loadClassic,
} from './ui.mjs';

const TEST_TIMEOUT_MS = 90_000;

// -------------------------------------------------------------------- tests

describe('Rewind in the browser', { timeout: 600_000 }, () => {
  const ctx = useApp();

  it('opens with the bank sample loaded, at its last event', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    await expectEventCount(page, 3);
    await expectSlider(page, 3);
    await expectReadout(page, 3, 3);
    await expectBalance(page, 120, 'after the whole bank sample');
    await expectCurrent(page, 3);
    await expectNoAlert(page);
    assertNoProblems(problems);
  });

  it('replays a pasted log to any point: slider fill, mouse drag, keyboard', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const { slider } = ui(page);
    await loadClassic(page);

    for (const [position, balance] of CLASSIC_BALANCES.entries()) {
      await slider.fill(String(position));
      await expectSlider(page, position);
      await expectBalance(page, balance, `at position ${position}`);
    }

    // Drag the thumb with the mouse from the right end of the track to the left end.
    await slider.fill('3');
    await expectBalance(page, 120, 'back at the end');
    await slider.scrollIntoViewIfNeeded();
    const box = await slider.boundingBox();
    assert.ok(box && box.width > 20, `Timeline slider has no usable size: ${JSON.stringify(box)}`);
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width - 2, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, y, { steps: 5 });
    await page.mouse.move(box.x + 1, y, { steps: 5 });
    await page.mouse.up();
    await expectSlider(page, 0);
    await expectBalance(page, 0, 'after dragging the Timeline to its start');

    // One step to the right with the keyboard.
    await slider.press('ArrowRight');
    await expectSlider(page, 1);
    await expectBalance(page, 100, 'after ArrowRight from the start');
    await expectReadout(page, 1, 3);

    assertNoProblems(problems);
  });

  it('steps one event at a time; the readout and highlight follow', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const { stepBack, stepForward } = ui(page);
    await loadClassic(page);

    await expectSlider(page, 3);
    await eventually(async () => assert.equal(await stepForward.isDisabled(), true, 'Step forward disabled at the end'));
    assert.equal(await stepBack.isDisabled(), false, 'Step back enabled at the end');
    await expectCurrent(page, 3);

    for (let position = 2; position >= 0; position--) {
      await stepBack.click();
      await expectSlider(page, position);
      await expectCurrent(page, position);
      await expectBalance(page, CLASSIC_BALANCES[position], `after stepping back to ${position}`);
      if (position > 0) await expectReadout(page, position, 3);
    }
    await eventually(async () => assert.equal(await stepBack.isDisabled(), true, 'Step back disabled at 0'));
    assert.equal(await stepForward.isDisabled(), false, 'Step forward enabled at 0');

    for (let position = 1; position <= 3; position++) {
      await stepForward.click();
      await expectSlider(page, position);
      await expectCurrent(page, position);
      await expectReadout(page, position, 3);
      await expectBalance(page, CLASSIC_BALANCES[position], `after stepping forward to ${position}`);
    }
    await eventually(async () => assert.equal(await stepForward.isDisabled(), true, 'Step forward disabled at the end'));

    assertNoProblems(problems);
  });

  it('reports a broken log with line and column and keeps the previous state', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    await loadClassic(page);
    await expectBalance(page, 120, 'before the broken load');

    // Syntax error: the JSON ends in the middle of the array.
    await loadLog(page, '[{"type":"Deposit","amount":100},');
    await eventually(async () => {
      const texts = await alertTexts(page);
      assert.ok(
        texts.some((t) => /\bline\b/i.test(t) && /\bcolumn\b/i.test(t)),
        `expected an alert naming the line and column, alerts: ${JSON.stringify(texts)}`,
      );
    });
    await expectEventCount(page, 3);
    await expectBalance(page, 120, 'after a failed load (the previous log stays)');

    // Shape error: valid JSON, but the event has no "type".
    await loadLog(page, '[{"amount":5}]');
    await eventually(async () => {
      const texts = await alertTexts(page);
      assert.ok(
        texts.some((t) => /\bevent\b/i.test(t) && /\btype\b/.test(t)),
        `expected an alert about the event's missing \`type\`, alerts: ${JSON.stringify(texts)}`,
      );
    });
    await expectEventCount(page, 3);
    await expectBalance(page, 120, 'after a log with a shape error (the previous log stays)');

    // Reporting a bad log is not a crash (the app may log it to the console).
    assertNoProblems(problems, { console: false });
  });

  it('switches to the online store sample', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const { sample, items, state } = ui(page);
    await expectEventCount(page, 3);
    const before = await items.allInnerTexts();

    const labels = (await sample.getByRole('option').allInnerTexts()).map((l) => l.trim());
    assert.ok(labels.some((l) => l.startsWith('Bank account')), `Sample options: ${JSON.stringify(labels)}`);
    const store = labels.find((l) => l.startsWith('Online store'));
    assert.ok(store, `no "Online store…" option in Sample: ${JSON.stringify(labels)}`);

    await sample.selectOption({ label: store });
    await eventually(async () => {
      const after = await items.allInnerTexts();
      assert.ok(after.length > 0, 'Events is empty after choosing the store sample');
      assert.notDeepEqual(after, before, 'Events did not change after choosing the store sample');
    });
    await eventually(async () => {
      const text = await state.innerText();
      assert.match(text, /order/i, `State shows no order stream:\n${text}`);
      assert.match(text, /\bstatus\b/i, `State shows no order status:\n${text}`);
    });
    await expectNoAlert(page);
    assertNoProblems(problems);
  });

  it('shows event types as text, never as HTML', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const { events, items } = ui(page);
    const evil = '<img src=x onerror=alert(1)>';
    await loadLog(page, JSON.stringify([{ type: evil }]));

    await eventually(async () => {
      const texts = await items.allInnerTexts();
      assert.equal(texts.length, 1, `Events: ${JSON.stringify(texts)}`);
      assert.ok(texts[0].includes(evil), `the type is not shown literally: ${JSON.stringify(texts[0])}`);
    });
    await expectNoAlert(page);
    // Give a would-be onerror handler time to fire.
    await page.waitForTimeout(500);
    assert.equal(await events.evaluate((el) => el.querySelectorAll('img').length), 0, 'an <img> was created in Events');
    assert.equal(await page.evaluate(() => document.querySelectorAll('img[src="x"]').length), 0, 'an <img src=x> exists');
    assert.deepEqual(problems.dialogs, [], 'a dialog was opened');
    assertNoProblems(problems);
  });

  it('loads an event whose amount is a string and says what is wrong with it', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const { items } = ui(page);
    await loadLog(page, '[{"type":"Deposit","amount":"100"}]');

    await eventually(async () => {
      const texts = await items.allInnerTexts();
      assert.equal(texts.length, 1, `Events: ${JSON.stringify(texts)}`);
      assert.ok(
        texts[0].includes('data.amount must be a number, found a string'),
        `the event does not explain its bad amount: ${JSON.stringify(texts[0])}`,
      );
    });
    await expectNoAlert(page);
    assertNoProblems(problems);
  });
});
