// The release page embeds only the default example; the gallery and `#example=` links fetch the
// others from dist/scenarios/. Here the fetch fails (the request is aborted): the gallery says
// so and stays open, a deep link opens the default example with an error notice; once the
// network is back the same example opens, and Undo brings the previous scenario back.
//
// scripts/test.sh runs it with the other end-to-end tests; by hand:
//   python3 -m http.server --bind 127.0.0.1 8765 --directory dist &
//   SGPLAY_URL=http://127.0.0.1:8765/ node --test tests/e2e/gallery-fetch.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, url } from './helpers.mjs';

const FTP = '**/scenarios/huawei/examples-ftp.json';

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

const id = (p, testid) => p.getByTestId(testid, { exact: true });

async function open(address) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  await page.goto(address);
  await page.waitForFunction(() => document.querySelector('[data-testid="scenario-name"]')?.value, null, { timeout: 20_000 });
  return { context, page, errors };
}

test('a gallery example that cannot be fetched is an error notice; it opens once it can', async () => {
  const { context, page, errors } = await open(url);
  const before = await id(page, 'scenario-name').inputValue();
  await context.route(FTP, (route) => route.abort());
  await id(page, 'gallery-open').click();
  await id(page, 'gallery').waitFor();
  await id(page, 'gallery-item-huawei-examples-ftp').click();
  await page.getByTestId('notice').filter({ hasText: 'could not be loaded' }).waitFor();
  assert.match(await id(page, 'gallery-status').textContent(), /examples-ftp.*could not be loaded/);
  assert.ok(await id(page, 'gallery').isVisible(), 'the gallery stays open');
  assert.equal(await id(page, 'scenario-name').inputValue(), before, 'the scenario is untouched');

  await context.unroute(FTP);
  await id(page, 'gallery-item-huawei-examples-ftp').click();
  await id(page, 'gallery').waitFor({ state: 'hidden' });
  assert.match(await id(page, 'scenario-name').inputValue(), /FTP/);
  await id(page, 'undo').click();
  await page.waitForFunction((name) => document.querySelector('[data-testid="scenario-name"]').value === name, before);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a deep link whose example cannot be fetched opens the default example with an error notice', async () => {
  const context = await browser.newContext();
  await context.route(FTP, (route) => route.abort());
  const page = await context.newPage();
  await page.goto(new URL('#example=huawei/examples-ftp', url).href);
  await page.waitForFunction(() => document.querySelector('[data-testid="scenario-name"]')?.value, null, { timeout: 20_000 });
  await page.getByTestId('notice').filter({ hasText: 'huawei/examples-ftp' }).filter({ hasText: 'could not be loaded' }).waitFor();
  assert.doesNotMatch(await id(page, 'scenario-name').inputValue(), /FTP/);
  await context.close();
});
