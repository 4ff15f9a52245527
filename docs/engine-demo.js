// docs/engine-demo.html's script: the engine's JS package, used directly (no playground).
import init, { evaluate, reach } from '../js/pkg/sgplay.js';

const scenario = {
  name: 'A web server and its database',
  vpcs: [{ id: 'vpc-1', cidr: '10.0.0.0/16', subnets: [{ id: 'subnet-1', cidr: '10.0.1.0/24' }] }],
  security_groups: [
    { id: 'sg-web', rules: [
      { id: 'https', direction: 'ingress', protocol: 'tcp', multiport: '443', remote_ip_prefix: '0.0.0.0/0' },
      { id: 'ssh-office', direction: 'ingress', protocol: 'tcp', multiport: '22', remote_ip_prefix: '172.16.0.0/24' },
      { id: 'web-out', direction: 'egress' },
    ] },
    { id: 'sg-db', rules: [
      { id: 'mysql-from-web', direction: 'ingress', protocol: 'tcp', multiport: '3306', remote_group_id: 'sg-web' },
      { id: 'db-out', direction: 'egress' },
    ] },
  ],
  instances: [
    { id: 'ecs-web', subnet_id: 'subnet-1', ip: '10.0.1.10', eip: '198.51.100.10', security_groups: ['sg-web'] },
    { id: 'ecs-db', subnet_id: 'subnet-1', ip: '10.0.1.20', security_groups: ['sg-db'] },
  ],
};

const $ = (selector) => document.querySelector(selector);
const element = (tag, text, className) => {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (className) e.className = className;
  return e;
};

/** The scenario as a reader takes it in: one line per VPC, rule and instance. */
function compact(doc) {
  const one = (v) => JSON.stringify(v);
  const groups = doc.security_groups.map((g) => `    {"id": ${one(g.id)}, "rules": [\n${g.rules.map((r) => `      ${one(r)}`).join(',\n')}\n    ]}`);
  return [
    '{',
    `  "vpcs": [${doc.vpcs.map(one).join(', ')}],`,
    `  "security_groups": [\n${groups.join(',\n')}\n  ],`,
    `  "instances": [\n${doc.instances.map((i) => `    ${one(i)}`).join(',\n')}\n  ]`,
    '}',
  ].join('\n');
}

function showEvaluation(form) {
  const data = new FormData(form);
  const packet = { from: data.get('from'), to: data.get('to'), protocol: data.get('protocol') };
  if (packet.protocol !== 'icmp') packet.port = Number(data.get('port'));
  const out = $('#answer');
  out.replaceChildren();
  try {
    const answer = evaluate(scenario, packet);
    out.append(element('p', answer.verdict === 'allow' ? 'Allowed' : 'Denied', `verdict ${answer.verdict}`));
    // The verdict is the security groups'; the path says whether the packet has a way there.
    const path = answer.steps.find((s) => s.kind === 'path');
    if (answer.path.kind !== 'reachable' && path) out.append(element('p', path.sentence, 'path'));
    const steps = element('ol', undefined, 'steps');
    for (const step of answer.steps) steps.append(element('li', step.sentence, `step-${step.kind}`));
    out.append(steps);
  } catch (e) {
    // An SgplayError: each problem names the argument and the field.
    const lines = (e.problems ?? []).map((p) => `${p.input}${p.path ? ` ${p.path}` : ''}: ${p.message}`);
    out.append(element('p', lines.join('\n') || String(e), 'error'));
  }
}

function showMatrix() {
  const matrix = reach(scenario, ['tcp:22', 'tcp:443', 'tcp:3306', 'icmp']);
  const table = element('table');
  const head = element('tr');
  for (const title of ['from', 'to', 'passes']) head.append(element('th', title));
  table.append(head);
  for (const pair of matrix.pairs) {
    const row = element('tr');
    for (const cell of [pair.from, pair.to, pair.allowed.join(', ')]) row.append(element('td', cell));
    table.append(row);
  }
  $('#matrix').replaceChildren(table);
}

await init();
$('#scenario-text').textContent = compact(scenario);
const form = $('#packet');
form.addEventListener('submit', (event) => {
  event.preventDefault();
  showEvaluation(form);
});
form.protocol.addEventListener('change', () => { form.port.disabled = form.protocol.value === 'icmp'; });
showEvaluation(form);
showMatrix();
document.documentElement.dataset.ready = 'true';
