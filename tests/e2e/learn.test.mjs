// End-to-end tests of Learn mode: lessons opened by link, done as a learner would (the check runs
// on the live view), marked done in the list and still marked after a reload; the quiz; a lesson
// file a teacher brings; resetting progress.
//
// Elements are found only by role and accessible name:
//   group "Mode" with buttons "Explore" / "Learn" (aria-pressed); region "Lesson" with nav
//   "Lessons" (links "N. Title", " (done)" in the name once done; button "Quiz"), the lesson's
//   heading, button "Hint", a status ("Not yet…" / "Done!"), "What just happened", buttons
//   "Next lesson", "Reset progress" (then "Yes, reset progress"), file input "Open lesson file";
//   region "Quiz" with one radiogroup per question.
//
// Run: `make build && node --test tests/e2e/learn.test.mjs`.
// REWIND_DIST=<dir> serves another build; CHROMIUM=<path> picks the browser.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertNoProblems, eventually, newApp, openApp, useApp } from './harness.mjs';
import { expectBalance, expectSlider, ui, correctionForm as form } from './ui.mjs';

const TEST_TIMEOUT_MS = 90_000;

function learn(page) {
  const lesson = page.getByRole('region', { name: 'Lesson', exact: true });
  const nav = lesson.getByRole('navigation', { name: 'Lessons' });
  return {
    mode: page.getByRole('group', { name: 'Mode' }),
    explore: page.getByRole('button', { name: 'Explore', exact: true }),
    learn: page.getByRole('button', { name: 'Learn', exact: true }),
    lesson,
    nav,
    heading: lesson.getByRole('heading', { level: 2 }).filter({ hasText: /^Lesson \d+:/ }),
    status: lesson.getByRole('status'),
    hint: lesson.getByRole('button', { name: 'Hint', exact: true }),
    next: lesson.getByRole('button', { name: 'Next lesson', exact: true }),
    quizButton: nav.getByRole('button', { name: 'Quiz', exact: true }),
    quiz: page.getByRole('region', { name: 'Quiz', exact: true }),
    reset: lesson.getByRole('button', { name: 'Reset progress', exact: true }),
    confirmReset: lesson.getByRole('button', { name: 'Yes, reset progress', exact: true }),
    file: lesson.getByLabel('Open lesson file'),
    alert: lesson.getByRole('alert'),
    /** The link to lesson `number` in the list. */
    link: (number) => nav.getByRole('link', { name: new RegExp(`^${number}\\. `) }),
  };
}


async function expectHeading(page, pattern) {
  await eventually(async () => assert.match(await learn(page).heading.innerText(), pattern), { timeout: 15_000 });
}

async function expectStatus(page, pattern) {
  await eventually(async () => assert.match(await learn(page).status.innerText(), pattern, 'lesson status'), {
    timeout: 10_000,
  });
}

async function expectDone(page, number, done) {
  await eventually(async () => {
    const name = (await learn(page).link(number).innerText()).trim();
    const marked = await learn(page).link(number).evaluate((a) => a.textContent.includes('(done)'));
    assert.equal(marked, done, `lesson ${number} in the list ("${name}") should ${done ? '' : 'not '}be marked done`);
  });
  // The mark is in the accessible name too.
  const named = learn(page).nav.getByRole('link', { name: new RegExp(`^${number}\\. .*\\(done\\)$`) });
  assert.equal(await named.count(), done ? 1 : 0, `accessible name of lesson ${number} says done: ${done}`);
}

/** Reload and wait until the app is back. */
async function reload(page) {
  await page.reload({ waitUntil: 'load' });
  await page.getByRole('region', { name: 'State' }).waitFor({ state: 'visible', timeout: 30_000 });
}

