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

/**
 * Clicks the element `click` (a CSS selector) from inside the page and measures, in ms, how long
 * until `done(document)` holds and the browser has painted that frame: the click's handlers,
 * the reactive re-render, style, layout and paint, without the WebDriver round trips or the
 * 50 ms polling of `until`. Accurate to about one frame. `done` is a function source text.
 */
export async function clickToPaint(p, click, done, timeout = 30_000) {
  return p.evaluate(async ({ click, done, timeout }) => {
    const isDone = new Function('document', `return (${done})(document);`);
    const target = document.querySelector(click);
    if (!target) throw new Error(`nothing matches ${click}`);
    const start = performance.now();
    target.click();
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    for (;;) {
      await frame();
      if (isDone(document)) break;
      if (performance.now() - start > timeout) throw new Error(`${done}: not true after ${timeout} ms`);
    }
    // The frame whose rAF saw the result is painted once a task after it runs.
    await new Promise((r) => setTimeout(r, 0));
    return Math.round(performance.now() - start);
  }, { click, done: done.toString(), timeout });
}

/**
 * Pans the canvas `selector` by dragging its background with the mouse in `steps` moves and returns the gaps
 * between the frames drawn meanwhile (ms): the longest is what issue 7's "no frame over 50 ms
 * while panning" is about.
 */
export async function panFrames(p, selector, dx, dy, steps = 30) {
  const box = await p.locator(selector).first().boundingBox();
  // From near the top-left corner: the fitted view's margin, background, so the drag pans.
  const x = box.x + 8 + Math.max(0, -dx);
  const y = box.y + 8 + Math.max(0, -dy);
  await p.evaluate(() => {
    window.__sgplayFrames = [];
    let last = performance.now();
    const tick = (now) => {
      window.__sgplayFrames.push(now - last);
      last = now;
      if (window.__sgplayFrames.length < 10_000 && !window.__sgplayStopFrames) requestAnimationFrame(tick);
    };
    window.__sgplayStopFrames = false;
    requestAnimationFrame(tick);
  });
  await p.mouse.move(x, y);
  await p.mouse.down();
  for (let i = 1; i <= steps; i += 1) await p.mouse.move(x + (dx * i) / steps, y + (dy * i) / steps);
  await p.mouse.up();
  return p.evaluate(async () => {
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    window.__sgplayStopFrames = true;
    // The first gap is from before the drag began.
    return window.__sgplayFrames.slice(1).map((g) => Math.round(g));
  });
}

/**
 * A fresh browser with the gallery's 1,000-instance estate open at `base` (the profiling tools'
 * start): `{ browser, ctx, p, id }`, `id(testid)` a locator.
 */
export async function openLargeEstate(base) {
  const browser = await launch();
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const p = await ctx.newPage();
  const id = (t) => p.locator(`[data-testid="${t}"]`);
  await p.goto(`${base}#example=huawei/estate-1000-instances`);
  await until('estate', () => id('scenario-name').inputValue(), (v) => v.startsWith('Large estate'), 60000);
  return { browser, ctx, p, id };
}
