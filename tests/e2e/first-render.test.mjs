// First render and page size of the built playground (dist/), measured in headless Chromium:
// navigation, wasm fetched, first contentful paint, and the moment the masthead shows the
// default example's name (`[data-testid="scenario-name"]`), each from a fresh browser context
// (empty cache and localStorage); then the same for a deep link to an example the page fetches
// on demand; then the bytes of every file the page loaded, raw and `gzip -9`. The timings are
// printed, never asserted against a wall-clock bar (BENCHMARKS.md, "Page size", records them).
//
// scripts/test.sh runs it with the other end-to-end tests; by hand:
//   python3 -m http.server --bind 127.0.0.1 8765 --directory dist &
//   SGPLAY_URL=http://127.0.0.1:8765/ node --test tests/e2e/first-render.test.mjs
// SGPLAY_RUNS sets the number of runs of each measurement (default 5; the median is printed).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { gzipSync } from 'node:zlib';
import { launch, url } from './helpers.mjs';

const runs = Number(process.env.SGPLAY_RUNS ?? 5);

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

/** Records, in the page, when the masthead's scenario name (an input) first exists (ms since navigation start). */
function watchForName() {
  const seen = () => {
    if (window.__sgplayNameAt === undefined && document.querySelector('[data-testid="scenario-name"]')) window.__sgplayNameAt = performance.now();
  };
  new MutationObserver(seen).observe(document, { childList: true, subtree: true });
}

/** One load of `address` in a fresh context: the timings in ms and the resources it fetched. */
async function measure(address) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  await page.addInitScript(watchForName);
  await page.goto(address);
  await page.waitForFunction(() => window.__sgplayNameAt !== undefined && document.querySelector('[data-testid="scenario-name"]').value, null, { timeout: 20_000 });
  // The first paint can come a frame after the name is in the DOM.
  await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0, null, { timeout: 5_000 }).catch(() => {});
  const result = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const resources = performance.getEntriesByType('resource').map((r) => ({ name: r.name, end: r.responseEnd, bytes: r.encodedBodySize }));
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    const wasm = resources.find((r) => r.name.endsWith('.wasm'));
    return {
      timings: {
        'navigation (HTML loaded)': nav.responseEnd,
        'DOMContentLoaded': nav.domContentLoadedEventEnd,
        'wasm fetched': wasm ? wasm.end : NaN,
        'first contentful paint': fcp ? fcp.startTime : NaN,
        'scenario name shown': window.__sgplayNameAt,
      },
      resources,
      name: document.querySelector('[data-testid="scenario-name"]').value,
    };
  });
  await context.close();
  assert.deepEqual(errors, [], `${address} logged errors`);
  return result;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function report(title, results) {
  console.log(`\n${title} (${results.length} runs, ms since navigation start; median [min-max])`);
  for (const key of Object.keys(results[0].timings)) {
    const xs = results.map((r) => r.timings[key]);
    console.log(`  ${key.padEnd(26)} ${median(xs).toFixed(0).padStart(6)}  [${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)}]`);
  }
}

test('first render of the default example, timed', async () => {
  const cpus = os.cpus();
  console.log(`machine: ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${os.platform()} ${os.release()}; Chromium ${browser.version()}; ${url}`);
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await measure(url));
  assert.ok(results.every((r) => r.name.length > 0), 'the masthead names the scenario');
  report('default example', results);

  // The files the page loaded, by kind, raw and as `gzip -9` would send them.
  const files = results[0].resources.filter((r) => /\.(wasm|js|css)$/.test(new URL(r.name).pathname));
  assert.ok(files.some((f) => f.name.endsWith('.wasm')), 'the page loaded its wasm');
  const kinds = {};
  console.log('\nfiles the page loaded (bytes)');
  for (const file of files) {
    const body = Buffer.from(await (await fetch(file.name)).arrayBuffer());
    const gz = gzipSync(body, { level: 9 }).length;
    const kind = new URL(file.name).pathname.split('.').pop();
    kinds[kind] = kinds[kind] ?? { raw: 0, gz: 0 };
    kinds[kind].raw += body.length;
    kinds[kind].gz += gz;
    console.log(`  ${new URL(file.name).pathname.split('/').pop().padEnd(44)} raw ${String(body.length).padStart(8)}  gzip -9 ${String(gz).padStart(7)}`);
  }
  let raw = 0;
  let gz = 0;
  for (const [kind, size] of Object.entries(kinds)) {
    console.log(`  ${('all ' + kind).padEnd(44)} raw ${String(size.raw).padStart(8)}  gzip -9 ${String(size.gz).padStart(7)}`);
    raw += size.raw;
    gz += size.gz;
  }
  console.log(`  ${'total (wasm + js + css)'.padEnd(44)} raw ${String(raw).padStart(8)}  gzip -9 ${String(gz).padStart(7)} (${(gz / 1024).toFixed(1)} KB)`);
});

test('first render of a deep link to an example fetched on demand, timed', async () => {
  const address = new URL('#example=huawei/examples-ftp', url).href;
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await measure(address));
  assert.ok(results.every((r) => /FTP/.test(r.name)), `the deep link opens the FTP example, not ${results[0].name}`);
  report('#example=huawei/examples-ftp', results);
  const json = results[0].resources.find((r) => r.name.endsWith('.json'));
  if (json) console.log(`  (fetched ${new URL(json.name).pathname}: ${json.bytes} bytes, done at ${json.end.toFixed(0)} ms)`);
});
