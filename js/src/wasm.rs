//! The wasm-bindgen layer: JS values in, JSON text to the functions of the crate root, JS
//! objects (or a thrown `SgplayError`) out. The TypeScript types of `sgplay.d.ts` are written
//! here, by hand, next to the functions they describe.

use crate::{message, Answer, Failure};
use js_sys::{Array, Error, Reflect, JSON};
use sgplay_core::Problem;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** A scenario document (docs/scenario-format.md), or a JSON text of one; Huawei Cloud API
 * output (docs/import-export.md) is read too, as `importAny` reads it. */
export type ScenarioInput = Scenario | string;

export interface Scenario {
  version?: number;
  name?: string;
  description?: string;
  vpcs?: Vpc[];
  peerings?: { id: string; name?: string; vpc_id: string; peer_vpc_id: string }[];
  security_groups?: SecurityGroup[];
  address_groups?: AddressGroup[];
  instances?: Instance[];
  layout?: Record<string, { x: number; y: number }>;
  checks?: Check[];
  /** Stateful tests (docs/scenario-format.md, "Sequences"). */
  sequences?: { name: string; description?: string; conntrack_profile?: "huawei" | "linux"; steps: object[] }[];
}

export interface Vpc {
  id: string;
  name?: string;
  cidr: string;
  subnets?: { id: string; name?: string; cidr: string; ipv6_cidr?: string; snat_eip?: string }[];
}

export interface SecurityGroup {
  id: string;
  name?: string;
  description?: string;
  template?: "default" | "Sys-WebServer" | "Sys-FullAccess";
  rules?: Rule[];
}

/** A rule with the Huawei VPC API v3 field names. */
export interface Rule {
  id?: string;
  direction: "ingress" | "egress";
  ethertype?: "IPv4" | "IPv6";
  protocol?: string | number;
  /** `"22"`, `"22-30"`, `"22,25,27"`, `"22-24,25"`. */
  multiport?: string | number;
  action?: "allow" | "deny";
  /** 1-100. */
  priority?: number | string;
  remote_ip_prefix?: string;
  remote_group_id?: string;
  remote_address_group_id?: string;
  description?: string;
  /** The API's bookkeeping fields (`created_at`, `project_id`, ...) are accepted and ignored. */
  [apiField: string]: unknown;
}

export interface AddressGroup {
  id: string;
  name?: string;
  description?: string;
  /** 4 by default. */
  ip_version?: 4 | 6 | "4" | "6";
  /** Addresses, CIDR blocks or ranges `a-b`: a list, or one comma-separated string. */
  ip_set?: string[] | string;
}

export interface Instance {
  id: string;
  name?: string;
  kind?: "ecs" | "load_balancer";
  transfer_client_ip?: boolean;
  subnet_id?: string;
  ip?: string;
  ipv6?: string;
  virtual_ips?: string[];
  eip?: string;
  /** Group ids in sequence order; empty: the `default` group. */
  security_groups: string[];
}

/** A packet as a check or a `send` step describes it. */
export interface Packet {
  /** An instance id (or name) or an IP address; an address outside the VPCs is the Internet. */
  from: string;
  to: string;
  /** `tcp`, `udp`, `icmp`, `icmpv6`, `gre`, or a protocol number as text. */
  protocol: string;
  /** Destination port, tcp and udp only (required for them). */
  port?: number;
  /** Source port (49152 by default); for ICMP, the echo identifier. */
  src_port?: number;
  family?: "IPv4" | "IPv6";
  icmp_type?: number;
  icmp_code?: number;
  /** `syn` (default), `ack`, `syn,ack`, `fin,ack`, `rst`, ... */
  flags?: string;
}

export interface Check extends Packet {
  name: string;
  expect: Verdict;
  expect_rule?: string;
  expect_denied_at?: string;
  expect_path?: "reachable" | "no_peering" | "private_from_outside" | "no_public_address";
}

export type Verdict = "allow" | "deny";
export type Action = "allow" | "deny";
export type Direction = "ingress" | "egress";
export type Severity = "error" | "warning" | "advice";

/** One problem the engine found: where (path, object, field), the value, what would be right. */
export interface Problem {
  severity: Severity;
  /** Where in the document: `security_groups[1].rules[0].multiport`; empty for the whole. */
  path: string;
  /** The object in words: "rule `A01` of security group `sg-a`". */
  object: string;
  field: string;
  value: string;
  message: string;
}

/** What every function throws when it cannot answer: `problems` lists why. */
export interface SgplayError extends Error {
  name: "SgplayError";
  problems: (Problem & { input: "scenario" | "packet" | "a" | "b" | "services" | "text" | "" })[];
}

