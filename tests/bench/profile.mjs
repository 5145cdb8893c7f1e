// Where the time goes while the app loads a large log (`make profile`): a CPU profile of the real
// app opened with `?log=`, from the first script until 5 s after the log is shown, cut into the
// runs of work between idle moments. Each run over 50 ms (a long task, or slices close together)
// is printed with the functions that spent most of it. Then the timeline is dragged across the
// log in 200 steps, and the functions that spent most of the drag are printed.
//
//   [PICKER=1] node tests/bench/profile.mjs <log.json>    (needs a build that keeps function names: see the Makefile)
import { launchBrowser } from '../e2e/harness.mjs';
import { serveWithLog } from './site.mjs';

const logPath = process.argv[2];
if (!logPath) {
  console.error('usage: node tests/bench/profile.mjs <log.json>');
  process.exit(2);
}
const SAMPLE_US = 500;
const server = await serveWithLog(logPath);
const browser = await launchBrowser();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries().map((e) => e.duration))).observe({
      type: 'longtask',
      buffered: true,
    });
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: SAMPLE_US });
  await cdp.send('Profiler.start');
  // PICKER=1: opened through the file picker, as a person does; else through `?log=`.
  if (process.env.PICKER) {
    await page.goto(server.url);
    await page.getByLabel('Open log file').setInputFiles(logPath);
  } else {
    await page.goto(new URL('/?log=/bench-log.json', server.url).href);
  }
  await page.waitForFunction(() => Number(document.querySelector('input[type=range]')?.max) > 1000, null, {
    timeout: 180_000,
  });
  await page.waitForTimeout(5_000);
  const { profile } = await cdp.send('Profiler.stop');
  const longTasks = await page.evaluate(() => window.__longTasks);
  await cdp.send('Profiler.start');
  await page.evaluate(async (steps) => {
    const input = document.querySelector('input[type=range]');
    const max = Number(input.max);
    for (let i = 0; i <= steps; i++) {
      input.value = String(Math.round((max * i) / steps));
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await new Promise((resolve) => requestAnimationFrame(() => resolve()));
    }
  }, 200);
  const { profile: drag } = await cdp.send('Profiler.stop');

  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const name = (id) => nodes.get(id).callFrame.functionName || '(anonymous)';
  let time = profile.startTime;
  const samples = profile.samples.map((id, i) => [(time += profile.timeDeltas[i]), id]);
  const runs = [];
  let run = [];
  for (const sample of samples) {
    if (name(sample[1]) === '(idle)') {
      if (run.length) runs.push(run);
      run = [];
    } else run.push(sample);
  }
  if (run.length) runs.push(run);

  console.log(`long tasks: ${longTasks.map((d) => `${d.toFixed(0)} ms`).join(', ') || 'none'}`);
  for (const r of runs) {
    const ms = (r[r.length - 1][0] - r[0][0]) / 1000;
    if (ms < 50) continue;
    const self = new Map();
    for (const [, id] of r) self.set(name(id), (self.get(name(id)) || 0) + 1);
    const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 8);
    console.log(`\nwork for ${ms.toFixed(0)} ms, from ${((r[0][0] - profile.startTime) / 1000).toFixed(0)} ms:`);
    for (const [fn, count] of top) console.log(`  ${((count * SAMPLE_US) / 1000).toFixed(0).padStart(5)} ms  ${fn.slice(0, 100)}`);
    // A long run of slices ends with the work that shows the result, often one task of its own.
    if (ms > 500) {
      const tail = r.filter(([t]) => t >= r[r.length - 1][0] - 150_000);
      const tailSelf = new Map();
      for (const [, id] of tail) tailSelf.set(name(id), (tailSelf.get(name(id)) || 0) + 1);
      console.log('  its last 150 ms:');
      for (const [fn, count] of [...tailSelf].sort((a, b) => b[1] - a[1]).slice(0, 12)) {
        console.log(`  ${((count * SAMPLE_US) / 1000).toFixed(0).padStart(5)} ms  ${fn.slice(0, 100)}`);
      }
    }
  }

  const dragNodes = new Map(drag.nodes.map((n) => [n.id, n]));
  const dragSelf = new Map();
  for (const id of drag.samples) {
    const fn = dragNodes.get(id).callFrame.functionName || '(anonymous)';
    dragSelf.set(fn, (dragSelf.get(fn) || 0) + 1);
  }
  console.log('\ndragging the timeline 200 steps, by function (self time):');
  for (const [fn, count] of [...dragSelf].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
    console.log(`  ${((count * SAMPLE_US) / 1000).toFixed(0).padStart(5)} ms  ${fn.slice(0, 100)}`);
  }
} finally {
  await browser.close();
  await server.close();
}
