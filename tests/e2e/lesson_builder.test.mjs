// End-to-end test of the lesson builder: a teacher makes a lesson from the bank sample (a state
// value picked at the cursor, then an event to skip), tries it in place and solves it, downloads
// it, opens that file with "Open lesson file" on a fresh page and solves it again, and opens it
// through the copied lesson link.
//
// Elements are found only by role and accessible name:
//   button "Make a lesson" (aria-expanded); region "Lesson builder" with textboxes "Lesson title",
//   "Lesson explanation", "What happened (shown at the end)", spinbutton "Start at position",
//   textboxes "Step task", "Step hint", "Step done text", comboboxes "Check" and "Field",
//   spinbutton "Event number", buttons "Add step", "Try the lesson", "Download lesson file",
//   "Copy lesson link", textbox "Lesson link"; then the region "Lesson" of Learn mode.
//
// Run: `trunk build --release --dist target/builder-dist &&
//       REWIND_DIST=target/builder-dist node --test tests/e2e/lesson_builder.test.mjs`.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { assertNoProblems, eventually, newApp, useApp } from './harness.mjs';
import { chooseSample, expectBalance, ui } from './ui.mjs';

const TEST_TIMEOUT_MS = 120_000;
const TITLE = 'Seventy, then a missing withdrawal';

function builder(page) {
  const region = page.getByRole('region', { name: 'Lesson builder', exact: true });
  return {
    toggle: page.getByRole('button', { name: 'Make a lesson', exact: true }),
    region,
    title: region.getByRole('textbox', { name: 'Lesson title', exact: true }),
    explanation: region.getByRole('textbox', { name: 'Lesson explanation', exact: true }),
    whatHappened: region.getByRole('textbox', { name: 'What happened (shown at the end)', exact: true }),
    start: region.getByRole('spinbutton', { name: 'Start at position', exact: true }),
    task: region.getByRole('textbox', { name: 'Step task', exact: true }),
    hint: region.getByRole('textbox', { name: 'Step hint', exact: true }),
    done: region.getByRole('textbox', { name: 'Step done text', exact: true }),
    check: region.getByRole('combobox', { name: 'Check', exact: true }),
    field: region.getByRole('combobox', { name: 'Field', exact: true }),
    event: region.getByRole('spinbutton', { name: 'Event number', exact: true }),
    addStep: region.getByRole('button', { name: 'Add step', exact: true }),
    steps: region.getByRole('list').first(),
    tryIt: region.getByRole('button', { name: 'Try the lesson', exact: true }),
    download: region.getByRole('button', { name: 'Download lesson file', exact: true }),
    copyLink: region.getByRole('button', { name: 'Copy lesson link', exact: true }),
    link: region.getByRole('textbox', { name: 'Lesson link', exact: true }),
  };
}

function lesson(page) {
  const region = page.getByRole('region', { name: 'Lesson', exact: true });
  return {
    region,
    heading: region.getByRole('heading', { level: 2 }).filter({ hasText: /^Lesson \d+:/ }),
    status: region.getByRole('status'),
    file: region.getByLabel('Open lesson file'),
  };
}

async function expectHeading(page, pattern) {
  await eventually(async () => assert.match(await lesson(page).heading.innerText(), pattern), { timeout: 15_000 });
}

async function expectStatus(page, pattern) {
  await eventually(async () => assert.match(await lesson(page).status.innerText(), pattern, 'lesson status'), {
    timeout: 10_000,
  });
}

/** Solves the made lesson as a learner would: the timeline to 2 (balance 70), then skip event 2. */
async function solve(page) {
  await expectHeading(page, new RegExp(`^Lesson 16: ${TITLE}$`));
  await expectStatus(page, /^Not yet… \(step 1 of 2\)/);
  assert.match(await lesson(page).region.innerText(), /Move the timeline to where the balance is 70/);
  // Not at 1 or 3.
  await ui(page).slider.fill('1');
  await expectBalance(page, 100);
  await expectStatus(page, /^Not yet… \(step 1 of 2\)/);
  await ui(page).slider.fill('2');
  await expectBalance(page, 70);
  await expectStatus(page, /^Not yet… \(step 2 of 2\)/);
  assert.match(await lesson(page).region.innerText(), /100 − 30 is 70/, "step 1's done text");
  await page.getByRole('checkbox', { name: 'Skip event 2', exact: true }).check();
  await expectStatus(page, /^Done!/);
  assert.match(await lesson(page).region.innerText(), /History was replayed without the withdrawal/);
}

