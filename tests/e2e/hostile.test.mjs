// Hostile input in the browser (issue 9): the page opens files and links from strangers.
// - Names and descriptions carrying HTML, SVG and JavaScript render as inert text, imported or
//   from a share link: the text appears literally, no element is made of it, no script runs.
// - The page runs under its Content-Security-Policy (index.html) with no violation.
// - A share link that is a decompression bomb, cut short, garbage or from a newer sgplay gets a
//   notice, and the saved work stays as it was.
// - No data loss: reload, close and reopen, a corrupt save, a save from a newer sgplay (kept,
//   not overwritten), storage full (QuotaExceededError on every save).
//
// By hand: serve dist/ (python3 -m http.server --bind 127.0.0.1 --directory dist 8766 &), then
//   SGPLAY_URL=http://127.0.0.1:8766/ node --test tests/e2e/hostile.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateRawSync } from 'node:zlib';
import { launch, ready, until, url, watch as watchInto } from './helpers.mjs';

const SAVE_KEY = 'sgplay.autosave';
const DEFAULT_NAME = 'Sg-A and Sg-B';

/** Each payload sets `window.__pwned` if it ever runs. None may contain a control character. */
const P = {
  img: `<img src=x onerror="window.__pwned='img'">`,
  svg: `<svg onload="window.__pwned='svg'"><circle r=9></circle></svg>`,
  script: `"><script>window.__pwned='script'</script>`,
  js: `javascript:window.__pwned='link'`,
  iframe: `<iframe src="javascript:parent.__pwned='iframe'"></iframe>`,
  style: `<style>body{display:none}</style><a href="javascript:window.__pwned='a'">x</a>`,
  attr: `javascript:void 0" onmouseover="window.__pwned='attr'" x="`,
  entity: `&lt;img src=x onerror=window.__pwned='entity'&gt; &#60;b&#62;`,
};

const HOSTILE = {
  name: `Hostile ${P.img}`,
  description: `${P.svg} ${P.script} ${P.js}`,
  security_groups: [
    {
      id: 'sg-web',
      name: `web ${P.script}`,
      description: P.svg,
      rules: [
        // Rule descriptions may not hold `<` or `>` (the console's rule): attribute and entity tricks.
        { id: 'r-ssh', direction: 'ingress', protocol: 'tcp', multiport: '22', remote_ip_prefix: '0.0.0.0/0', description: P.attr },
        { id: `r"><img src=x onerror=window.__pwned='ruleid'>`, direction: 'ingress', protocol: 'tcp', multiport: '443', remote_ip_prefix: '0.0.0.0/0', description: P.entity },
      ],
    },
    { id: `sg-<b>bold</b>`, name: P.style, description: P.js, rules: [] },
  ],
  instances: [
    { id: 'web-1', name: `${P.js} ${P.iframe}`, ip: '10.0.0.1', security_groups: ['sg-web'] },
    { id: `db"><svg onload=window.__pwned='id'>`, name: P.svg, ip: '10.0.0.2', security_groups: ['sg-web', `sg-<b>bold</b>`] },
  ],
  checks: [{ name: P.img, from: '203.0.113.9', to: 'web-1', protocol: 'tcp', port: 22, expect: 'allow' }],
};

/** The fragment value of a share link carrying `shared`, as the page writes them. */
const shareValue = (shared) => `1.${deflateRawSync(Buffer.from(JSON.stringify(shared)), { level: 9 }).toString('base64url')}`;

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
const noErrors = () => assert.deepEqual(errors.splice(0), [], 'the page logged errors');

