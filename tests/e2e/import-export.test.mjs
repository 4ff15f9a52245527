// The Import dialog takes every format the engine reads (issue 10), through
// `interop::import_any`: Huawei Cloud API listings chosen as several files or pasted as several
// texts combine into one scenario; their warnings are listed, each at its input path, before the
// user confirms; bad input is refused with every error and the scenario stays. Export offers every
// `interop::Format`, lists what the format leaves out, and what it writes imports back; Terraform
// and the API formats go through the page's worker, which carries their readers and writers.
//
// By hand: serve dist/ (python3 -m http.server --bind 127.0.0.1 --directory dist 8766 &), then
//   SGPLAY_URL=http://127.0.0.1:8766/ node --test tests/e2e/import-export.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, ready, until, url, watch as watchInto } from './helpers.mjs';

const fixture = (name) => new URL(`../fixtures/huawei-api/${name}`, import.meta.url).pathname;
const ESTATE = [
  'list-security-groups.json',
  'show-security-group.json',
  'list-security-group-rules-page-1.json',
  'list-security-group-rules-page-2.json',
  'create-security-group-rule.json',
  'list-address-groups.json',
  'list-servers-details.json',
];
const WEB = '0c4a2336-b036-4fa2-bc3c-1a291ed4c431';
const DB = '4f2a7a7e-6f5f-4b51-9d3c-7f6f4e0c2b11';
const DEFAULT_NAME = 'Sg-A and Sg-B';

let browser;
let ctx;
let p;
const errors = [];
before(async () => {
  browser = await launch();
  ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  p = watchInto(await ctx.newPage(), 'import-export', errors);
  await p.goto(url);
  await ready(p);
});
after(async () => {
  await browser?.close();
});

const id = (testid) => p.getByTestId(testid, { exact: true });
const noErrors = () => assert.deepEqual(errors.splice(0), [], 'the page logged errors');
const groups = () => p.locator('[data-testid^="group-item-"]').evaluateAll((els) => els.map((e) => e.dataset.testid.replace('group-item-', '')));

/** Waits for the import to end: loaded (dialog closed) or waiting for confirmation. */
async function settled() {
  return until('the import', async () => {
    if (await id('import-warnings').count()) return 'warnings';
    if (await id('import-error').count()) return 'error';
    if (!(await id('import-dialog').isVisible())) return 'loaded';
    return null;
  }, (s) => s !== null, 30_000);
}

test('the whole estate, chosen as seven API files at once, imports into one scenario', async () => {
  await id('import').click();
  await id('import-file').setInputFiles(ESTATE.map(fixture));
  const state = await settled();
  if (state === 'warnings') {
    const warnings = await id('import-warning').allTextContents();
    assert.ok(warnings.every((w) => w.startsWith('warning:')), `${warnings}`);
    await id('import-confirm').click();
  } else {
    if (state !== 'loaded') assert.fail(await id('import-error').textContent());
  }
  await id('import-dialog').waitFor({ state: 'hidden' });
  await until('the groups', groups, (g) => g.includes(WEB) && g.includes(DB));
  assert.equal(await id('scenario-name').inputValue() !== DEFAULT_NAME, true);
  // Undo brings the example back.
  await id('undo').click();
  await until('the name after Undo', () => id('scenario-name').inputValue(), (n) => n === DEFAULT_NAME);
  noErrors();
});

test('pasted listings combine, and their warnings are listed at their paths before anything loads', async () => {
  await id('import').click();
  await id('import-text').fill(readFileSync(fixture('list-security-groups.json'), 'utf8'));
  await id('import-add-text').click();
  await id('import-text-2').fill(readFileSync(fixture('rules-disabled-and-unknown.json'), 'utf8'));
  await id('import-apply').click();
  await id('import-warnings').waitFor();
  const warnings = await id('import-warning').allTextContents();
  assert.equal(warnings.length, 2, `${warnings}`);
  assert.ok(warnings.some((w) => w.includes('pasted text 2: security_group_rules[0].enabled') && w.includes('not in force')), `${warnings}`);
  assert.ok(warnings.some((w) => w.includes('pasted text 2: security_group_rules[1].log_enabled')), `${warnings}`);
  assert.match(await id('import-warnings').textContent(), /read as Huawei Cloud API JSON: 2 security groups/);
  // Not yet loaded; "Do not import" leaves the scenario.
  assert.equal(await id('scenario-name').inputValue(), DEFAULT_NAME);
  await id('import-cancel').click();
  assert.equal(await id('import-warnings').count(), 0);
  assert.equal(await id('scenario-name').inputValue(), DEFAULT_NAME);
  // Confirmed, it loads.
  await id('import-apply').click();
  await id('import-confirm').click();
  await id('import-dialog').waitFor({ state: 'hidden' });
  await until('the groups', groups, (g) => g.includes(DB));
  await id('undo').click();
  await until('the name after Undo', () => id('scenario-name').inputValue(), (n) => n === DEFAULT_NAME);
  noErrors();
});

