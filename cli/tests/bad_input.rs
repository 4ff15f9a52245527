//! The bad-input table: crafted and broken inputs a stranger's file or a typo can bring, each
//! with the exact message it must get and its exit code. Every case also asserts what holds for
//! all of them: no control character reaches the terminal (only newlines and tabs), the output
//! stays small, and the input file is left exactly as it was.
//!
//! The large inputs are generated here, at test time. Their time bounds are generous limits
//! (debug build, a loaded 2-core machine), not benchmarks: they catch a return to quadratic
//! work (a 100,000-send sequence took 71 s with list-based connection tables, and 6,000
//! dangling references printed 577 MB), not a few percent.

mod common;

use common::sgplay;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What a case feeds the command.
enum Input {
    /// A scenario document, written to `case.json`, which the arguments name as `{}`.
    Json(Value),
    /// Text written as is.
    Text(String),
    /// Bytes written as is.
    Bytes(Vec<u8>),
    /// No file of ours: the arguments name what to read.
    None,
}

struct Case {
    name: &'static str,
    input: Input,
    /// The command line; `{}` stands for the input file.
    args: Vec<String>,
    exit: i32,
    /// Each must appear in stdout or stderr.
    expect: Vec<String>,
    /// The most time the case may take (generous).
    within: Duration,
}

fn case(name: &'static str, input: Input, args: &[&str], exit: i32, expect: &[&str]) -> Case {
    Case {
        name,
        input,
        args: args.iter().map(|a| a.to_string()).collect(),
        exit,
        expect: expect.iter().map(|e| e.to_string()).collect(),
        within: Duration::from_secs(30),
    }
}

impl Case {
    fn within(mut self, secs: u64) -> Case {
        self.within = Duration::from_secs(secs);
        self
    }
}

/// A small valid world: `a` and `b` in `sg` (SSH in from anywhere, everything out).
fn world() -> Value {
    json!({
        "name": "bad input",
        "security_groups": [{"id": "sg", "rules": [
            {"id": "in", "direction": "ingress", "ethertype": "IPv4", "action": "allow", "priority": 1, "protocol": "tcp", "multiport": "22", "remote_ip_prefix": "0.0.0.0/0"},
            {"id": "out", "direction": "egress", "ethertype": "IPv4", "action": "allow", "priority": 1, "remote_ip_prefix": "0.0.0.0/0"}
        ]}],
        "instances": [
            {"id": "a", "ip": "10.0.0.1", "security_groups": ["sg"]},
            {"id": "b", "ip": "10.0.0.2", "security_groups": ["sg"]}
        ]
    })
}

/// `world()` with `edit` applied.
fn with(edit: impl FnOnce(&mut Value)) -> Input {
    let mut w = world();
    edit(&mut w);
    Input::Json(w)
}

fn rule(extra: Value) -> Value {
    let mut r = json!({"id": "x", "direction": "ingress", "ethertype": "IPv4", "action": "allow", "priority": 1, "protocol": "tcp", "multiport": "80"});
    for (k, v) in extra.as_object().expect("an object").clone() {
        r[k] = v;
    }
    r
}

fn add_rule(extra: Value) -> Input {
    with(|w| w["security_groups"][0]["rules"].as_array_mut().expect("rules").push(rule(extra)))
}

fn check(extra: Value) -> Input {
    let mut c = json!({"name": "c", "from": "a", "to": "b", "protocol": "tcp", "port": 22, "expect": "allow"});
    for (k, v) in extra.as_object().expect("an object").clone() {
        c[k] = v;
    }
    with(|w| w["checks"] = json!([c]))
}

fn sequence(steps: Value) -> Input {
    with(|w| w["sequences"] = json!([{"name": "s", "steps": steps}]))
}

fn send() -> Value {
    json!({"send": {"from": "a", "to": "b", "protocol": "tcp", "port": 22}, "label": "c"})
}

