// In-browser benchmark (`make bench`): the same generated log loaded both ways in one browser
// (headless Chromium) — Rewind (WebAssembly) and the JavaScript a user would write (JSON.parse plus
// a fold) — then the real app scrubbed across the whole log while long tasks are watched.
//
//   node tests/bench/browser.mjs <log.json>      (needs a release build in dist/)
import { statSync } from 'node:fs';
import { launchBrowser } from '../e2e/harness.mjs';
import { serveWithLog } from './site.mjs';

const logPath = process.argv[2];
if (!logPath) {
  console.error('usage: node tests/bench/browser.mjs <log.json>');
  process.exit(2);
}
const bytes = statSync(logPath).size;
const mb = (n) => (n / 1e6).toFixed(1);
const ms = (n) => n.toFixed(n < 10 ? 2 : 0);

const server = await serveWithLog(logPath);
const browser = await launchBrowser();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();

  // ---- 1. Load and seek, both ways, in one page.
  await page.goto(server.url);
  await page.waitForFunction(() => window.wasmBindings?.rewind_bench, null, { timeout: 60_000 });
  // One renderer has a few GB: at a million events the baseline's objects and Rewind's memory do
  // not fit side by side, so each runs in a fresh page of the same browser.
  const baseline = await page.evaluate(async () => {
    const text = await (await fetch('/bench-log.json')).text();
    const t0 = performance.now();
    const parsed = JSON.parse(text);
    const t1 = performance.now();
    const balances = new Map();
    for (const event of parsed.events) {
      const amount = event.data?.amount ?? 0;
      const balance = balances.get(event.stream) ?? 0;
      if (event.type === 'Deposit') balances.set(event.stream, balance + amount);
      else if (event.type === 'Withdraw') balances.set(event.stream, balance - amount);
      else balances.set(event.stream, balance);
    }
    const t2 = performance.now();
    return { jsParse: t1 - t0, jsFold: t2 - t1, streams: balances.size };
  });
  await page.close();
  const benchIn = async (script) => {
    const page = await context.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => window.wasmBindings?.rewind_bench, null, { timeout: 60_000 });
    const result = await page.evaluate(async (script) => {
      const text = await (await fetch('/bench-log.json')).text();
      return JSON.parse(window.wasmBindings.rewind_bench(text, 5_000, script));
    }, script);
    await page.close();
    return result;
  };
  const rewind = await benchIn(undefined);
  // The same log replayed by domains/bank.rhai, the bank written as a script, each in a fresh page.
  const scripted = await benchIn('bank.rhai');
  const result = { ...baseline, rewind };
  if (result.rewind.error) throw new Error(`Rewind could not load the log: ${result.rewind.error}`);

  const r = result.rewind;
  const js = result.jsParse + result.jsFold;
  console.log(`\nBrowser benchmark: ${r.events.toLocaleString('en')} events, ${mb(bytes)} MB, headless Chromium\n`);
  console.log('| measure | value |');
  console.log('|---|---:|');
  console.log(`| JS baseline: JSON.parse | ${ms(result.jsParse)} ms |`);
  console.log(`| JS baseline: fold | ${ms(result.jsFold)} ms |`);
  console.log(`| JS baseline total | ${ms(js)} ms |`);
  console.log(`| Rewind load (parse, validate, index, replay with snapshots, checks) | ${ms(r.load_ms)} ms |`);
  console.log(`| Rewind / JS (target ≤ 0.5×) | ${(r.load_ms / js).toFixed(2)}× |`);
  console.log(`| snapshot interval | ${r.snapshot_interval} |`);
  console.log(`| seek in the engine p50 / p99 (target p99 ≤ 1 ms) | ${ms(r.seek_p50_ms)} / ${ms(r.seek_p99_ms)} ms |`);
  console.log(`| seek + state JSON of every stream p50 / p99 | ${ms(r.seek_json_p50_ms)} / ${ms(r.seek_json_p99_ms)} ms |`);
  console.log(`| WASM memory after load (target ≤ 2× log) | ${mb(r.memory_bytes)} MB (${(r.memory_bytes / bytes).toFixed(2)}×) |`);
  if (scripted.error) throw new Error(`bank.rhai could not load the log: ${scripted.error}`);
  const s = scripted;
  console.log(`| bank.rhai load (parse, validate, index, script replay, checks) | ${ms(s.load_ms)} ms |`);
  console.log(`| bank.rhai / compiled bank load (target ≤ 3×) | ${(s.load_ms / r.load_ms).toFixed(2)}× |`);
  console.log(`| bank.rhai snapshot interval; seek p50 / p99 (target p99 ≤ 1 ms) | ${s.snapshot_interval}; ${ms(s.seek_p50_ms)} / ${ms(s.seek_p99_ms)} ms |`);
  console.log(`| bank.rhai WASM memory after load | ${mb(s.memory_bytes)} MB (${(s.memory_bytes / bytes).toFixed(2)}×) |`);

  // ---- 2. The real app: load through ?log=, then drag across the whole timeline.
  const app = await context.newPage();
  // Long tasks from the first script on: starting the app, fetching, loading in slices, saving.
  await app.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries().map((e) => e.duration))).observe({
      type: 'longtask',
      buffered: true,
    });
  });
  const opened = Date.now();
  await app.goto(new URL('/?log=/bench-log.json', server.url).href);
  const slider = app.getByRole('slider', { name: 'Timeline' });
  await app.waitForFunction(
    (n) => Number(document.querySelector('input[type=range]')?.max) === n,
    result.rewind.events,
    { timeout: 180_000 },
  );
  await slider.waitFor();
  const shownAfter = Date.now() - opened;
  // The session is saved after a load (the log written to IndexedDB): give it time to run.
  await app.waitForTimeout(5_000);
  const loading = await app.evaluate(() => window.__longTasks.splice(0));
  const drag = await app.evaluate(async (steps) => {
    const input = document.querySelector('input[type=range]');
    const max = Number(input.max);
    const longTasks = [];
    const observer = new PerformanceObserver((list) => longTasks.push(...list.getEntries().map((e) => e.duration)));
    observer.observe({ type: 'longtask' });
    const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
    const toPaint = [];
    for (let i = 0; i <= steps; i++) {
      input.value = String(Math.round((max * i) / steps));
      const start = performance.now();
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await frame();
      toPaint.push(performance.now() - start);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    observer.disconnect();
    toPaint.sort((a, b) => a - b);
    return {
      steps,
      longTasks: longTasks.length,
      longestTask: longTasks.length ? Math.max(...longTasks) : 0,
      paintP50: toPaint[Math.floor(toPaint.length * 0.5)],
      paintP99: toPaint[Math.floor((toPaint.length - 1) * 0.99)],
    };
  }, 200);

  console.log(`| app: page opened → 1M-event log shown via ?log= | ${ms(shownAfter)} ms |`);
  const longest = loading.length ? Math.max(...loading) : 0;
  const over200 = loading.filter((d) => d > 200).length;
  console.log(`| app: long tasks from opening to 5 s after shown (start-up, fetch, load, save) | ${loading.length} (${over200} over 200 ms; longest ${ms(longest)} ms) |`);
  console.log(`| app: slider input → next frame p50 / p99 (target ≤ 16 ms) | ${ms(drag.paintP50)} / ${ms(drag.paintP99)} ms |`);
  console.log(`| app: long tasks while dragging ${drag.steps} steps (target none > 50 ms) | ${drag.longTasks} (longest ${ms(drag.longestTask)} ms) |`);
} finally {
  await browser.close();
  await server.close();
}