/** A packet as the engine holds it (addresses resolved). */
export interface ResolvedPacket {
  src: string;
  dst: string;
  protocol: number;
  src_port: number;
  dst_port: number;
  icmp_type: number;
  icmp_code: number;
  icmp_id: number;
  /** `none`, `syn`, `syn,ack`, ... */
  tcp_flags: string;
  /** The packet an ICMP error reports on. */
  embedded?: ResolvedPacket;
}

export type Place =
  | { kind: "instance"; id: string; name: string; address: string; via: "private" | "virtual" | "eip" }
  | { kind: "unassigned"; address: string; vpc_id: string }
  | { kind: "internet"; address: string };

export type HopDecision =
  | { kind: "rule"; group_id: string; sequence: number; rule_id: string; priority: number; action: Action }
  | { kind: "default_deny" }
  | { kind: "bypass"; reason: string }
  | { kind: "tracked"; connection_id: number; reason: string }
  | { kind: "related"; connection_id: number; reason: string }
  | { kind: "cut"; connection_id: number; blocked_until: number }
  | { kind: "invalid"; connection_id: number; reason: string };

export interface RuleTrace {
  rule_id: string;
  order: number;
  index: number;
  priority: number;
  action: Action;
  protocol_and_port: string;
  remote: string;
  checks: { field: "ethertype" | "protocol" | "port" | "remote"; passed: boolean; detail: string; element?: number; member?: string }[];
  matched: boolean;
}

export interface GroupTrace {
  group_id: string;
  group_name: string;
  sequence: number;
  of: number;
  outcome: { kind: "decided"; rule_id: string; action: Action } | { kind: "no_match" } | { kind: "not_consulted" };
  rules: RuleTrace[];
  tie_break?: { priority: number; deny_rule: string; beaten_allow_rules: string[] };
}

export interface HopTrace {
  instance_id: string;
  instance_name: string;
  direction: Direction;
  /** The address the rules compared with their remote; `{sent_from}` for a source that crossed the Internet with no public address (only rules open to every address match it). */
  remote_address: string | { sent_from: string };
  decision: HopDecision;
  groups: GroupTrace[];
}

export type PathOutcome =
  | { kind: "reachable" }
  | { kind: "no_peering"; from_vpc: string; to_vpc: string }
  | { kind: "private_from_outside"; to?: string | null }
  | { kind: "no_public_address"; from: string };

/** The trace in sentences, one step a line of `sgplay eval`. */
export interface Step {
  kind: "packet" | "note" | "path" | "hop" | "group" | "rule" | "tie_break" | "group_result" | "decision" | "verdict";
  sentence: string;
  hop?: number;
  group_id?: string;
  rule_id?: string;
  passed?: boolean;
}

/** `evaluate`'s answer, the object `sgplay eval --json` prints. */
export interface Evaluation {
  verdict: Verdict;
  packet: ResolvedPacket;
  from: Place;
  to: Place;
  /** The sides the packet crosses: the source's outbound, the destination's inbound. */
  hops: HopTrace[];
  notes: string[];
  path: PathOutcome;
  steps: Step[];
}

export interface RuleName { group: string; rule: string }

/** One finding of `lint`: a problem with what it is about. */
export interface Finding extends Problem {
  kind:
    | "rule_quota" | "groups_per_instance" | "instances_per_group" | "high_risk_port" | "no_outbound"
    | "shadowed" | "redundant" | "matches_nothing" | "too_large_to_analyse" | "unused_group" | "unused_address_group";
  group?: string;
  rule?: string;
  instance?: string;
  address_group?: string;
  covered_by?: RuleName[];
  example?: { direction: Direction; protocol: number; port?: number; remote: string; decided_by?: RuleName; instance?: string };
}

/** `lint`'s answer, the object `sgplay lint --json` prints (without its `file`). */
export interface LintReport {
  /** The most severe first. */
  findings: Finding[];
}

/** `reach`'s answer, the object `sgplay reach --json` prints. */
export interface ReachReport {
  services: string[];
  /** The address standing for the Internet, per family. */
  internet: string[];
  /** Every ordered pair (instance ids or `internet`) where at least one service passes. */
  pairs: { from: string; to: string; allowed: string[] }[];
}

export interface Change {
  src: string[];
  src_instances?: string[];
  dst: { instance?: string; addresses: string[] };
  protocol: string;
  ports: string[];
  before: Action;
  after: Action;
  example: ResolvedPacket;
  rules_before: string[];
  rules_after: string[];
  instances_touched: number;
}

