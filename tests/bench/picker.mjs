// The person's path at scale (`make bench`): each log opened through the "Open log file" picker
// of the release build in headless Chromium, timed from the input's `change` event to the
// Timeline's `max` equal to the event count, beside the JavaScript a user would write (the same
// bytes, already in the page as text: JSON.parse, or one JSON.parse per line, plus a fold). Then,
// in the loaded page: dragging the timeline, playing, filtering events and searching state, with
// every long task (over 50 ms) counted.
//
//   node tests/bench/picker.mjs <log> [<log>…]      (needs a release build in dist/)
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { launchBrowser } from '../e2e/harness.mjs';
import { serveWithLog } from './site.mjs';

const logs = process.argv.slice(2);
if (logs.length === 0) {
  console.error('usage: node tests/bench/picker.mjs <log> [<log>…]');
  process.exit(2);
}
const mb = (n) => (n / 1e6).toFixed(1);
const ms = (n) => n.toFixed(n < 10 ? 2 : 0);
/** Long tasks: how many, and each as its length @ when it started (ms after the file was picked). */
const tasks = (list) => list.length === 0
  ? 'none'
  : `${list.length}: ${list.map((t) => `${ms(t.duration)} ms${t.after === null ? '' : ` @${ms(t.after)}`}`).join(', ')}`;

/** Long tasks from the page's first script on, and when the file input last changed. */
function watchPage() {
  window.__longTasks = [];
  new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries().map((e) => ({
    duration: e.duration,
    after: window.__pickedAt === undefined ? null : e.startTime - window.__pickedAt,
  })))).observe({
    type: 'longtask',
    buffered: true,
  });
  document.addEventListener('change', (event) => {
    if (event.target?.type === 'file') window.__pickedAt = performance.now();
  }, true);
}

const rows = [];
const browser = await launchBrowser();
try {
  for (const logPath of logs) {
    const bytes = statSync(logPath).size;
    const lines = logPath.endsWith('.ndjson') || logPath.endsWith('.jsonl');
    const server = await serveWithLog(logPath);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      // ---- The JavaScript peer, in a page of its own (a renderer does not hold both at 1M).
      const peerPage = await context.newPage();
      await peerPage.goto(server.url);
      const peer = await peerPage.evaluate(async (lines) => {
        const text = await (await fetch('/bench-log.json')).text();
        const t0 = performance.now();
        const events = lines
          ? text.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line))
          : JSON.parse(text).events;
        const t1 = performance.now();
        const balances = new Map();
        for (const event of events) {
          const amount = event.data?.amount ?? 0;
          const balance = balances.get(event.stream) ?? 0;
          if (event.type === 'Deposit') balances.set(event.stream, balance + amount);
          else if (event.type === 'Withdraw') balances.set(event.stream, balance - amount);
          else balances.set(event.stream, balance);
        }
        const t2 = performance.now();
        return { parse: t1 - t0, fold: t2 - t1, events: events.length, streams: balances.size };
      }, lines);
      await peerPage.close();

      // ---- Rewind through the picker.
      const page = await context.newPage();
      await page.addInitScript(watchPage);
      await page.goto(server.url);
      await page.getByLabel('Open log file').waitFor({ state: 'attached', timeout: 60_000 });
      await page.evaluate(() => window.__longTasks.splice(0));
      await page.getByLabel('Open log file').setInputFiles(logPath);
      const loadMs = await page.waitForFunction(
        (n) => Number(document.querySelector('input[type=range][aria-label=Timeline]')?.max) === n
          && performance.now() - window.__pickedAt,
        peer.events,
        { timeout: 600_000, polling: 'raf' },
      ).then((handle) => handle.jsonValue());
      const loading = await page.evaluate(() => window.__longTasks.splice(0));
      const memory = await page.evaluate(() => window.wasmBindings.rewind_memory_bytes());
      // The session is saved after a load: let that finish before timing moves.
      await page.waitForTimeout(3_000);
      const saving = await page.evaluate(() => window.__longTasks.splice(0));
      const memoryAfterSave = await page.evaluate(() => window.wasmBindings.rewind_memory_bytes());

      const drag = await page.evaluate(async (steps) => {
        const input = document.querySelector('input[type=range][aria-label=Timeline]');
        const max = Number(input.max);
        const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
        // A task after every microtask (Leptos runs its effects as microtasks); not setTimeout,
        // which browsers clamp.
        const channel = new MessageChannel();
        const nextTask = () => new Promise((resolve) => {
          channel.port1.onmessage = () => resolve();
          channel.port2.postMessage(null);
        });
        const toFrame = [];
        const toLayout = [];
        for (let i = 0; i <= steps; i++) {
          // Started in a task of its own at no particular point of a frame, as a person's input is.
          await new Promise((resolve) => setTimeout(resolve, (i * 7) % 17));
          input.value = String(Math.round((max * i) / steps));
          const start = performance.now();
          input.dispatchEvent(new Event('input', { bubbles: true }));
          await nextTask();
          document.body.getBoundingClientRect();
          toLayout.push(performance.now() - start);
          await frame();
          toFrame.push(performance.now() - start);
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
        const at = (list, p) => list.sort((a, b) => a - b)[Math.floor((list.length - 1) * p)];
        return {
          p50: at(toFrame, 0.5),
          p99: at(toFrame, 0.99),
          workP50: at(toLayout, 0.5),
          workP99: at(toLayout, 0.99),
        };
      }, 200);
      const dragging = await page.evaluate(() => window.__longTasks.splice(0));

      await page.getByRole('combobox', { name: 'Speed' }).selectOption('10').catch(() => {});
      await page.getByRole('button', { name: 'Play' }).click();
      await page.waitForTimeout(3_000);
      await page.getByRole('button', { name: 'Pause' }).click();
      const playing = await page.evaluate(() => window.__longTasks.splice(0));
      // Searched at the end of the log, where every stream has a state (Play may have started over).
      await page.evaluate(() => {
        const input = document.querySelector('input[type=range][aria-label=Timeline]');
        input.value = input.max;
        input.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await page.waitForTimeout(500);
      await page.evaluate(() => window.__longTasks.splice(0));

      // Typing as a person does, a key at a time; then waiting until the answer is complete.
      const typeInto = async (name, text, busy) => {
        const box = page.getByRole('searchbox', { name });
        const started = Date.now();
        await box.pressSequentially(text, { delay: 80 });
        await page.waitForFunction((busy) => !document.body.innerText.includes(busy), busy, { timeout: 600_000 });
        return Date.now() - started - 80 * text.length;
      };
      const filterMs = await typeInto('Filter events', 'acc-1234', 'Filtering:');
      const filtered = await page.locator('.filter-status').innerText();
      const filteringTasks = await page.evaluate(() => window.__longTasks.splice(0));
      await page.getByRole('searchbox', { name: 'Filter events' }).fill('');
      await page.waitForTimeout(500);
      await page.evaluate(() => window.__longTasks.splice(0));
      const searchMs = await typeInto('Search state', 'customer 99999', 'searching');
      const searched = await page.locator('.st-count').innerText();
      const searchingTasks = await page.evaluate(() => window.__longTasks.splice(0));
      await page.close();

      rows.push({
        log: `${basename(logPath)} (${mb(bytes)} MB, ${peer.events.toLocaleString('en')} events, ${peer.streams.toLocaleString('en')} streams)`,
        peer: peer.parse + peer.fold,
        peerParse: peer.parse,
        loadMs,
        memory,
        memoryAfterSave,
        bytes,
        loading,
        saving,
        drag,
        dragging,
        playing,
        filterMs,
        filtered,
        filteringTasks,
        searchMs,
        searched,
        searchingTasks,
      });
    } finally {
      await context.close();
      await server.close();
    }
  }
} finally {
  await browser.close();
}

