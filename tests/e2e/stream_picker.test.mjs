// The Stream picker with 200,000 streams: combobox "Stream" offers at most 200 of them (and says
// how many more), searchbox "Find stream" narrows it (any case, anywhere in the name), and picking
// one focuses it — the focused stream stays offered whatever the search. A log with a handful of
// streams has no search box.
//
// Run: `make build && node --test tests/e2e/stream_picker.test.mjs`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertNoProblems, eventually, useApp } from './harness.mjs';
import { ui } from './ui.mjs';

const STREAMS = 200_000;
const SHOWN = 200;
const names = Array.from({ length: STREAMS }, (_, i) => `acc-${String(i).padStart(6, '0')}`);

function picker(page) {
  const stream = page.getByRole('combobox', { name: 'Stream', exact: true });
  return {
    stream,
    find: page.getByRole('searchbox', { name: 'Find stream', exact: true }),
    /** The options' texts, in order. */
    options: async () => (await stream.locator('option').allTextContents()).map((t) => t.trim()),
  };
}

/** What the select should offer for `query`: "All streams", the first matches, and the rest counted. */
function expected(query, focused) {
  const matches = names.filter((name) => name.toLowerCase().includes(query.toLowerCase()));
  const shown = matches.slice(0, SHOWN);
  const more = matches.length - shown.length;
  return [
    'All streams',
    ...(focused && !shown.includes(focused) ? [focused] : []),
    ...shown,
    ...(more > 0 ? [`… ${more.toLocaleString('en-US')} more: type to narrow`] : []),
    ...(matches.length === 0 ? [`No stream matches “${query}”`] : []),
  ];
}

async function expectOptions(page, query, focused = null) {
  const want = expected(query, focused);
  await eventually(async () => assert.deepEqual(await picker(page).options(), want, `options for ${JSON.stringify(query)}`), { timeout: 10_000 });
}

describe('Stream picker', { timeout: 600_000 }, () => {
  const ctx = useApp();

  it('a log with a few streams has no search box', { timeout: 60_000 }, async () => {
    const { page, problems } = ctx.app;
    assert.deepEqual(await picker(page).options(), ['All streams', 'default']);
    assert.equal(await picker(page).find.count(), 0, 'nothing to search');
    assertNoProblems(problems);
  });

  it('with 200,000 streams, Find stream narrows the select and picking one focuses it', { timeout: 300_000 }, async () => {
    const { page, problems } = ctx.app;
    const { log, load } = ui(page);
    await log.fill(JSON.stringify(names.map((stream) => ({ type: 'Opened', stream }))));
    await load.click();
    await eventually(async () => assert.match(await page.locator('body').innerText(), /event 200000 of 200000/), { timeout: 120_000 });

    const { stream, find } = picker(page);
    await expectOptions(page, '');
    assert.equal(await stream.locator('option[disabled]').count(), 1, 'the count of the rest cannot be picked');
    assert.ok((await stream.locator('option').count()) <= SHOWN + 3, 'a few hundred options, not 200,000');
    const filter = page.getByRole('combobox', { name: 'Stream filter', exact: true });
    assert.ok((await filter.locator('option').count()) <= SHOWN + 3, 'the Events pane offers a few hundred too');
    assert.match(await filter.locator('option[disabled]').innerText(), /199,800 more: type a stream's name in the filter/);

    await find.fill('12345');
    await expectOptions(page, '12345');
    await find.fill('ACC-19999');
    await expectOptions(page, 'ACC-19999');
    await stream.selectOption('acc-199995');
    await eventually(async () => assert.match(page.url(), /stream=acc-199995/, 'the focus is in the URL'));
    await eventually(async () => assert.match(await ui(page).state.innerText(), /acc-199995/, 'the State shows the stream'));
    assert.equal(await stream.inputValue(), 'acc-199995');

    // Searching on, or clearing the search, keeps the focused stream offered and chosen.
    await find.fill('zzz');
    await expectOptions(page, 'zzz', 'acc-199995');
    await find.fill('');
    await expectOptions(page, '', 'acc-199995');
    assert.equal(await stream.inputValue(), 'acc-199995', 'still focused, though past the first 200');

    await stream.selectOption('');
    await eventually(async () => assert.doesNotMatch(page.url(), /stream=/, 'All streams: no focus'));
    assertNoProblems(problems);
  });
});
