// Browser tests of fixing mistakes without editing history: skips, corrections from a row,
// reversals, withdrawing a correction, the two timeline orders, original vs corrected.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertNoProblems, eventually, useApp } from './harness.mjs';
import { expectBalance, expectReadout, loadClassic, loadLog, ui, correctionForm as form } from './ui.mjs';

const TEST_TIMEOUT_MS = 90_000;


async function eventTexts(page) {
  return ui(page).items.allInnerTexts();
}

describe('Fixing mistakes', { timeout: 600_000 }, () => {
  const ctx = useApp();

  it('skipping a deposit lowers the balance, and clearing skips restores it', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    await loadClassic(page);
    await page.getByRole('checkbox', { name: 'Skip event 3' }).check();
    await expectBalance(page, 70, 'without the last deposit');
    await page.getByText(/Skipping event 3/).waitFor();
    await page.getByRole('button', { name: 'Clear all skips' }).click();
    await expectBalance(page, 120);
    assertNoProblems(problems);
  });

  it('skipping the first deposit makes the withdrawal break a rule', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page } = ctx.app;
    await loadClassic(page);
    await page.getByRole('checkbox', { name: 'Skip event 1' }).check();
    const summary = page.getByRole('status').filter({ hasText: 'Skipping event 1' });
    await eventually(async () =>
      assert.match(await summary.innerText(), /appear without them:\s*event 2: withdrawal of 30 exceeds the balance of 0/),
    );
    await expectBalance(page, 20);
  });

  it('fixes the 300-instead-of-30 sample with a corrective deposit from the row', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    await ui(page).sample.selectOption({ label: 'Mistake to fix: a withdrawal of 30 keyed as 300' });
    await eventually(async () => assert.match((await eventTexts(page))[2], /withdrawal of 300 exceeds the balance of 250/));
    await page.getByRole('button', { name: 'Correct event 3' }).click();
    const f = form(page);
    await eventually(async () => assert.equal(await f.corrects.inputValue(), 'evt-3'));
    await f.type.selectOption('Deposit');
    await f.amount.fill('270');
    await f.reason.fill('Withdrawal of 30 keyed as 300');
    await f.append.click();
    await expectReadout(page, 6, 6);
    await expectBalance(page, 300, '250 - 30 + 100 - 20');
    const last = (await eventTexts(page))[5];
    assert.match(last, /Correction of evt-3: Withdrawal of 30 keyed as 300/);

    const compare = page.getByRole('region', { name: 'Original vs corrected' });
    await eventually(async () => {
      const text = await compare.innerText();
      assert.match(text, /acc-42\.balance\s+30\s+300/);
    });
    assertNoProblems(problems);
  });

  it('reverses an event in one click, then withdraws the correction', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page } = ctx.app;
    await loadClassic(page);
    await page.getByRole('button', { name: 'Reverse event 2' }).click();
    const f = form(page);
    await eventually(async () => assert.equal(await f.type.inputValue(), 'Deposit'));
    assert.equal(await f.amount.inputValue(), '30');
    assert.equal(await f.corrects.inputValue(), '#2');
    await f.append.click();
    await expectBalance(page, 150);
    await page.getByRole('button', { name: 'Withdraw event 4' }).click();
    await expectReadout(page, 3, 3);
    await expectBalance(page, 120);
    assert.equal(await page.getByRole('button', { name: 'Withdraw event 1' }).count(), 0, 'loaded events cannot be withdrawn');
  });

  it('moves a retroactive deposit when the timeline is ordered as effective', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page } = ctx.app;
    await loadLog(
      page,
      JSON.stringify([
        { type: 'Deposit', amount: 100, recorded_at: '2024-03-01T09:00:00Z' },
        { type: 'Withdraw', amount: 250, recorded_at: '2024-03-05T10:00:00Z' },
        { type: 'Deposit', amount: 200, recorded_at: '2024-03-10T10:00:00Z', effective_at: '2024-03-03T11:00:00Z' },
      ]),
    );
    await eventually(async () => assert.match((await eventTexts(page))[2], /amount: 200/));
    await page.getByRole('radio', { name: 'As effective' }).check();
    await eventually(async () => assert.match((await eventTexts(page))[1], /amount: 200/), { timeout: 3_000 });
    const texts = await eventTexts(page);
    assert.ok(!texts.some((t) => /exceeds the balance/.test(t)), `as effective nothing overdraws: ${texts}`);
    await page.getByRole('radio', { name: 'As recorded' }).check();
    await eventually(async () => assert.match((await eventTexts(page))[1], /exceeds the balance of 100/));
  });
});