console.log('\nThrough the file picker, headless Chromium (long tasks: over 50 ms)\n');
for (const r of rows) {
  console.log(`### ${r.log}\n`);
  console.log('| measure | value |');
  console.log('|---|---:|');
  console.log(`| JS peer: parse + fold (parse alone) | ${ms(r.peer)} ms (${ms(r.peerParse)} ms) |`);
  console.log(`| Rewind: picker change → Timeline ready | ${ms(r.loadMs)} ms (${(r.loadMs / r.peer).toFixed(2)}× the peer) |`);
  console.log(`| WASM memory after load (target ≤ 2× file) | ${mb(r.memory)} MB (${(r.memory / r.bytes).toFixed(2)}×) |`);
  console.log(`| WASM memory once the session is saved (3 s later) | ${mb(r.memoryAfterSave)} MB (${(r.memoryAfterSave / r.bytes).toFixed(2)}×) |`);
  console.log(`| long tasks while loading / saving after | ${tasks(r.loading)} / ${tasks(r.saving)} |`);
  console.log(`| slider input → state rendered and laid out, p50 / p99 (target p99 ≤ 16 ms) | ${ms(r.drag.workP50)} / ${ms(r.drag.workP99)} ms |`);
  console.log(`| slider input → next animation frame, p50 / p99 (includes the wait for the frame) | ${ms(r.drag.p50)} / ${ms(r.drag.p99)} ms |`);
  console.log(`| long tasks dragging 200 steps / playing 3 s at 10× | ${tasks(r.dragging)} / ${tasks(r.playing)} |`);
  console.log(`| Filter events "acc-1234": complete after last key | ${ms(r.filterMs)} ms, ${r.filtered.trim() || 'all shown'}; long tasks ${tasks(r.filteringTasks)} |`);
  console.log(`| Search state "customer 99999": complete after last key | ${ms(r.searchMs)} ms, ${r.searched.trim()}; long tasks ${tasks(r.searchingTasks)} |`);
  console.log('');
}
