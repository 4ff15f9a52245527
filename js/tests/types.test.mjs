// sgplay.d.ts against what the functions really answer: their answers on corpus scenarios,
// written out as TypeScript object literals typed with the declared interfaces, must compile
// under `tsc --strict` (a literal with a field the type lacks, or without a field it requires,
// is an error), and so must a typical program using the package.
//
//   scripts/build-js.sh && node --test js/tests/      (tsc from .tools/, scripts/setup.sh)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = resolve(root, process.env.SGPLAY_JS_PKG ?? 'js/pkg');
const tsc = join(root, '.tools/node_modules/.bin/tsc');
const sgplay = await import(join(pkg, 'sgplay.js'));
sgplay.initSync({ module: readFileSync(join(pkg, 'sgplay_bg.wasm')) });

const read = (file) => readFileSync(join(root, 'tests/scenarios', file), 'utf8');

/** A program: typical use of the package, then every answer as a typed literal. */
function program() {
  const lines = [
    `import init, { initSync, evaluate, lint, reach, diff, importAny, Engine } from ${JSON.stringify(join(pkg, 'sgplay.js'))};`,
    `import type { Evaluation, LintReport, ReachReport, DiffReport, ImportReport, Scenario, Packet, SgplayError, Problem } from ${JSON.stringify(join(pkg, 'sgplay.js'))};`,
    '',
    'export async function use(scenario: Scenario, packet: Packet): Promise<string> {',
    '  await init();',
    '  const answer: Evaluation = evaluate(scenario, packet);',
    '  const findings = lint(JSON.stringify(scenario)).findings.filter((f) => f.severity !== "advice");',
    '  const matrix = reach(scenario);',
    '  const few = reach(scenario, ["tcp:22", "icmp"]).pairs.map((p) => `${p.from} → ${p.to}: ${p.allowed.join(", ")}`);',
    '  const changes = diff(scenario, scenario).changes.map((c) => `${c.protocol} ${c.before} → ${c.after}`);',
    '  const imported = importAny([{ name: "rules.json", text: "{}" }, "{}"]).scenario;',
    '  const engine = new Engine(scenario);',
    '  const once: [Evaluation, LintReport, ReachReport, ReachReport, DiffReport, number] =',
    '    [engine.evaluate(packet), engine.lint(), engine.reach(), engine.reach("tcp:22"), engine.diff(engine), engine.instances];',
    '  engine.free();',
    '  try {',
    '    evaluate("{", { from: "a", to: "b", protocol: "tcp", port: 22 });',
    '  } catch (e) {',
    '    const problems: Problem[] = (e as SgplayError).problems;',
    '    return problems.map((p) => `${p.path}: ${p.message}`).join("\\n");',
    '  }',
    '  return [answer.verdict, answer.steps[0].sentence, findings.length, matrix.internet[0], few, changes, imported.name, once.length].join(" ");',
    '}',
    'initSync({ module: new Uint8Array() });',
    '',
  ];
  const typed = (type, name, value) => lines.push(`export const ${name}: ${type} = ${JSON.stringify(value, null, 1)};`);
  let n = 0;
  for (const file of ['huawei/examples-ping.json', 'huawei/matching-order.json', 'huawei/overview-virtual-ip.json', 'huawei/paths-peering-and-snat.json', 'huawei/stateful-related-icmp-errors.json']) {
    const doc = JSON.parse(read(file));
    typed('Scenario', `scenario${n}`, doc);
    for (const check of doc.checks ?? []) {
      const { name, expect, expect_rule, expect_denied_at, expect_path, ...packet } = check;
      typed('Evaluation', `evaluation${n++}`, sgplay.evaluate(doc, packet));
    }
  }
  for (const file of ['huawei/examples-database.json', 'huawei/guidance-web-and-database.json', 'huawei/constraints-table4-quota.json', 'huawei/overview-sg-a-sg-b.json', 'alibaba/alibaba-ping.json']) {
    typed('LintReport', `lint${n}`, sgplay.lint(read(file)));
    typed('ReachReport', `reach${n}`, sgplay.reach(read(file)));
    const before = JSON.parse(read(file));
    const after = structuredClone(before);
    after.security_groups.find((g) => (g.rules ?? []).length > 0)?.rules.shift();
    typed('DiffReport', `diff${n++}`, sgplay.diff(before, after));
  }
  const api = (f) => ({ name: f, text: readFileSync(join(root, 'tests/fixtures/huawei-api', f), 'utf8') });
  typed('ImportReport', 'imported', sgplay.importAny(['list-security-groups.json', 'list-security-group-rules-page-1.json', 'list-servers-details.json', 'list-address-groups.json'].map(api)));
  typed('ImportReport', 'loose', sgplay.importAny(api('rules-disabled-and-unknown.json')));
  return lines.join('\n');
}

test('sgplay.d.ts describes the answers exactly (tsc --strict)', (t) => {
  if (!existsSync(tsc)) {
    // scripts/test.sh sets SGPLAY_JS_STRICT: there, after setup.sh, a missing tool is a failure.
    assert.ok(!process.env.SGPLAY_JS_STRICT, 'tsc is not in .tools/: run scripts/setup.sh');
    t.skip('tsc is not in .tools/: run scripts/setup.sh');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'sgplay-types-'));
  const file = join(dir, 'answers.ts');
  writeFileSync(file, program());
  const run = spawnSync(tsc, ['--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext',
    '--lib', 'es2022,esnext.disposable,dom', '--skipLibCheck', 'false', file], { encoding: 'utf8' });
  assert.equal(run.status, 0, `tsc found type errors in ${file}:\n${run.stdout}${run.stderr}`);
});
