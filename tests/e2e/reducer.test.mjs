// End-to-end tests of the person's own reducer: the contract's example pasted into "Reducer script"
// and applied to the classic log, a rule broken, a syntax error, an endless loop, and the script
// surviving a reload and an export / import.
//
// Elements by role and accessible name: region "Reducer", textbox "Reducer script", buttons
// "Apply reducer" and "Start from this log", list "Reducer errors", combobox "Domain".
//
// Run: `make build && node --test tests/e2e/reducer.test.mjs`.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { MOUNT_TIMEOUT_MS, assertNoProblems, eventually, newApp, useApp } from './harness.mjs';
import { alertTexts, expectBalance, loadClassic, loadLog, ui } from './ui.mjs';

const TEST_TIMEOUT_MS = 120_000;

const CONTRACT_EXAMPLE = `// optional: a stream's state before its first event (default: an empty map #{})
fn init(stream) { #{ balance: 0 } }

fn apply(state, event) {
    switch event.type {
        "Deposit" => { state.balance += event.data.amount; }
        "Withdraw" => { state.balance -= event.data.amount; }
    }
    state
}

fn check(state, event) { if state.balance < 0 { "overdraft" } }

fn project_total(view, event) { view.events = (view.events ?? 0) + 1; view }
`;

function reducer(page) {
  const region = page.getByRole('region', { name: 'Reducer', exact: true });
  return {
    region,
    script: region.getByRole('textbox', { name: 'Reducer script', exact: true }),
    apply: region.getByRole('button', { name: 'Apply reducer', exact: true }),
    startFromLog: region.getByRole('button', { name: 'Start from this log', exact: true }),
  };
}

async function applyScript(page, text) {
  const r = reducer(page);
  await r.script.fill(text);
  await r.apply.click();
}

async function seek(page, position) {
  await ui(page).slider.fill(String(position));
}

