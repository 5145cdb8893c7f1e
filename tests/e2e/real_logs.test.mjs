// End-to-end tests of logs other systems write: a field mapping guessed or chosen, tolerant
// loading of a file with a corrupted line, a Redux DevTools export, and the Domain select.
//
// Elements by role and accessible name: button "Open log file", region "Field mapping" with
// comboboxes "Type field", "Stream field", "Time field", "Id field", "Data field" and button
// "Apply mapping", checkbox "Strict loading", combobox "Domain", combobox "Stream" (the focus).
//
// Run: `make build && node --test tests/e2e/real_logs.test.mjs`.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT, assertNoProblems, eventually, useApp } from './harness.mjs';
import { alertTexts, ui } from './ui.mjs';

const TEST_TIMEOUT_MS = 120_000;
const MAPPING = join(REPO_ROOT, 'tests', 'fixtures', 'mapping');
const REAL = join(REPO_ROOT, 'tests', 'fixtures', 'real');

function open(page) {
  return page.getByRole('button', { name: 'Open log file', exact: true });
}

function mappingRegion(page) {
  return page.getByRole('region', { name: 'Field mapping', exact: true });
}

async function expectText(locator, pattern, what) {
  await eventually(async () => {
    const text = await locator.innerText();
    assert.match(text, pattern, `${what}: ${text}`);
  }, { timeout: 10_000 });
}

/** The names the "Stream" focus select offers, but "All streams". */
async function streams(page) {
  const options = await page.getByRole('combobox', { name: 'Stream', exact: true }).locator('option').allInnerTexts();
  return options.filter((o) => !/all streams/i.test(o));
}

describe('Real logs', () => {
  const ctx = useApp();

  it('a nested PascalCase log loads with its streams through the guessed mapping', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    await open(page).setInputFiles(join(MAPPING, 'dotnet-nested.json'));
    await expectText(
      page.locator('.read-summary'),
      /Field mapping \(guessed\): type ← Event\.EventType, stream ← AggregateId, time ← StoredAt, id ← Id, data ← Event\.EventData\./,
      'the summary says what was guessed',
    );
    await eventually(async () => assert.deepEqual(await streams(page), ['account-7', 'account-9']));
    const region = mappingRegion(page);
    assert.equal(await region.getByRole('combobox', { name: 'Type field', exact: true }).inputValue(), 'Event.EventType');
    assert.equal(await region.getByRole('combobox', { name: 'Stream field', exact: true }).inputValue(), 'AggregateId');
    assertNoProblems(problems);
  });

  it('a JSON Lines log loads its streams after choosing the Type and Stream fields', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const lines = [
      { name: 'CartCreated', customer: 'c-1', at: '2024-05-01T10:00:00Z' },
      { name: 'ItemPut', customer: 'c-1', at: '2024-05-01T10:01:00Z', sku: 'A' },
      { name: 'CartCreated', customer: 'c-2', at: '2024-05-01T10:02:00Z' },
    ].map((e) => JSON.stringify(e)).join('\n');
    await open(page).setInputFiles({ name: 'carts.ndjson', mimeType: 'application/x-ndjson', buffer: Buffer.from(lines) });
    const region = mappingRegion(page);
    await expectText(region, /Rewind guessed where the parts are: type ← name, time ← at\./, 'the guess has no stream');
    assert.deepEqual(await streams(page), ['default']);
    await region.getByRole('combobox', { name: 'Type field', exact: true }).selectOption('name');
    await region.getByRole('combobox', { name: 'Stream field', exact: true }).selectOption('customer');
    await region.getByRole('button', { name: 'Apply mapping', exact: true }).click();
    await expectText(region, /Read with your mapping: type ← name, stream ← customer, time ← at\./, 'the chosen mapping');
    await eventually(async () => assert.deepEqual(await streams(page), ['c-1', 'c-2']));
    assertNoProblems(problems);
  });

  it('a log with a corrupted line loads the rest and marks the line', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    await open(page).setInputFiles(join(MAPPING, 'corrupted-line.ndjson'));
    await expectText(page.locator('.read-summary'), /^6 events read; 1 could not be read: line 7\./, 'the summary counts it');
    const events = ui(page).events;
    await expectText(events, /Unreadable/, 'the list marks the line');
    await expectText(events, /could not be read: event 7 \(line 7\): the line is not JSON/, 'and says why');
    const markers = page.locator('.marker.unreadable');
    await eventually(async () => assert.equal(await markers.count(), 1, 'one marker on the timeline'));
    assert.deepEqual(await alertTexts(page), [], 'no alert: the log loaded');
    assertNoProblems(problems);
  });

  it('a Redux DevTools export loads its actions and the state before them', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    await open(page).setInputFiles(join(REAL, 'redux-devtools-cli-report-export.json'));
    await expectText(page.getByText(/ — \d+ events?, read as /), /— 2 events, read as a Redux DevTools export/, 'the summary');
    await expectText(ui(page).events, /ADD_TODO[\s\S]*SOME_FINAL_ACTION/, 'the actions, in order');
    const slider = page.getByRole('slider', { name: 'Timeline', exact: true });
    await slider.fill('0');
    await expectText(page.getByRole('region', { name: 'State', exact: true }), /Before the first action the state was \(from the export\): \{"todos"/, 'the preloaded state');
    assertNoProblems(problems);
  });

  it('the Domain select turns the two-event cart log into generic data without errors', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const cart = [
      { eventType: 'ItemAdded', eventId: 'fbf4a1a1-b4a3-4dfe-a01f-ec52c34e16e4', data: { Description: 'Xbox One S 1TB (Console)' } },
      { eventType: 'ItemAdded', eventId: '0f9fad5b-d9cb-469f-a165-70867728950e', data: { Description: 'Gears of War 4' } },
    ];
    await open(page).setInputFiles({ name: 'cart.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(cart)) });
    const domain = page.getByRole('combobox', { name: 'Domain', exact: true });
    await eventually(async () => assert.equal(await domain.inputValue(), 'generic', 'the data does not fit the store'));
    await expectText(page.locator('.log-summary'), /not store: 2 of the 2 store events checked lack data it needs/, 'and why');
    await domain.selectOption('store');
    await expectText(ui(page).events, /data\.sku is missing/, 'as a store, every event is an error');
    await domain.selectOption('generic');
    await eventually(async () => assert.doesNotMatch(await ui(page).events.innerText(), /Error/));
    await expectText(page.locator('.log-summary'), /you chose the generic domain/, 'the reason is the person');
    assertNoProblems(problems);
  });
});
