// End-to-end tests of the test generator, in headless Chromium.
//
// Elements are found by role and accessible name:
//   button "Generate test" (in the Log details), which opens region "Generated test": a sentence
//     saying what the test is of, a radiogroup "Test format" with radios "JSON fixture" and
//     "Rust test", a read-only textbox "Test code", buttons "Copy" and "Download", and a status;
//   slider "Timeline", button "Step back", combobox "Sample", combobox "Stream".
//
// Run: `make build && node --test tests/e2e/generate_test.test.mjs`
// (REWIND_DIST=<dir> serves another build; CHROMIUM=<path> picks the browser).
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT, assertNoProblems, eventually, useApp } from './harness.mjs';
import { chooseSample, expectSlider, ui } from './ui.mjs';

const TEST_TIMEOUT_MS = 90_000;

function generator(page) {
  const region = page.getByRole('region', { name: 'Generated test', exact: true });
  return {
    generate: page.getByRole('button', { name: 'Generate test', exact: true }),
    region,
    fixture: region.getByRole('radio', { name: 'JSON fixture', exact: true }),
    rust: region.getByRole('radio', { name: 'Rust test', exact: true }),
    code: region.getByRole('textbox', { name: 'Test code', exact: true }),
    copy: region.getByRole('button', { name: 'Copy', exact: true }),
    download: region.getByRole('button', { name: 'Download', exact: true }),
    status: region.getByRole('status'),
    stream: page.getByRole('combobox', { name: 'Stream', exact: true }),
  };
}

async function seek(page, position) {
  await ui(page).slider.fill(String(position));
  await expectSlider(page, position);
}

/** Wait until the code box holds text matching `pattern`; returns the text. */
async function codeMatching(g, pattern) {
  let text = '';
  await eventually(async () => {
    text = await g.code.inputValue();
    assert.match(text, pattern);
  });
  return text;
}

/** What axe-core finds wrong in the "Generated test" region, one line each. */
async function axeViolations(page) {
  // Evaluated, not added as a <script>: the app's Content-Security-Policy forbids inline script.
  await page.evaluate(readFileSync(join(REPO_ROOT, 'tests', 'e2e', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8'));
  return page.evaluate(async () => {
    const region = document.querySelector('[role=region][aria-label="Generated test"]');
    const result = await window.axe.run(region, { resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes[0].html.slice(0, 120)}`);
  });
}

async function expectStatus(g, pattern) {
  await eventually(async () => assert.match((await g.status.innerText()).trim(), pattern));
}

describe('Generate test', () => {
  const ctx = useApp();

  it('turns the stream at the cursor into a JSON fixture and a Rust test, each downloaded as shown', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const g = generator(page);
    await chooseSample(page, 'Bank account');
    await seek(page, 3);
    await ui(page).stepBack.click();
    await expectSlider(page, 2);
    assert.equal(await g.region.count(), 0, 'no region before the button is pressed');

    await g.generate.click();
    await eventually(async () => assert.ok(await g.region.isVisible()));
    await eventually(async () =>
      assert.match(await g.region.innerText(), /Stream default, event 2 \(Withdraw\): given 1 earlier event/),
    );
    assert.ok(await g.fixture.isChecked(), 'the JSON fixture is shown first');
    assert.ok(await g.code.evaluate((el) => el.readOnly), 'the code box is read-only');
    const json = await codeMatching(g, /"rewind_test": 1/);
    const fixture = JSON.parse(json);
    assert.equal(fixture.domain, 'bank');
    assert.equal(fixture.stream, 'default');
    assert.deepEqual(fixture.given, [{ type: 'Deposit', data: { amount: 100 } }]);
    assert.deepEqual(fixture.when, { type: 'Withdraw', data: { amount: 30 } });
    assert.deepEqual(fixture.then, { state: { status: 'open', balance: 70, transactions: 2 }, violations: [], errors: [] });
    assert.deepEqual(await axeViolations(page), [], 'the region passes axe-core');

    const [jsonFile] = await Promise.all([page.waitForEvent('download'), g.download.click()]);
    assert.equal(jsonFile.suggestedFilename(), 'default-withdraw-event-2.json');
    assert.equal(await readFile(await jsonFile.path(), 'utf8'), json, 'the file is the fixture shown');
    await expectStatus(g, /^Downloaded default-withdraw-event-2\.json\.$/);

    await g.rust.check();
    const rust = await codeMatching(g, /#\[test\]\nfn default_withdraw_event_2\(\) \{/);
    assert.match(rust, /rewind_engine::session::Session::load\("generated test", log\)/);
    assert.match(rust, /"balance": 70/);
    const [rustFile] = await Promise.all([page.waitForEvent('download'), g.download.click()]);
    assert.equal(rustFile.suggestedFilename(), 'default_withdraw_event_2.rs');
    assert.equal(await readFile(await rustFile.path(), 'utf8'), rust, 'the file is the Rust test shown');
    assertNoProblems(problems);
  });

  it('copies the text shown, or says how to copy it when the clipboard is refused', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, context, problems } = ctx.app;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ctx.server.url });
    const g = generator(page);
    await chooseSample(page, 'Mistake to fix: a withdrawal');
    await seek(page, 3);
    await g.generate.click();
    const json = await codeMatching(g, /"violations": \["withdrawal of 300 exceeds the balance of 250"\]/);
    await g.copy.click();
    await expectStatus(g, /^Copied the JSON fixture\.$/);
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), json, 'the clipboard holds the fixture');

    // A browser that refuses the clipboard: the text is selected for the person instead.
    await page.evaluate(() => {
      navigator.clipboard.writeText = () => Promise.reject(new DOMException('refused', 'NotAllowedError'));
    });
    await g.rust.check();
    const rust = await codeMatching(g, /fn acc_42_withdraw_event_3\(\)/);
    await g.copy.click();
    await expectStatus(g, /^Could not copy: the browser refused the clipboard\. The text is selected in the box/);
    const selected = await g.code.evaluate((el) => el.value.slice(el.selectionStart, el.selectionEnd));
    assert.equal(selected, rust, 'the whole Rust test is selected');
    assertNoProblems(problems, { console: false });
  });

  it('uses the focused stream and says when the event at the cursor is on another, and when the cursor moved', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const g = generator(page);
    await chooseSample(page, 'Online store');
    await seek(page, 4);
    await g.stream.selectOption('order-1002');
    await g.generate.click();
    await eventually(async () => {
      const text = await g.region.innerText();
      assert.match(text, /Stream order-1002, event 3 \(OrderPlaced\)/);
      assert.match(text, /The event at the cursor \(event 4, PaymentReceived\) is on stream order-1001/);
    });
    const fixture = JSON.parse(await codeMatching(g, /"stream": "order-1002"/));
    assert.equal(fixture.then.state.status, 'placed');
    assert.match(await g.code.inputValue(), /"price": 24\.00/, 'numbers kept exactly as written');

    await seek(page, 5);
    await eventually(async () => assert.match(await g.region.innerText(), /press Generate test again/));
    await g.generate.click();
    await eventually(async () => {
      const text = await g.region.innerText();
      assert.match(text, /Stream order-1002, event 5 \(OrderCancelled\)/);
      assert.doesNotMatch(text, /press Generate test again/);
    });

    // At the start of the log there is no event to test.
    await g.stream.selectOption({ label: 'All streams' });
    await seek(page, 0);
    await g.generate.click();
    await eventually(async () =>
      assert.match(await g.region.innerText(), /The cursor is at the start of the log: move it to an event first\./),
    );
    assert.equal(await g.code.count(), 0, 'no code box without a test');
    assertNoProblems(problems);
  });
});
