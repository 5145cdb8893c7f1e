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

const STREAMS = 40_000;

/** One account per stream, as real stores keep them: STREAMS openings, then a deposit each, shuffled in. */
function manyStreams() {
  const lines = [];
  let seed = 11;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
  for (let i = 0; i < STREAMS; i++) {
    lines.push({ type: 'AccountOpened', stream: `acc-${i}`, data: { owner: `owner-${i}` } });
  }
  for (let i = 0; i < STREAMS; i++) {
    lines.push({ type: 'Deposit', stream: `acc-${next() % STREAMS}`, data: { amount: 1 + (next() % 100) } });
  }
  return lines;
}

describe(`A log of ${STREAMS.toLocaleString('en')} streams opened through the file picker`, { timeout: 600_000 }, () => {
  const ctx = useApp();

  it('pages the state, searches every stream (moving the page to a match far down) and filters every event', { timeout: 300_000 }, async () => {
    const { page, problems } = ctx.app;
    const events = manyStreams();
    const text = events.map((e) => JSON.stringify(e)).join('\n');
    await page.getByLabel('Open log file').setInputFiles({ name: 'many.ndjson', mimeType: 'application/x-ndjson', buffer: Buffer.from(text) });
    const total = events.length;
    await expectReadout(page, total, total);
    const state = ui(page).state;
    await eventually(async () => assert.match(await state.innerText(), /Showing 50 of 40,?000 streams\./), { timeout: 20_000 });

    // Half way through the openings, half the streams have a state: the count comes without a seek.
    await ui(page).slider.fill('20000');
    await expectReadout(page, 20_000, total);
    await eventually(async () => assert.match(await state.innerText(), /Showing 50 of 20,?000 streams\./), { timeout: 20_000 });

    // The last stream's owner is found by a search that goes through every stream, a slice at a time.
    await ui(page).slider.fill(String(total));
    await page.getByRole('searchbox', { name: 'Search state' }).fill('owner-39999');
    await eventually(async () => assert.match(await state.getByRole('status').innerText(), /^1 of 1 match$/), { timeout: 60_000 });
    // The page moves to the match rather than rendering the 39,999 streams before it.
    await eventually(async () => assert.match(await state.innerText(), /Showing streams 39951 to 40000 of 40000\./), { timeout: 20_000 });
    assert.ok(await state.locator('mark', { hasText: 'owner-39999' }).isVisible(), 'the match is shown, marked');
    const rendered = await state.locator('.st-stream').count();
    assert.ok(rendered > 0 && rendered <= 50, `one page of streams is rendered, not ${rendered}`);
    await state.getByRole('button', { name: 'Show earlier streams' }).click();
    await eventually(async () => assert.match(await state.innerText(), /Showing streams 39901 to 40000 of 40000\./));

    // Filtering goes through every event in slices and ends with the right count.
    const expected = events.filter((e) => e.stream === 'acc-39999').length;
    await page.getByRole('searchbox', { name: 'Filter events' }).fill('acc-39999');
    await eventually(
      async () => assert.match(await page.locator('.filter-status').innerText(), new RegExp(`Showing ${expected} of ${total} events\\.`)),
      { timeout: 60_000 },
    );
    assertNoProblems(problems);
  });
});