describe('Your own reducer', () => {
  const ctx = useApp();

  it('the contract example shows 70 at event 2 and 120 at the end; a withdraw of 200 is an overdraft', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    await loadClassic(page);
    await applyScript(page, CONTRACT_EXAMPLE);
    await eventually(async () => assert.match(await page.locator('.log-summary').innerText(), /your reducer script/));
    await seek(page, 2);
    await expectBalance(page, 70, 'at event 2, by the script');
    await seek(page, 3);
    await expectBalance(page, 120, 'at the end');

    await loadLog(page, JSON.stringify([{ type: 'Deposit', amount: 100 }, { type: 'Withdraw', amount: 200 }]));
    await applyScript(page, CONTRACT_EXAMPLE);
    await eventually(async () => assert.match(await ui(page).events.innerText(), /Violation[\s\S]*overdraft/));
    assertNoProblems(problems);
  });

  it('a syntax error shows its line; an endless loop stops with a message and the page keeps working', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    await loadClassic(page);
    const r = reducer(page);
    await applyScript(page, 'fn apply(state, event) {\n    state.balance = ;\n    state\n}');
    await eventually(async () => {
      const texts = await alertTexts(page);
      assert.ok(texts.some((t) => /The script does not compile: line 2, column \d+/.test(t)), JSON.stringify(texts));
    });
    assert.equal(await r.region.locator('.line-number.error').innerText(), '2', 'the line is marked');

    await applyScript(page, 'fn apply(state, event) {\n    if event.type == "Withdraw" { loop {} }\n    state\n}');
    const errors = r.region.getByRole('list', { name: 'Reducer errors', exact: true });
    await eventually(async () => assert.match(await errors.innerText(), /Event 2 \(Withdraw\): the reducer's apply stopped after \d+ operations/), { timeout: 15_000 });
    // Still working: the timeline moves.
    await seek(page, 1);
    await eventually(async () => assert.equal(await ui(page).slider.inputValue(), '1'));
    assertNoProblems(problems);
  });

  it('the script survives a reload and an export / import', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    await loadClassic(page);
    await applyScript(page, CONTRACT_EXAMPLE);
    await eventually(async () => assert.match(await page.locator('.log-summary').innerText(), /your reducer script/));
    // Saved with the session (the save waits for the typing to stop).
    await page.waitForTimeout(1500);
    await page.reload({ waitUntil: 'load' });
    await ui(page).state.waitFor({ state: 'visible', timeout: MOUNT_TIMEOUT_MS });
    await eventually(async () => assert.equal(await reducer(page).script.inputValue(), CONTRACT_EXAMPLE), { timeout: 10_000 });
    await eventually(async () => assert.match(await page.locator('.log-summary').innerText(), /your reducer script/));
    await seek(page, 2);
    await expectBalance(page, 70, 'after the reload, by the script');

    // Export, then load the file: it replays with the script it carries.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export Rewind JSON', exact: true }).click();
    const file = await (await download).path();
    const exported = await readFile(file, 'utf8');
    assert.match(exported, /"reducer": \{/);
    await loadClassic(page);
    await page.getByRole('button', { name: 'Open log file', exact: true }).setInputFiles({ name: 'with-reducer.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
    await eventually(async () => assert.match(await page.locator('.log-summary').innerText(), /with-reducer\.json[\s\S]*your reducer script/), { timeout: 10_000 });
    assertNoProblems(problems);
  });

  it('"Start from this log" writes an arm per event type; the bank script is in the Domain select', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    await loadClassic(page);
    const r = reducer(page);
    await r.startFromLog.click();
    const text = await r.script.inputValue();
    assert.match(text, /"Deposit" => \{\n\s+\/\/ data: amount/);
    assert.match(text, /"Withdraw" => \{/);
    await page.getByRole('combobox', { name: 'Domain', exact: true }).selectOption('script:bank.rhai');
    await eventually(async () => assert.match(await r.script.inputValue(), /The bank, as a script/));
    await expectBalance(page, 120, 'the bank script gives the compiled bank\'s balance');
    assertNoProblems(problems);
  });

  it('the lesson "Write the reducer" is done once the Withdraw arm is written and applied', { timeout: TEST_TIMEOUT_MS }, async () => {
    await ctx.app.context.close();
    ctx.app = await newApp(ctx.browser, ctx.server, '/#/learn/9');
    const { page, problems } = ctx.app;
    const lesson = page.getByRole('region', { name: 'Lesson', exact: true });
    await eventually(async () => assert.match(await lesson.innerText(), /Lesson 9: Write the reducer/), { timeout: 15_000 });
    const r = reducer(page);
    // The log carries the reducer without its Withdraw arm: 150, not 120.
    await eventually(async () => assert.match(await r.script.inputValue(), /your turn/), { timeout: 10_000 });
    await expectBalance(page, 150, 'with deposits only');
    const link = lesson.getByRole('navigation', { name: 'Lessons' }).getByRole('link', { name: /^9\. / });
    assert.doesNotMatch(await link.innerText(), /\(done\)/, 'not done before the arm is written');
    const solved = (await r.script.inputValue()).replace(
      /\/\/ "Withdraw" => \{ … \}.*$/m,
      '"Withdraw" => { state.balance -= event.data.amount; }',
    );
    await applyScript(page, solved);
    await expectBalance(page, 120, 'with the Withdraw arm');
    await eventually(async () => assert.match(await link.innerText(), /\(done\)/), { timeout: 10_000 });
    assertNoProblems(problems);
  });

  it('a projection shows in State and can be charted instead of a stream', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    await loadClassic(page);
    await applyScript(page, CONTRACT_EXAMPLE);
    await eventually(async () => assert.match(await page.locator('.log-summary').innerText(), /your reducer script/));
    const chart = page.getByRole('region', { name: 'Chart', exact: true });
    await chart.getByRole('combobox', { name: 'Chart of', exact: true }).selectOption('total');
    await eventually(async () => {
      assert.match(await chart.innerText(), /Charting projection total/);
      const plot = chart.getByRole('img', { name: 'Chart of events for projection total across the whole log' });
      assert.equal(await plot.count(), 1);
    });
    await seek(page, 2);
    await eventually(async () => assert.match(await chart.innerText(), /events at the cursor: 2 \(event 2\)/));
    await chart.getByRole('combobox', { name: 'Chart of', exact: true }).selectOption('');
    await eventually(async () => assert.match(await chart.innerText(), /Charting stream default/));
    assertNoProblems(problems);
  });
});
