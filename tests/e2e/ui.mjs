// What a person sees of Rewind, found by role and accessible name, and the checks the browser
// tests share. Every test file imports these instead of writing its own.
import assert from 'node:assert/strict';
import { eventually } from './harness.mjs';

export const CLASSIC_LOG = JSON.stringify([
  { type: 'Deposit', amount: 100 },
  { type: 'Withdraw', amount: 30 },
  { type: 'Deposit', amount: 50 },
]);

// Balance after 0, 1, 2 and 3 events of CLASSIC_LOG.
export const CLASSIC_BALANCES = [0, 100, 70, 120];


export function ui(page) {
  const events = page.getByRole('list', { name: 'Events' });
  return {
    slider: page.getByRole('slider', { name: 'Timeline' }),
    stepBack: page.getByRole('button', { name: 'Step back' }),
    stepForward: page.getByRole('button', { name: 'Step forward' }),
    log: page.getByRole('textbox', { name: 'Event log' }),
    load: page.getByRole('button', { name: 'Load' }),
    sample: page.getByRole('combobox', { name: 'Sample' }),
    state: page.getByRole('region', { name: 'State' }),
    events,
    items: events.getByRole('listitem'),
    alerts: page.getByRole('alert'),
  };
}

/**
 * The number shown after "balance" in the State text ("balance: 120",
 * "balance 120.00", or "balance\n120" from a <dl>), or null when none is shown.
 */
export function balanceIn(text) {
  const m = /\bbalance\b\s*:?\s*[^\d\s-]{0,3}\s*(-?[\d,]*\.?\d+)/i.exec(text);
  return m ? Number(m[1].replaceAll(',', '')) : null;
}

/**
 * Wait until the State panel shows `expected` as the balance. For 0, a state
 * with no account at all (no balance shown) is accepted too.
 */
export async function expectBalance(page, expected, why = '') {
  const { state } = ui(page);
  await eventually(async () => {
    const text = await state.innerText();
    const shown = balanceIn(text);
    const ok = expected === 0 ? shown === null || shown === 0 : shown === expected;
    assert.ok(
      ok,
      `expected balance ${expected === 0 ? '0 or none' : expected}${why ? ` ${why}` : ''}, ` +
        `State shows ${shown === null ? 'no balance' : shown}:\n${text}`,
    );
  });
}

/** Wait until the position readout says "event N of M". */
export async function expectReadout(page, n, of) {
  await eventually(async () => {
    const text = await page.locator('body').innerText();
    const m = /\bevent\s+(\d+)\s+of\s+(\d+)\b/i.exec(text);
    assert.ok(m, `no "event N of M" readout on the page:\n${text}`);
    assert.deepEqual([Number(m[1]), Number(m[2])], [n, of], `readout says "${m[0]}"`);
  });
}

export async function sliderValue(page) {
  return Number(
    await ui(page).slider.evaluate((el) =>
      'value' in el ? el.value : el.getAttribute('aria-valuenow'),
    ),
  );
}

export async function expectSlider(page, value) {
  await eventually(async () => assert.equal(await sliderValue(page), value, 'Timeline value'));
}

export async function expectEventCount(page, count) {
  await eventually(async () => assert.equal(await ui(page).items.count(), count, 'items in Events'));
}

/** aria-current of every item in the Events list, in order. */
export async function currentMarks(page) {
  return ui(page).items.evaluateAll((els) => els.map((el) => el.getAttribute('aria-current')));
}

/** Wait until exactly the `position`-th event (1-based; 0 = none) is marked current. */
export async function expectCurrent(page, position) {
  await eventually(async () => {
    const marks = await currentMarks(page);
    const current = marks.flatMap((mark, i) => (mark === 'step' ? [i + 1] : []));
    assert.deepEqual(current, position === 0 ? [] : [position], `aria-current="step" marks: ${JSON.stringify(marks)}`);
  });
}

/** Texts of the visible alerts that say something. */
export async function alertTexts(page) {
  return (await ui(page).alerts.allInnerTexts()).map((t) => t.trim()).filter(Boolean);
}

export async function expectNoAlert(page) {
  assert.deepEqual(await alertTexts(page), [], 'no load error expected');
}

/** Paste `text` into "Event log" and press "Load". */
export async function loadLog(page, text) {
  const { log, load } = ui(page);
  await log.fill(text);
  await load.click();
}

/** Pick the "Sample" option whose label starts with `prefix` ("Online store"). */
export async function chooseSample(page, prefix) {
  const { sample } = ui(page);
  const labels = (await sample.getByRole('option').allInnerTexts()).map((l) => l.trim());
  const label = labels.find((l) => l.startsWith(prefix));
  assert.ok(label, `no "${prefix}…" option in Sample: ${JSON.stringify(labels)}`);
  await sample.selectOption({ label });
}

/** Load the classic three-event bank log and wait until it is shown at its end. */
export async function loadClassic(page) {
  await loadLog(page, CLASSIC_LOG);
  await eventually(async () => {
    const texts = await ui(page).items.allInnerTexts();
    assert.equal(texts.length, 3, `Events: ${JSON.stringify(texts)}`);
    assert.match(texts[1], /Withdraw/, 'second event is the Withdraw');
  });
  await expectNoAlert(page);
}

/** The corrective-event form (region "Corrective event") and its controls, by accessible name. */
export function correctionForm(page) {
  const region = page.getByRole('region', { name: 'Corrective event', exact: true });
  const textbox = (name) => region.getByRole('textbox', { name, exact: true });
  return {
    add: page.getByRole('button', { name: 'Add corrective event', exact: true }),
    region,
    type: region.getByRole('combobox', { name: 'Type', exact: true }),
    typeText: textbox('Type'),
    field: textbox,
    amount: textbox('amount'),
    data: textbox('Data (JSON object)'),
    stream: textbox('Stream'),
    reason: textbox('Reason'),
    corrects: textbox('Corrects'),
    effectiveAt: textbox('Effective at'),
    append: region.getByRole('button', { name: 'Append', exact: true }),
    cancel: region.getByRole('button', { name: 'Cancel', exact: true }),
  };
}
