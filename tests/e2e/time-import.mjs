// How long an import of Huawei API listings takes in the page, from the click on Import to the
// dialog settled (warnings listed or scenario loaded): the first one starts the worker, which
// carries the API readers (BENCHMARKS.md, "The API formats moved into the worker"); the second
// finds it running. Not a test: a tool for BENCHMARKS.md.
//   U=http://127.0.0.1:8771/ node tests/e2e/time-import.mjs
import { readFileSync } from 'node:fs';
import { launch, ready } from './helpers.mjs';
const url = process.env.U ?? 'http://127.0.0.1:8771/';
const fixture = (name) => readFileSync(new URL(`../fixtures/huawei-api/${name}`, import.meta.url), 'utf8');
const browser = await launch();
const runs = Number(process.env.RUNS ?? 5);
const first = [];
const second = [];
for (let run = 0; run < runs; run++) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const p = await ctx.newPage();
  await p.goto(url);
  await ready(p);
  const id = (t) => p.getByTestId(t, { exact: true });
  await id('import').click();
  await id('import-text').fill(fixture('list-security-groups.json'));
  await id('import-add-text').click();
  await id('import-text-2').fill(fixture('rules-disabled-and-unknown.json'));
  for (const into of [first, second]) {
    const start = Date.now();
    await id('import-apply').click();
    await id('import-warnings').waitFor({ timeout: 30_000 });
    into.push(Date.now() - start);
    await id('import-cancel').click();
  }
  await ctx.close();
}
await browser.close();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(JSON.stringify({ 'first import (starts the worker)': first, 'second import': second, median: { first: median(first), second: median(second) } }));
