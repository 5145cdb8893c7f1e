// The layout a person chooses, remembered: the splitter between the Events pane and the State/Diff
// pane (separator "Resize events and state": dragged, or moved with ← / → / Home / End) and the
// collapsible chart (button "Chart" in region "Chart"). Both survive a reload; a bad stored width
// is ignored; on a phone, where the panes stack, there is no splitter.
//
// Run: `make build && node --test tests/e2e/panes.test.mjs`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MOUNT_TIMEOUT_MS, assertNoProblems, eventually, useApp } from './harness.mjs';
import { sliderValue, ui } from './ui.mjs';

const TEST_TIMEOUT_MS = 60_000;
const WIDTH_KEY = 'rewind.layout.events-width';

function panes(page) {
  return {
    splitter: page.getByRole('separator', { name: 'Resize events and state', exact: true }),
    events: page.locator('section.events-pane'),
    state: ui(page).state,
    all: page.locator('.panes'),
  };
}

/** The splitter's aria-valuenow, as a number. */
async function valueNow(page) {
  return Number(await panes(page).splitter.getAttribute('aria-valuenow'));
}

async function expectValue(page, expected, why) {
  await eventually(async () => assert.equal(await valueNow(page), expected, why));
}

/** The widths of the Events pane and the State pane, in CSS pixels. */
async function widths(page) {
  const { events, state } = panes(page);
  return { events: (await events.boundingBox()).width, state: (await state.boundingBox()).width };
}

/** Wait until the Events pane takes `percent` of what the splitter leaves of the panes' width. */
async function expectShare(page, percent, why) {
  await eventually(async () => {
    const { events, state } = await widths(page);
    const share = (events / (events + state)) * 100;
    assert.ok(Math.abs(share - percent) < 0.6, `${why}: Events take ${share.toFixed(1)}%, not ${percent}% (${events} | ${state} px)`);
  });
}

async function reload(page) {
  await page.reload({ waitUntil: 'load' });
  await ui(page).state.waitFor({ state: 'visible', timeout: MOUNT_TIMEOUT_MS });
}

describe('Panes and chart', () => {
  const ctx = useApp();

  it('the splitter moves with the keyboard and the pointer, and its width survives a reload', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    await page.setViewportSize({ width: 1280, height: 800 });
    const { splitter } = panes(page);
    assert.equal(await splitter.getAttribute('aria-orientation'), 'vertical');
    assert.equal(await splitter.getAttribute('tabindex'), '0');
    assert.deepEqual([await splitter.getAttribute('aria-valuemin'), await splitter.getAttribute('aria-valuemax')], ['25', '75']);
    await expectValue(page, 50, 'half and half at first');
    await expectShare(page, 50, 'at first');

    const timeline = await sliderValue(page);
    await splitter.focus();
    await page.keyboard.press('ArrowRight');
    await expectValue(page, 55, '→ widens the events');
    await expectShare(page, 55, 'after →');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expectValue(page, 45, '← narrows them');
    await expectShare(page, 45, 'after ← ←');
    await page.keyboard.press('End');
    await expectValue(page, 75, 'End: the widest');
    await page.keyboard.press('Home');
    await expectValue(page, 25, 'Home: the narrowest');
    await expectShare(page, 25, 'after Home');
    assert.equal(await sliderValue(page), timeline, 'the keys moved the splitter, not the timeline');

    // Drag the splitter's middle to 60% of the panes' width (less the 12 px splitter).
    const box = await splitter.boundingBox();
    const all = await panes(page).all.boundingBox();
    const target = all.x + (all.width - box.width) * 0.6 + box.width / 2;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move((box.x + target) / 2, box.y + 40, { steps: 4 });
    await page.mouse.move(target, box.y + 80, { steps: 4 });
    await page.mouse.up();
    await eventually(async () => assert.ok(Math.abs((await valueNow(page)) - 60) <= 0.5, `dragged to ${await valueNow(page)}, not 60`));
    const dragged = await valueNow(page);
    await expectShare(page, dragged, 'after the drag');
    const before = await widths(page);

    await reload(page);
    await expectValue(page, dragged, 'the width is remembered');
    await expectShare(page, dragged, 'after the reload');
    const after = await widths(page);
    assert.ok(Math.abs(after.events - before.events) < 1, `Events pane ${before.events} px before, ${after.events} px after`);
    assertNoProblems(problems);
  });

  it('a bad stored width is ignored, and on a phone there is no splitter', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    for (const bad of ['wide', 'NaN', '-40', '250', '']) {
      await page.evaluate(([key, value]) => localStorage.setItem(key, value), [WIDTH_KEY, bad]);
      await reload(page);
      await expectValue(page, 50, `stored ${JSON.stringify(bad)}`);
      await expectShare(page, 50, `stored ${JSON.stringify(bad)}`);
    }
    await page.evaluate((key) => localStorage.setItem(key, '10'), WIDTH_KEY);
    await reload(page);
    await expectValue(page, 25, 'a width under the limit is brought inside');

    await page.setViewportSize({ width: 390, height: 844 });
    await panes(page).splitter.waitFor({ state: 'hidden' });
    const { events, state } = await widths(page);
    assert.ok(Math.abs(events - state) < 1, `stacked, both panes take the whole width (${events} | ${state} px)`);
    assertNoProblems(problems);
  });

  it('the chart collapses and expands, and stays as it was left after a reload', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const chart = page.getByRole('region', { name: 'Chart', exact: true });
    const toggle = chart.getByRole('button', { name: 'Chart', exact: true });
    const plot = chart.getByRole('img', { name: /^Chart of/ });
    const field = chart.getByRole('combobox', { name: 'Chart field' });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true', 'expanded at first');
    await plot.waitFor({ state: 'visible' });
    const open = await chart.boundingBox();

    await toggle.click();
    await eventually(async () => assert.equal(await toggle.getAttribute('aria-expanded'), 'false'));
    await plot.waitFor({ state: 'detached' });
    assert.equal(await field.count(), 0, 'no Chart field while collapsed');
    const closed = await chart.boundingBox();
    assert.ok(closed.height < open.height - 100, `collapsed, the chart takes less room: ${open.height} → ${closed.height} px`);

    await reload(page);
    const again = page.getByRole('region', { name: 'Chart', exact: true }).getByRole('button', { name: 'Chart', exact: true });
    await eventually(async () => assert.equal(await again.getAttribute('aria-expanded'), 'false', 'still collapsed after a reload'));
    assert.equal(await plot.count(), 0, 'no plot after the reload');

    await again.click();
    await plot.waitFor({ state: 'visible' });
    await reload(page);
    await plot.waitFor({ state: 'visible' });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true', 'expanded again after the next reload');
    assertNoProblems(problems);
  });
});
