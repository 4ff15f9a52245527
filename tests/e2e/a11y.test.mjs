// Accessibility as a property of the suite, on the built playground (dist/):
// - axe-core (WCAG 2.0/2.1 A and AA rules) finds no violation on any panel, editor or dialog,
//   light and dark, desktop and tablet, nor in the embed views;
// - one session of the page's tasks done with the keyboard alone: skip to a panel, open an
//   example, undo, add and edit a rule, pick source and destination (one on the canvas), evaluate,
//   step, reply, advance the clock, share, import; every focus stop shows where focus is, the Tab
//   order goes through the page and back without a trap, Escape closes each dialog and gives focus
//   back to the button that opened it;
// - the verdict and each step are announced in a polite live region; the canvas has its path
//   as text; tables have captions; animation stops under prefers-reduced-motion.
//
// scripts/test.sh runs it with SGPLAY_URL set, after page.test.mjs; by hand, as page.test.mjs says.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { launch, ready, until, url, watch as watchInto } from './helpers.mjs';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const DEFAULT_NAME = 'Sg-A and Sg-B';
const FTP_NAME = 'FTP upload and download (ports 20-21)';

let browser;
const errors = [];

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

const watch = (p, label) => watchInto(p, label, errors);

const id = (p, testid) => p.getByTestId(testid, { exact: true });



/** A fresh page in its own profile, on `path`, with the wasm started. */
async function open(options, path = '', label = 'page') {
  const ctx = await browser.newContext(options);
  const p = watch(await ctx.newPage(), label);
  await p.goto(new URL(path, url).href);
  await ready(p);
  return { ctx, p };
}

// ---- axe -------------------------------------------------------------------------------------

