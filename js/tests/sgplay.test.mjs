// The JS package against the CLI: each function, on corpus scenarios, must answer exactly what
// `sgplay … --json` prints for the same input, and bad input must throw an SgplayError whose
// problems name the argument and the field's path.
//
//   scripts/build-js.sh && node --test js/tests/
//
// SGPLAY_JS_PKG picks the package folder (default js/pkg); SGPLAY_BIN the CLI binary (default:
// built here with `cargo build -p sgplay-cli`).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = resolve(root, process.env.SGPLAY_JS_PKG ?? 'js/pkg');
const sgplay = await import(join(pkg, 'sgplay.js'));
sgplay.initSync({ module: readFileSync(join(pkg, 'sgplay_bg.wasm')) });
const { evaluate, lint, reach, diff, importAny, Engine } = sgplay;

/** The CLI binary: $SGPLAY_BIN, or the debug build of the workspace (built if needed). */
function cliBinary() {
  if (process.env.SGPLAY_BIN) return process.env.SGPLAY_BIN;
  execFileSync('cargo', ['build', '-q', '--locked', '-p', 'sgplay-cli'], { cwd: root, stdio: 'inherit' });
  const meta = JSON.parse(execFileSync('cargo', ['metadata', '--format-version', '1', '--no-deps'], { cwd: root, maxBuffer: 1 << 26 }));
  return join(meta.target_directory, 'debug', 'sgplay');
}
const bin = cliBinary();

/** `sgplay ARGS` parsed as JSON; exit 0 or 1 (findings, a changed verdict) are answers. */
function cli(...args) {
  const run = spawnSync(bin, args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.ok(run.status === 0 || run.status === 1, `sgplay ${args.join(' ')}: exit ${run.status}\n${run.stderr}`);
  return JSON.parse(run.stdout);
}

const corpus = ['huawei', 'alibaba'].flatMap((d) =>
  readdirSync(join(root, 'tests/scenarios', d)).filter((f) => f.endsWith('.json')).map((f) => `tests/scenarios/${d}/${f}`));
const read = (file) => readFileSync(join(root, file), 'utf8');
const scratch = mkdtempSync(join(tmpdir(), 'sgplay-js-'));
const CHECK_ONLY = ['name', 'expect', 'expect_rule', 'expect_denied_at', 'expect_path'];

/** A check's packet: the check without its name and expectations. */
function packetOf(check) {
  return Object.fromEntries(Object.entries(check).filter(([k]) => !CHECK_ONLY.includes(k)));
}

/** The `sgplay eval` options for a packet. */
function evalArgs(file, packet) {
  const args = ['eval', '--world', file, '--json'];
  for (const [key, value] of Object.entries(packet)) args.push(`--${key.replaceAll('_', '-')}`, String(value));
  return args;
}

/** Calls `f` and returns the SgplayError it throws. */
function thrown(f) {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof Error, `an Error, got ${e}`);
    assert.equal(e.name, 'SgplayError');
    assert.ok(Array.isArray(e.problems) && e.problems.length > 0, 'problems listed');
    return e;
  }
  assert.fail('did not throw');
}

test('the package has the five functions and the ES module entry', () => {
  for (const f of [evaluate, lint, reach, diff, importAny]) assert.equal(typeof f, 'function');
  const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
  assert.equal(manifest.name, 'sgplay');
  assert.equal(manifest.type, 'module');
  assert.equal(manifest.exports['.'].default, './sgplay.js');
  for (const f of manifest.files) readFileSync(join(pkg, f));
});

test('evaluate: every corpus check gets its expected verdict', () => {
  let checks = 0;
  // Not the 1,000-instance estate: each call builds the scenario again, advice included (1.6 s).
  for (const file of corpus.filter((f) => !f.includes('estate-1000'))) {
    const doc = JSON.parse(read(file));
    for (const check of doc.checks ?? []) {
      const answer = evaluate(doc, check);
      assert.equal(answer.verdict, check.expect, `${file}: ${check.name}`);
      checks += 1;
    }
  }
  assert.ok(checks >= 100, `${checks} checks`);
});

test('evaluate: the same object as `sgplay eval --json`', () => {
  const files = corpus.filter((f) => /examples-ping|matching-order|overview-virtual-ip|paths-peering|ipv6|alibaba-ping/.test(f));
  assert.ok(files.length >= 5);
  for (const file of files) {
    const text = read(file);
    for (const check of JSON.parse(text).checks ?? []) {
      const packet = packetOf(check);
      assert.deepEqual(evaluate(text, packet), cli(...evalArgs(file, packet)), `${file}: ${check.name}`);
    }
  }
});

test('lint: the findings of `sgplay lint --json`', () => {
  for (const file of corpus.filter((f) => !f.includes('estate-1000'))) {
    const answer = lint(read(file));
    assert.deepEqual(Object.keys(answer), ['findings']);
    assert.deepEqual(answer.findings, cli('lint', '--json', file).findings, file);
  }
});

