// End-to-end tests of the State panel: tree, raw JSON, search, blame, paging.
//
// Elements are found only by role and accessible name:
//   region "State"; checkbox "Raw JSON"; searchbox "Search state"; buttons
//   "Next match", "Previous match", "Expand all", "Collapse all",
//   "Show more streams", "Show more fields"; a disclosure button per stream and
//   nested object, named by its key, with aria-expanded; a blame button per
//   leaf named "<path>: set by event N (Type) — go there"; role "status" for
//   the match count; role "mark" for highlights (the current one has
//   aria-current="true"). Elsewhere: slider "Timeline", combobox "Sample",
//   textbox "Event log", button "Load".
//
// Run: `make build && node --test tests/e2e/state.test.mjs`.
// REWIND_DIST=<dir> serves another build; CHROMIUM=<path> picks the browser.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertNoProblems, eventually, useApp } from './harness.mjs';
import { balanceIn, chooseSample, expectBalance, expectSlider, loadLog, ui } from './ui.mjs';

const TEST_TIMEOUT_MS = 90_000;

// ------------------------------------------------------------------ helpers

/** The controls inside the State region; the rest comes from `ui(page)`. */
function statePanel(page) {
  const { state } = ui(page);
  return {
    raw: state.getByRole('checkbox', { name: 'Raw JSON' }),
    search: state.getByRole('searchbox', { name: 'Search state' }),
    next: state.getByRole('button', { name: 'Next match' }),
    previous: state.getByRole('button', { name: 'Previous match' }),
    status: state.getByRole('status'),
    marks: state.getByRole('mark'),
    /** The disclosure button of a stream or nested object, by its key. */
    node: (key) => state.getByRole('button', { name: key, exact: true }),
    /** The blame button of a field, by its path ("default.balance"). */
    blame: (path) => state.getByRole('button', { name: new RegExp(`^${escape(path)}: set by event`) }),
  };
}

function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function expectStateText(page, pattern, why = '') {
  await eventually(async () => {
    const text = await ui(page).state.innerText();
    assert.match(text, pattern, `${why}\nState text:\n${text}`);
  });
}

async function expectNoStateText(page, pattern, why = '') {
  await eventually(async () => {
    const text = await ui(page).state.innerText();
    assert.doesNotMatch(text, pattern, `${why}\nState text:\n${text}`);
  });
}

async function expectStatus(page, pattern) {
  await eventually(async () => {
    const text = (await statePanel(page).status.innerText()).trim();
    assert.match(text, pattern, `status says ${JSON.stringify(text)}`);
  });
}

async function expectExpanded(locator, expanded, what) {
  await eventually(async () =>
    assert.equal(await locator.getAttribute('aria-expanded'), String(expanded), `${what} aria-expanded`),
  );
}

/** The text of every mark, and which one is current. */
async function markState(page) {
  return statePanel(page).marks.evaluateAll((els) =>
    els.map((el) => ({ text: el.textContent, current: el.getAttribute('aria-current') === 'true' })),
  );
}

// -------------------------------------------------------------------- tests

