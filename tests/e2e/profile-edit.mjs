// Where an edit's time goes on the large estate: a CPU profile (Chrome DevTools Protocol) of
// deleting one rule of group db-1, from the click to the row gone, summed by function (self
// time) and by kind (wasm, the page's JS glue, browser APIs, "(program)" = style, layout, paint).
// Not a test: a tool for BENCHMARKS.md. Serve a release dist/ first; for function names serve a
// copy whose _bg.wasm is target/wasm-bindgen/release/sgplay-web_bg.wasm (before wasm-opt; drop
// the wasm's integrity attribute from its index.html).
//   U=http://127.0.0.1:8771/ BASELINE=1 node tests/e2e/profile-edit.mjs
import { openLargeEstate, until } from './helpers.mjs';
const url = process.env.U ?? 'http://127.0.0.1:8771/';
const { browser, ctx, p, id } = await openLargeEstate(url);
await id('group-search').fill('db-1');
await id('group-item-db-1').click();
await id('rules-table').waitFor();
const withBaseline = process.env.BASELINE === '1';
if (withBaseline) await id('set-baseline').click();
await new Promise((r) => setTimeout(r, 1000));
const cdp = await ctx.newCDPSession(p);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
const rows = await p.locator('[data-testid^="rule-row-"]').evaluateAll((els) => els.map((e) => e.dataset.testid));
await cdp.send('Profiler.start');
const t0 = Date.now();
await id(`rule-delete-${rows[0].replace('rule-row-', '')}`).click();
await until('row gone', () => id(rows[0]).count(), (n) => n === 0, 30000);
const t1 = Date.now();
const { profile } = await cdp.send('Profiler.stop');
console.log('edit ms', t1 - t0);
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = profile.timeDeltas; 
profile.samples.forEach((s, i) => { const n = byId.get(s); const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`; self.set(k, (self.get(k) ?? 0) + (dt[i] ?? 0)); });
const groups = {}; for (const [k, v] of self) { const g = k.includes('_bg.wasm') ? 'wasm' : k.startsWith('(') ? k.split(' ')[0] : k.includes('sgplay-web') ? 'glue js' : 'browser api ' ; groups[g] = (groups[g] ?? 0) + v / 1000; } console.log(JSON.stringify(groups));
const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 40);
for (const [k, v] of top) console.log((v / 1000).toFixed(1).padStart(8), k);
await browser.close();
