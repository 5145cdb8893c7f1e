// A screenshot of the release build (dist/) and where the core loop's parts are on it:
//   node tests/e2e/screenshot.mjs <width> <height> <out.png> [path] [light|dark]
// The README's screenshots come from it (docs/screenshot-*.png).
import { launchBrowser, serveDist } from './harness.mjs';
const [w, h, out, path = '/', scheme = 'light'] = process.argv.slice(2);
const server = await serveDist();
const browser = await launchBrowser();
const context = await browser.newContext({ viewport: { width: Number(w), height: Number(h) }, colorScheme: scheme });
const page = await context.newPage();
await page.goto(new URL(path, server.url).href);
await page.getByRole('region', { name: 'State' }).waitFor();
await page.waitForTimeout(800);
const boxes = {};
for (const [name, loc] of [['timeline', page.getByRole('slider', { name: 'Timeline' })], ['events', page.getByRole('list', { name: 'Events' })], ['state', page.getByRole('region', { name: 'State' })], ['diff', page.getByRole('region', { name: 'Diff' })]]) {
  const b = await loc.boundingBox();
  boxes[name] = b && [Math.round(b.y), Math.round(b.y + b.height)];
}
console.log(JSON.stringify(boxes), 'page height', await page.evaluate(() => document.documentElement.scrollHeight));
await page.screenshot({ path: out });
await browser.close();
await server.close();
