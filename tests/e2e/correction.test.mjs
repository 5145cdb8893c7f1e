// End-to-end tests of the corrective-event form: open it, type, see each field checked as it is
// typed, append, cancel.
//
// Elements are found only by role and accessible name:
//   button "Add corrective event"; region "Corrective event" with: combobox "Type" (a textbox
//   "Type" for the generic domain), one textbox per data field named by the field ("amount",
//   "owner", …) or textbox "Data (JSON object)" for free-form data, textboxes "Stream", "Reason",
//   "Corrects", "Effective at", buttons "Append" and "Cancel". Names are exact and case-sensitive
//   (the store's OrderCancelled has a data field "reason" beside the correction's "Reason").
//   A field's message is its accessible description (aria-describedby) while aria-invalid="true".
//
// Run: `make build && node --test tests/e2e/correction.test.mjs`.
// REWIND_DIST=<dir> serves another build; CHROMIUM=<path> picks the browser.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertNoProblems, eventually, useApp } from './harness.mjs';
import { expectBalance, expectEventCount, expectNoAlert, expectReadout, loadLog, ui, correctionForm as form } from './ui.mjs';

const TEST_TIMEOUT_MS = 90_000;

// Deposit 100, Withdraw 300 (should have been 30: it overdraws), Deposit 50.
const TYPO_LOG = JSON.stringify([
  { id: 'd1', type: 'Deposit', amount: 100 },
  { id: 'w1', type: 'Withdraw', amount: 300 },
  { id: 'd2', type: 'Deposit', amount: 50 },
]);

const GENERIC_LOG = JSON.stringify([{ type: 'TicketOpened', stream: 't1', title: 'x' }]);


