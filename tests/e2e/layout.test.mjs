// The core loop on one screen: at 1280×800, with the sample loaded and the page not scrolled, the
// Timeline, the Events list and the State and Diff regions are all inside the viewport — in
// Explore mode and in Learn mode (the lesson beside them); on a 390×844 phone the panes stack and
// the Timeline stays pinned while the rest scrolls.
//
// Run: `make build && node --test tests/e2e/layout.test.mjs`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertNoProblems, eventually, newApp, useApp } from './harness.mjs';
import { loadLog, ui } from './ui.mjs';

const TEST_TIMEOUT_MS = 60_000;

function parts(page) {
  return {
    Timeline: ui(page).slider,
    Events: page.getByRole('region', { name: 'Events' }).or(page.locator('section.events-pane')).first(),
    State: ui(page).state,
    Diff: page.getByRole('region', { name: 'Diff', exact: true }),
  };
}

/** Every part's box lies inside the viewport (all four edges). */
async function expectInView(page, names, why) {
  const viewport = page.viewportSize();
  await eventually(async () => {
    for (const [name, locator] of Object.entries(parts(page))) {
      if (!names.includes(name)) continue;
      const box = await locator.boundingBox();
      assert.ok(box, `${name} is shown (${why})`);
      const inside = box.y >= 0 && box.x >= 0 && box.y + box.height <= viewport.height && box.x + box.width <= viewport.width;
      assert.ok(inside, `${name} inside ${viewport.width}×${viewport.height} (${why}): ${JSON.stringify(box)}`);
    }
  });
}

async function scrollY(page) {
  return page.evaluate(() => window.scrollY);
}

