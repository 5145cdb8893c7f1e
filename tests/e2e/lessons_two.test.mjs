// End-to-end tests of lessons 10 to 15 (teaching, part two): each lesson opened by its link, not
// done at first (nor after a wrong move), then solved by doing what its tasks say, as a learner
// would: moving the timeline, ticking "skip", following blame and causation links, and editing the
// reducer script.
//
// Elements are found only by role and accessible name:
//   region "Lesson" with nav "Lessons" (links "N. Title", " (done)" in the name once done), the
//   lesson's heading, a status ("Not yet… (step k of n)" / "Done!"); region "Reducer" with textbox
//   "Reducer script" and button "Apply reducer"; region "State" with blame buttons
//   "STREAM.FIELD: set by event N (Type) — go there"; region "Causation" with the lists "Chain of
//   causes" and "Events it caused", whose buttons are "Go to event N: Type"; the events list's
//   checkboxes "Skip event N".
//
// Run: `make build && node --test tests/e2e/lessons_two.test.mjs`.
// REWIND_DIST=<dir> serves another build; CHROMIUM=<path> picks the browser.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertNoProblems, eventually, useApp } from './harness.mjs';
import { expectBalance, expectSlider, ui } from './ui.mjs';

const TEST_TIMEOUT_MS = 90_000;

function learn(page) {
  const lesson = page.getByRole('region', { name: 'Lesson', exact: true });
  const nav = lesson.getByRole('navigation', { name: 'Lessons' });
  return {
    lesson,
    heading: lesson.getByRole('heading', { level: 2 }).filter({ hasText: /^Lesson \d+:/ }),
    status: lesson.getByRole('status'),
    link: (number) => nav.getByRole('link', { name: new RegExp(`^${number}\\. `) }),
  };
}

function reducer(page) {
  const region = page.getByRole('region', { name: 'Reducer', exact: true });
  return {
    region,
    script: region.getByRole('textbox', { name: 'Reducer script', exact: true }),
    apply: region.getByRole('button', { name: 'Apply reducer', exact: true }),
  };
}

function causation(page) {
  const region = page.getByRole('region', { name: 'Causation', exact: true });
  return {
    region,
    chain: region.getByRole('list', { name: 'Chain of causes', exact: true }),
    caused: region.getByRole('list', { name: 'Events it caused', exact: true }),
  };
}

async function expectStatus(page, pattern) {
  await eventually(async () => assert.match(await learn(page).status.innerText(), pattern, 'lesson status'), {
    timeout: 10_000,
  });
}

async function expectDone(page, number, done) {
  await eventually(async () => {
    const text = await learn(page).link(number).innerText();
    assert.equal(/\(done\)/.test(text), done, `lesson ${number} in the list ("${text.trim()}") done: ${done}`);
  });
}

async function expectState(page, pattern) {
  await eventually(async () => assert.match(await ui(page).state.innerText(), pattern));
}

/** Opens lesson `number` by its link and checks it is not done, at its first step. */
async function open(page, server, number, title, steps) {
  await page.goto(new URL(`/#/learn/${number}`, server.url).href);
  await eventually(async () => assert.match(await learn(page).heading.innerText(), new RegExp(`^Lesson ${number}: ${title}$`)), {
    timeout: 15_000,
  });
  await expectStatus(page, new RegExp(`^Not yet… \\(step 1 of ${steps}\\)`));
  await expectDone(page, number, false);
}

/** The script in the Reducer panel once the lesson's carried script is there, edited by `change`. */
async function editScript(page, mark, change) {
  const r = reducer(page);
  await eventually(async () => assert.match(await r.script.inputValue(), mark), { timeout: 10_000 });
  const edited = change(await r.script.inputValue());
  assert.notEqual(edited, await r.script.inputValue(), 'the edit changes the script');
  await r.script.fill(edited);
  await r.apply.click();
}