test('reach: the matrix of `sgplay reach --json`, default and given services', () => {
  for (const file of corpus.filter((f) => /overview-architecture|examples-sg-to-sg-mysql|paths-eip|alibaba-groups/.test(f))) {
    assert.deepEqual(reach(read(file)), cli('reach', '--json', file), file);
    assert.deepEqual(reach(read(file), ['tcp:22', 'udp:53', 'icmp']), cli('reach', '--json', '--services', 'tcp:22,udp:53,icmp', file), file);
    assert.deepEqual(reach(read(file), 'tcp:3306,gre'), cli('reach', '--json', '--services', 'tcp:3306,gre', file), file);
  }
});

test('diff: the report of `sgplay diff --json` for a rule taken out and a port widened', () => {
  for (const file of corpus.filter((f) => /examples-ping|examples-database|matching-order|overview-sg-a-sg-b/.test(f))) {
    const before = JSON.parse(read(file));
    const after = structuredClone(before);
    const group = after.security_groups.find((g) => (g.rules ?? []).length > 0);
    group.rules.shift();
    const rule = after.security_groups.flatMap((g) => g.rules ?? []).find((r) => r.multiport);
    if (rule) rule.multiport = '1-65535';
    const afterFile = join(scratch, 'after.json');
    writeFileSync(afterFile, JSON.stringify(after));
    const answer = diff(before, after);
    assert.deepEqual(answer, cli('diff', '--json', file, afterFile), file);
    assert.ok(answer.changes.length > 0, `${file}: the change changes a verdict`);
    assert.deepEqual(diff(before, before).changes, [], `${file}: no change, no verdict change`);
  }
});

test('importAny: Huawei Cloud API output as `sgplay import` reads it, alone and combined', () => {
  const dir = 'tests/fixtures/huawei-api';
  const one = `${dir}/list-security-groups.json`;
  const answer = importAny({ name: one, text: read(one) });
  assert.equal(answer.format, 'huawei-api');
  assert.deepEqual(answer.scenario, cli('import', one));
  // A rule naming an address group the inputs lack: the error names the API field.
  const show = `${dir}/show-security-group.json`;
  const e = thrown(() => importAny({ name: 'show.json', text: read(show) }));
  assert.equal(e.problems[0].input, 'text');
  assert.match(e.problems[0].path, /^show\.json: security_group\.security_group_rules\[\d+\]\.remote_address_group_id$/);
  assert.match(e.message, /^error: show\.json: /);
  const groups = `${dir}/list-address-groups.json`;
  assert.deepEqual(importAny([show, groups].map((f) => ({ name: f, text: read(f) }))).scenario, cli('import', show, groups));
  assert.equal(importAny(read(one)).scenario.name, 'Imported from text');
  const files = ['list-security-groups.json', 'list-security-group-rules-page-1.json', 'list-security-group-rules-page-2.json', 'list-servers-details.json']
    .map((f) => `${dir}/${f}`);
  const combined = importAny(files.map((f) => ({ name: f, text: read(f) })));
  assert.deepEqual(combined.scenario, cli('import', ...files));
  // What was left out is said, never dropped silently.
  const loose = importAny(read(`${dir}/rules-disabled-and-unknown.json`));
  assert.ok(loose.warnings.length > 0 && loose.warnings.every((w) => w.message && w.severity));
  // A scenario file is a format too; API output is a scenario input for every function.
  assert.equal(importAny(read(corpus[0])).format, 'scenario');
  assert.ok(lint(read(one)).findings.length >= 0);
});

test('importAny: Terraform HCL with the `terraform` build (build-js.sh --terraform), a clear error without', () => {
  const tf = 'tests/fixtures/terraform/main.tf';
  let answer;
  try {
    answer = importAny({ name: tf, text: read(tf) });
  } catch (e) {
    assert.equal(e.name, 'SgplayError');
    assert.match(e.message, /no `huawei-terraform` support \(the `terraform` feature\)/);
    return;
  }
  assert.equal(answer.format, 'huawei-terraform');
  assert.deepEqual(answer.scenario, cli('import', tf));
});