fn cases() -> Vec<Case> {
    let v = &["validate", "{}"];
    let t = &["test", "{}"];
    let eval = |extra: &[&'static str]| -> Vec<&'static str> {
        let mut a = vec!["eval", "--world", "{}", "--from", "a", "--to", "b", "--protocol", "tcp"];
        a.extend_from_slice(extra);
        a
    };
    vec![
        // ---- terminal and log injection
        case("an escape sequence in an instance id", with(|w| w["instances"][0]["id"] = json!("A\u{1b}]0;PWNED\u{7}\u{1b}[2J")), v, 1, &["instances[0].id", "U+001B", "A\\u{1b}]0;PWNED\\u{7}\\u{1b}[2J"]),
        case("a newline in a check name", check(json!({"name": "x\n1 passed, 0 failed"})), t, 1, &["checks[0].name", "U+000A", "x\\n1 passed"]),
        case("C1 CSI in a group name", with(|w| w["security_groups"][0]["name"] = json!("\u{9b}2J")), v, 1, &["security_groups[0].name", "U+009B"]),
        case("BEL in a rule description", add_rule(json!({"description": "ding\u{7}"})), v, 1, &["description", "U+0007"]),
        case("a bidi override in an instance name", with(|w| w["instances"][1]["name"] = json!("web\u{202e}gpj")), v, 1, &["instances[1].name", "U+202E"]),
        case("a tab and newline in a description are fine", with(|w| w["description"] = json!("line one\n\tline two")), v, 0, &["valid"]),
        case("an escape sequence in a sequence label", sequence(json!([{"send": {"from": "a", "to": "b", "protocol": "tcp", "port": 22}, "label": "l\u{1b}[2J"}])), v, 1, &["steps[0].label", "U+001B"]),
        case("an escape sequence in --from", Input::Json(world()), &["eval", "--world", "{}", "--from", "\u{1b}[2Jx", "--to", "b", "--protocol", "tcp", "--port", "22"], 2, &["\\u{1b}[2Jx", "neither an IP address nor an instance id"]),
        case("an escape sequence in an unknown field's name", with(|w| w["na\u{1b}[2Jme"] = json!(1)), v, 1, &["unknown field", "na\\u{1b}[2Jme"]),
        case("colors forced on still escape names", with(|w| w["instances"][0]["id"] = json!("\u{1b}]0;t\u{7}")), &["--color", "always", "validate", "{}"], 1, &["\\u{1b}]0;t\\u{7}"]),
        // ---- time and memory
        case("a multiport of every port plus four ranges", add_rule(json!({"priority": 2, "multiport": (1..=65535).map(|p| p.to_string()).collect::<Vec<_>>().join(",")})), v, 0, &["valid"]).within(60),
        case("more rules than the limit", with(|w| {
            let rules: Vec<Value> = (0..100_001).map(|i| rule(json!({"id": format!("r{i}"), "remote_ip_prefix": format!("10.{}.{}.{}/32", i >> 16 & 255, i >> 8 & 255, i & 255)}))).collect();
            w["security_groups"][0]["rules"] = json!(rules);
        }), v, 1, &["holds 100,001 rules; sgplay models at most 100,000"]).within(60),
        case("a comma list counts as the rules it becomes", add_rule(json!({"remote_ip_prefix": vec!["10.0.0.0/8"; 100_001].join(",")})), v, 1, &["holds 100,003 rules"]).within(60),
        case("a sequence of 100,000 sends", sequence(json!((0..100_000).map(|i| json!({"send": {"from": "a", "to": "b", "protocol": "tcp", "port": 22, "src_port": 1024 + i % 60_000}, "label": format!("c{i}")})).collect::<Vec<_>>())), t, 0, &["1 passed, 0 failed"]).within(120),
        case("6,000 dangling group references among 6,000 groups", with(|w| {
            let groups: Vec<Value> = (0..6000).map(|i| json!({"id": format!("group-{i}"), "rules": []})).collect();
            let instances: Vec<Value> = (0..6000).map(|i| json!({"id": format!("i{i}"), "ip": format!("10.1.{}.{}", i >> 8, i & 255), "security_groups": [format!("missing-{i}")]})).collect();
            w["security_groups"] = json!(groups);
            w["instances"] = json!(instances);
        }), v, 1, &["`group-0`, `group-1`", "and 5,990 more"]).within(60),
        case("a 100,000-character group id", with(|w| {
            let id = "g".repeat(100_000);
            w["security_groups"][0]["id"] = json!(id);
            w["instances"][0]["security_groups"] = json!([id]);
        }), v, 1, &["has 100,000 characters; an id may have at most 128", "… (100,000 characters)"]),
        case("an endless input", Input::None, &["validate", "/dev/zero"], 2, &["larger than 16,777,216 bytes (16 MiB)"]),
        case("a file over the size limit", Input::Text(" ".repeat((16 << 20) + 1)), v, 2, &["larger than 16,777,216 bytes"]),
        case("deep nesting", Input::Text(world().to_string().replacen("\"id\":\"in\"", &format!("\"id\":\"in\",\"nested\":{}{}", "[".repeat(100_000), "]".repeat(100_000)), 1)), v, 1, &["recursion limit exceeded"]),
        case("more instances than the limit", with(|w| w["instances"] = json!((0..20_001).map(|i| json!({"id": format!("i{i}"), "ip": format!("10.{}.{}.{}", i >> 16, i >> 8 & 255, i & 255)})).collect::<Vec<_>>())), v, 1, &["holds 20,001 instances; sgplay models at most 20,000"]).within(60),
        case("more checks than the limit", with(|w| w["checks"] = json!(vec![json!({"name": "c", "from": "a", "to": "b", "protocol": "icmp", "expect": "allow"}); 20_001])), v, 1, &["holds 20,001 checks"]).within(60),
        case("more address entries than the limit", with(|w| w["address_groups"] = json!([{"id": "ag", "ip_set": vec!["10.0.0.1"; 100_001].join(",")}])), v, 1, &["holds 100,001 address group entries"]).within(60),
        // ---- input accepted that should not be
        case("a top-level array", Input::Text("[]".into()), v, 1, &["invalid type: a list `[…]`, expected an object `{…}`"]),
        case("a positional group", with(|w| w["security_groups"] = json!([["sg", "N", "d", null, []]])), v, 1, &["security_groups[0]", "expected an object"]),
        case("a positional instance", with(|w| w["instances"] = json!([["a", "", null, false, null, "10.0.0.1"]])), v, 1, &["instances[0]", "expected an object"]),
        case("an address group's entries under another name", with(|w| w["address_groups"] = json!([{"id": "ag", "addresses": ["10.0.0.0/8"]}])), v, 1, &["address_groups[0].addresses", "the addresses go in `ip_set`"]),
        case("an address group's entries with remarks, as the API lists them", with(|w| w["address_groups"] = json!([{"id": "ag", "ip_extra_set": [{"ip": "10.0.0.1", "remarks": "db"}]}])), v, 1, &["address_groups[0].ip_extra_set", "`sgplay import`"]),
        case("a misspelt address group field", with(|w| w["address_groups"] = json!([{"id": "ag", "ip_sett": ["10.0.0.1"]}])), v, 1, &["address_groups[0].ip_sett", "did you mean `ip_set`?"]),
        case("an unknown address group field is ignored, with a warning", with(|w| w["address_groups"] = json!([{"id": "ag", "ip_set": ["10.0.0.1"], "colour": "red"}])), v, 0, &["address_groups[0].colour", "is not an address group field and is ignored"]),
        case("a positional check", with(|w| w["checks"] = json!([["c", "a", "b", "tcp"]])), v, 1, &["checks[0]", "expected an object"]),
        case("a positional step", sequence(json!([["x"]])), v, 1, &["steps[0]", "expected an object"]),
        case("a UTF-8 byte-order mark", Input::Text(format!("\u{feff}{}", world())), v, 0, &["valid"]),
        case("a check to an unknown instance", check(json!({"to": "nobody"})), v, 0, &["checks[0].to", "this check fails until it does"]),
        case("…which then fails in test", check(json!({"to": "nobody"})), t, 1, &["0 passed, 1 failed"]),
        case("an unknown expect_rule", check(json!({"expect_rule": "nope"})), v, 0, &["checks[0].expect_rule", "no rule of the scenario has this id"]),
        case("expect_denied_at nowhere/sideways", check(json!({"expect": "deny", "expect_denied_at": "nowhere/sideways"})), v, 0, &["expect_denied_at", "names no instance"]),
        case("expect_denied_at with a wrong side", check(json!({"expect": "deny", "expect_denied_at": "b/sideways"})), v, 1, &["must be `inbound` or `outbound`"]),
        case("a step deleting a missing rule", sequence(json!([send(), {"change": {"delete_rule": {"group": "sg", "rule_id": "nope"}}}])), v, 1, &["steps[1].change", "has no rule with this id at this step"]),
        case("a step deleting a rule twice", sequence(json!([send(), {"change": {"delete_rule": {"group": "sg", "rule_id": "in"}}}, {"change": {"delete_rule": {"group": "sg", "rule_id": "in"}}}])), v, 1, &["steps[2].change", "an earlier step deleted it"]),
        case("a step modifying a rule an earlier step added", sequence(json!([send(), {"change": {"add_rule": {"group": "sg", "rule": rule(json!({"id": "new"}))}}}, {"change": {"modify_rule": {"group": "sg", "rule_id": "new", "rule": {"priority": 5}}}}])), v, 0, &["valid"]),
        case("an empty sequence", sequence(json!([])), v, 1, &["sequences[0].steps", "is empty"]),
        case("an unknown connection state", sequence(json!([send(), {"expect_connection": {"label": "c", "instance": "b", "state": "WOBBLY"}}])), v, 1, &["expect_connection.state", "is not a state"]),
        case("an unknown field in a send", sequence(json!([{"send": {"from": "a", "to": "b", "protocol": "tcp", "port": 22, "source_port": 1}}])), v, 1, &["unknown field `source_port`", "src_port"]),
        case("an IPv4 block as ipv6_cidr", with(|w| w["vpcs"] = json!([{"id": "v", "cidr": "10.0.0.0/16", "subnets": [{"id": "s", "cidr": "10.0.0.0/24", "ipv6_cidr": "10.0.1.0/24"}]}])), v, 1, &["ipv6_cidr", "is an IPv4 block"]),
        case("a subnet_id with no VPC", with(|w| w["instances"][0]["subnet_id"] = json!("subnet-9")), v, 1, &["instances[0].subnet_id", "the scenario has no VPC"]),
        case("a subnet_id naming no subnet", with(|w| {
            w["vpcs"] = json!([{"id": "v", "cidr": "10.0.0.0/16", "subnets": [{"id": "s1", "cidr": "10.0.0.0/24"}]}]);
            w["instances"][0]["subnet_id"] = json!("s9");
        }), v, 1, &["no subnet has this id; subnets: `s1`"]),
        case("an instance id that is an IP address", with(|w| w["instances"][0]["id"] = json!("5.6.7.8")), v, 1, &["instances[0].id", "is an IP address"]),
        case("two instances with one name", with(|w| {
            w["instances"][0]["name"] = json!("web");
            w["instances"][1]["name"] = json!("web");
        }), v, 0, &["instances[1].name", "is also the name of instance `a`"]),
        case("a packet to an ambiguous name", with(|w| {
            w["instances"][0]["name"] = json!("web");
            w["instances"][1]["name"] = json!("web");
        }), &["eval", "--world", "{}", "--from", "203.0.113.5", "--to", "web", "--protocol", "tcp", "--port", "22"], 2, &["is the name of several instances"]),
        case("a port written with a plus", add_rule(json!({"multiport": "+22"})), v, 1, &["`+22` is not a port number"]),
        case("a priority written with a plus", add_rule(json!({"priority": "+5"})), v, 1, &["rules[2].priority", "must be an integer from 1 to 100"]),
        case("a protocol number written with a plus", add_rule(json!({"protocol": "+6", "multiport": null})), v, 1, &["rules[2].protocol", "is not a protocol"]),
        case("a family contradicting an address", Input::Json(world()), &["eval", "--world", "{}", "--from", "203.0.113.5", "--to", "b", "--protocol", "tcp", "--port", "22", "--family", "IPv6"], 2, &["contradicts `from`, the IPv4 address `203.0.113.5`"]),
        // ---- messages
        case("a check's port as text", check(json!({"port": "22"})), v, 1, &["`port` is the text \"22\" (write numbers without quotes)"]),
        case("a check's port too large", check(json!({"port": 70000})), v, 1, &["`port` is 70000, too large"]),
        case("a trailing comma", Input::Text(r#"{"name":"x",}"#.into()), v, 1, &["a comma before `}` or `]` has nothing after it"]),
        case("a lone surrogate", Input::Text(r#"{"name":"\ud800"}"#.into()), v, 1, &["half of a pair"]),
        case("a clock advance of 2^64", sequence(json!([{"advance": 18446744073709551616u128.to_string().parse::<f64>().expect("a number")}])), v, 1, &["steps[0].advance", "expected a whole number from 0 to 18446744073709551615"]),
        case("--port 70000", Input::Json(world()), &eval(&["--port", "70000"]), 2, &["a port is a whole number from 1 to 65535"]),
        case("--port 0", Input::Json(world()), &eval(&["--port", "0"]), 2, &["a port is a whole number from 1 to 65535"]),
        case("--icmp-type on a TCP packet", Input::Json(world()), &eval(&["--port", "1", "--icmp-type", "3"]), 2, &["--icmp-type `3`: applies to icmp and icmpv6 packets only, not `tcp`"]),
        case("a generated rule id that collides", add_rule(json!({"id": "in", "remote_ip_prefix": "10.0.0.0/8,192.168.0.0/16"})), v, 1, &["two rules of this group share this id"]),
        case("a comma list's generated id that collides", with(|w| {
            let rules = w["security_groups"][0]["rules"].as_array_mut().expect("rules");
            rules.push(rule(json!({"id": "r", "remote_ip_prefix": "10.0.0.0/8,192.168.0.0/16"})));
            rules.push(rule(json!({"id": "r-2"})));
        }), v, 1, &["`r-2` was generated for address 2 of the comma-separated `remote_ip_prefix` of rules[2]"]),
        case("a list where an object goes", with(|w| w["instances"] = json!({})), v, 1, &["instances", "expected a list `[…]`"]),
        case("a boolean priority", add_rule(json!({"priority": true})), v, 1, &["priority"]),
        case("a newer format", with(|w| w["version"] = json!(99)), v, 1, &["written by a newer sgplay (format 99)"]),
        case("a file that is not UTF-8", Input::Bytes(vec![b'{', 0xff, 0xfe, b'}']), v, 2, &["it is not UTF-8 text (byte 1 is not valid UTF-8)"]),
        case("an empty file", Input::Text(String::new()), v, 1, &["the text ends early"]),
        case("a prefix length of 33", add_rule(json!({"remote_ip_prefix": "10.0.0.0/33"})), v, 1, &["remote_ip_prefix", "`10.0.0.0/33`"]),
        case("a reversed port range", add_rule(json!({"multiport": "30-22"})), v, 1, &["range is reversed; write `22-30`"]),
        case("host bits in a prefix", add_rule(json!({"remote_ip_prefix": "10.0.0.1/8"})), v, 1, &["has host bits set; the block is `10.0.0.0/8`"]),
        case("a rule id over 128 characters", add_rule(json!({"id": "r".repeat(129)})), v, 1, &["rules[2].id", "has 129 characters; an id may have at most 128"]),
        case("a name over 255 characters", with(|w| w["name"] = json!("n".repeat(256))), v, 1, &["has 256 characters; a name may have at most 255"]),
        case("a description over 4,096 characters", with(|w| w["description"] = json!("d".repeat(4097))), v, 1, &["has 4,097 characters; a description may have at most 4,096"]),
        case("a directory", Input::None, &["validate", "/tmp"], 2, &["it is a directory"]),
        case("a missing file", Input::None, &["validate", "/no/such/file.json"], 2, &["no such file"]),
        case("an unknown instance lists at most ten", with(|w| w["instances"] = json!((0..50).map(|i| json!({"id": format!("i{i:02}"), "ip": format!("10.0.1.{i}")})).collect::<Vec<_>>())), &["eval", "--world", "{}", "--from", "i00", "--to", "nobody", "--protocol", "icmp"], 2, &["`i09` and 40 more"]),
    ]
}

fn substitute(args: &[String], file: &Path) -> Vec<String> {
    args.iter().map(|a| if a == "{}" { file.display().to_string() } else { a.clone() }).collect()
}

#[test]
fn the_bad_input_table() {
    let cases = cases();
    assert!(cases.len() >= 60, "the table holds {} cases", cases.len());
    let dir = tempfile::tempdir().expect("temp dir");
    let mut failures = Vec::new();
    for (n, case) in cases.iter().enumerate() {
        let file: PathBuf = dir.path().join(format!("case-{n}.json"));
        let bytes = match &case.input {
            Input::Json(v) => Some(serde_json::to_vec(v).expect("json")),
            Input::Text(t) => Some(t.clone().into_bytes()),
            Input::Bytes(b) => Some(b.clone()),
            Input::None => None,
        };
        if let Some(bytes) = &bytes {
            std::fs::write(&file, bytes).expect("write the case");
        }
        let started = Instant::now();
        let out = sgplay().args(substitute(&case.args, &file)).output().expect("run sgplay");
        let took = started.elapsed();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let both = format!("{stdout}{stderr}");
        let mut wrong = Vec::new();
        if out.status.code() != Some(case.exit) {
            wrong.push(format!("exit {:?}, wanted {}", out.status.code(), case.exit));
        }
        for e in &case.expect {
            if !both.contains(e.as_str()) {
                wrong.push(format!("no `{e}` in the output"));
            }
        }
        // Only this CLI's own color codes may be escapes, and only with --color always.
        let colored = case.args.iter().any(|a| a == "always");
        let raw = both.chars().find(|c| c.is_control() && !matches!(c, '\n' | '\t') && !(colored && *c == '\u{1b}'));
        if let Some(c) = raw {
            wrong.push(format!("a raw control character U+{:04X} reached the output", c as u32));
        }
        // 6,000 wrong references make 6,000 lines (1.5 MB); 577 MB was the bug.
        if both.len() > 4 << 20 {
            wrong.push(format!("{} bytes of output", both.len()));
        }
        if took > case.within {
            wrong.push(format!("took {took:?}, the bound is {:?}", case.within));
        }
        if let Some(bytes) = &bytes {
            if std::fs::read(&file).ok().as_ref() != Some(bytes) {
                wrong.push("the input file changed".into());
            }
        }
        if !wrong.is_empty() {
            let shown: String = both.chars().take(600).collect();
            failures.push(format!("case {n} `{}`: {}\n  output: {shown}", case.name, wrong.join("; ")));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn a_full_disk_is_an_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = common::write(dir.path(), "ok.json", &world().to_string());
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else { return };
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("sgplay"))
        .arg("validate")
        .arg(&file)
        .stdout(full)
        .output()
        .expect("run sgplay");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot write the output: no space left on device"), "{stderr}");
}

#[test]
fn a_file_name_with_an_escape_sequence_is_printed_escaped() {
    let dir = tempfile::tempdir().expect("temp dir");
    common::write(dir.path(), "evil\u{1b}]0;PWNED\u{7}.json", &world().to_string());
    let out = sgplay().arg("test").arg(dir.path()).output().expect("run sgplay");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("evil\\u{1b}]0;PWNED\\u{7}.json"), "{text}");
    assert!(!text.contains('\u{1b}') && !text.contains('\u{7}'), "{text:?}");
}