test('bad input is refused with its errors and the scenario stays', async () => {
  const before = await groups();
  const bad = JSON.stringify({ security_group_rules: [{ id: 'r1', security_group_id: 'nope', direction: 'ingress', protocol: 'tcp', multiport: '99999', ethertype: 'IPv4' }] });
  const scenario = readFileSync(new URL('../scenarios/huawei/examples-ftp.json', import.meta.url), 'utf8');
  for (const [what, texts, needle] of [
    ['a broken listing', [bad], 'pasted text 1'],
    ['a scenario with a listing', [scenario, readFileSync(fixture('list-servers-details.json'), 'utf8')], 'imported alone'],
  ]) {
    await id('import').click();
    await id('import-text').fill(texts[0]);
    if (texts[1]) {
      await id('import-add-text').click();
      await id('import-text-2').fill(texts[1]);
    }
    await id('import-apply').click();
    await id('import-error').waitFor();
    const problems = await id('import-problem').allTextContents();
    assert.ok(problems.length >= 1 && problems.some((t) => t.includes(needle)), `${what}: ${problems}`);
    assert.match(await id('import-error').textContent(), /was not imported: .*Your scenario is unchanged/);
    await p.keyboard.press('Escape');
    await id('import-dialog').waitFor({ state: 'hidden' });
    assert.equal(await id('scenario-name').inputValue(), DEFAULT_NAME, what);
    assert.deepEqual(await groups(), before, what);
    await p.reload();
    await ready(p);
  }
  noErrors();
});

test('Export offers every format, lists what it leaves out, and each file imports back', async () => {
  const before = await groups();
  // Terraform is written and read by the worker (the page's wasm leaves the HCL code out).
  const formats = [['huawei-api', '-huawei-api.json'], ['huawei-terraform', '.tf'], ['alibaba-api', '-alibaba-api.json'], ['alibaba-terraform', '-alicloud.tf'], ['scenario', '.json']];
  for (const [format, suffix] of formats) {
    await id('export').click();
    await id('export-dialog').waitFor();
    assert.equal(await p.locator('[data-testid^="export-format-"]').count(), formats.length, 'one choice per interop::Format');
    await id(`export-format-${format}`).check();
    await until('the details', () => id('export-details').textContent(), (t) => t.includes(suffix), 30_000);
    const leftOut = await id('export-left-out').allTextContents();
    if (format === 'scenario') assert.deepEqual(leftOut, []);
    const [download] = await Promise.all([p.waitForEvent('download'), id('export-download').click()]);
    assert.equal(download.suggestedFilename(), `sg-a-and-sg-b${suffix}`);
    const path = await download.path();
    // Import the file back: the same groups.
    await id('import').click();
    const mimeType = suffix.endsWith('.tf') ? 'text/plain' : 'application/json';
    await id('import-file').setInputFiles({ name: download.suggestedFilename(), mimeType, buffer: readFileSync(path) });
    const state = await settled();
    if (state === 'warnings') await id('import-confirm').click();
    else if (state !== 'loaded') assert.fail(`${format}: ${await id('import-error').textContent()}`);
    await id('import-dialog').waitFor({ state: 'hidden' });
    assert.deepEqual((await groups()).length, before.length, `${format}: the groups come back`);
    if (format !== 'scenario') assert.ok(leftOut.length > 0, 'the example has checks, which API JSON cannot carry');
    await id('undo').click();
    await until('the name after Undo', () => id('scenario-name').inputValue(), (n) => n === DEFAULT_NAME);
  }
  noErrors();
});
