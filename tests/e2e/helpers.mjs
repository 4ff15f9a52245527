// What every end-to-end test file needs: where the page is served, how Chromium is started, a
// page's errors collected, polling until the page shows something, and the wasm's start.
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

export const url = process.env.SGPLAY_URL ?? 'http://127.0.0.1:8765/';

const launchArgs = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Debian's Chromium (or $CHROMIUM), headless, as these machines allow it. */
export const launch = () => chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: launchArgs });

/** Records every page error and console error of `p` into `errors`, labelled. */
export function watch(p, label, errors) {
  p.on('pageerror', (e) => errors.push(`${label}: page error: ${e.message}`));
  p.on('console', (m) => { if (m.type() === 'error') errors.push(`${label}: console: ${m.text()}`); });
  return p;
}

/** Waits until the wasm has started and the masthead (or an embed) shows a scenario. */
export async function ready(p) {
  await p.waitForFunction(() => document.querySelector('[data-testid="scenario-name"], [data-testid="embed"]'), null, { timeout: 20_000 });
}

/** Polls `read` until `check` accepts its value; fails with the last value seen. */
export async function until(what, read, check, timeout = 5_000) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    last = await read();
    if (check(last)) return last;
    if (Date.now() > end) assert.fail(`${what}: still ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