/** `diff`'s answer, the object `sgplay diff --json` prints. */
export interface DiffReport {
  /** Every packet region whose verdict changes; empty: the change changes no verdict. */
  changes: Change[];
  /** What was not compared; empty: the diff is complete. */
  skipped: { what: string; cells: number; budget_spent: boolean }[];
  named_protocols: number[];
}

/**
 * The reachability matrix: which services pass between every ordered pair of instances and
 * the Internet, as `sgplay reach --json`. `services`: a list or a comma-separated text
 * (`"tcp:22,udp:53,icmp"`); absent, `sgplay reach`'s defaults.
 */
export function reach(scenario: ScenarioInput, services?: string[] | string): ReachReport;

/** The optional parameter of `Engine.reach` (wasm-bindgen cannot mark a typed parameter optional). */
export interface Engine {
  /** `reach(scenario, services)` on the loaded scenario, the matcher built once. */
  reach(services?: string[] | string): ReachReport;
}

/** An input of `importAny`: a text, or a text with the name its problems are said under. */
export type ImportInput = string | { name: string; text: string };

/** `importAny`'s answer: the scenario `sgplay import` prints, and what it left out. */
export interface ImportReport {
  scenario: Scenario;
  format: "scenario" | "huawei-api" | "huawei-terraform" | "terraform-json" | "alibaba-api" | "alibaba-terraform";
  warnings: Problem[];
}
"#;

/// The thrown error: an `Error` named `SgplayError` with the problems as objects.
fn thrown(failures: &[Failure]) -> JsValue {
    let error = Error::new(&message(failures));
    error.set_name("SgplayError");
    if let Ok(problems) = serde_json::to_string(failures).map_err(drop).and_then(|text| JSON::parse(&text).map_err(drop)) {
        let _ = Reflect::set(&error, &JsValue::from_str("problems"), &problems);
    }
    error.into()
}

fn failure(input: &'static str, message: String) -> JsValue {
    thrown(&[Failure { input, problem: Problem::error("", input, "", "", message) }])
}

/// A JSON text as it is, or an object as JSON text.
fn text(input: &'static str, value: &JsValue) -> Result<String, JsValue> {
    if let Some(text) = value.as_string() {
        return Ok(text);
    }
    if value.is_undefined() || value.is_null() {
        return Err(failure(input, "is missing: give an object or a JSON text".into()));
    }
    match JSON::stringify(value) {
        Ok(text) => text.as_string().ok_or_else(|| failure(input, "is not an object or a JSON text".into())),
        Err(_) => Err(failure(input, "cannot be written as JSON (does it hold a cycle or a BigInt?)".into())),
    }
}

/// The answer as a JS object, or the thrown error.
fn answer(answer: Answer) -> Result<JsValue, JsValue> {
    match answer {
        Ok(text) => JSON::parse(&text),
        Err(failures) => Err(thrown(&failures)),
    }
}

/// Evaluates one packet (or a check's packet) against a scenario's world: the verdict and the
/// full trace, as `sgplay eval --json` prints it. Throws an `SgplayError` for a bad scenario
/// or packet.
#[wasm_bindgen(unchecked_return_type = "Evaluation")]
pub fn evaluate(
    #[wasm_bindgen(unchecked_param_type = "ScenarioInput")] scenario: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Packet | Check | string")] packet: JsValue,
) -> Result<JsValue, JsValue> {
    answer(crate::evaluate(&text("scenario", &scenario)?, &text("packet", &packet)?))
}

/// Every lint finding of a scenario's world, the most severe first, as `sgplay lint --json`.
#[wasm_bindgen(unchecked_return_type = "LintReport")]
pub fn lint(#[wasm_bindgen(unchecked_param_type = "ScenarioInput")] scenario: JsValue) -> Result<JsValue, JsValue> {
    answer(crate::lint(&text("scenario", &scenario)?))
}

/// The services argument of `reach`: absent, a list, or a comma-separated text.
fn service_names(services: Option<JsValue>) -> Result<Option<Vec<String>>, JsValue> {
    let services = services.unwrap_or(JsValue::UNDEFINED);
    if services.is_undefined() || services.is_null() {
        return Ok(None);
    }
    if let Some(list) = services.as_string() {
        return Ok(Some(list.split(',').map(str::to_string).collect()));
    }
    if !Array::is_array(&services) {
        return Err(failure("services", "is not a list of services or a comma-separated text".into()));
    }
    let mut names = Vec::new();
    for (i, item) in Array::from(&services).iter().enumerate() {
        names.push(item.as_string().ok_or_else(|| failure("services", format!("item {i} is not a text like `tcp:22`")))?);
    }
    Ok(Some(names))
}

