// An axe-core run over Explore, Learn, a loaded log with problems, and the layout controls (the
// splitter, "Find stream", the collapsed chart): no violation.
//
// Run: `make build && node --test tests/e2e/a11y.test.mjs`.
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT, assertNoProblems, eventually, newApp, useApp } from './harness.mjs';
import { loadLog, ui } from './ui.mjs';

const TEST_TIMEOUT_MS = 60_000;
const AXE = join(REPO_ROOT, 'tests', 'e2e', 'node_modules', 'axe-core', 'axe.min.js');

/** The violations axe finds on the page as it is now, one line each. */
async function violations(page) {
  // Evaluated, not added as a <script>: the app's Content-Security-Policy forbids inline script.
  await page.evaluate(readFileSync(AXE, 'utf8'));
  const found = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.length} element(s), first: ${v.nodes[0].html.slice(0, 120)}`);
  });
  return found;
}

describe('Accessibility', () => {
  const ctx = useApp();

  it('Explore, Learn and a loaded log with problems have no axe-core violation', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = ctx.app;
    await ui(page).state.waitFor();
    assert.deepEqual(await violations(page), [], 'Explore');

    await loadLog(page, JSON.stringify([
      { type: 'Deposit', amount: 100 },
      { type: 'Withdraw', amount: 300 },
      { type: 'Deposit', amount: 'x' },
      { type: 'Mystery' },
    ]));
    await eventually(async () => assert.match(await ui(page).events.innerText(), /Violation/));
    assert.deepEqual(await violations(page), [], 'a loaded log with problems');

    // The splitter, "Find stream" (shown for a log with many streams) and the collapsed chart.
    await loadLog(page, JSON.stringify(Array.from({ length: 40 }, (_, i) => ({ type: 'Opened', stream: `s-${i}` }))));
    await page.getByRole('searchbox', { name: 'Find stream', exact: true }).fill('s-1');
    await page.getByRole('region', { name: 'Chart', exact: true }).getByRole('button', { name: 'Chart', exact: true }).click();
    await page.getByRole('separator', { name: 'Resize events and state', exact: true }).focus();
    assert.deepEqual(await violations(page), [], 'many streams, the chart collapsed, the splitter focused');
    assertNoProblems(problems, { console: false });

    await ctx.app.context.close();
    ctx.app = await newApp(ctx.browser, ctx.server, '/#/learn/3');
    await eventually(async () => assert.match(await ctx.app.page.getByRole('region', { name: 'Lesson', exact: true }).innerText(), /Lesson 3/));
    assert.deepEqual(await violations(ctx.app.page), [], 'Learn');
    assertNoProblems(ctx.app.problems);
  });
});
