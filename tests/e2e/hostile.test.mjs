// A representative third of the hostile-input corpus (tests/fixtures/hostile/, outcomes in its
// expected.json; crates/cli/tests/hostile.rs runs all of it natively), opened in the browser through
// "Open log file" as a person would, one after another in one page.
//
// For each file, what the person sees must match the manifest:
//   - a refusal: an alert containing the located message, and the log loaded before stays (its
//     summary line "<name> — N events, read as …" is still shown);
//   - a log: the summary line with its event count, no alert, and in the Events list exactly the
//     problems listed, each at its event ("Integrity event N: …", "Error event N: …", "Violation
//     event N: …", "Unreadable event N: …").
// Markup and script (in every field: stream and type names, keys, meta, the envelope) must show as
// text: no dialog (the corpus payloads call alert()), no element with an on… handler or an <iframe>
// made from it, and a copy of markup-every-field.json whose payloads set window.__pwned instead of
// alert() leaves it unset.
//
// Run: `make build && node --test tests/e2e/hostile.test.mjs`.
// REWIND_DIST=<dir> serves another build; CHROMIUM=<path> picks the browser.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT, assertNoProblems, eventually, useApp } from './harness.mjs';
import { alertTexts, ui } from './ui.mjs';

const HOSTILE = join(REPO_ROOT, 'tests', 'fixtures', 'hostile');
const EXPECTED = JSON.parse(readFileSync(join(HOSTILE, 'expected.json'), 'utf8'));

// The selection, by category (a deliberate, fixed third of the corpus).
const SELECTION = {
  'not text, or not UTF-8': ['binary-nul.json', 'gzip.json.gz', 'zip.zip', 'empty.json', 'whitespace.json', 'latin1.json', 'utf32le.json', 'utf16-odd-length.json'],
  'BOM and UTF-16': ['bom-utf8-twice.json', 'utf16le-bom.json', 'utf16be-bom.json'],
  'JSON syntax, located': ['html-page.html', 'trailing-garbage.json', 'num-nan.json'],
  'nesting': ['nest-data-200.json', 'nest-top-200.json', 'nest-data-20000.json', 'nest-top-20000.json'],
  'big strings, numbers and ids': ['string-10mb-data.json', 'keys-100000.json', 'num-1e400-amount.json', 'num-100-digits.json', 'num-negative-zero.json', 'ids-100kb.json', 'stream-100kb.json'],
  'surrogates': ['surrogate-lone-nested.json', 'surrogate-lone-second-event.json', 'surrogate-lone-type.json'],
  'duplicate keys': ['dup-type.json', 'dup-stream.json', 'dup-nested.json', 'dup-ndjson.ndjson'],
  '__proto__ and constructor': ['proto-data-keys.json', 'proto-stream-type.json'],
  'markup and script in every field': ['markup-every-field.json', 'markup-ndjson.ndjson', 'markup-shape-error.json', 'markup-in-error.json', 'kurrent-markup.json'],
  'years and offsets': ['year-0000.json', 'year-10000.json', 'time-extremes-order.json', 'offset-negative.json'],
  'seq at u64::MAX and past it': ['seq-u64-max.json', 'seq-gap-to-max.json', 'seq-past-u64.json', 'seq-negative.json'],
};

// The generated entries, made as crates/cli/tests/hostile.rs makes them.
const MB10 = 10 * 1024 * 1024;
const GENERATED = {
  'nest-top-20000.json': () => '['.repeat(20_000) + ']'.repeat(20_000),
  'nest-data-20000.json': () => `[{"type":"A"},{"type":"Note","data":${'{"a":'.repeat(20_000)}0${'}'.repeat(20_000)}}]`,
  'string-10mb-data.json': () => `[{"type":"Note","text":"${'x'.repeat(MB10)}"}]`,
  'keys-100000.json': () => `[{"type":"A","data":{${Array.from({ length: 100_000 }, (_, i) => `"k${i}":${i}`).join(',')},"k99999":0}}]`,
  'ids-100kb.json': () => {
    const id = (c) => c.repeat(100 * 1024);
    return `[{"type":"A","id":"${id('a')}"},{"type":"A","id":"${id('b')}"},{"type":"A","id":"${id('a')}"}]`;
  },
  'stream-100kb.json': () => {
    const stream = '<b>'.repeat(Math.floor((100 * 1024) / 3));
    return `[{"type":"A","stream":"${stream}"},{"type":"A","stream":"${stream}"}]`;
  },
};

/** The file as setInputFiles takes it. */
function file(name) {
  const outcome = EXPECTED[name];
  assert.ok(outcome, `${name} is in expected.json`);
  if (outcome.generated) {
    const make = GENERATED[name];
    assert.ok(make, `a generator for ${name}`);
    return { name, mimeType: 'application/json', buffer: Buffer.from(make()) };
  }
  return join(HOSTILE, name);
}

// How the Events list names each kind of problem in the manifest.
const KINDS = { warnings: 'Integrity', errors: 'Error', violations: 'Violation', unreadable: 'Unreadable' };

/** The summary line's text, or '' when none is shown. */
async function summaryText(page) {
  const line = page.getByText(/ — \d+ events?, read as /);
  return (await line.count()) ? (await line.first().innerText()).trim() : '';
}

/** Problems marked in the Events list: [kind, 0-based position, message]. */
async function markedProblems(page) {
  const texts = await ui(page).items.allInnerTexts();
  return texts.flatMap((text, i) =>
    [...text.matchAll(/^(Integrity|Error|Violation|Unreadable) event (\d+): (.*)$/gm)].map(([, kind, n, message]) => {
      assert.equal(Number(n) - 1, i, `the problem "${message}" is marked at its own event`);
      return [kind, i, message];
    }),
  );
}