describe('Learn mode', { timeout: 600_000 }, () => {
  const ctx = useApp();

  it('opens lesson 3 by link, passes when the timeline stops at 70, and keeps it done after a reload', { timeout: TEST_TIMEOUT_MS }, async () => {
    await ctx.app.context.close();
    const { context, page, problems } = await newApp(ctx.browser, ctx.server, '/#/learn/3');
    ctx.app = { context, page, problems };
    const l = learn(page);
    await l.lesson.waitFor();
    await expectHeading(page, /^Lesson 3: Replay is a fold$/);
    assert.equal(await l.learn.getAttribute('aria-pressed'), 'true', 'Learn is pressed');
    assert.equal(await l.explore.getAttribute('aria-pressed'), 'false', 'Explore is not');
    assert.equal(await l.link(3).getAttribute('aria-current'), 'page', 'lesson 3 is current in the list');
    assert.match(await l.lesson.innerText(), /Deposit 100, Withdraw 30, Deposit 50/, 'the explanation');
    // The lesson starts at the beginning of its log.
    await expectSlider(page, 0);
    await expectStatus(page, /^Not yet…/);
    await expectDone(page, 3, false);

    // The hint is hidden until asked for.
    assert.equal(await l.hint.getAttribute('aria-expanded'), 'false');
    assert.equal(await l.lesson.getByText(/what does the Withdraw of 30 leave/).isVisible(), false, 'hint hidden');
    await l.hint.click();
    await eventually(async () => assert.ok(await l.lesson.getByText(/what does the Withdraw of 30 leave/).isVisible(), 'hint shown'));

    // Predict, then drag: 100 is not it, 70 is.
    await ui(page).slider.fill('1');
    await expectBalance(page, 100);
    await expectStatus(page, /^Not yet…/);
    await ui(page).slider.fill('2');
    await expectBalance(page, 70);
    await expectStatus(page, /^Done!/);
    await expectDone(page, 3, true);
    await eventually(async () => assert.match(await l.lesson.innerText(), /What just happened/));
    assert.match(await l.lesson.innerText(), /0, 100, 70, 120/);
    assert.ok(await l.next.isVisible(), 'Next lesson is offered');

    // Moving away does not undo it: the step stays done.
    await ui(page).slider.fill('3');
    await expectStatus(page, /^Done!/);

    await reload(page);
    await l.lesson.waitFor();
    await expectHeading(page, /^Lesson 3: Replay is a fold$/);
    await expectDone(page, 3, true);
    await expectStatus(page, /^Done!/);

    // Next lesson goes on to lesson 4, with its own log and task.
    await l.next.click();
    await expectHeading(page, /^Lesson 4: A missing event$/);
    await expectStatus(page, /^Not yet…/);
    await eventually(async () => assert.match(page.url(), /#\/learn\/4/, 'the address follows'));
    assertNoProblems(problems);
  });

  it('lesson 6: fixes the 300 typo with a compensating Deposit of 270 that corrects event 3', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const l = learn(page);
    await page.goto(new URL('/#/learn/6', ctx.server.url).href);
    await expectHeading(page, /^Lesson 6: Fix it with a new event$/);
    await expectStatus(page, /^Not yet… \(step 1 of 2\)/);
    await expectDone(page, 6, false);

    // Step 1: find the event that broke a rule (the Withdraw of 300 is event 3).
    await ui(page).slider.fill('3');
    await expectStatus(page, /^Not yet… \(step 2 of 2\)/);
    assert.match(await l.lesson.innerText(), /Event 3: a Withdraw of 300/, 'step 1 says what was found');

    // Step 2: the correction, as a learner writes it.
    await page.getByRole('button', { name: 'Correct event 3', exact: true }).click();
    const f = form(page);
    await f.region.waitFor();
    await eventually(async () => assert.equal(await f.corrects.inputValue(), 'evt-3', 'Corrects is pre-filled'));
    await f.type.selectOption('Deposit');
    await f.amount.fill('270');
    await f.reason.fill('Withdrawal keyed as 300, it was 30');
    await eventually(async () => assert.ok(await f.append.isEnabled(), 'Append enabled'));
    await f.append.click();

    await expectStatus(page, /^Done!/);
    await expectBalance(page, 300);
    await expectDone(page, 6, true);
    assert.match(await l.lesson.innerText(), /What just happened/);
    assertNoProblems(problems);
  });

  it('Learn opens the first unfinished lesson; Explore leaves Learn mode', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const l = learn(page);
    assert.equal(await l.lesson.count(), 0, 'Explore mode at first');
    assert.equal(await l.explore.getAttribute('aria-pressed'), 'true');
    await l.learn.click();
    await expectHeading(page, /^Lesson 1: State vs history$/);
    await eventually(async () => assert.match(page.url(), /#\/learn\/1/));
    // Lesson 1's task on the store sample: find when order-1001 was paid (event 4).
    await expectStatus(page, /^Not yet… \(step 1 of 2\)/);
    await ui(page).slider.fill('4');
    await expectStatus(page, /step 2 of 2/);
    await page.getByRole('button', { name: 'Step back', exact: true }).click();
    await expectStatus(page, /^Done!/);

    await l.explore.click();
    await eventually(async () => assert.equal(await l.lesson.count(), 0, 'the Lesson region is gone'));
    assert.doesNotMatch(page.url(), /learn/);
    // Learn again: lesson 1 is done, so lesson 2 opens.
    await l.learn.click();
    await expectHeading(page, /^Lesson 2: Event first, then state$/);
    assertNoProblems(problems);
  });

  it('quiz: a wrong answer is explained, a right one is marked right, and answers persist', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const l = learn(page);
    await page.goto(new URL('/#/learn/1', ctx.server.url).href);
    await l.lesson.waitFor();
    await l.quizButton.click();
    await l.quiz.waitFor();
    const question = l.quiz.getByRole('radiogroup', { name: /balance after the first two events/ });
    assert.equal(await l.quiz.getByRole('radiogroup').count(), 11, 'eleven questions');

    await question.getByRole('radio', { name: '120', exact: true }).check();
    await eventually(async () => assert.match(await l.quiz.innerText(), /Not quite\./));
    const text = await l.quiz.innerText();
    assert.match(text, /120 is the balance after all three events/, 'the wrong answer is explained');
    assert.match(text, /30 is the second event's amount/, 'every wrong option is explained');
    assert.match(text, /The right answer: 70/, 'the right one is named');
    assert.match(text, /0 of 11 right|1 of 11 answered, 0 right/);

    await l.quiz.getByRole('button', { name: 'Try question 3 again' }).click();
    await question.getByRole('radio', { name: '70', exact: true }).check();
    await eventually(async () => assert.match(await l.quiz.innerText(), /Right!/));
    assert.match(await l.quiz.innerText(), /1 of 11 answered, 1 right/);

    await reload(page);
    await l.quizButton.click();
    await l.quiz.waitFor();
    await eventually(async () => assert.match(await l.quiz.innerText(), /Right!/, 'the answer was kept'));
    assert.ok(await question.getByRole('radio', { name: '70', exact: true }).isChecked());
    // A lesson link leaves the quiz.
    await l.link(2).click();
    await expectHeading(page, /^Lesson 2:/);
    assert.equal(await l.quiz.count(), 0);
    assertNoProblems(problems);
  });

  it('a lesson file is opened as the next lesson; a bad one gets a precise alert', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const l = learn(page);
    await l.learn.click();
    await l.lesson.waitFor();

    const bad = {
      id: 'broken',
      title: 'Broken',
      explanation: 'One. Two.',
      log: { sample: 'bank' },
      steps: [{ task: 'Do it', hint: 'H', check: { foo: 1 } }],
      what_happened: 'W',
    };
    await l.file.setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
    await eventually(async () =>
      assert.match(await l.alert.innerText(), /broken\.json is not a lesson Rewind can use: lesson 'broken': steps\[0\]\.check: unknown check kind "foo"/),
    );
    await l.file.setInputFiles({ name: 'not-json.json', mimeType: 'application/json', buffer: Buffer.from('{"id": ') });
    await eventually(async () => assert.match(await l.alert.innerText(), /not-json\.json .*not valid JSON/));

    const good = {
      id: 'teacher-one',
      title: 'Teacher: stop at 100',
      explanation: 'A lesson a teacher wrote. It loads an inline log.',
      log: { inline: [{ type: 'Deposit', amount: 100 }, { type: 'Deposit', amount: 5 }] },
      start: { at: 0 },
      steps: [{ task: 'Stop where the balance is 100.', hint: 'One event.', check: { state_at_cursor: { path: ['default', 'balance'], equals: 100 } } }],
      what_happened: 'You stopped after the first event.',
    };
    await l.file.setInputFiles({ name: 'good.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(good)) });
    await expectHeading(page, /^Lesson 16: Teacher: stop at 100$/);
    assert.equal(await l.alert.count(), 0, 'the alert is gone');
    await expectSlider(page, 0);
    await ui(page).slider.fill('1');
    await expectStatus(page, /^Done!/);
    await expectDone(page, 16, true);
    assertNoProblems(problems);
  });

  it('?lesson=<url> fetches a lesson and opens it; one that cannot be fetched gets an alert', { timeout: TEST_TIMEOUT_MS }, async () => {
    const lesson = {
      id: 'linked',
      title: 'Linked: go to the start',
      explanation: 'A lesson shared as a link. It checks the cursor.',
      log: { sample: 'bank' },
      steps: [{ task: 'Move the timeline to the start.', hint: 'Drag it to the left.', check: { cursor: { at_most: 0 } } }],
      what_happened: 'Position 0: no events applied.',
    };
    const url = 'data:application/json,' + encodeURIComponent(JSON.stringify(lesson));
    await ctx.app.context.close();
    ctx.app = await newApp(ctx.browser, ctx.server, `/?lesson=${encodeURIComponent(url)}`);
    const { page, problems } = ctx.app;
    await expectHeading(page, /^Lesson 16: Linked: go to the start$/);
    await expectStatus(page, /^Not yet…/);
    await ui(page).slider.fill('0');
    await expectStatus(page, /^Done!/);
    await expectDone(page, 16, true);
    assertNoProblems(problems);

    await page.goto(new URL('/?lesson=/no-such-lesson.json', ctx.server.url).href);
    await page.getByRole('region', { name: 'State' }).waitFor();
    await eventually(async () =>
      assert.match(await learn(page).alert.innerText(), /Could not fetch the lesson \/no-such-lesson\.json: HTTP 404/),
    );
  });

  it('lessons 2, 4, 5, 7 and 8 can each be done through the app, as their tasks say', { timeout: 180_000 }, async () => {
    const { page, problems } = ctx.app;
    const l = learn(page);
    const open = async (number, title) => {
      await page.goto(new URL(`/#/learn/${number}`, ctx.server.url).href);
      await expectHeading(page, new RegExp(`^Lesson ${number}: ${title}$`));
      await expectStatus(page, /^Not yet…/);
    };
    const addCorrection = page.getByRole('button', { name: 'Add corrective event', exact: true });

    // 2. Append a Deposit of 40, then step back before it.
    await open(2, 'Event first, then state');
    await addCorrection.click();
    const f = form(page);
    await f.region.waitFor();
    await f.type.selectOption('Deposit');
    await f.amount.fill('40');
    await f.reason.fill('Birthday money');
    await f.append.click();
    await expectBalance(page, 160);
    await expectStatus(page, /step 2 of 2/);
    await page.getByRole('button', { name: 'Step back', exact: true }).click();
    await expectStatus(page, /^Done!/);
    await expectDone(page, 2, true);

    // 4. Skip the Withdraw (the balance goes up to 150), then the first Deposit (an overdraft).
    await open(4, 'A missing event');
    await page.getByRole('checkbox', { name: 'Skip event 2', exact: true }).check();
    await expectBalance(page, 150);
    await expectStatus(page, /step 2 of 2/);
    await page.getByRole('checkbox', { name: 'Skip event 2', exact: true }).uncheck();
    await page.getByRole('checkbox', { name: 'Skip event 1', exact: true }).check();
    await expectStatus(page, /^Done!/);
    await expectDone(page, 4, true);

    // 5. 20,000 generated events, snapshots off: go to the end, then pick an interval of 100.
    await open(5, 'Snapshots');
    await eventually(async () => assert.equal(await ui(page).slider.getAttribute('max'), '20000'), { timeout: 20_000 });
    const snapshots = page.getByRole('checkbox', { name: 'Snapshots', exact: true });
    assert.equal(await snapshots.isChecked(), false, 'the lesson starts with snapshots off');
    await ui(page).slider.fill('20000');
    await expectStatus(page, /step 2 of 2/);
    assert.match(await page.locator('body').innerText(), /replayed 20000 events from the start/);
    await snapshots.check();
    await expectStatus(page, /step 2 of 2/); // the default interval (256) is not enough
    const interval = page.getByRole('spinbutton', { name: 'Snapshot interval', exact: true });
    await interval.fill('100');
    await interval.press('Enter');
    await interval.press('Tab');
    await expectStatus(page, /^Done!/);
    await expectDone(page, 5, true);

    // 7. A retroactive deposit, then the effective order.
    await open(7, 'Late news');
    await addCorrection.click();
    await f.region.waitFor();
    await f.type.selectOption('Deposit');
    await f.amount.fill('200');
    await f.region.getByRole('textbox', { name: 'Stream', exact: true }).fill('acc-7');
    await f.region.getByRole('textbox', { name: 'Effective at', exact: true }).fill('2024-03-03T12:00:00Z');
    await f.reason.fill('Cheque paid in on 3 March, recorded late');
    await f.append.click();
    await expectStatus(page, /step 2 of 2/);
    await page.getByRole('radio', { name: 'As effective', exact: true }).check();
    await expectStatus(page, /^Done!/);
    await expectDone(page, 7, true);

    // 8. The gap (seq 3 → 5, event 4) and the duplicate id (event 7).
    await open(8, 'Integrity');
    await ui(page).slider.fill('4');
    await expectStatus(page, /step 2 of 2/);
    await ui(page).slider.fill('7');
    await expectStatus(page, /^Done!/);
    await expectDone(page, 8, true);
    assertNoProblems(problems);
  });

  it('Reset progress, once confirmed, clears the done marks and starts the lesson over', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    const l = learn(page);
    await page.goto(new URL('/#/learn/3', ctx.server.url).href);
    await expectHeading(page, /^Lesson 3:/);
    await ui(page).slider.fill('2');
    await expectDone(page, 3, true);

    await l.reset.click();
    const cancel = l.lesson.getByRole('button', { name: 'Cancel', exact: true });
    await cancel.click();
    await expectDone(page, 3, true);

    await l.reset.click();
    await l.confirmReset.click();
    await expectDone(page, 3, false);
    await expectSlider(page, 0);
    await expectStatus(page, /^Not yet…/);
    await reload(page);
    await expectDone(page, 3, false);
    assertNoProblems(problems);
  });
});