/** Runs axe on the page (or inside `within`, a CSS selector) and fails with every violation. */
async function assertNoViolations(p, where, within) {
  // Evaluated, not added as a <script>: the page's Content-Security-Policy forbids inline script.
  if (!(await p.evaluate(() => 'axe' in window))) await p.evaluate(axeSource);
  const result = await p.evaluate(async ([tags, scope]) => {
    const r = await window.axe.run(scope ? document.querySelector(scope) : document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`) }));
  }, [WCAG_AA, within ?? null]);
  const report = result.map((v) => `${v.id}: ${v.help}\n    ${v.nodes.slice(0, 8).join('\n    ')}`).join('\n  ');
  assert.equal(result.length, 0, `axe found violations ${where}:\n  ${report}`);
}

/** Headless Chromium paints a dialog's backdrop (and axe reads colours) a moment after it opens. */
const settle = (p) => p.waitForTimeout(400);

const VIEWPORTS = [['desktop', 1280, 800], ['tablet', 820, 1180]];

for (const [device, width, height] of VIEWPORTS) {
  for (const scheme of ['light', 'dark']) {
    test(`axe: every panel, editor and dialog, ${device}, ${scheme}`, async () => {
      const { ctx, p } = await open({ viewport: { width, height }, colorScheme: scheme }, '', `axe ${device} ${scheme}`);
      try {
        await assertNoViolations(p, 'on the page as it opens');

        // A packet sent and half stepped: verdict, steps past, current and to come, the path.
        await id(p, 'send').click();
        await id(p, 'verdict').waitFor();
        await id(p, 'step-reset').click();
        for (let i = 0; i < 3; i += 1) await id(p, 'step-forward').click();
        await p.locator('[data-testid="path-text"] summary').click();
        await assertNoViolations(p, 'after a send, half-way through the steps, path as text open');
        await id(p, 'step-end').click();
        await id(p, 'send-reply').click();
        await until('the reply', () => id(p, 'sent-kind').textContent(), (k) => /reply/i.test(k));
        await assertNoViolations(p, 'after a reply, with connection entries');

        // Each editor open in turn.
        await id(p, 'group-item-sg-a').click();
        await id(p, 'add-rule').click();
        await id(p, 'cell-priority').waitFor();
        await assertNoViolations(p, 'with the rule editor open');
        await id(p, 'cell-port').fill('30-22');
        await assertNoViolations(p, 'with a rule editor showing an error');
        await p.keyboard.press('Escape');
        await id(p, 'new-address-group').click();
        await id(p, 'address-group-name').waitFor();
        await assertNoViolations(p, 'with the address group editor open');
        await p.keyboard.press('Escape');
        await id(p, 'new-instance').click();
        await id(p, 'instance-create').waitFor();
        await assertNoViolations(p, 'with the instance form open');
        await p.keyboard.press('Escape');

        // The what-if panel with an edit's diff, and a suggested fix under a denied packet.
        await id(p, 'set-baseline').click();
        await id(p, 'rule-delete-A02').click();
        await until('the diff', () => id(p, 'baseline-summary').textContent(), (t) => /^Closes/.test(t));
        await id(p, 'baseline-try-0').click();
        await id(p, 'suggest-fix').click();
        await id(p, 'fix-steps').waitFor();
        await assertNoViolations(p, 'with a baseline diff and a suggested fix');
        await id(p, 'undo').click();

        // Each dialog.
        for (const [button, dialog] of [['gallery-open', 'gallery'], ['share', 'share-dialog'], ['import', 'import-dialog']]) {
          await id(p, button).click();
          await id(p, dialog).waitFor();
          await settle(p);
          await assertNoViolations(p, `with the ${dialog} open`);
          await p.keyboard.press('Escape');
          await id(p, dialog).waitFor({ state: 'hidden' });
        }
        await id(p, 'import').click();
        await id(p, 'import-text').fill('{"name": "x", "security_groups": [{"id": "sg", "rules": [{"id": "r", "direction": "ingress", "multiport": "30-22"}]}]}');
        await id(p, 'import-apply').click();
        await id(p, 'import-error').waitFor();
        await settle(p);
        await assertNoViolations(p, 'with an import refused');
        await p.keyboard.press('Escape');

        // An import of API listings with warnings, waiting for the user's word.
        await id(p, 'import').click();
        await id(p, 'import-text').fill(readFileSync(new URL('../fixtures/huawei-api/list-security-groups.json', import.meta.url), 'utf8'));
        await id(p, 'import-add-text').click();
        await id(p, 'import-text-2').fill(readFileSync(new URL('../fixtures/huawei-api/rules-disabled-and-unknown.json', import.meta.url), 'utf8'));
        await id(p, 'import-apply').click();
        await id(p, 'import-warnings').waitFor();
        await settle(p);
        await assertNoViolations(p, 'with an import\'s warnings to confirm');
        await p.keyboard.press('Escape');

        // Export, in each format (Huawei API JSON lists what it leaves out).
        await id(p, 'export').click();
        await id(p, 'export-dialog').waitFor();
        await id(p, 'export-format-huawei-api').check();
        await until('the export details', () => id(p, 'export-details').textContent(), (t) => t.includes('huawei-api.json'));
        await settle(p);
        await assertNoViolations(p, 'with the export dialog open');
        await p.keyboard.press('Escape');

        // The findings of a scenario that has some, one followed to its rule, one fixed.
        // (Only the fragment changes, so the page must be reloaded to read it.)
        await p.goto(new URL('#example=huawei/matching-order', url).href);
        await p.reload();
        await ready(p);
        await id(p, 'finding-link-rule-T-allow').first().click();
        await until('the marked row', () => id(p, 'rule-row-T-allow').getAttribute('class'), (c) => /spotlight/.test(c));
        await assertNoViolations(p, 'with findings listed and one followed to its rule');
        await id(p, 'finding-fix-shadowed-sg-tie-t-allow').click();
        await until('the fix', () => id(p, 'findings-status').textContent(), (t) => /done/.test(t));
        await assertNoViolations(p, 'after a finding was fixed');

        // An Alibaba Cloud example: the cloud badge, a group's type and inner access policy, the
        // verdict in Alibaba's words.
        await p.goto(new URL('#example=alibaba/alibaba-inner-access-policy', url).href);
        await p.reload();
        await ready(p);
        await id(p, 'group-kind').waitFor();
        await id(p, 'send').click();
        await until('the verdict', () => id(p, 'verdict').textContent(), (t) => /ACCEPT|DROP/.test(t));
        await assertNoViolations(p, 'on an Alibaba Cloud example');

        // The embed views: the canvas and tester, and every panel.
        for (const panels of ['canvas,tester', 'groups,instances,canvas,tester,connections']) {
          await p.goto(new URL(`?embed=${panels}#example=huawei/overview-sg-a-sg-b`, url).href);
          await ready(p);
          await id(p, 'send').click();
          await id(p, 'verdict').waitFor();
          await assertNoViolations(p, `in the embed view ${panels}`);
        }
      } finally {
        await ctx.close();
      }
      assert.deepEqual(errors, [], 'the page logged errors');
    });
  }
}