describe('Lessons 10 to 15', { timeout: 600_000 }, () => {
  const ctx = useApp();

  it('10: adds a projection of the money in the bank and finds it rebuilt back to event 3', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    await open(page, ctx.server, 10, 'Projections and read models', 2);
    await expectState(page, /projection:balances/);
    // Moving around is not writing a projection.
    await ui(page).slider.fill('3');
    await expectStatus(page, /^Not yet… \(step 1 of 2\)/);
    await ui(page).slider.fill('6');

    await editScript(page, /\/\/ fn project_in_bank/, (script) =>
      script.replace(
        /\/\/ fn init_in_bank[\s\S]*$/,
        `fn init_in_bank() { #{ total: 0 } }

fn project_in_bank(view, event) {
    switch event.type {
        "Deposited" => { view.total += event.data.amount; }
        "Withdrawn" => { view.total -= event.data.amount; }
    }
    view
}
`,
      ),
    );
    await expectStatus(page, /^Not yet… \(step 2 of 2\)/);
    await expectState(page, /projection:in_bank[\s\S]*total\s*:?\s*345/);

    await ui(page).slider.fill('3');
    await expectState(page, /projection:in_bank[\s\S]*total\s*:?\s*120/);
    await expectStatus(page, /^Done!/);
    await expectDone(page, 10, true);
    assert.match(await learn(page).lesson.innerText(), /What just happened/);
    assertNoProblems(problems);
  });

  it('11: finds the refused request and follows blame back to the event that last set the balance', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    await open(page, ctx.server, 11, 'Commands are not events', 2);
    const { region, caused } = causation(page);
    // An accepted request caused its Withdrawn: not the one.
    await ui(page).slider.fill('2');
    await eventually(async () =>
      assert.deepEqual(await caused.getByRole('button').allInnerTexts(), ['Event 3: Withdrawn']),
    );
    await expectStatus(page, /^Not yet… \(step 1 of 2\)/);

    await ui(page).slider.fill('4');
    await eventually(async () => assert.match(await region.innerText(), /It caused no event in this log\./));
    await expectStatus(page, /^Not yet… \(step 2 of 2\)/);
    await expectState(page, /balance\s*:?\s*150/);

    const blame = ui(page).state.getByRole('button', { name: /^acc-1\.balance: set by event 3 \(Withdrawn\)/ });
    await blame.click();
    await expectSlider(page, 3);
    await expectStatus(page, /^Done!/);
    await expectDone(page, 11, true);
    assertNoProblems(problems);
  });

  it('12: finds a deposit in the old shape, then writes the upcast so both shapes read', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    await open(page, ctx.server, 12, 'Versioning events', 2);
    await expectSlider(page, 0);
    // Event 4 is in the new shape: the reducer reads it.
    await ui(page).slider.fill('4');
    await expectStatus(page, /^Not yet… \(step 1 of 2\)/);
    await ui(page).slider.fill('1');
    await expectStatus(page, /^Not yet… \(step 2 of 2\)/);
    assert.match(await page.locator('body').innerText(), /data\.money is missing/);

    await editScript(page, /fn upcast\(event\)/, (script) =>
      script.replace(
        /(fn upcast\(event\) \{[\s\S]*?)\n    event\n\}/,
        '$1\n    if event.data.money == () { event.data.money = #{ value: event.data.amount, currency: "EUR" }; }\n    event\n}',
      ),
    );
    await expectStatus(page, /^Done!/);
    await expectDone(page, 12, true);
    await ui(page).slider.fill('6');
    await expectBalance(page, 317.5);
    assertNoProblems(problems);
  });

  it('13: finds the append with the repeated seq and skips it: no overdraft', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    await open(page, ctx.server, 13, 'Concurrency and expected version', 2);
    await ui(page).slider.fill('4');
    await expectStatus(page, /^Not yet… \(step 1 of 2\)/);
    await ui(page).slider.fill('5');
    await expectStatus(page, /^Not yet… \(step 2 of 2\)/);

    // The first writer's append was right: skipping it is not the answer.
    const skip = (n) => page.getByRole('checkbox', { name: `Skip event ${n}`, exact: true });
    await skip(4).check();
    await expectStatus(page, /^Not yet… \(step 2 of 2\)/);
    await skip(4).uncheck();
    await skip(5).check();
    await expectStatus(page, /^Done!/);
    await expectDone(page, 13, true);
    await ui(page).slider.fill('6');
    await expectBalance(page, 60);
    assertNoProblems(problems);
  });

  it('14: skips the second delivery, then brings it back and makes the consumer idempotent', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    await open(page, ctx.server, 14, 'Duplicates and idempotency', 2);
    await expectBalance(page, 200);
    const skip = page.getByRole('checkbox', { name: 'Skip event 4', exact: true });
    await skip.check();
    await expectBalance(page, 140);
    await expectStatus(page, /^Not yet… \(step 2 of 2\)/);

    await skip.uncheck();
    await expectBalance(page, 200);
    await editScript(page, /Your turn \(step 2\)/, (script) =>
      script.replace(
        /(return the state unchanged\.\n)/,
        '$1    if event.id in state.handled { return state; }\n',
      ),
    );
    await expectBalance(page, 140);
    await expectStatus(page, /^Done!/);
    await expectDone(page, 14, true);
    assert.equal(await skip.isChecked(), false, 'nothing skipped');
    await expectState(page, /handled/);
    assertNoProblems(problems);
  });

  it('15: follows the email back to the checkout, then down to the charge nothing refunded', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    await open(page, ctx.server, 15, 'Following a cause', 2);
    await expectSlider(page, 10);
    const { chain, caused } = causation(page);
    // Tom's checkout is a root too, but of another story.
    await chain.getByRole('button', { name: 'Go to event 1: CartCheckedOut', exact: true }).waitFor();
    await ui(page).slider.fill('2');
    await expectStatus(page, /^Not yet… \(step 1 of 2\)/);
    await ui(page).slider.fill('10');

    await chain.getByRole('button', { name: 'Go to event 1: CartCheckedOut', exact: true }).click();
    await expectSlider(page, 1);
    await expectStatus(page, /^Not yet… \(step 2 of 2\)/);
    await eventually(async () =>
      assert.deepEqual(await caused.getByRole('button').allInnerTexts(), [
        'Event 3: OrderPlaced',
        'Event 5: PaymentCharged',
        'Event 8: StockMissing',
        'Event 9: OrderCancelled',
        'Event 10: EmailSent',
      ]),
    );
    await caused.getByRole('button', { name: 'Go to event 5: PaymentCharged', exact: true }).click();
    await expectSlider(page, 5);
    await expectStatus(page, /^Done!/);
    await expectDone(page, 15, true);
    assertNoProblems(problems);
  });
});
