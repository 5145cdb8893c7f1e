// End-to-end tests of "Compare with another log": the bank sample against a pasted copy with one
// amount changed, a file, a sample, the jump to the difference, a comparison redone when the
// loaded log changes, and Close.
//
// Elements by role and accessible name: region "Compare with another log", textbox "Second log"
// and button "Compare", button "Open second log" (the file input), combobox "Compare with a built-in log",
// region "Comparison" with list "Streams that differ", buttons "Go to event N" and
// "Close comparison".
//
// Run: `make build && node --test tests/e2e/compare.test.mjs`.
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT, assertNoProblems, eventually, useApp } from './harness.mjs';
import { chooseSample, expectCurrent, expectNoAlert, expectSlider, loadLog, ui } from './ui.mjs';

const TEST_TIMEOUT_MS = 120_000;
const AXE = join(REPO_ROOT, 'tests', 'e2e', 'node_modules', 'axe-core', 'axe.min.js');

/** The axe-core violations on the page as it is now, one line each. */
async function violations(page) {
  // Evaluated, not added as a <script>: the app's Content-Security-Policy forbids inline script.
  await page.evaluate(readFileSync(AXE, 'utf8'));
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — first: ${v.nodes[0].html.slice(0, 120)}`);
  });
}

// The bank sample as written in samples/bank.json, with the withdrawal's amount as given.
function bankLog(withdraw = 30, lastDeposit = 50) {
  return JSON.stringify({
    domain: 'bank',
    events: [
      { type: 'Deposit', data: { amount: 100 }, recorded_at: '2024-03-01T09:00:00Z' },
      { type: 'Withdraw', data: { amount: withdraw }, recorded_at: '2024-03-02T12:30:00Z' },
      { type: 'Deposit', data: { amount: lastDeposit }, recorded_at: '2024-03-05T16:45:00Z' },
    ],
  });
}

function compare(page) {
  const panel = page.getByRole('region', { name: 'Compare with another log', exact: true });
  const comparison = page.getByRole('region', { name: 'Comparison', exact: true });
  return {
    panel,
    secondLog: panel.getByRole('textbox', { name: 'Second log', exact: true }),
    compare: panel.getByRole('button', { name: 'Compare', exact: true }),
    openFile: panel.getByLabel('Open second log', { exact: true }),
    sample: panel.getByRole('combobox', { name: 'Compare with a built-in log', exact: true }),
    comparison,
    streams: comparison.getByRole('list', { name: 'Streams that differ', exact: true }),
    close: comparison.getByRole('button', { name: 'Close comparison', exact: true }),
  };
}

async function expectComparison(page, pattern) {
  await eventually(async () => {
    const c = compare(page);
    assert.ok(await c.comparison.isVisible(), 'the Comparison region is shown');
    assert.match(await c.comparison.innerText(), pattern);
  });
}

async function loadBankSample(page) {
  await chooseSample(page, 'Bank account');
  await eventually(async () => assert.equal(await ui(page).items.count(), 3, 'the bank sample has 3 events'));
  await expectNoAlert(page);
}

describe('Compare with another log', () => {
  const ctx = useApp();

  it('a pasted copy with one amount changed is found at that event, and Go to moves the cursor there', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    await loadBankSample(page);
    await expectSlider(page, 3);
    const c = compare(page);
    await c.secondLog.fill(bankLog(40));
    await c.compare.click();

    await expectComparison(page, /1 stream differs and ends differently; 0 are the same/);
    const text = await c.comparison.innerText();
    assert.match(text, /Stream\s+default/, 'names the stream');
    assert.match(text, /First differs after event 2 \(Withdraw\) here and event 2 \(Withdraw\) in the pasted log/);
    assert.match(text, /"balance": 70/, 'the state here');
    assert.match(text, /"balance": 60/, 'the state in the other log');
    const differences = c.streams.getByRole('list', { name: 'Differences', exact: true });
    assert.match(await differences.innerText(), /default\.balance[\s\S]*70[\s\S]*60/, 'the diff there');
    assert.match(await c.streams.getByRole('list', { name: 'Differences at the end', exact: true }).innerText(), /120[\s\S]*110/);

    assert.deepEqual(await violations(page), [], 'the comparison shown');

    await c.comparison.getByRole('button', { name: 'Go to event 2', exact: true }).click();
    await expectSlider(page, 2);
    await expectCurrent(page, 2);

    await c.close.click();
    await eventually(async () => assert.equal(await c.comparison.count(), 0, 'Close comparison removes it'));
    assertNoProblems(problems);
  });

  it('a file and a sample are compared too; a comparison is redone when the loaded log changes', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    await loadBankSample(page);
    const c = compare(page);
    await c.openFile.setInputFiles({ name: 'later.json', mimeType: 'application/json', buffer: Buffer.from(bankLog(30, 55)) });
    await expectComparison(page, /Compared with later\.json: 1 stream differs and ends differently/);
    assert.match(await c.comparison.innerText(), /First differs after event 3 \(Deposit\) here/);
    await c.comparison.getByRole('button', { name: 'Go to event 3', exact: true }).click();
    await expectSlider(page, 3);

    // The loaded log becomes the file's own text: compared again, nothing differs.
    await loadLog(page, bankLog(30, 55));
    await expectComparison(page, /Compared with later\.json: No stream differs; 1 is the same/);

    // A sample, chosen from the list: the bank sample differs from the loaded log at event 3.
    await c.sample.selectOption({ label: 'Bank account — Deposit 100, Withdraw 30, Deposit 50' });
    await expectComparison(page, /Compared with the sample "Bank account[^"]*": 1 stream differs/);
    assert.equal(await c.comparison.getByRole('button', { name: 'Go to event 3', exact: true }).count(), 1);
    assertNoProblems(problems);
  });
});
