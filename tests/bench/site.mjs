// The release build and a log served from one temporary folder, for the benchmark and the
// profile. A 100 MB body through Playwright's request interception would go over the DevTools
// protocol as base64 and measure that instead.
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DIST_DIR, serveDist } from '../e2e/harness.mjs';

/** Serves DIST_DIR with `logPath` as /bench-log.json; `close()` stops and removes it all. */
export async function serveWithLog(logPath) {
  const site = mkdtempSync(join(tmpdir(), 'rewind-bench-'));
  cpSync(DIST_DIR, site, { recursive: true });
  symlinkSync(resolve(logPath), join(site, 'bench-log.json'));
  const server = await serveDist(site);
  return {
    url: server.url,
    close: async () => {
      await server.close();
      rmSync(site, { recursive: true, force: true });
    },
  };
}
