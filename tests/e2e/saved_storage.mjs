// What the saved-session browser tests share: the saved record in localStorage, waiting for it,
// and damaging stored values before a page loads.
import assert from 'node:assert/strict';
import { eventually } from './harness.mjs';

/** The localStorage key of the saved session record. */
export const SETTINGS_KEY = 'rewind.session';

/** The saved record, parsed; `null` when there is none or it is not JSON. */
export async function savedRecord(page) {
  const text = await page.evaluate((key) => localStorage.getItem(key), SETTINGS_KEY);
  try {
    return text === null ? null : JSON.parse(text);
  } catch {
    return null;
  }
}

/** Wait until the saved record satisfies `check` (saving waits 300 ms after the last change). */
export async function expectSaved(page, check, what) {
  await eventually(
    async () => {
      const record = await savedRecord(page);
      assert.ok(record && check(record), `saved record should have ${what}: ${JSON.stringify(record)}`);
    },
    { timeout: 10_000 },
  );
}

/**
 * Before the next page load only, replace stored values (`entries`: key → text). Set from an init
 * script, not from the running page: leaving the page saves the session, which would write over
 * them.
 */
let damages = 0;
export async function damageStorageOnNextLoad(page, entries) {
  const once = `rewind-test-damage-${++damages}`;
  await page.addInitScript(
    ([flag, values]) => {
      if (sessionStorage.getItem(flag)) return;
      sessionStorage.setItem(flag, 'done');
      for (const [key, value] of Object.entries(values)) localStorage.setItem(key, value);
    },
    [once, entries],
  );
}
