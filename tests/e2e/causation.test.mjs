// Browser tests of causation chains: the checkout sample, the "Causation" region's chain of
// causes, the tree of what an event caused and their links, and the chain marked on the timeline.
//
// Elements by role and accessible name: region "Causation" with the lists "Chain of causes",
// "Events it caused" and "Same correlation id", whose buttons are "Go to event N: Type".
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertNoProblems, eventually, useApp } from './harness.mjs';
import { chooseSample, expectCurrent, expectEventCount, expectSlider, loadClassic, ui } from './ui.mjs';

const TEST_TIMEOUT_MS = 90_000;

function causation(page) {
  const region = page.getByRole('region', { name: 'Causation', exact: true });
  return {
    region,
    chain: region.getByRole('list', { name: 'Chain of causes', exact: true }),
    caused: region.getByRole('list', { name: 'Events it caused', exact: true }),
    correlated: region.getByRole('list', { name: 'Same correlation id', exact: true }),
  };
}

/** The chain's lines, root first, each trimmed to one line. */
async function chainLines(page) {
  const lines = await causation(page).chain.getByRole('listitem').allInnerTexts();
  return lines.map((l) => l.replace(/\s+/g, ' ').trim());
}

describe('Causation chains', { timeout: 300_000 }, () => {
  const ctx = useApp();

  it('follows a shipment back to the order placed, and the root link moves the cursor there', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    await chooseSample(page, 'Causation chain');
    await expectEventCount(page, 11);

    // Event 8: order-3002 shipped.
    await ui(page).items.nth(7).getByRole('button', { name: /OrderShipped/ }).click();
    await expectSlider(page, 8);
    const { region, chain, caused, correlated } = causation(page);
    await eventually(async () => {
      const lines = await chainLines(page);
      assert.equal(lines.length, 4, `Chain of causes: ${JSON.stringify(lines)}`);
      assert.match(lines[0], /Caused by PlaceOrder-88, which is not in this log/);
      assert.match(lines[1], /^Root in this log Event 2: OrderPlaced on order-3002$/);
      assert.match(lines[2], /^Event 5: PaymentReceived on order-3002$/);
      assert.match(lines[3], /Event 8: OrderShipped on order-3002 — the event at the cursor/);
    });
    await eventually(async () => {
      assert.deepEqual(await caused.getByRole('button').allInnerTexts(), ['Event 11: OrderDelivered']);
      // The other order of the same checkout shares the correlation id, not the chain.
      const together = await correlated.getByRole('button').allInnerTexts();
      assert.ok(together.includes('Event 3: OrderPlaced'), `Same correlation id: ${JSON.stringify(together)}`);
      assert.ok(!together.some((t) => /order-3001/.test(t)), 'checkout-87 is another checkout');
    });
    assert.match(await region.innerText(), /Same correlation id checkout-88/);

    // The chain on the timeline: its two causes and its one effect, drawn apart from problem markers.
    await eventually(async () => {
      const marks = await page.locator('.timeline-markers .chain-mark').evaluateAll((els) =>
        els.map((el) => `${el.classList.contains('cause') ? 'cause' : 'effect'} ${el.getAttribute('title')}`),
      );
      assert.deepEqual(marks.sort(), [
        'cause Event 2: a cause of event 8',
        'cause Event 5: a cause of event 8',
        'effect Event 11: caused by event 8',
      ]);
    });

    await chain.getByRole('button', { name: 'Go to event 2: OrderPlaced', exact: true }).click();
    await expectSlider(page, 2);
    await expectCurrent(page, 2);
    // At the root: nothing above it in the log, and the tree below it is the whole story.
    await eventually(async () => {
      const lines = await chainLines(page);
      assert.equal(lines.length, 2, `Chain of causes: ${JSON.stringify(lines)}`);
      assert.deepEqual(await caused.getByRole('button').allInnerTexts(), [
        'Event 5: PaymentReceived',
        'Event 8: OrderShipped',
        'Event 11: OrderDelivered',
      ]);
    });
    // Only the current event's chain is marked: now three effects, no causes.
    await eventually(async () => {
      assert.equal(await page.locator('.timeline-markers .chain-mark.cause').count(), 0);
      assert.equal(await page.locator('.timeline-markers .chain-mark.effect').count(), 3);
    });

    // A link in the tree moves the cursor too.
    await caused.getByRole('button', { name: 'Go to event 11: OrderDelivered', exact: true }).click();
    await expectSlider(page, 11);
    assertNoProblems(problems);
  });

  it('says where Rewind looks when the log carries no causation data', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    await loadClassic(page);
    const { region } = causation(page);
    await eventually(async () => {
      const text = await region.innerText();
      assert.match(text, /No event in this log carries causation data\./);
      assert.match(text, /correlation_id and causation_id in each event's meta/);
      assert.match(text, /Field mapping/);
    });
    assert.equal(await page.locator('.timeline-markers .chain-mark').count(), 0);
    assertNoProblems(problems);
  });
});