/** Records CSP violations of every page of `ctx` into `window.__csp`, before any script. */
async function context(options = {}) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  await ctx.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective}: ${e.blockedURI}`));
  });
  return ctx;
}

async function open(ctx, path = '', label = 'page') {
  const p = watch(await ctx.newPage(), label);
  p.on('console', (m) => { if (/Content.Security.Policy/i.test(m.text())) errors.push(`${label}: CSP: ${m.text()}`); });
  await p.goto(new URL(path, url).href);
  await ready(p);
  return p;
}

/** Nothing a payload could have made exists, nothing ran, no CSP violation. */
async function assertInert(p, where) {
  const found = await p.evaluate(() => ({
    pwned: window.__pwned ?? null,
    handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name))).map((e) => e.outerHTML.slice(0, 120)),
    made: [...document.querySelectorAll('img[src="x"], iframe, style, b, circle[r="9"], a[href^="javascript:" i], [src^="javascript:" i]')].map((e) => e.outerHTML.slice(0, 120)),
    scripts: [...document.scripts].filter((s) => s.textContent.includes('__pwned')).length,
    csp: window.__csp,
  }));
  assert.deepEqual(found, { pwned: null, handlers: [], made: [], scripts: 0, csp: [] }, `${where}: a payload took effect`);
}

/** Each of `texts` appears literally in the page's text (not as markup). */
async function assertLiteral(p, texts, where) {
  const body = await p.evaluate(() => document.body.textContent);
  for (const t of texts) assert.ok(body.includes(t), `${where}: ${JSON.stringify(t)} is not shown as text`);
}

/** The saved scenario's name, read from localStorage. */
const savedName = (p) => p.evaluate((key) => { try { return JSON.parse(localStorage.getItem(key)).scenario.name; } catch { return null; } }, SAVE_KEY);

/** Renames the scenario through the masthead (an edit the autosave writes). */
async function rename(p, name) {
  await id(p, 'scenario-name').fill(name);
  await id(p, 'scenario-name').press('Enter');
  await id(p, 'scenario-name').evaluate((e) => e.blur());
  await until('the saved name', () => savedName(p), (n) => n === name);
}

/** The texts of the notices shown. */
const notices = (p) => p.getByTestId('notice').allTextContents();

// ---- the policy --------------------------------------------------------------------------------

test('the page declares a Content-Security-Policy without inline script and runs under it', async () => {
  const ctx = await context();
  const p = await open(ctx, '', 'csp');
  try {
    const policy = await p.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content ?? '');
    for (const directive of ["default-src 'self'", "object-src 'none'", "base-uri 'none'", "connect-src 'self'"]) assert.ok(policy.includes(directive), `${directive} in ${policy}`);
    assert.ok(!/'unsafe-inline'|'unsafe-eval'[^-]/.test(policy.match(/script-src[^;]*/)?.[0] ?? ''), `script-src allows inline script: ${policy}`);
    // Use the page: an example fetched (connect-src), a packet, a dialog, an import.
    await id(p, 'send').click();
    await id(p, 'verdict').waitFor();
    await id(p, 'gallery-open').click();
    await id(p, 'gallery').waitFor();
    await p.locator('[data-testid^="gallery-item-"]').nth(3).click();
    await id(p, 'gallery').waitFor({ state: 'hidden' });
    await id(p, 'share').click();
    await until('the share link', () => id(p, 'share-link').inputValue(), (l) => l.includes('#s='));
    await p.keyboard.press('Escape');
    await assertInert(p, 'under the policy');
  } finally {
    await ctx.close();
  }
  noErrors();
});

// ---- payloads ----------------------------------------------------------------------------------

test('HTML, SVG and JavaScript in names and descriptions render as text when imported', async () => {
  const ctx = await context();
  const p = await open(ctx, '', 'import hostile');
  try {
    await id(p, 'import').click();
    await id(p, 'import-text').fill(JSON.stringify(HOSTILE));
    await id(p, 'import-apply').click();
    await id(p, 'import-dialog').waitFor({ state: 'hidden' });
    assert.equal(await id(p, 'scenario-name').inputValue(), HOSTILE.name);
    await assertLiteral(p, [HOSTILE.description, HOSTILE.security_groups[0].name, P.js, P.attr, P.entity, P.style], 'imported');
    await id(p, 'send').click();
    await id(p, 'verdict').waitFor();
    await p.locator('[data-testid="path-text"] summary').click();
    // Every group's rules, and the instances' details.
    for (const g of HOSTILE.security_groups) {
      const item = p.locator(`[data-testid="group-item-${g.id}"]`);
      if (await item.count()) await item.click();
    }
    await assertInert(p, 'imported');
    // The embed snippet quotes the name escaped.
    await id(p, 'share').click();
    await until('the snippet', () => p.getByTestId('embed-snippet').inputValue().catch(() => ''), (s) => s.includes('title='));
    const snippet = await p.getByTestId('embed-snippet').inputValue();
    assert.ok(snippet.includes('&lt;img src=x onerror=&quot;') && !snippet.includes('<img'), snippet);
    await p.keyboard.press('Escape');
    // A refused import's problems quote the payloads as text too.
    await id(p, 'import').click();
    await id(p, 'import-text').fill(JSON.stringify({ ...HOSTILE, security_groups: [{ ...HOSTILE.security_groups[0], rules: [{ id: P.img, direction: 'sideways' }] }] }));
    await id(p, 'import-apply').click();
    await id(p, 'import-error').waitFor();
    await assertInert(p, 'a refused import');
  } finally {
    await ctx.close();
  }
  noErrors();
});

test('the same payloads from a share link render as text, and a link made of script runs nothing', async () => {
  const ctx = await context();
  try {
    const p = await open(ctx, `#s=${shareValue({ scenario: HOSTILE, probe: { from: P.js, to: 'web-1', protocol: 'tcp', port: 22 } })}`, 'share hostile');
    assert.equal(await id(p, 'scenario-name').inputValue(), HOSTILE.name);
    await assertLiteral(p, [HOSTILE.description, HOSTILE.security_groups[0].name], 'from a share link');
    await assertInert(p, 'from a share link');
    await p.close();
    for (const hash of [`#s=${P.script}`, `#s=1.${encodeURIComponent(P.img)}`, `#example=${P.svg}`, `#s=${encodeURIComponent(P.js)}&example=${encodeURIComponent(P.img)}`]) {
      const q = await open(ctx, hash, `link ${hash.slice(0, 20)}`);
      await until('a notice', () => notices(q), (n) => n.length > 0);
      await assertInert(q, hash);
      await q.close();
    }
  } finally {
    await ctx.close();
  }
  noErrors();
});

