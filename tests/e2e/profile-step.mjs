// Where a matrix cell, a tester send and the step buttons spend their time on the large estate: for each
// action a CPU profile (Chrome DevTools Protocol) from the click to the painted frame, summed by
// kind (wasm, the page's JS glue, browser APIs, "(program)" = style, layout, paint) and the
// heaviest functions by self time. Not a test: a tool for BENCHMARKS.md, like profile-edit.mjs.
//   U=http://127.0.0.1:8771/ node tests/e2e/profile-step.mjs
import { clickToPaint, openLargeEstate, until } from './helpers.mjs';
const url = process.env.U ?? 'http://127.0.0.1:8771/';
const { browser, ctx, p, id } = await openLargeEstate(url);
// The matrix's first cell opens a block pair; its first cell is a packet with a long trace.
await id('matrix-compute').click();
await id('matrix-grid').waitFor({ timeout: 60000 });
await p.locator('[data-testid^="matrix-cell-"]:not([disabled])').first().click();
await id('matrix-back').waitFor();
await p.locator('[data-testid^="matrix-cell-"]:not([disabled])').first().click();
await id('outcome').waitFor();
console.log('steps', await p.locator('[data-testid="steps"] > li').count());
const cdp = await ctx.newCDPSession(p);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
const position = (d) => d.querySelector('[data-testid="step-position"]')?.textContent;
const outcomeChanged = (d) => { const o = d.querySelector('[data-testid="outcome"]'); return o !== null && o.dataset.sent !== window.sgplayBefore; };
const actions = [
  ['matrix cell', '[data-testid^="matrix-cell-"]:not([disabled])', outcomeChanged],
  ['send', '[data-testid="send"]', outcomeChanged],
  ['back', '[data-testid="step-back"]', (d) => d.querySelector('[data-testid="step-position"]')?.textContent !== window.sgplayBefore],
  ['reset', '[data-testid="step-reset"]', (d) => /^step 1 of/.test(d.querySelector('[data-testid="step-position"]')?.textContent ?? '')],
  ['forward', '[data-testid="step-forward"]', (d) => /^step 2 of/.test(d.querySelector('[data-testid="step-position"]')?.textContent ?? '')],
];
const only = process.env.ACTION;
for (const [name, selector, done] of actions) {
  await p.evaluate(() => { window.sgplayBefore = document.querySelector('[data-testid="outcome"]')?.dataset.sent; });
  if (name === 'back') await p.evaluate(() => { window.sgplayBefore = document.querySelector('[data-testid="step-position"]')?.textContent; });
  await new Promise((r) => setTimeout(r, 500));
  if (only && only !== name) { await clickToPaint(p, selector, done); continue; }
  await cdp.send('Profiler.start');
  const ms = await clickToPaint(p, selector, done);
  const { profile } = await cdp.send('Profiler.stop');
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  profile.samples.forEach((s, i) => {
    const n = byId.get(s);
    const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
    self.set(k, (self.get(k) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const kinds = {};
  for (const [k, v] of self) {
    const kind = k.includes('_bg.wasm') ? 'wasm' : k.startsWith('(') ? k.split(' ')[0] : k.includes('sgplay-web') ? 'glue js' : 'browser api';
    kinds[kind] = Math.round(((kinds[kind] ?? 0) + v / 1000) * 10) / 10;
  }
  console.log(`\n${name}: ${ms} ms click to paint`, JSON.stringify(kinds));
  for (const [k, v] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 12))) console.log((v / 1000).toFixed(1).padStart(8), k);
}
await browser.close();