async function expectRefused(page, name, outcome, before) {
  await eventually(async () => {
    const alerts = await alertTexts(page);
    assert.ok(alerts.some((t) => t.includes(outcome.error)), `${name}: an alert containing ${JSON.stringify(outcome.error)}; alerts: ${JSON.stringify(alerts)}`);
    if (outcome.line) assert.ok(alerts.some((t) => t.includes(`line ${outcome.line}`)), `${name}: the alert names line ${outcome.line}`);
  }, { timeout: 10_000 });
  assert.ok(before, 'a log was loaded before');
  assert.equal(await summaryText(page), before, `${name}: the log loaded before stays`);
}

async function expectLoaded(page, name, outcome) {
  const count = outcome.events;
  await eventually(async () => {
    assert.ok((await summaryText(page)).startsWith(`${name} — ${count} ${count === 1 ? 'event' : 'events'}, read as `), `${name}: summary says ${JSON.stringify(await summaryText(page))}`);
  }, { timeout: 20_000 });
  assert.deepEqual(await alertTexts(page), [], `${name}: no alert`);
  const expected = Object.entries(KINDS)
    .flatMap(([list, kind]) => (outcome[list] || []).map((p) => [kind, p[0], p.at(-1)]))
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
  await eventually(async () => {
    assert.equal(await ui(page).items.count(), count, `${name}: items in Events`);
    const marked = (await markedProblems(page)).sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
    assert.equal(marked.length, expected.length, `${name}: problems marked ${JSON.stringify(marked)}, expected ${JSON.stringify(expected)}`);
    marked.forEach(([kind, at, message], i) => {
      const [wantKind, wantAt, wantText] = expected[i];
      assert.deepEqual([kind, at], [wantKind, wantAt], `${name}: problem ${i}`);
      assert.ok(message.includes(wantText), `${name}: ${JSON.stringify(message)} contains ${JSON.stringify(wantText)}`);
    });
  }, { timeout: 10_000 });
}

/** Nothing from the markup became live: no handler attributes, no frames, no scripts in <body>. */
async function expectNoLiveMarkup(page, name) {
  const live = await page.evaluate(() => {
    const found = [];
    for (const el of document.body.querySelectorAll('*')) {
      for (const attr of el.attributes) if (/^on/i.test(attr.name)) found.push(`<${el.localName} ${attr.name}>`);
      if (['script', 'iframe', 'style', 'u'].includes(el.localName)) found.push(`<${el.localName}>`);
      if (el.localName === 'img' && el.getAttribute('src') === 'x') found.push('<img src=x>');
      if (el.localName === 'a' && /^javascript:/i.test(el.getAttribute('href') || '')) found.push('<a href=javascript:>');
    }
    return found;
  });
  assert.deepEqual(live, [], `${name}: markup became elements`);
}

describe('Hostile inputs through the file picker', { timeout: 180_000 }, () => {
  const ctx = useApp();

  it('a third of the corpus gives what the manifest says', { timeout: 150_000 }, async () => {
    const { page, problems } = ctx.app;
    const open = page.getByRole('button', { name: 'Open log file', exact: true });
    let before = await summaryText(page); // the sample shown at start-up
    const names = Object.values(SELECTION).flat();
    for (const name of names) {
      const outcome = EXPECTED[name];
      await open.setInputFiles(file(name));
      if (outcome.error) {
        await expectRefused(page, name, outcome, before);
      } else {
        await expectLoaded(page, name, outcome);
        before = await summaryText(page);
      }
      if (name.includes('markup')) await expectNoLiveMarkup(page, name);
      assertNoProblems(problems);
    }
    const share = names.length / Object.keys(EXPECTED).length;
    assert.ok(share > 0.3 && share < 0.4, `${names.length} of ${Object.keys(EXPECTED).length}: about a third`);
  });

  it('markup in every field shows as text and runs nothing', { timeout: 60_000 }, async () => {
    const { page, problems } = ctx.app;
    const open = page.getByRole('button', { name: 'Open log file', exact: true });
    // The corpus file with every alert(N) turned into an assignment to a window flag.
    const original = readFileSync(join(HOSTILE, 'markup-every-field.json'), 'utf8');
    const flagged = original.replace(/alert\((\d+)\)/g, 'window.__pwned=$1');
    assert.notEqual(flagged, original);
    await open.setInputFiles({ name: 'markup-flags.json', mimeType: 'application/json', buffer: Buffer.from(flagged) });
    await expectLoaded(page, 'markup-flags.json', EXPECTED['markup-every-field.json']);
    const events = await ui(page).events.innerText();
    for (const text of ['<script>window.__pwned=1</script>', '<img src=x onerror=window.__pwned=2>', 'Deposit" onmouseover="window.__pwned=7']) {
      assert.ok(events.includes(text), `the Events list shows ${JSON.stringify(text)} as text:\n${events}`);
    }
    // Hover and click every event, as a person exploring would (an injected onmouseover would fire).
    const items = ui(page).items;
    for (let i = 0; i < (await items.count()); i++) {
      await items.nth(i).hover();
      await items.nth(i).locator('.event-type, :scope').first().click({ position: { x: 5, y: 5 } });
    }
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => window.__pwned ?? null), null, 'no payload ran');
    await expectNoLiveMarkup(page, 'markup-flags.json');
    assertNoProblems(problems);
  });
});
