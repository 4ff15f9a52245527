// The built page (dist/) in headless Chromium, as a person would use it: read the verdict of the
// pre-filled packet, change the port, run the scenario's checks from the menu.
//
// scripts/test.sh serves dist/ and runs this with SGPLAY_URL set; by hand:
//   (cd dist && python3 -m http.server --bind 127.0.0.1 8765) &
//   SGPLAY_URL=http://127.0.0.1:8765/ node --test tests/e2e/
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

const url = process.env.SGPLAY_URL ?? 'http://127.0.0.1:8765/';
const shots = new URL('./screenshots/', import.meta.url).pathname;
mkdirSync(shots, { recursive: true });

let browser;
let page;
const errors = [];

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    // Root needs --no-sandbox; the rest keep Chromium off the (closed) network.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  await page.goto(url);
  await page.getByTestId('verdict').waitFor({ timeout: 15_000 });
});

after(async () => {
  await browser?.close();
});

/** Waits until the verdict reads `expected` (the page updates asynchronously). */
async function verdictBecomes(expected) {
  try {
    await page.waitForFunction(
      (want) => document.querySelector('[data-testid="verdict"]')?.textContent === want,
      expected, { timeout: 5_000 });
  } catch {
    const now = await page.getByTestId('verdict').textContent().catch(() => '(no verdict)');
    assert.fail(`verdict stayed \`${now}\`, expected \`${expected}\``);
  }
}

async function steps() {
  return page.getByTestId('step').allTextContents();
}

test('the page loads with its scenario and no errors', async () => {
  assert.match(await page.title(), /sgplay/);
  const scenario = await page.getByTestId('scenario').textContent();
  for (const name of ['Sg-A', 'Sg-B', 'ECS-A01', 'ECS-B01']) assert.ok(scenario.includes(name), `${name} not shown`);
  assert.deepEqual(errors, []);
});

test('the pre-filled packet is evaluated and allowed, with the rule that allowed it', async () => {
  await page.getByTestId('evaluate').click();
  await verdictBecomes('allow');
  const all = await steps();
  assert.ok(all.length >= 4, `too few steps: ${all.join('\n')}`);
  assert.ok(all.some((s) => s.includes('B01')), `no step names rule B01:\n${all.join('\n')}`);
  assert.match(all.at(-1), /ALLOW/);
  await page.screenshot({ path: `${shots}01-allowed.png`, fullPage: true });
});

test('the same packet to a port no rule opens is denied', async () => {
  await page.getByTestId('probe-port').fill('3306');
  await page.getByTestId('evaluate').click();
  await verdictBecomes('deny');
  assert.match((await steps()).at(-1), /DENY/);
  await page.screenshot({ path: `${shots}02-denied.png`, fullPage: true });
});

test("every check of the scenario gets the verdict its author expects", async () => {
  const picker = page.getByTestId('check-picker');
  const options = await picker.locator('option[data-expect]').evaluateAll(
    (all) => all.map((o) => ({ value: o.value, name: o.textContent, expect: o.dataset.expect })));
  assert.ok(options.length > 0, 'the scenario has no checks on the page');
  for (const { value, name, expect } of options) {
    await picker.selectOption(value);
    await verdictBecomes(expect).catch((e) => assert.fail(`${name}: ${e.message}`));
  }
});

test('a typo in an instance id is explained next to the form', async () => {
  await page.getByTestId('probe-to').fill('ecs-typo');
  await page.getByTestId('evaluate').click();
  await page.getByTestId('probe-error').waitFor({ timeout: 5_000 });
  assert.match(await page.getByTestId('probe-error').textContent(), /ecs-typo/);
});

test('the dark colour scheme renders', async () => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.getByTestId('check-picker').selectOption({ index: 1 });
  await page.getByTestId('verdict').waitFor();
  await page.screenshot({ path: `${shots}03-dark.png`, fullPage: true });
  assert.deepEqual(errors, []);
});