/** The accessible description of a control: the text of the elements its aria-describedby names. */
async function description(control) {
  return control.evaluate((el) =>
    (el.getAttribute('aria-describedby') || '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' '),
  );
}

async function expectInvalid(control, pattern) {
  await eventually(async () => {
    assert.equal(await control.getAttribute('aria-invalid'), 'true', 'aria-invalid');
    const text = await description(control);
    assert.match(text, pattern, `description: ${JSON.stringify(text)}`);
  });
}

async function expectValid(control) {
  await eventually(async () => {
    assert.notEqual(await control.getAttribute('aria-invalid'), 'true', `still invalid: ${await description(control)}`);
  });
}

async function expectAppend(page, enabled) {
  await eventually(async () => assert.equal(await form(page).append.isEnabled(), enabled, `Append enabled`));
}

async function expectClosed(page) {
  await eventually(async () => assert.equal(await form(page).region.count(), 0, 'the form is closed'));
}

async function loadAndWait(page, text, count) {
  await loadLog(page, text);
  await expectEventCount(page, count);
  await expectNoAlert(page);
}

describe('Corrective event form', { timeout: 600_000 }, () => {
  const ctx = useApp();

  it('checks every field as it is typed, then appends the fix at the end of the log', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    await loadAndWait(page, TYPO_LOG, 3);
    const f = form(page);
    assert.equal(await f.region.count(), 0, 'closed until asked for');

    await f.add.click();
    await f.region.waitFor();
    await eventually(async () => assert.equal(await f.type.inputValue(), 'Deposit', 'the first bank type'));
    assert.match(await f.region.innerText(), /never edited/i, 'the form says history is not edited');
    assert.equal(await f.stream.inputValue(), '', 'no stream focused: the default stream');
    await expectAppend(page, false);

    await f.amount.fill('-5');
    await expectInvalid(f.amount, /amount must be more than zero/);
    await expectAppend(page, false);
    await f.amount.fill('abc');
    await expectInvalid(f.amount, /amount must be a number/);

    await f.corrects.fill('nope');
    await expectInvalid(f.corrects, /No event in the log has id "nope"/);

    await f.reason.fill('Withdrawal keyed as 300, was 30');
    await expectValid(f.reason);
    await expectAppend(page, false);

    await f.type.selectOption('Deposit');
    await f.amount.fill('270');
    await expectValid(f.amount);
    await f.corrects.fill('w1');
    await expectValid(f.corrects);
    await eventually(async () => assert.match(await description(f.corrects), /Corrects event 2: Withdraw/));
    await expectAppend(page, true);

    await f.append.click();
    await expectClosed(page);
    await expectEventCount(page, 4);
    await expectReadout(page, 4, 4);
    await expectBalance(page, 120, '100 - 300 + 50 + 270');
    assert.match((await ui(page).items.allInnerTexts())[3], /Deposit/);
    const done = page.getByRole('status').filter({ hasText: 'Appended' });
    assert.match(await done.innerText(), /Appended Deposit as event 4 of 4/);

    await f.add.click();
    await f.region.waitFor();
    await f.cancel.click();
    await expectClosed(page);
    await expectEventCount(page, 4);
    assertNoProblems(problems);
  });

  it('changing the type redraws the data fields and keeps same-named values', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    await loadAndWait(page, TYPO_LOG, 3);
    const f = form(page);
    await f.add.click();
    await f.amount.fill('12.50');
    await f.type.selectOption('Withdraw');
    await eventually(async () => assert.equal(await f.amount.inputValue(), '12.50'));
    await f.type.selectOption('AccountOpened');
    await f.field('owner').waitFor();
    assert.equal(await f.amount.count(), 0, 'an AccountOpened has no amount');
    await f.type.selectOption('Deposit');
    await eventually(async () => assert.equal(await f.amount.inputValue(), '12.50', 'the amount came back'));
    assertNoProblems(problems);
  });

  it('refuses an effective time that is not RFC 3339 or lies in the future', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page } = ctx.app;
    await loadAndWait(page, TYPO_LOG, 3);
    const f = form(page);
    await f.add.click();
    await f.amount.fill('5');
    await f.reason.fill('A deposit recorded late');
    await expectAppend(page, true);
    assert.equal(await f.effectiveAt.getAttribute('placeholder'), '2024-03-03T09:00:00Z');
    assert.match(await description(f.effectiveAt), /retroactive/);

    await f.effectiveAt.fill('last week');
    await expectInvalid(f.effectiveAt, /must look like 2024-03-03T09:00:00Z/);
    await expectAppend(page, false);
    await f.effectiveAt.fill('2999-01-01T00:00:00Z');
    await expectInvalid(f.effectiveAt, /later than now/);
    await expectAppend(page, false);
    await f.effectiveAt.fill('2024-03-03T09:00:00Z');
    await expectValid(f.effectiveAt);
    await f.append.click();
    await expectClosed(page);
    await expectEventCount(page, 4);
  });

  it('Escape cancels, and the focus goes back where it was', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page } = ctx.app;
    await loadAndWait(page, TYPO_LOG, 3);
    const f = form(page);
    await f.add.click();
    await f.reason.fill('never mind');
    await f.reason.press('Escape');
    await expectClosed(page);
    await expectEventCount(page, 3);
    await eventually(async () =>
      assert.ok(await f.add.evaluate((el) => el === document.activeElement), 'focus is on "Add corrective event"'),
    );
  });

  it('pre-fills the stream that is focused', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page } = ctx.app;
    await loadAndWait(
      page,
      JSON.stringify([
        { type: 'Deposit', stream: 'acc-1', amount: 5 },
        { type: 'Deposit', stream: 'acc-2', amount: 7 },
      ]),
      2,
    );
    const focus = page.getByRole('region', { name: 'Travel' }).getByRole('combobox', { name: /^Stream/ });
    await focus.selectOption('acc-2');
    const f = form(page);
    await f.add.click();
    await eventually(async () => assert.equal(await f.stream.inputValue(), 'acc-2'));
  });

  it('shows exactly the draft it was opened with from an event row', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page } = ctx.app;
    await loadAndWait(page, TYPO_LOG, 3);
    const f = form(page);
    await page.getByRole('button', { name: 'Reverse event 2' }).click();
    await eventually(async () => assert.equal(await f.type.inputValue(), 'Deposit'));
    assert.equal(await f.amount.inputValue(), '300');
    assert.equal(await f.corrects.inputValue(), 'w1');
    assert.match(await f.reason.inputValue(), /Reverses event 2/);
    await expectAppend(page, true);

    // Another row's draft replaces the open one.
    await page.getByRole('button', { name: 'Correct event 3' }).click();
    await eventually(async () => assert.equal(await f.corrects.inputValue(), 'd2'));
    assert.equal(await f.reason.inputValue(), '');
    await expectAppend(page, false);
  });

  it('takes free-form JSON data for a generic log', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    await loadAndWait(page, GENERIC_LOG, 1);
    const f = form(page);
    await f.add.click();
    await f.typeText.waitFor();
    assert.equal(await f.type.count(), 0, 'no list of types for the generic domain');
    await f.typeText.fill('TicketRetitled');
    await f.stream.fill('t1');

    await f.data.fill('{');
    await expectInvalid(f.data, /not valid JSON/);
    await expectAppend(page, false);
    await f.data.fill('[1, 2]');
    await expectInvalid(f.data, /must be a JSON object/);

    await f.data.fill('{"title":"y"}');
    await expectValid(f.data);
    await expectAppend(page, false);
    await f.reason.fill('The title was mistyped');
    await expectAppend(page, true);
    await f.append.click();
    await expectClosed(page);
    await expectEventCount(page, 2);
    await expectReadout(page, 2, 2);
    assert.match((await ui(page).items.allInnerTexts())[1], /TicketRetitled/);
    assertNoProblems(problems);
  });
});