test('axe: the notices of a bad share link, a save set aside, a newer save and storage full', async () => {
  for (const scheme of ['light', 'dark']) {
    const { ctx, p } = await open({ viewport: { width: 1280, height: 800 }, colorScheme: scheme }, '', `notices ${scheme}`);
    try {
      const notices = () => p.getByTestId('notice').count();
      await p.evaluate(() => localStorage.setItem('sgplay.autosave', '{"version":1,"scen'));
      await p.goto(new URL('#s=7.abc', url).href);
      await p.reload();
      await ready(p);
      await until('the notices', notices, (n) => n >= 2);
      await assertNoViolations(p, `with a link and a set-aside notice, ${scheme}`);
      await p.evaluate(() => localStorage.setItem('sgplay.autosave', JSON.stringify({ version: 99, scenario: {} })));
      await p.reload();
      await ready(p);
      await until('the notice', notices, (n) => n >= 1);
      await assertNoViolations(p, `with the newer-save notice, ${scheme}`);
      await p.evaluate(() => localStorage.clear());
      await ctx.addInitScript(() => {
        Storage.prototype.setItem = function setItem() { throw new DOMException('full', 'QuotaExceededError'); };
      });
      await p.reload();
      await ready(p);
      await until('the notice', notices, (n) => n >= 1);
      await assertNoViolations(p, `with the autosave-failed notice, ${scheme}`);
    } finally {
      await ctx.close();
    }
  }
  assert.deepEqual(errors, [], 'the page logged errors');
});

// ---- the keyboard alone ----------------------------------------------------------------------

/** What has keyboard focus: its test id (or its parent's, for a canvas node's button), and whether it shows. */
function focused(p) {
  return p.evaluate(() => {
    const e = document.activeElement;
    if (!e || e === document.body) return { testid: 'body', visible: true, inDialog: false };
    const testid = e.dataset?.testid || e.id || e.parentElement?.closest('[data-testid]')?.dataset.testid || e.tagName;
    const style = getComputedStyle(e);
    let visible = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
    // The canvas's buttons draw their ring on a shape inside them.
    const ring = e.querySelector?.('.topo-node__frame, .topo-container__toggle-box');
    if (!visible && ring) visible = parseFloat(getComputedStyle(ring).strokeWidth) >= 2;
    const text = (e.getAttribute('aria-label') ?? e.textContent ?? '').trim().slice(0, 40);
    return { testid, visible, text, inDialog: !!e.closest('dialog[open]') };
  });
}

/**
 * Presses Tab (or Shift+Tab) until focus is on `testid`, checking at every stop that the focus
 * shows; returns the stops. Fails when `testid` is not reached within `max` presses.
 */
async function tabTo(p, testid, { max = 150, back = false } = {}) {
  const stops = [];
  for (let i = 0; i < max; i += 1) {
    await p.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const f = await focused(p);
    stops.push(f.testid);
    assert.ok(f.visible, `focus on ${f.testid} (“${f.text}”) does not show`);
    if (f.testid === testid) return stops;
  }
  assert.fail(`${testid} is not reached by ${back ? 'Shift+Tab' : 'Tab'} in ${max} presses: ${stops.join(' → ')}`);
}

/** Picks `value` in the focused <select> with the arrow keys alone. */
async function chooseByKeys(p, value) {
  const { at, want } = await p.evaluate((v) => {
    const s = document.activeElement;
    return { at: s.selectedIndex, want: [...s.options].findIndex((o) => o.value === v) };
  }, value);
  assert.ok(want >= 0, `no option ${value}`);
  for (let i = at; i !== want; i += want > at ? 1 : -1) await p.keyboard.press(want > at ? 'ArrowDown' : 'ArrowUp');
  assert.equal(await p.evaluate(() => document.activeElement.value), value);
}

/** Replaces the focused field's text by typing. */
async function typeInto(p, text) {
  await p.keyboard.press('Control+a');
  await p.keyboard.press('Backspace');
  await p.keyboard.type(text);
}

async function expectFocus(p, testid, why) {
  const f = await until(`focus ${why}`, () => focused(p), (x) => x.testid === testid);
  assert.ok(f.visible, `focus on ${testid} does not show`);
}

const ruleRows = (p) => p.locator('[data-testid^="rule-row-"]').evaluateAll((all) => all.map((e) => e.dataset.testid));