describe('lesson builder', () => {
  const ctx = useApp();

  it('makes a lesson, tries it, downloads it, opens the file and the link, and solves each', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    await chooseSample(page, 'Bank account');
    await expectBalance(page, 120);

    const b = builder(page);
    assert.equal(await b.toggle.getAttribute('aria-expanded'), 'false');
    await b.toggle.click();
    await b.region.waitFor();
    assert.equal(await b.toggle.getAttribute('aria-expanded'), 'true');
    assert.match(await b.region.innerText(), /Log: .*3 events, 0 corrections/);
    // The view starts where the cursor is, by default.
    assert.equal(await b.start.inputValue(), '3');

    await b.title.fill(TITLE);
    await b.explanation.fill('The balance is a fold of the events. Find where it reads 70, then replay without the withdrawal.');
    await b.whatHappened.fill('History was replayed without the withdrawal: state is what the events say.');

    // Step 1: the balance at the cursor, picked at position 2.
    await ui(page).slider.fill('2');
    await expectBalance(page, 70);
    await b.task.fill('Move the timeline to where the balance is 70.');
    await b.hint.fill('After the withdrawal of 30.');
    await b.done.fill('Yes: 100 − 30 is 70.');
    await b.check.selectOption({ label: 'The state at the cursor has this value' });
    const fieldLabels = (await b.field.getByRole('option').allInnerTexts()).map((l) => l.trim());
    const balance = fieldLabels.find((l) => /^default\.balance = 70(\.0+)?$/.test(l));
    assert.ok(balance, `a "default.balance = 70" field: ${JSON.stringify(fieldLabels)}`);
    await b.field.selectOption({ label: balance });
    await b.addStep.click();
    await eventually(async () => assert.match(await b.steps.innerText(), /balance is 70.*done when the state at the cursor has default\.balance = 70/s));

    // Starting where the value was picked, the step would be done at once: the form says so.
    await b.start.fill('2');
    await eventually(async () => assert.match(await b.region.innerText(), /already holds where the lesson starts/));
    await b.start.fill('0');
    await eventually(async () => assert.doesNotMatch(await b.region.innerText(), /already holds where the lesson starts/));

    // Step 2: event 2 skipped.
    await b.task.fill('Replay the log as if the withdrawal never happened.');
    await b.hint.fill("Tick the withdrawal's skip box.");
    await b.check.selectOption({ label: 'This event is skipped' });
    await b.event.fill('2');
    await eventually(async () => assert.match(await b.region.innerText(), /Event 2: Withdraw in default/));
    await b.addStep.click();
    await eventually(async () => assert.match(await b.steps.innerText(), /done when event 2 is skipped/));
    assert.doesNotMatch(await b.region.innerText(), /already holds where the lesson starts/);

    // Tried in place: it opens in Learn mode as lesson 16, and is solved as a learner would.
    await b.tryIt.click();
    await solve(page);

    // Downloaded: the file is a lesson with the log written in.
    const [download] = await Promise.all([page.waitForEvent('download'), b.download.click()]);
    assert.equal(download.suggestedFilename(), 'seventy-then-a-missing-withdrawal.json');
    const file = await readFile(await download.path(), 'utf8');
    const written = JSON.parse(file);
    assert.equal(written.title, TITLE);
    assert.deepEqual(written.start, { at: 0 });
    assert.equal(written.log.inline.events.length, 3);
    assert.deepEqual(written.steps.map((s) => Object.keys(s.check)[0]), ['state_at_cursor', 'skipped']);
    assert.deepEqual(written.steps[1].check, { skipped: { event: 2 } });

    // The link carries the lesson itself.
    await b.copyLink.click();
    await b.link.waitFor();
    const link = await b.link.inputValue();
    assert.match(link, /\?lesson=inline:[A-Za-z0-9_-]+$/);
    assertNoProblems(problems);

    // A fresh page: the downloaded file through "Open lesson file".
    const fromFile = await newApp(ctx.browser, ctx.server);
    try {
      await fromFile.page.getByRole('button', { name: 'Learn', exact: true }).click();
      await lesson(fromFile.page).file.setInputFiles({ name: 'made.json', mimeType: 'application/json', buffer: Buffer.from(file) });
      await solve(fromFile.page);
      assertNoProblems(fromFile.problems);
    } finally {
      await fromFile.context.close();
    }

    // Another fresh page: the copied link.
    const fromLink = await newApp(ctx.browser, ctx.server, new URL(link).pathname + new URL(link).search);
    try {
      await solve(fromLink.page);
      assertNoProblems(fromLink.problems);
    } finally {
      await fromLink.context.close();
    }
  });
});