/// The reachability matrix: which services pass between every ordered pair of instances and
/// the Internet, as `sgplay reach --json`. `services`: a list or a comma-separated text
/// (`"tcp:22,udp:53,icmp"`); absent, `sgplay reach`'s defaults.
/// (Its declaration is in `TYPES`: wasm-bindgen cannot mark a typed parameter optional.)
#[wasm_bindgen(skip_typescript)]
pub fn reach(scenario: JsValue, services: Option<JsValue>) -> Result<JsValue, JsValue> {
    let names = service_names(services)?;
    answer(crate::reach(&text("scenario", &scenario)?, names))
}

/// A scenario read, validated and built once, for many questions: each method answers what
/// the function of the same name answers for this scenario, without reading it again.
/// `free()` gives its memory back.
#[wasm_bindgen]
pub struct Engine {
    loaded: crate::Loaded,
}

#[wasm_bindgen]
impl Engine {
    /// Reads and validates the scenario (any format `importAny` reads); throws an
    /// `SgplayError` naming its problems.
    #[wasm_bindgen(constructor)]
    pub fn new(#[wasm_bindgen(unchecked_param_type = "ScenarioInput")] scenario: JsValue) -> Result<Engine, JsValue> {
        let loaded = crate::Loaded::load("scenario", &text("scenario", &scenario)?).map_err(|f| thrown(&f))?;
        Ok(Engine { loaded })
    }

    /// The number of instances of the loaded world.
    #[wasm_bindgen(getter)]
    pub fn instances(&self) -> usize {
        self.loaded.scenario().world.instances.len()
    }

    /// `evaluate(scenario, packet)` on the loaded scenario.
    #[wasm_bindgen(unchecked_return_type = "Evaluation")]
    pub fn evaluate(&self, #[wasm_bindgen(unchecked_param_type = "Packet | Check | string")] packet: JsValue) -> Result<JsValue, JsValue> {
        answer(self.loaded.evaluate(&text("packet", &packet)?))
    }

    /// `lint(scenario)` on the loaded scenario.
    #[wasm_bindgen(unchecked_return_type = "LintReport")]
    pub fn lint(&self) -> Result<JsValue, JsValue> {
        answer(self.loaded.lint())
    }

    /// `reach(scenario, services)` on the loaded scenario, the matcher built once.
    #[wasm_bindgen(skip_typescript)]
    pub fn reach(&self, services: Option<JsValue>) -> Result<JsValue, JsValue> {
        answer(self.loaded.reach(service_names(services)?))
    }

    /// `diff(scenario, other)`: what changes from this engine's scenario to `other`'s.
    #[wasm_bindgen(unchecked_return_type = "DiffReport")]
    pub fn diff(&self, other: &Engine) -> Result<JsValue, JsValue> {
        answer(self.loaded.diff(&other.loaded))
    }
}

/// What changes from scenario `a` to scenario `b`: every packet region whose verdict differs,
/// with the deciding rules before and after, as `sgplay diff --json`.
#[wasm_bindgen(unchecked_return_type = "DiffReport")]
pub fn diff(
    #[wasm_bindgen(unchecked_param_type = "ScenarioInput")] a: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ScenarioInput")] b: JsValue,
) -> Result<JsValue, JsValue> {
    answer(crate::diff(&text("a", &a)?, &text("b", &b)?))
}

/// Reads a scenario file or Huawei Cloud API output (several listings combine, as
/// `sgplay import FILE...` combines files), detected by shape.
#[wasm_bindgen(js_name = importAny, unchecked_return_type = "ImportReport")]
pub fn import_any(#[wasm_bindgen(unchecked_param_type = "ImportInput | ImportInput[]")] inputs: JsValue) -> Result<JsValue, JsValue> {
    let items: Vec<JsValue> = if Array::is_array(&inputs) { Array::from(&inputs).iter().collect() } else { vec![inputs] };
    let mut named = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let fallback = if items.len() == 1 { "text".to_string() } else { format!("text[{i}]") };
        if let Some(text) = item.as_string() {
            named.push((fallback, text));
            continue;
        }
        let field = |key: &str| Reflect::get(item, &JsValue::from_str(key)).ok().and_then(|v| v.as_string());
        match (item.is_object(), field("text")) {
            (true, Some(text)) => named.push((field("name").unwrap_or(fallback), text)),
            _ => return Err(failure("text", format!("{fallback} is not a text or a `{{name, text}}` object"))),
        }
    }
    let inputs: Vec<(&str, &str)> = named.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    answer(crate::import_any(&inputs))
}
