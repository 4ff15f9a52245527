// docs/engine-demo.html in headless Chromium: the page imports the package as a browser does
// (init() fetching sgplay_bg.wasm), shows a verdict with its steps, and changes its answer when
// the packet changes. Skipped where tests/e2e's playwright-core is not installed.
//
//   scripts/build-js.sh && node --test js/tests/      (screenshot: tests/e2e/screenshots/)
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const helpers = join(root, 'tests/e2e/helpers.mjs');
const playwright = join(root, 'tests/e2e/node_modules/playwright-core');
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };

/** The repository's files on 127.0.0.1 (as `python3 -m http.server` serves them). */
async function serve() {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    try {
      const body = readFileSync(join(root, path));
      res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return server;
}

// scripts/test.sh sets SGPLAY_JS_STRICT (its end-to-end stage installs playwright-core): no skip there.
const skip = !existsSync(playwright) && !process.env.SGPLAY_JS_STRICT && 'no tests/e2e/node_modules (run the end-to-end stage once)';

test('the docs page evaluates packets with the package', { skip }, async () => {
  const { launch, watch, until } = await import(pathToFileURL(helpers));
  const server = await serve();
  const browser = await launch();
  const errors = [];
  try {
    const page = watch(await browser.newPage({ viewport: { width: 1000, height: 1400 } }), 'engine-demo', errors);
    await page.goto(`http://127.0.0.1:${server.address().port}/docs/engine-demo.html`);
    await page.waitForSelector('html[data-ready="true"]', { timeout: 20_000 });
    // The first answer: HTTPS from the Internet to the web server.
    assert.equal(await page.textContent('.verdict'), 'Allowed');
    const steps = await page.$$eval('ol.steps li', (li) => li.map((l) => l.textContent));
    assert.ok(steps.some((s) => s.includes('https')), steps.join('\n'));
    assert.ok((await page.$$('#matrix tr')).length > 2, 'the matrix has rows');
    // MySQL from the Internet to the database: denied.
    await page.selectOption('select[name="to"]', 'ecs-db');
    await page.fill('input[name="port"]', '3306');
    await page.click('button[type="submit"]');
    await until('the verdict', () => page.textContent('.verdict'), (v) => v === 'Denied');
    assert.match(await page.textContent('.path'), /not reachable/);
    // No port for tcp: the engine's problem (port 0), shown; no exception escapes.
    await page.fill('input[name="port"]', '');
    await page.click('button[type="submit"]');
    await until('the error', () => page.textContent('#answer'), (t) => /packet port: /.test(t ?? ''));
    await page.fill('input[name="port"]', '3306');
    await page.selectOption('select[name="from"]', 'ecs-web');
    await page.click('button[type="submit"]');
    await until('the verdict', () => page.textContent('.verdict'), (v) => v === 'Allowed');
    mkdirSync(join(root, 'tests/e2e/screenshots'), { recursive: true });
    await page.screenshot({ path: join(root, 'tests/e2e/screenshots/engine-demo.png'), fullPage: true });
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    server.close();
  }
});
