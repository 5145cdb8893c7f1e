// Browser tests of moving through time: transport, keyboard, event list, markers, URL, snapshots.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertNoProblems, eventually, newApp, useApp } from './harness.mjs';
import { expectBalance, expectReadout, expectSlider, loadClassic, loadLog, sliderValue, ui } from './ui.mjs';

const TEST_TIMEOUT_MS = 90_000;

const GAP_LOG = JSON.stringify([
  { type: 'AccountOpened', stream: 'acc-1', seq: 1, data: {} },
  { type: 'Deposit', stream: 'acc-1', seq: 3, data: { amount: 10 } },
  { type: 'Withdraw', stream: 'acc-1', seq: 4, data: { amount: 50 } },
]);

describe('Moving through time', { timeout: 600_000 }, () => {
  const ctx = useApp();

  it('plays at 2x to the end and stops there', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    await loadClassic(page);
    await page.getByRole('combobox', { name: 'Speed' }).selectOption({ label: '2× (200 ms per event)' });
    await page.getByRole('button', { name: 'Jump to start' }).click();
    await expectSlider(page, 0);
    await page.getByRole('button', { name: 'Play' }).click();
    await page.getByRole('button', { name: 'Pause' }).waitFor();
    await eventually(async () => assert.equal(await sliderValue(page), 3), { timeout: 3_000 });
    // Stopped: the button offers Play again and the cursor stays at the end.
    await page.getByRole('button', { name: 'Play' }).waitFor({ timeout: 2_000 });
    await page.waitForTimeout(500);
    assert.equal(await sliderValue(page), 3);
    await expectBalance(page, 120);
    assertNoProblems(problems);
  });

  it('loops back to the start when Loop is on, until paused', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    await loadClassic(page);
    await page.getByRole('combobox', { name: 'Speed' }).selectOption({ label: '10× (50 ms per event)' });
    await page.getByRole('checkbox', { name: 'Loop' }).check();
    await page.getByRole('button', { name: 'Play' }).click();
    const seen = new Set();
    await eventually(
      async () => {
        seen.add(await sliderValue(page));
        assert.ok(seen.has(0) && seen.has(3), `positions seen so far: ${[...seen]}`);
      },
      { timeout: 5_000, interval: 10 },
    );
    await page.getByRole('button', { name: 'Pause' }).click();
    const stopped = await sliderValue(page);
    await page.waitForTimeout(300);
    assert.equal(await sliderValue(page), stopped, 'paused means the cursor stays put');
    assertNoProblems(problems);
  });

  it('steps and jumps with the keyboard, but not while typing', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    await loadClassic(page);
    await page.getByRole('heading', { name: 'Events' }).click();
    await page.keyboard.press('ArrowLeft');
    await expectReadout(page, 2, 3);
    await page.keyboard.press('Home');
    await expectReadout(page, 0, 3);
    await page.keyboard.press('ArrowRight');
    await expectBalance(page, 100);
    await page.keyboard.press('End');
    await expectReadout(page, 3, 3);

    await ui(page).log.click();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowLeft');
    await page.waitForTimeout(200);
    await expectReadout(page, 3, 3);
    assertNoProblems(problems);
  });

  it('jumps to an event when it is clicked', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page } = ctx.app;
    await loadClassic(page);
    await ui(page).events.getByRole('button', { name: /Withdraw/ }).click();
    await expectReadout(page, 2, 3);
    await expectBalance(page, 70);
    const current = ui(page).events.locator('[aria-current="step"]');
    await eventually(async () => assert.match(await current.innerText(), /Withdraw/));
  });

  it('filters events by text and by type, and says when nothing matches', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page } = ctx.app;
    await loadClassic(page);
    const filter = page.getByRole('searchbox', { name: 'Filter events' });
    await filter.fill('withdraw');
    await eventually(async () => assert.equal(await ui(page).items.count(), 1));
    await filter.fill('zzz');
    await page.getByText('No events match the filter.').waitFor();
    await filter.fill('');
    await page.getByRole('combobox', { name: 'Type filter' }).selectOption('Deposit');
    await eventually(async () => assert.equal(await ui(page).items.count(), 2));
  });

  it('restores the position from the URL after a reload, and clamps one past the end', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    await ui(page).slider.fill('2');
    await eventually(async () => assert.match(page.url(), /at=2/));
    await page.reload();
    await expectSlider(page, 2);
    await expectBalance(page, 70);

    const far = await newApp(ctx.browser, ctx.server, '/#sample=store&at=999');
    try {
      await expectSlider(far.page, 7);
      await expectReadout(far.page, 7, 7);
      await eventually(async () => assert.match(far.page.url(), /at=7/));
      assertNoProblems(far.problems);
    } finally {
      await far.context.close();
    }
    assertNoProblems(problems);
  });

  it('focuses a stream and keeps it in the URL', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page } = ctx.app;
    await ui(page).sample.selectOption({ label: 'Online store — two orders, one paid and delivered, one cancelled' });
    await page.getByRole('combobox', { name: 'Stream', exact: true }).selectOption('order-1002');
    await eventually(async () => assert.match(page.url(), /stream=order-1002/));
    await page.reload();
    await eventually(async () =>
      assert.equal(await page.getByRole('combobox', { name: 'Stream', exact: true }).inputValue(), 'order-1002'),
    );
  });

  it('warns about a seq gap, in the summary and on the timeline', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page } = ctx.app;
    await loadLog(page, GAP_LOG);
    const warnings = page.getByRole('list', { name: 'Integrity warnings' });
    await eventually(async () => assert.match(await warnings.innerText(), /seq jumps from 1 to 3 in stream acc-1/));
    const marker = page.getByRole('button', { name: /integrity warning — seq jumps from 1 to 3/ });
    await marker.click();
    await expectReadout(page, 2, 3);
    // The overdraft is a violation, marked too.
    await page.getByRole('button', { name: /Event 3: violation/ }).click();
    await expectReadout(page, 3, 3);
  });

  it('shows what snapshots save: interval 1 replays nothing, off replays everything', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page } = ctx.app;
    await loadClassic(page);
    const interval = page.getByRole('spinbutton', { name: 'Snapshot interval' });
    await interval.fill('1');
    await interval.press('Enter');
    await interval.blur();
    await page.getByText(/A snapshot every 1 events \(4 kept\): this view replayed 0 events/).waitFor();
    await page.getByRole('checkbox', { name: 'Snapshots' }).uncheck();
    await page.getByText('Snapshots off: this view replayed 3 events from the start.').waitFor();
    await expectBalance(page, 120, 'with snapshots off the state is the same');
  });
});