describe('State panel', { timeout: 600_000 }, () => {
  const ctx = useApp(); // ctx.app = { context, page, problems }, fresh for every test

  it('shows the bank state as a tree: stream expanded, balance 120, no replay-cost line', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const { state } = ui(page);
    const { node } = statePanel(page);
    await expectBalance(page, 120);
    await expectExpanded(node('default'), true, 'stream default');
    await expectStateText(page, /\bstatus\b\s*:?\s*open\b/, 'the status is shown as key then value');
    await expectStateText(page, /\btransactions\b\s*:?\s*3\b/);
    assert.doesNotMatch(await state.innerText(), /replayed/i, 'the snapshot cost line belongs elsewhere');

    // Collapsing the stream hides its fields; expanding shows them again.
    await node('default').click();
    await expectExpanded(node('default'), false, 'stream default');
    await expectNoStateText(page, /\bbalance\b/, 'fields of a collapsed stream are hidden');
    await node('default').click();
    await expectBalance(page, 120);
    assertNoProblems(problems);
  });

  it('shows the same state as raw JSON', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const { state } = ui(page);
    const { raw, search } = statePanel(page);
    await expectBalance(page, 120);
    await raw.check();
    await expectStateText(page, /"balance": 120\b/, 'raw JSON is pretty-printed');
    const text = await state.innerText();
    const json = text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1);
    assert.deepEqual(JSON.parse(json), { default: { status: 'open', balance: 120, transactions: 3 } });

    // Search works in the raw text too.
    await search.fill('balance');
    await expectStatus(page, /^1 of 1 match\b/);
    assert.deepEqual(await markState(page), [{ text: 'balance', current: true }]);

    await raw.uncheck();
    await expectNoStateText(page, /"balance"/, 'back to the tree');
    await expectBalance(page, 120);
    assertNoProblems(problems);
  });

  it('searches keys and values, case-insensitively, with next and previous', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const { search, next, previous } = statePanel(page);
    await expectBalance(page, 120);

    await search.fill('BALANCE');
    await expectStatus(page, /^1 of 1 match\b/);
    assert.deepEqual(await markState(page), [{ text: 'balance', current: true }]);
    await expectBalance(page, 120); // the highlight keeps "balance: 120" readable

    // "an" is in "balance" and "transactions".
    await search.fill('an');
    await expectStatus(page, /^1 of 2 matches\b/);
    await eventually(async () =>
      assert.deepEqual((await markState(page)).map((m) => m.current), [true, false]),
    );
    await next.click();
    await expectStatus(page, /^2 of 2 matches\b/);
    await eventually(async () =>
      assert.deepEqual((await markState(page)).map((m) => m.current), [false, true]),
    );
    await next.click(); // wraps around
    await expectStatus(page, /^1 of 2 matches\b/);
    await previous.click(); // and back
    await expectStatus(page, /^2 of 2 matches\b/);
    await search.press('Enter'); // Enter = next match
    await expectStatus(page, /^1 of 2 matches\b/);
    await search.press('Shift+Enter');
    await expectStatus(page, /^2 of 2 matches\b/);

    // Values are searched too: "open" is the status.
    await search.fill('OPEN');
    await expectStatus(page, /^1 of 1 match\b/);
    assert.deepEqual(await markState(page), [{ text: 'open', current: true }]);

    await search.fill('zzz');
    await expectStatus(page, /No matches for “zzz”/);
    assert.equal(await statePanel(page).marks.count(), 0, 'no marks without matches');
    assert.equal(await next.isDisabled(), true, 'Next match is disabled without matches');

    await search.press('Escape');
    await eventually(async () => assert.equal(await search.inputValue(), '', 'Escape clears the search'));
    await expectStatus(page, /^$/);
    assertNoProblems(problems);
  });

  it('blames each field on the event that last set it and goes there', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const { slider } = ui(page);
    const { blame } = statePanel(page);
    await expectBalance(page, 120);

    const balance = blame('default.balance');
    await eventually(async () =>
      assert.match(await balance.getAttribute('aria-label'), /set by event 3 \(Deposit\) — go there$/),
    );
    assert.match(await balance.innerText(), /event 3 \(Deposit\)/);
    assert.match(await balance.getAttribute('title'), /event 3 \(Deposit/);
    await balance.click();
    await expectSlider(page, 3);
    await expectBalance(page, 120);

    await slider.fill('2');
    await expectSlider(page, 2);
    await expectBalance(page, 70);
    await eventually(async () =>
      assert.match(await balance.getAttribute('aria-label'), /^default\.balance: set by event 2 \(Withdraw\) — go there$/),
    );

    // The status was set by the first event: going there moves the cursor back to 1.
    const status = blame('default.status');
    await eventually(async () => assert.match(await status.getAttribute('aria-label'), /set by event 1 \(Deposit\)/));
    await status.click();
    await expectSlider(page, 1);
    await expectBalance(page, 100);
    assertNoProblems(problems);
  });

  it('says so when no events are applied yet', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    await expectBalance(page, 120);
    await ui(page).slider.fill('0');
    await expectStateText(page, /No events applied yet/);
    assert.equal(balanceIn(await ui(page).state.innerText()), null, 'no balance at position 0');
    await ui(page).slider.fill('1');
    await expectBalance(page, 100);
    assertNoProblems(problems);
  });

  it('collapses and expands streams and nested objects of the store sample', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const { state } = ui(page);
    const { node, search } = statePanel(page);
    await chooseSample(page, 'Online store');
    await expectStateText(page, /order-1001/);
    await expectExpanded(node('order-1001'), true, 'order-1001 (two streams start expanded)');
    await expectExpanded(node('order-1002'), true, 'order-1002');
    await expectStateText(page, /\bcustomer\b\s*:?\s*Grace\b/);
    await expectStateText(page, /\bcustomer\b\s*:?\s*Ada\b/);

    await node('order-1002').click();
    await expectExpanded(node('order-1002'), false, 'order-1002 after a click');
    await expectNoStateText(page, /Grace/, 'the collapsed stream hides its fields');
    await expectStateText(page, /\bAda\b/, 'the other stream stays open');

    // A nested object collapses on its own.
    const items = node('items').first();
    await eventually(async () => assert.equal(await items.count(), 1, 'one "items" shown (order-1001)'));
    await expectStateText(page, /KETTLE/);
    await items.click();
    await expectExpanded(items, false, 'items');
    await expectNoStateText(page, /KETTLE/, 'collapsed items hide their lines');

    // A search match inside a collapsed stream opens it and highlights the match.
    await search.fill('grace');
    await expectStatus(page, /^1 of 1 match\b/);
    await expectExpanded(node('order-1002'), true, 'order-1002 opened to show the match');
    assert.deepEqual(await markState(page), [{ text: 'Grace', current: true }]);
    await search.fill('kettle');
    await expectStatus(page, /^1 of 1 match\b/);
    await expectExpanded(items, true, 'items opened to show the match');

    // Collapse all / Expand all.
    await search.fill('');
    await state.getByRole('button', { name: 'Collapse all' }).click();
    await expectExpanded(node('order-1001'), false, 'order-1001 after Collapse all');
    await expectNoStateText(page, /Ada|Grace/);
    await state.getByRole('button', { name: 'Expand all' }).click();
    await expectExpanded(node('order-1002'), true, 'order-1002 after Expand all');
    await expectStateText(page, /Grace/);
    assertNoProblems(problems);
  });

  it('follows the focused stream, and says when it has no events yet', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const { state, slider } = ui(page);
    const { node, raw } = statePanel(page);
    await chooseSample(page, 'Online store');
    await expectStateText(page, /\bAda\b/);

    await page.getByRole('combobox', { name: 'Stream', exact: true }).selectOption('order-1002');
    await expectStateText(page, /\bcustomer\b\s*:?\s*Grace\b/, 'the focused stream is shown');
    await expectNoStateText(page, /\bAda\b|order-1001/, 'other streams are not');
    await eventually(async () =>
      assert.equal(await state.getByRole('heading', { name: /^order-1002\b/, level: 3 }).count(), 1, 'stream heading'),
    );
    assert.equal(await node('order-1002').count(), 0, 'the focused stream is always expanded (no toggle)');

    await raw.check();
    await expectStateText(page, /"customer": "Grace"/);
    await expectNoStateText(page, /Ada/);
    await raw.uncheck();

    // order-1002 starts at event 3.
    await slider.fill('2');
    await expectStateText(page, /Stream “order-1002” has no events before this point/);
    await slider.fill('3');
    await expectStateText(page, /\bcustomer\b\s*:?\s*Grace\b/);
    assertNoProblems(problems);
  });

  it('pages thousands of streams and hundreds of fields', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const { state } = ui(page);
    const { search } = statePanel(page);
    const streams = Array.from({ length: 1200 }, (_, i) => ({
      type: 'Touched',
      stream: `s-${String(i).padStart(4, '0')}`,
      data: { n: i },
    }));
    const wide = Object.fromEntries(Array.from({ length: 450 }, (_, i) => [`f${i}`, i]));
    // Paging, not following: the stream the last event touched would otherwise open by itself.
    await state.getByRole('checkbox', { name: 'Follow cursor', exact: true }).uncheck();
    await loadLog(page, JSON.stringify([...streams, { type: 'Wide', stream: 'zz-wide', data: wide }]));
    const streamButtons = state.getByRole('button', { name: /^(s-\d{4}|zz-wide)$/ });
    await eventually(async () => assert.equal(await streamButtons.count(), 50, 'streams rendered at first'));
    assert.equal(await streamButtons.first().getAttribute('aria-expanded'), 'false', 'many streams start collapsed');
    await state.getByRole('button', { name: 'Show more streams' }).click();
    await eventually(async () => assert.equal(await streamButtons.count(), 100, 'after Show more streams'));

    // Searching for a stream far down the list shows it and opens nothing else.
    await search.fill('zz-wide');
    await expectStatus(page, /^1 of 1 match\b/);
    const wideStream = state.getByRole('button', { name: 'zz-wide', exact: true });
    await eventually(async () => assert.equal(await wideStream.count(), 1, 'zz-wide rendered'));
    await wideStream.click();
    await expectExpanded(wideStream, true, 'zz-wide');

    // 450 fields: the "data" object starts collapsed (it is big) and shows 200 at a time.
    const data = state.getByRole('button', { name: 'data', exact: true });
    await expectExpanded(data, false, 'a big nested object');
    await data.click();
    const fieldBlames = state.getByRole('button', { name: /^zz-wide\.data\.f\d+: set by event/ });
    await eventually(async () => assert.equal(await fieldBlames.count(), 200, 'fields rendered at first'));
    await state.getByRole('button', { name: 'Show more fields' }).click();
    await eventually(async () => assert.equal(await fieldBlames.count(), 400, 'after Show more fields'));

    // Next match reaches a field beyond the page.
    await search.fill('f449');
    await expectStatus(page, /^1 of 1 match\b/);
    await eventually(async () => assert.equal(await fieldBlames.count(), 450, 'paged on to show f449'));
    assert.deepEqual(await markState(page), [{ text: 'f449', current: true }]);
    await eventually(async () => {
      const inView = await statePanel(page).marks.evaluate((el) => {
        const box = el.getBoundingClientRect();
        return box.top >= 0 && box.bottom <= window.innerHeight;
      });
      assert.ok(inView, 'the current match is scrolled into view');
    });
    assertNoProblems(problems);
  });

  it('shows state text as text, never as HTML', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const { state } = ui(page);
    const { search } = statePanel(page);
    const evil = '<img src=x onerror=alert(1)>';
    await loadLog(page, JSON.stringify([{ type: 'Note', stream: evil, data: { [evil]: evil, note: `<b>${evil}</b>` } }]));
    await expectStateText(page, /<img src=x onerror=alert\(1\)>/);
    await search.fill('img');
    await expectStatus(page, /^1 of 4 matches\b/);
    await statePanel(page).raw.check();
    await expectStateText(page, /"<b><img src=x onerror=alert\(1\)><\/b>"/);
    await page.waitForTimeout(300);
    assert.equal(await state.evaluate((el) => el.querySelectorAll('img, b').length), 0, 'HTML was created from log text');
    assert.deepEqual(problems.dialogs, [], 'a dialog was opened');
    assertNoProblems(problems);
  });
});