// ---- bounded links -----------------------------------------------------------------------------

test('a bomb, a cut, garbage or a newer link gets a notice and the saved work stays', async () => {
  const ctx = await context();
  try {
    const p = await open(ctx, '', 'saved work');
    await rename(p, 'My saved work');
    const good = shareValue({ scenario: HOSTILE });
    const bomb = `1.${deflateRawSync(Buffer.alloc(17 << 20, 0x20), { level: 9 }).toString('base64url')}`;
    assert.ok(bomb.length < 40_000, `the bomb is small (${bomb.length})`);
    const cases = [
      ['a decompression bomb', bomb, /more than 16 MiB/],
      ['a cut link', good.slice(0, good.length / 2), /damaged/],
      ['garbage', '1.@@not-base64@@', /damaged/],
      ['not a link', 'hello', /not an sgplay share link/],
      ['a newer link', `7.${good.slice(2)}`, /newer sgplay \(link format 7\)/],
      ['a link to a newer scenario format', shareValue({ scenario: { ...HOSTILE, version: 2 } }), /newer sgplay \(scenario format 2\)/],
    ];
    for (const [what, value, message] of cases) {
      const started = Date.now();
      await p.goto(new URL(`#s=${value}`, url).href);
      await p.reload();
      await ready(p);
      assert.ok(Date.now() - started < 15_000, `${what}: took ${Date.now() - started} ms`);
      const shown = await until(`${what}: the notice`, () => notices(p), (n) => n.some((t) => message.test(t)));
      assert.ok(shown.some((t) => t.includes('could not be opened')), `${what}: ${shown}`);
      // The notice is in a live region, as an alert.
      const live = await p.getByTestId('notice').first().evaluate((e) => [e.getAttribute('role'), e.closest('[aria-live]')?.getAttribute('aria-live')]);
      assert.deepEqual(live, ['alert', 'polite'], what);
      assert.equal(await id(p, 'scenario-name').inputValue(), 'My saved work', `${what}: the saved work is open`);
      assert.equal(await savedName(p), 'My saved work', `${what}: the save is unchanged`);
      await assertInert(p, what);
    }
  } finally {
    await ctx.close();
  }
  noErrors();
});

// ---- no data loss ------------------------------------------------------------------------------

test('the work survives a reload, and closing the page and opening a new one', async () => {
  const ctx = await context();
  try {
    const p = await open(ctx, '', 'first');
    await rename(p, 'Survives');
    await p.reload();
    await ready(p);
    assert.equal(await id(p, 'scenario-name').inputValue(), 'Survives');
    await rename(p, 'Survives closing');
    await p.close();
    const q = await open(ctx, '', 'reopened');
    assert.equal(await id(q, 'scenario-name').inputValue(), 'Survives closing');
    assert.deepEqual(await notices(q), []);
    // A link replaces it, and it is one Undo away and copied aside.
    await q.goto(new URL(`#s=${shareValue({ scenario: HOSTILE })}`, url).href);
    await q.reload();
    await ready(q);
    const shown = await notices(q);
    assert.ok(shown.some((t) => t.includes('sgplay.autosave.before-link')), `${shown}`);
    const copy = await q.evaluate(() => JSON.parse(localStorage.getItem('sgplay.autosave.before-link')).scenario.name);
    assert.equal(copy, 'Survives closing');
    await id(q, 'undo').click();
    await until('the name after Undo', () => id(q, 'scenario-name').inputValue(), (n) => n === 'Survives closing');
  } finally {
    await ctx.close();
  }
  noErrors();
});