test('keyboard alone: one session through every task of the page', async () => {
  const { ctx, p } = await open({ viewport: { width: 1280, height: 800 } }, '', 'keyboard');
  try {
    // The first stops skip to a panel; focus lands on its heading, and Tab goes on inside it.
    let f = (await tabTo(p, 'skip-groups-title', { max: 1 }), await focused(p));
    assert.equal(f.text, 'Skip to the security groups');
    await tabTo(p, 'skip-tester-title', { max: 6 });
    await p.keyboard.press('Enter');
    await expectFocus(p, 'tester-title', 'after “Skip to the packet tester”');
    await tabTo(p, 'check-picker', { max: 1 });

    // No trap: Tab goes through the whole page and comes back to the start; Shift+Tab retraces it.
    await p.keyboard.press('Shift+Tab');
    const around = [...await tabTo(p, 'skip-groups-title', { max: 200 }), ...await tabTo(p, 'check-picker', { max: 200 })];
    for (const part of ['scenario-name', 'group-item-sg-a', 'new-instance', 'zoom-in', 'node-ecs-a01', 'send', 'advance-1', 'profile']) {
      assert.ok(around.includes(part), `the Tab order misses ${part}: ${around.join(' → ')}`);
    }
    await tabTo(p, 'skip-groups-title', { max: 200 });
    const order = await tabTo(p, 'send', { max: 200 });
    const backwards = await tabTo(p, 'skip-groups-title', { max: 200, back: true });
    assert.deepEqual(backwards.slice(0, -1), order.slice(0, -1).reverse(), 'Shift+Tab does not retrace the Tab order');
    // The order follows the page: masthead, groups, instances, canvas, tester, connections.
    const first = (t) => order.indexOf(t);
    assert.ok(first('scenario-name') < first('group-item-sg-a') && first('group-item-sg-a') < first('new-instance')
      && first('new-instance') < first('zoom-in') && first('zoom-in') < first('probe-from'), `Tab order: ${order.join(' → ')}`);

    // Open an example from the gallery; Escape, and then opening one, give focus back to the button.
    await tabTo(p, 'gallery-open');
    await p.keyboard.press('Enter');
    await id(p, 'gallery').waitFor();
    await expectFocus(p, 'gallery-search', 'when the gallery opens');
    for (let i = 0; i < 40; i += 1) {
      await p.keyboard.press('Tab');
      f = await focused(p);
      assert.ok(f.inDialog || f.testid === 'body', `Tab left the open gallery for ${f.testid}`);
    }
    await p.keyboard.press('Escape');
    await id(p, 'gallery').waitFor({ state: 'hidden' });
    await expectFocus(p, 'gallery-open', 'after Escape closes the gallery');
    await p.keyboard.press('Enter');
    await expectFocus(p, 'gallery-search', 'when the gallery opens again');
    await p.keyboard.type('ftp');
    await tabTo(p, 'gallery-item-huawei-examples-ftp', { max: 10 });
    await p.keyboard.press('Enter');
    await until('the scenario name', () => id(p, 'scenario-name').inputValue(), (v) => v === FTP_NAME);
    await id(p, 'gallery').waitFor({ state: 'hidden' });
    await expectFocus(p, 'gallery-open', 'after an example is opened');

    // Undo brings the default example back.
    await p.keyboard.press('Control+z');
    await until('the scenario name', () => id(p, 'scenario-name').inputValue(), (v) => v === DEFAULT_NAME);

    // Add a rule: group, direction, editor, save.
    await tabTo(p, 'group-item-sg-a');
    await p.keyboard.press('Enter');
    await tabTo(p, 'direction-ingress');
    await p.keyboard.press('Enter');
    const before = await ruleRows(p);
    await tabTo(p, 'add-rule');
    await p.keyboard.press('Enter');
    await expectFocus(p, 'cell-priority', 'when the rule editor opens');
    await typeInto(p, '1');
    await tabTo(p, 'cell-action', { max: 3 });
    await chooseByKeys(p, 'allow');
    await tabTo(p, 'cell-protocol', { max: 4 });
    await chooseByKeys(p, 'tcp');
    await tabTo(p, 'cell-port', { max: 4 });
    await typeInto(p, '8443');
    await tabTo(p, 'cell-remote-kind', { max: 3 });
    await chooseByKeys(p, 'ip');
    await tabTo(p, 'cell-remote', { max: 3 });
    await typeInto(p, '198.51.100.0/24');
    await tabTo(p, 'cell-description', { max: 4 });
    await typeInto(p, 'partners, by keyboard');
    await tabTo(p, 'save-rule', { max: 4 });
    await p.keyboard.press('Enter');
    const added = await until('the rule rows', () => ruleRows(p), (rows) => rows.length === before.length + 1);
    const rule = added.find((r) => !before.includes(r)).replace('rule-row-', '');

    // Edit it: its Modify button, a new description, Enter in the field saves.
    await tabTo(p, `rule-edit-${rule}`, { max: 60 });
    await p.keyboard.press('Enter');
    await tabTo(p, 'cell-description', { max: 12 });
    await typeInto(p, 'partners, edited by keyboard');
    await tabTo(p, 'save-rule', { max: 4 });
    await p.keyboard.press('Enter');
    await until('the edited rule', () => id(p, `rule-row-${rule}`).textContent(), (t) => /edited by keyboard/.test(t));
    await expectFocus(p, `rule-edit-${rule}`, 'after saving the edit');

    // The source from the canvas (a node, Enter, “Use as source”), the destination from the form.
    let node;
    for (let i = 0; i < 80 && node !== 'node-ecs-a01'; i += 1) {
      await p.keyboard.press('Tab');
      f = await focused(p);
      assert.ok(f.visible, `focus on ${f.testid} does not show`);
      node = f.testid;
    }
    assert.equal(node, 'node-ecs-a01', 'the canvas node ECS-A01 is not reached by Tab');
    await p.keyboard.press('Enter');
    await tabTo(p, 'use-as-source', { max: 10 });
    await p.keyboard.press('Enter');
    await until('the source', () => id(p, 'probe-from').inputValue(), (v) => v === 'ecs-a01');
    await tabTo(p, 'probe-to', { max: 20 });
    await chooseByKeys(p, 'ecs-b01');
    await tabTo(p, 'probe-protocol', { max: 3 });
    await chooseByKeys(p, 'tcp');
    await tabTo(p, 'probe-port', { max: 3 });
    await typeInto(p, '22');

    // Evaluate: the verdict is announced.
    await tabTo(p, 'send', { max: 8 });
    await p.keyboard.press('Enter');
    await until('the verdict', () => id(p, 'verdict').textContent(), (v) => /allow/i.test(v));
    await until('the announcement', () => id(p, 'announcer').textContent(), (t) => t.startsWith('Packet: ALLOW.'));

    // Step with the keys of the steps list; each step is announced.
    await tabTo(p, 'steps', { max: 10 });
    await p.keyboard.press('Home');
    await until('the first step', () => id(p, 'step-position').textContent(), (t) => /^step 1 of \d+$/.test(t));
    await until('the announcement', () => id(p, 'announcer').textContent(), (t) => /^Step 1 of \d+: tcp /.test(t));
    await p.keyboard.press('ArrowRight');
    await until('the second step', () => id(p, 'step-position').textContent(), (t) => /^step 2 of/.test(t));
    await until('the announcement', () => id(p, 'announcer').textContent(), (t) => /^Step 2 of/.test(t));
    await p.keyboard.press('End');
    await until('the announcement', () => id(p, 'announcer').textContent(), (t) => t.startsWith('Packet: ALLOW.'));

    // The reply, then the clock.
    await tabTo(p, 'send-reply', { max: 20, back: true });
    await p.keyboard.press('Enter');
    await until('the reply', () => id(p, 'sent-kind').textContent(), (k) => /reply/i.test(k));
    await until('the announcement', () => id(p, 'announcer').textContent(), (t) => t.startsWith('Reply: ALLOW.'));
    const clock = await id(p, 'clock').textContent();
    await tabTo(p, 'advance-1', { max: 30 });
    await p.keyboard.press('Enter');
    await until('the clock', () => id(p, 'clock').textContent(), (c) => c !== clock);

    // Share: the dialog, its link, Escape back to the button.
    await tabTo(p, 'share', { max: 200 });
    await p.keyboard.press('Enter');
    await id(p, 'share-dialog').waitFor();
    await until('the share link', () => id(p, 'share-link').inputValue(), (l) => l.includes('#s='));
    f = await focused(p);
    assert.ok(f.inDialog, `focus is not in the share dialog but on ${f.testid}`);
    await p.keyboard.press('Escape');
    await id(p, 'share-dialog').waitFor({ state: 'hidden' });
    await expectFocus(p, 'share', 'after Escape closes the share dialog');

    // Import by pasting: the dialog, the text, Import; then undo it.
    await tabTo(p, 'import', { max: 5 });
    await p.keyboard.press('Enter');
    await id(p, 'import-dialog').waitFor();
    await expectFocus(p, 'import-choose', 'when the import dialog opens');
    await tabTo(p, 'import-text', { max: 5 });
    const ftp = readFileSync(new URL('../scenarios/huawei/examples-ftp.json', import.meta.url), 'utf8');
    await p.keyboard.insertText(ftp);
    await tabTo(p, 'import-apply', { max: 3 });
    await p.keyboard.press('Enter');
    await until('the scenario name', () => id(p, 'scenario-name').inputValue(), (v) => v === FTP_NAME);
    await id(p, 'import-dialog').waitFor({ state: 'hidden' });
    await expectFocus(p, 'import', 'after an import');
    await p.keyboard.press('Control+z');
    await until('the scenario name', () => id(p, 'scenario-name').inputValue(), (v) => v === DEFAULT_NAME);
  } finally {
    await ctx.close();
  }
  assert.deepEqual(errors, [], 'the page logged errors');
});