describe('One screen', () => {
  const ctx = useApp();

  it('at 1280×800 the timeline, events, state and diff are in view without scrolling, in Explore and Learn', { timeout: TEST_TIMEOUT_MS }, async () => {
    await ctx.app.context.close();
    ctx.app = await newApp(ctx.browser, ctx.server, '/');
    const { page, problems } = ctx.app;
    await page.setViewportSize({ width: 1280, height: 800 });
    await expectInView(page, ['Timeline', 'Events', 'State', 'Diff'], 'Explore');
    assert.equal(await scrollY(page), 0, 'the page is not scrolled');

    await page.getByRole('button', { name: 'Learn', exact: true }).click();
    await eventually(async () => assert.match(await page.getByRole('region', { name: 'Lesson', exact: true }).innerText(), /Lesson 1:/));
    await expectInView(page, ['Timeline', 'Events', 'State', 'Diff'], 'Learn');
    const lesson = await page.getByRole('region', { name: 'Lesson', exact: true }).boundingBox();
    const state = await ui(page).state.boundingBox();
    assert.ok(lesson.x >= state.x + state.width, 'the lesson is beside the state, not above it');
    assert.equal(await scrollY(page), 0, 'still not scrolled');
    assertNoProblems(problems);
  });

  it('at 1920×1080 there is room to spare', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    await page.setViewportSize({ width: 1920, height: 1080 });
    await expectInView(page, ['Timeline', 'Events', 'State', 'Diff'], '1920×1080');
    assertNoProblems(problems);
  });

  it('on a 390×844 phone the panes stack and the timeline stays pinned while the page scrolls to the state', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    await page.setViewportSize({ width: 390, height: 844 });
    const events = await page.locator('section.events-pane').boundingBox();
    const state = await ui(page).state.boundingBox();
    assert.ok(state.y >= events.y + events.height - 1, 'the state is below the events');
    await ui(page).state.scrollIntoViewIfNeeded();
    await expectInView(page, ['Timeline'], 'after scrolling to the state');
    assert.ok((await scrollY(page)) > 0, 'the page did scroll');
    assertNoProblems(problems);
  });

  it('? lists the keyboard shortcuts; Escape closes the list', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    await page.locator('body').press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts', exact: true });
    await help.waitFor({ state: 'visible' });
    assert.match(await help.innerText(), /Step one event back \/ forward[\s\S]*Play or pause/);
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });
    assertNoProblems(problems);
  });

  it('a long value is cut with "Show all", which shows it whole', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const note = 'x'.repeat(5000);
    await loadLog(page, JSON.stringify([{ type: 'Noted', stream: 'n-1', note }]));
    const state = ui(page).state;
    const showAll = state.getByRole('button', { name: 'Show all', exact: true });
    await showAll.waitFor({ state: 'visible' });
    assert.ok((await state.innerText()).length < 2000, 'the state shows a cut value');
    await showAll.click();
    await eventually(async () => assert.ok((await state.innerText()).includes(note), 'the whole value after Show all'));
    assertNoProblems(problems);
  });

  it('rows with a violation and integrity warnings keep their fixed height and do not overlap', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    // Event 2: two violations (unopened account, overdraft) and two integrity warnings (seq jumps
    // from 1 to 5, id "a" used twice); event 3 an error.
    await loadLog(page, JSON.stringify([
      { type: 'Deposit', stream: 'acc', seq: 1, id: 'a', amount: 10 },
      { type: 'Withdraw', stream: 'acc', seq: 5, id: 'a', amount: 100 },
      { type: 'Deposit', stream: 'acc', seq: 6, id: 'c', amount: 'x' },
    ]));
    const rows = ui(page).items;
    await eventually(async () => {
      const second = await rows.nth(1).innerText();
      assert.match(second, /Violation[\s\S]*Integrity/, `event 2 carries both badges:\n${second}`);
    });
    const boxes = [];
    for (const row of await rows.all()) {
      const box = await row.boundingBox();
      assert.ok(Math.abs(box.height - 58) < 0.5, `a row is 58 px tall (ROW_HEIGHT), not ${box.height}`);
      for (const badge of await row.locator('.problem').all()) {
        const b = await badge.boundingBox();
        const what = `${await badge.innerText()}: ${JSON.stringify(b)} in row ${JSON.stringify(box)}`;
        assert.ok(b.y >= box.y - 0.5 && b.y + b.height <= box.y + box.height + 0.5, `badge inside its row's height: ${what}`);
        assert.ok(b.x >= box.x && b.x < box.x + box.width, `badge starts inside its row: ${what}`);
      }
      boxes.push(box);
    }
    for (let i = 1; i < boxes.length; i++) {
      assert.ok(boxes[i].y >= boxes[i - 1].y + boxes[i - 1].height - 0.5, `row ${i + 1} starts below row ${i}`);
    }
    assertNoProblems(problems);
  });

  it('the state follows the cursor: the stream the event touched opens and is in view', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const events = Array.from({ length: 30 }, (_, i) => ({ type: 'Set', stream: `s-${String(i).padStart(2, '0')}`, value: i }));
    await loadLog(page, JSON.stringify(events));
    const state = ui(page).state;
    const toggle = (name) => state.locator(`[data-stream="${name}"] > h3 .st-toggle`);
    await ui(page).slider.fill('26');
    await eventually(async () => assert.equal(await toggle('s-25').getAttribute('aria-expanded'), 'true', 'the stream event 26 touched is open'));
    const box = await state.locator('[data-stream="s-25"]').boundingBox();
    const pane = await state.boundingBox();
    assert.ok(box.y >= pane.y && box.y < pane.y + pane.height, `in view in the State pane: ${JSON.stringify({ box, pane })}`);
    await ui(page).slider.fill('27');
    await eventually(async () => assert.equal(await toggle('s-26').getAttribute('aria-expanded'), 'true'));
    assert.equal(await toggle('s-25').getAttribute('aria-expanded'), 'false', 'the one followed before closes again');
    await state.getByRole('checkbox', { name: 'Follow cursor', exact: true }).uncheck();
    await ui(page).slider.fill('20');
    await page.waitForTimeout(300);
    assert.equal(await toggle('s-19').getAttribute('aria-expanded'), 'false', 'not followed once turned off');
    assertNoProblems(problems);
  });
});
