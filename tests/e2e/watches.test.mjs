// End-to-end tests of expressions: a watch on the bank sample that follows the cursor, draws a
// sparkline and survives a reload; "Break when" on the classic log marking its match on the
// timeline, Next / Previous match jumping there, Play stopping there; syntax errors at their column.
//
// Elements by role and accessible name: region "Watches" with textbox "Watch expression", button
// "Add watch", list "Watched expressions" (a "Remove" button per row, an img "Sparkline of …");
// region "Break when" with textbox "Break when", buttons "Find matches", "Previous match",
// "Next match"; buttons "Match at event N" on the timeline.
//
// Run: `make build && node --test tests/e2e/watches.test.mjs`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MOUNT_TIMEOUT_MS, assertNoProblems, eventually, useApp } from './harness.mjs';
import { alertTexts, expectBalance, expectSlider, ui } from './ui.mjs';

const TEST_TIMEOUT_MS = 90_000;

function watches(page) {
  const region = page.getByRole('region', { name: 'Watches', exact: true });
  const list = region.getByRole('list', { name: 'Watched expressions', exact: true });
  return {
    region,
    input: region.getByRole('textbox', { name: 'Watch expression', exact: true }),
    add: region.getByRole('button', { name: 'Add watch', exact: true }),
    rows: list.getByRole('listitem'),
  };
}

function breakWhen(page) {
  const region = page.getByRole('region', { name: 'Break when', exact: true });
  return {
    region,
    input: region.getByRole('textbox', { name: 'Break when', exact: true }),
    find: region.getByRole('button', { name: 'Find matches', exact: true }),
    next: region.getByRole('button', { name: 'Next match', exact: true }),
    previous: region.getByRole('button', { name: 'Previous match', exact: true }),
    status: region.getByRole('status'),
  };
}

async function addWatch(page, expression) {
  const w = watches(page);
  await w.input.fill(expression);
  await w.add.click();
}

/** Wait until the only watch row reads `expected` (its expression and value). */
async function expectWatch(page, expected) {
  await eventually(async () => {
    const rows = await watches(page).rows.allInnerTexts();
    assert.equal(rows.length, 1, `one watch: ${JSON.stringify(rows)}`);
    assert.match(rows[0], expected);
  });
}

async function seek(page, position) {
  await ui(page).slider.fill(String(position));
  await expectSlider(page, position);
}

describe('Watches and conditional breakpoints', () => {
  const ctx = useApp();

  it('a watch on stream.balance follows the cursor, draws its sparkline and survives a reload', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    await addWatch(page, 'stream.balance');
    await expectWatch(page, /stream\.balance\s*= 120/);
    for (const [position, shown] of [[2, '= 70'], [1, '= 100'], [0, '= ()'], [3, '= 120']]) {
      await seek(page, position);
      await expectWatch(page, new RegExp(`stream\\.balance\\s*${shown.replace(/[()]/g, '\\$&')}`));
    }
    const sparkline = watches(page).region.getByRole('img', { name: /^Sparkline of stream\.balance/ });
    await eventually(async () => {
      assert.match(await sparkline.getAttribute('aria-label'), /from 70 to 120/);
    });

    await seek(page, 2);
    await expectWatch(page, /= 70/);
    // Saving waits for the changes to settle; then a reload brings the watch back.
    await page.waitForTimeout(800);
    await page.reload({ waitUntil: 'load' });
    await ui(page).state.waitFor({ state: 'visible', timeout: MOUNT_TIMEOUT_MS });
    await expectSlider(page, 2);
    await expectWatch(page, /stream\.balance\s*= 70/);
    await seek(page, 3);
    await expectWatch(page, /= 120/);

    await watches(page).rows.first().getByRole('button', { name: 'Remove', exact: true }).click();
    await eventually(async () => assert.equal(await watches(page).rows.count(), 0, 'the watch is removed'));
    await page.waitForTimeout(800);
    await page.reload({ waitUntil: 'load' });
    await ui(page).state.waitFor({ state: 'visible', timeout: MOUNT_TIMEOUT_MS });
    await expectBalance(page, 120, 'restored');
    assert.equal(await watches(page).rows.count(), 0, 'and it stays removed');
    assertNoProblems(problems);
  });

  it('a watch with a syntax error is not added and says where', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    await addWatch(page, 'stream.balance <');
    await eventually(async () => {
      const texts = await alertTexts(page);
      assert.ok(texts.some((t) => /The watch does not compile: column 17/.test(t)), JSON.stringify(texts));
    });
    assert.equal(await watches(page).rows.count(), 0);
    await addWatch(page, 'event.type');
    await expectWatch(page, /event\.type\s*= "Deposit"/);
    await seek(page, 2);
    await expectWatch(page, /= "Withdraw"/);
    assert.equal(await watches(page).region.getByRole('img').count(), 0, 'text has no sparkline');
    assertNoProblems(problems);
  });

  it('Break when stream.balance < 100 marks event 2; Next match goes there and Play stops there', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const b = breakWhen(page);
    await b.input.fill('stream.balance < 100');
    await b.input.press('Enter');
    await eventually(async () => assert.match(await b.status.innerText(), /^1 match$/));
    const mark = page.getByRole('button', { name: 'Match at event 2', exact: true });
    await mark.waitFor({ state: 'attached' });

    await page.getByRole('button', { name: 'Jump to start', exact: true }).click();
    await expectSlider(page, 0);
    assert.equal(await b.previous.isDisabled(), true, 'no match before the start');
    await b.next.click();
    await expectSlider(page, 2);
    await expectBalance(page, 70, 'at the match');
    assert.equal(await b.next.isDisabled(), true, 'no match after it');
    await seek(page, 3);
    await b.previous.click();
    await expectSlider(page, 2);

    await page.getByRole('button', { name: 'Jump to start', exact: true }).click();
    await expectSlider(page, 0);
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await expectSlider(page, 2);
    await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
    await page.waitForTimeout(1_200);
    await expectSlider(page, 2);

    await seek(page, 0);
    await mark.click();
    await expectSlider(page, 2);
    assertNoProblems(problems);
  });

  it('a condition with a syntax error says its column as it is typed', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const b = breakWhen(page);
    await b.input.fill('stream.balance <> 100');
    await eventually(async () => {
      const texts = await alertTexts(page);
      assert.ok(texts.some((t) => /The condition does not compile: column 17/.test(t)), JSON.stringify(texts));
    });
    await b.input.fill('event.type == "Deposit"');
    await b.find.click();
    await eventually(async () => assert.match(await b.status.innerText(), /^2 matches$/));
    assert.deepEqual(await alertTexts(page), [], 'the error is gone');
    assertNoProblems(problems);
  });
});