// ---- what screen readers and reduced motion get ------------------------------------------------

test('tables have captions and headers, the canvas has its path as text', async () => {
  const { ctx, p } = await open({ viewport: { width: 1280, height: 800 } }, '', 'structure');
  try {
    await id(p, 'send').click();
    await id(p, 'verdict').waitFor();
    assert.equal(await id(p, 'canvas').getAttribute('aria-describedby'), 'topo-path-text');
    const lines = await id(p, 'path-text').locator('li').allTextContents();
    assert.ok(lines.length >= 3, `the path as text: ${JSON.stringify(lines)}`);
    assert.ok(lines.some((l) => /inbound: allowed/.test(l)), `the path as text: ${JSON.stringify(lines)}`);
    assert.match(lines.at(-1), /ALLOW/);
    await id(p, 'send-reply').click();
    await until('the reply', () => id(p, 'sent-kind').textContent(), (k) => /reply/i.test(k));
    const tables = await p.locator('table').evaluateAll((all) => all.map((t) => ({
      caption: t.caption?.textContent.trim() ?? '',
      headers: t.querySelectorAll('thead th[scope="col"]').length,
    })));
    assert.ok(tables.length >= 3, `only ${tables.length} tables`);
    for (const t of tables) {
      assert.ok(t.caption.length > 5, `a table without a caption: ${JSON.stringify(t)}`);
      assert.ok(t.headers >= 2, `a table without column headers: ${JSON.stringify(t)}`);
    }
    assert.match(await id(p, 'rules-table').locator('caption').textContent(), /^(Inbound|Outbound) rules of .+, in evaluation order$/);
  } finally {
    await ctx.close();
  }
});