test('a corrupt save is set aside with a notice, never overwritten', async () => {
  const ctx = await context();
  try {
    const p = await open(ctx, '', 'corrupt');
    const truncated = (await p.evaluate((key) => localStorage.getItem(key), SAVE_KEY)).slice(0, 200);
    await p.evaluate(([key, raw]) => { localStorage.clear(); localStorage.setItem(key, raw); localStorage.setItem(`${key}.set-aside`, 'an older set-aside save'); }, [SAVE_KEY, truncated]);
    await p.reload();
    await ready(p);
    const shown = await until('the notice', () => notices(p), (n) => n.length > 0);
    assert.ok(shown[0].includes('not valid JSON') && shown[0].includes('sgplay.autosave.set-aside.2'), `${shown}`);
    const kept = await p.evaluate((key) => [localStorage.getItem(`${key}.set-aside`), localStorage.getItem(`${key}.set-aside.2`)], SAVE_KEY);
    assert.deepEqual(kept, ['an older set-aside save', truncated], 'both set-aside saves are kept');
    assert.equal(await id(p, 'scenario-name').inputValue(), DEFAULT_NAME);
    await assertInert(p, 'a corrupt save');
  } finally {
    await ctx.close();
  }
  noErrors();
});

test('a save from a newer sgplay is kept as it is, and the user is told', async () => {
  const ctx = await context();
  try {
    const p = await open(ctx, '', 'newer');
    const newer = JSON.stringify({ version: 99, scenario: { name: 'From the future', hologram: true } });
    await p.evaluate(([key, raw]) => localStorage.setItem(key, raw), [SAVE_KEY, newer]);
    await p.reload();
    await ready(p);
    const shown = await until('the notice', () => notices(p), (n) => n.length > 0);
    assert.ok(shown[0].includes('newer sgplay (save format 99)') && shown[0].includes('will not autosave over it'), `${shown}`);
    // Edits do not overwrite it.
    await id(p, 'scenario-name').fill('Edited here');
    await id(p, 'scenario-name').press('Enter');
    await p.waitForTimeout(300);
    assert.equal(await p.evaluate((key) => localStorage.getItem(key), SAVE_KEY), newer);
    await p.reload();
    await ready(p);
    assert.equal(await p.evaluate((key) => localStorage.getItem(key), SAVE_KEY), newer);
    // A newer sgplay in another tab saves while this page is open and autosaving: kept too.
    await p.evaluate((key) => localStorage.clear(), SAVE_KEY);
    await p.reload();
    await ready(p);
    await rename(p, 'Older tab');
    await p.evaluate(([key, raw]) => localStorage.setItem(key, raw), [SAVE_KEY, newer]);
    await id(p, 'scenario-name').fill('Older tab, edited');
    await id(p, 'scenario-name').press('Enter');
    const told = await until('the notice', () => notices(p), (n) => n.some((t) => t.includes('Autosave failed')));
    assert.ok(told.some((t) => t.includes('a newer sgplay (save format 99) saved its work here')), `${told}`);
    assert.equal(await p.evaluate((key) => localStorage.getItem(key), SAVE_KEY), newer);
  } finally {
    await ctx.close();
  }
  noErrors();
});

test('when storage is full the previous save is kept and the user is told', async () => {
  const ctx = await context();
  try {
    const p = await open(ctx, '', 'before full');
    await rename(p, 'Saved before full');
    const before = await p.evaluate((key) => localStorage.getItem(key), SAVE_KEY);
    await p.close();
    await ctx.addInitScript(() => {
      Storage.prototype.setItem = function setItem() { throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };
    });
    const q = await open(ctx, '', 'full');
    assert.equal(await id(q, 'scenario-name').inputValue(), 'Saved before full');
    await id(q, 'scenario-name').fill('Not saved');
    await id(q, 'scenario-name').press('Enter');
    const shown = await until('the notice', () => notices(q), (n) => n.some((t) => t.includes('Autosave failed')));
    assert.ok(shown.some((t) => t.includes('QuotaExceededError') && t.includes('kept as it was')), `${shown}`);
    assert.equal(await id(q, 'notice').count(), 1, 'one notice, not one per edit');
    assert.equal(await q.evaluate((key) => localStorage.getItem(key), SAVE_KEY), before, 'the previous save is intact');
    await assertInert(q, 'storage full');
  } finally {
    await ctx.close();
  }
  noErrors();
});
