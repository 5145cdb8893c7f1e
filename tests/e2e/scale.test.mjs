// A generated 100,000-event log in the real app: it loads, the list stays windowed, and scrubbing
// shows the right state (checked against a fold done here, not against timings).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertNoProblems, eventually, useApp } from './harness.mjs';
import { expectReadout, ui } from './ui.mjs';

const EVENTS = 100_000;
const ACCOUNTS = 100;

/** A bank log with ACCOUNTS accounts, amounts in cents so the expected balances are exact. */
function generate() {
  const events = [];
  let seed = 7;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
  for (let i = 0; i < EVENTS; i++) {
    const account = i < ACCOUNTS ? i : next() % ACCOUNTS;
    const stream = `acc-${String(account).padStart(3, '0')}`;
    if (i < ACCOUNTS) events.push({ type: 'AccountOpened', stream, data: {} });
    else events.push({ type: next() % 3 === 0 ? 'Withdraw' : 'Deposit', stream, data: { amount: (next() % 10_000) / 100 } });
  }
  return events;
}

/** The balance of `stream` after the first `position` events, in cents. */
function balanceCents(events, stream, position) {
  let cents = 0;
  for (const event of events.slice(0, position)) {
    if (event.stream !== stream) continue;
    const amount = Math.round((event.data.amount ?? 0) * 100);
    if (event.type === 'Deposit') cents += amount;
    if (event.type === 'Withdraw') cents -= amount;
  }
  return cents;
}

describe('A log of 100,000 events', { timeout: 600_000 }, () => {
  const ctx = useApp();

  it('loads, stays windowed, and scrubs to the right state', { timeout: 300_000 }, async () => {
    const { page, problems } = ctx.app;
    const events = generate();
    const { log, load, slider, items } = ui(page);
    await log.fill(JSON.stringify(events));
    await load.click();
    await expectReadout(page, EVENTS, EVENTS);
    const rendered = await items.count();
    assert.ok(rendered > 0 && rendered < 200, `the list renders a window of rows, not ${rendered}`);

    const stream = 'acc-042';
    await page.getByRole('combobox', { name: 'Stream', exact: true }).selectOption(stream);
    for (const position of [EVENTS, 73_421, 50_000, 12_345, 1_000, 99_999]) {
      await slider.fill(String(position));
      await expectReadout(page, position, EVENTS);
      const expected = balanceCents(events, stream, position) / 100;
      await eventually(
        async () => {
          const text = await ui(page).state.innerText();
          const match = /\bbalance\b\s*:?\s*(-?[\d.]+)/.exec(text);
          assert.ok(match, `no balance shown for ${stream} at ${position}:\n${text.slice(0, 400)}`);
          assert.ok(Math.abs(Number(match[1]) - expected) < 1e-9, `at ${position}: shown ${match[1]}, folded ${expected}`);
        },
        { timeout: 10_000 },
      );
      const current = ui(page).events.locator('[aria-current="step"]');
      await eventually(async () => assert.match(await current.innerText(), new RegExp(`#${position}\\b`)), { timeout: 10_000 });
    }
    assertNoProblems(problems);
  });
});