test('prefers-reduced-motion stops the canvas pulse and every transition', async () => {
  for (const [motion, moving] of [['no-preference', true], ['reduce', false]]) {
    const { ctx, p } = await open({ viewport: { width: 1280, height: 800 }, reducedMotion: motion }, '', `motion ${motion}`);
    try {
      await id(p, 'send').click();
      await id(p, 'verdict').waitFor();
      await id(p, 'step-reset').click();
      // Walk until the step-through looks at a side's rules: the canvas then rings that side.
      for (let i = 0; i < 12 && await p.locator('.topo-focus').count() === 0; i += 1) await id(p, 'step-forward').click();
      assert.ok(await p.locator('.topo-focus').count() > 0, 'no step put a ring on the canvas');
      const names = await p.locator('.topo-focus').evaluateAll((all) => all.map((e) => getComputedStyle(e).animationName));
      const transition = await p.locator('.topo__path-layer').first().evaluate((e) => getComputedStyle(e).transitionDuration);
      if (moving) {
        assert.ok(names.every((n) => n !== 'none'), `the pulse should run: ${names}`);
      } else {
        assert.ok(names.every((n) => n === 'none'), `the pulse runs under reduced motion: ${names}`);
        assert.equal(transition, '0s', 'a transition runs under reduced motion');
      }
    } finally {
      await ctx.close();
    }
  }
  assert.deepEqual(errors, [], 'the page logged errors');
});