test('Engine: a scenario loaded once answers as the functions do, the estate included', () => {
  const files = corpus.filter((f) => /examples-ping|overview-architecture|paths-eip|alibaba-groups/.test(f));
  for (const file of files) {
    const text = read(file);
    const engine = new Engine(text);
    try {
      assert.equal(engine.instances, JSON.parse(text).instances.length);
      for (const check of JSON.parse(text).checks ?? []) assert.deepEqual(engine.evaluate(check), evaluate(text, check), `${file}: ${check.name}`);
      assert.deepEqual(engine.lint(), lint(text), file);
      assert.deepEqual(engine.reach(), reach(text), file);
      assert.deepEqual(engine.reach('tcp:22,icmp'), reach(text, 'tcp:22,icmp'), file);
      assert.deepEqual(engine.diff(engine).changes, [], file);
    } finally {
      engine.free();
    }
  }
  // The estate: loaded once, then each question costs only its own work (timings printed).
  const estate = read('tests/scenarios/huawei/estate-1000-instances.json');
  let started = performance.now();
  const engine = new Engine(estate);
  const loaded = performance.now() - started;
  const packet = { from: 'ecs-app-001', to: 'ecs-api-001', protocol: 'tcp', port: 443 };
  started = performance.now();
  const runs = 20;
  for (let i = 0; i < runs; i += 1) assert.ok(['allow', 'deny'].includes(engine.evaluate(packet).verdict));
  const perEvaluate = (performance.now() - started) / runs;
  started = performance.now();
  const matrix = engine.reach('tcp:443');
  const perReach = performance.now() - started;
  assert.deepEqual(matrix, cli('reach', '--json', '--services', 'tcp:443', 'tests/scenarios/huawei/estate-1000-instances.json'));
  console.log(`Engine on the estate: load ${loaded.toFixed(0)} ms, evaluate ${perEvaluate.toFixed(2)} ms, reach tcp:443 ${perReach.toFixed(0)} ms`);
  engine.free();
  // A bad scenario throws at construction, as the functions throw.
  const e = thrown(() => new Engine('{"security_groups": [{"id": "sg-a", "rules": [}]}'));
  assert.equal(e.problems[0].input, 'scenario');
});

test('a scenario as an object and as text give one answer', () => {
  const file = corpus.find((f) => f.includes('examples-ping'));
  const doc = JSON.parse(read(file));
  const packet = packetOf(doc.checks[0]);
  assert.deepEqual(evaluate(doc, packet), evaluate(read(file), JSON.stringify(packet)));
  assert.deepEqual(evaluate(doc, doc.checks[0]), evaluate(doc, packet), 'a whole check is its packet');
  assert.deepEqual(lint(doc), lint(read(file)));
});

test('bad input throws an SgplayError naming the argument and the path', () => {
  const base = JSON.parse(read(corpus.find((f) => f.includes('examples-ping'))));
  // Malformed JSON: where reading stopped.
  let e = thrown(() => lint('{"security_groups": [{"id": "sg-a", "rules": [}]}'));
  assert.equal(e.problems[0].input, 'scenario');
  assert.equal(e.problems[0].path, 'security_groups[0].rules');
  assert.match(e.message, /^scenario: error: security_groups\[0\]\.rules/);
  // A wrong CIDR: the field's path, as `sgplay validate` says it.
  const bad = structuredClone(base);
  bad.security_groups[0].rules[0].remote_ip_prefix = '10.0.0.0/33';
  e = thrown(() => evaluate(bad, packetOf(base.checks[0])));
  assert.equal(e.problems[0].path, 'security_groups[0].rules[0].remote_ip_prefix');
  assert.equal(e.problems[0].field, 'remote_ip_prefix');
  assert.equal(e.problems[0].value, '10.0.0.0/33');
  assert.equal(e.problems[0].severity, 'error');
  // A bad packet: the packet's field.
  e = thrown(() => evaluate(base, { from: 'ecs-1', to: '203.0.113.1', protocol: 'tcp', port: 0 }));
  assert.deepEqual([e.problems[0].input, e.problems[0].path], ['packet', 'port']);
  e = thrown(() => evaluate(base, { from: 'ecs-1', to: 'nowhere', protocol: 'tcp', port: 22 }));
  assert.deepEqual([e.problems[0].input, e.problems[0].field], ['packet', 'to']);
  e = thrown(() => evaluate(base, { from: 'ecs-1', to: 'ecs-2', protocol: 'tcp', port: '22' }));
  assert.deepEqual([e.problems[0].input, e.problems[0].path], ['packet', 'port']);
  // diff says which side is wrong; reach which service.
  e = thrown(() => diff(base, bad));
  assert.deepEqual(e.problems.map((p) => p.input), ['b']);
  e = thrown(() => reach(base, ['tcp']));
  assert.equal(e.problems[0].input, 'services');
  assert.match(e.message, /tcp and udp need a port/);
  e = thrown(() => reach(base, []));
  assert.match(e.message, /services is empty/);
  // Nothing given, or something that is no JSON.
  e = thrown(() => lint(undefined));
  assert.match(e.message, /scenario: .*is missing/);
  const cyclic = {};
  cyclic.self = cyclic;
  e = thrown(() => lint(cyclic));
  assert.match(e.message, /cannot be written as JSON/);
  e = thrown(() => importAny(''));
  assert.equal(e.problems[0].input, 'text');
  e = thrown(() => importAny([42]));
  assert.match(e.message, /is not a text/);
});
