//! The row editor's draft: the text of each cell, turned into a `RuleSpec` for the engine to
//! check, and back. Nothing here decides whether a rule is valid: `ScenarioSpec::check_rule`
//! does, and its problems are sorted to the cells by their `field`.

use sgplay_core::model::Direction;
use sgplay_core::scenario::{Problem, RuleSpec};
use serde_json::Value;

/// What the Source/Destination cell holds, as the console's first drop-down.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RemoteKind {
    Ip,
    Group,
    AddressGroup,
}

impl RemoteKind {
    pub const ALL: [RemoteKind; 3] = [RemoteKind::Ip, RemoteKind::Group, RemoteKind::AddressGroup];

    /// The `<select>` value.
    pub fn key(self) -> &'static str {
        match self {
            RemoteKind::Ip => "ip",
            RemoteKind::Group => "group",
            RemoteKind::AddressGroup => "address_group",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RemoteKind::Ip => "IP address",
            RemoteKind::Group => "Security group",
            RemoteKind::AddressGroup => "IP address group",
        }
    }

    /// The rule field the value goes to, which is also the `Problem::field` of its errors.
    pub fn field(self) -> &'static str {
        match self {
            RemoteKind::Ip => "remote_ip_prefix",
            RemoteKind::Group => "remote_group_id",
            RemoteKind::AddressGroup => "remote_address_group_id",
        }
    }

    pub fn parse(key: &str) -> RemoteKind {
        RemoteKind::ALL.into_iter().find(|k| k.key() == key).unwrap_or(RemoteKind::Ip)
    }
}

/// The protocol drop-down: (value, label). `number` shows a second input.
pub const PROTOCOL_CHOICES: [(&str, &str); 7] =
    [("", "All"), ("tcp", "TCP"), ("udp", "UDP"), ("icmp", "ICMP"), ("icmpv6", "ICMPv6"), ("gre", "GRE"), ("number", "Other (number)")];

/// The cells of the row editor, each with the rule fields whose problems it shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cell {
    Priority,
    Action,
    Ethertype,
    Protocol,
    Port,
    Remote,
    Description,
    /// Problems of no cell (direction, id, duplicate ids): shown under the editor.
    Other,
}

impl Cell {
    pub fn of_field(field: &str) -> Cell {
        match field {
            "priority" => Cell::Priority,
            "action" => Cell::Action,
            "ethertype" => Cell::Ethertype,
            "protocol" => Cell::Protocol,
            "multiport" => Cell::Port,
            "remote_ip_prefix" | "remote_group_id" | "remote_address_group_id" => Cell::Remote,
            "description" => Cell::Description,
            _ => Cell::Other,
        }
    }
}

/// The messages for one cell, as the engine wrote them (`30-22`: element `30-22`: …).
pub fn messages_for(problems: &[Problem], cell: Cell) -> Vec<String> {
    problems
        .iter()
        .filter(|p| p.is_error() && Cell::of_field(&p.field) == cell)
        .map(|p| {
            if cell == Cell::Other {
                other_message(p)
            } else if p.value.is_empty() || p.message.contains(&format!("`{}`", p.value)) {
                // The message already quotes the value (`element `30-22`: …`).
                p.message.clone()
            } else {
                format!("`{}` {}", p.value, p.message)
            }
        })
        .collect()
}

fn other_message(p: &Problem) -> String {
    match (p.field.is_empty(), p.value.is_empty()) {
        (true, _) => p.message.clone(),
        (false, true) => format!("{}: {}", p.field, p.message),
        (false, false) => format!("{} `{}`: {}", p.field, p.value, p.message),
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct RuleDraft {
    pub id: String,
    pub direction: Direction,
    pub priority: String,
    /// `allow` or `deny`.
    pub action: String,
    /// `IPv4` or `IPv6`.
    pub ethertype: String,
    /// A `PROTOCOL_CHOICES` value.
    pub protocol: String,
    /// The number when `protocol` is `number`.
    pub protocol_number: String,
    pub port: String,
    pub remote_kind: RemoteKind,
    pub remote: String,
    pub description: String,
    /// The spec the draft started from: fields the editor does not show are kept as they were.
    base: RuleSpec,
}

impl RuleDraft {
    /// A new rule with the console's defaults: priority 1, allow, IPv4, TCP, every port, and
    /// the whole IPv4 Internet as the source (inbound) or destination (outbound).
    pub fn new_rule(id: String, direction: Direction) -> RuleDraft {
        RuleDraft {
            id,
            direction,
            priority: "1".into(),
            action: "allow".into(),
            ethertype: "IPv4".into(),
            protocol: "tcp".into(),
            protocol_number: String::new(),
            port: String::new(),
            remote_kind: RemoteKind::Ip,
            remote: "0.0.0.0/0".into(),
            description: String::new(),
            base: RuleSpec::default(),
        }
    }

    /// The draft of a rule as written in the document.
    pub fn from_spec(spec: &RuleSpec, direction: Direction) -> RuleDraft {
        let text = |v: &Option<Value>| match v {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
        };
        let protocol_text = text(&spec.protocol).trim().to_ascii_lowercase();
        let (protocol, protocol_number) = if protocol_text.is_empty() || protocol_text == "all" || protocol_text == "any" {
            (String::new(), String::new())
        } else if PROTOCOL_CHOICES.iter().any(|(v, _)| *v == protocol_text && *v != "number") {
            (protocol_text, String::new())
        } else {
            ("number".into(), protocol_text)
        };
        let action = match spec.action.as_deref().map(|a| a.trim().to_ascii_lowercase()) {
            Some(a) if a == "deny" || a == "drop" => "deny".into(),
            Some(a) if a == "allow" || a == "accept" || a.is_empty() => "allow".into(),
            Some(a) => a,
            None => "allow".into(),
        };
        let ethertype = match spec.ethertype.as_deref().map(str::trim) {
            Some(e) if e.eq_ignore_ascii_case("ipv6") => "IPv6".into(),
            Some(e) if e.is_empty() || e.eq_ignore_ascii_case("ipv4") => "IPv4".into(),
            Some(e) => e.into(),
            None => "IPv4".into(),
        };
        let nonempty = |o: &Option<String>| o.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
        let (remote_kind, remote) = if let Some(v) = nonempty(&spec.remote_group_id) {
            (RemoteKind::Group, v)
        } else if let Some(v) = nonempty(&spec.remote_address_group_id) {
            (RemoteKind::AddressGroup, v)
        } else {
            (RemoteKind::Ip, nonempty(&spec.remote_ip_prefix).unwrap_or_default())
        };
        RuleDraft {
            id: spec.id.clone().unwrap_or_default(),
            direction,
            priority: text(&spec.priority),
            action,
            ethertype,
            protocol,
            protocol_number,
            port: text(&spec.multiport),
            remote_kind,
            remote,
            description: spec.description.clone().unwrap_or_default(),
            base: spec.clone(),
        }
    }

    /// The rule the draft stands for, in the document's terms. Empty cells are left out, so the
    /// engine applies its defaults (all protocols, all ports, any address).
    pub fn to_spec(&self) -> RuleSpec {
        let trimmed = |s: &str| s.trim().to_string();
        let mut spec = self.base.clone();
        spec.id = Some(self.id.clone()).filter(|s| !s.is_empty());
        spec.direction = Some(match self.direction {
            Direction::Ingress => "ingress".into(),
            Direction::Egress => "egress".into(),
        });
        spec.ethertype = Some(self.ethertype.clone());
        spec.protocol = match self.protocol.as_str() {
            "" => None,
            "number" => Some(Value::String(trimmed(&self.protocol_number))),
            p => Some(Value::String(p.to_string())),
        };
        spec.multiport = Some(trimmed(&self.port)).filter(|p| !p.is_empty()).map(Value::String);
        spec.action = Some(self.action.clone());
        let priority = trimmed(&self.priority);
        spec.priority = if priority.is_empty() {
            None
        } else {
            Some(priority.parse::<i64>().map_or_else(|_| Value::String(priority.clone()), Value::from))
        };
        spec.remote_ip_prefix = None;
        spec.remote_group_id = None;
        spec.remote_address_group_id = None;
        let remote = trimmed(&self.remote);
        if !remote.is_empty() {
            let slot = match self.remote_kind {
                RemoteKind::Ip => &mut spec.remote_ip_prefix,
                RemoteKind::Group => &mut spec.remote_group_id,
                RemoteKind::AddressGroup => &mut spec.remote_address_group_id,
            };
            *slot = Some(remote);
        }
        spec.description = Some(self.description.clone()).filter(|d| !d.is_empty());
        spec
    }

    /// Switches the IP version; "any address" of the old family follows to the new one, as the
    /// console's form does.
    pub fn set_ethertype(&mut self, ethertype: &str) {
        if self.remote_kind == RemoteKind::Ip {
            let any = |e: &str| if e == "IPv6" { "::/0" } else { "0.0.0.0/0" };
            if self.remote.trim() == any(&self.ethertype) {
                self.remote = any(ethertype).into();
            }
        }
        if ethertype == "IPv6" && self.protocol == "icmp" {
            self.protocol = "icmpv6".into();
        } else if ethertype == "IPv4" && self.protocol == "icmpv6" {
            self.protocol = "icmp".into();
        }
        self.ethertype = ethertype.to_string();
    }

    /// A form gap the engine cannot see: "Other (number)" picked but no number typed (the engine
    /// would read the empty protocol as All).
    pub fn incomplete(&self) -> Option<&'static str> {
        (self.protocol == "number" && self.protocol_number.trim().is_empty()).then_some("type an IP protocol number 0-255")
    }
}

/// Splits a rule with comma-separated source addresses into one rule per address, as the
/// console does. The first keeps `spec`'s id; the others get `<id>-2`, `<id>-3`, … skipping
/// ids `taken` says are in use. Call it only on a rule the engine accepted.
pub fn split_sources(spec: &RuleSpec, taken: impl Fn(&str) -> bool) -> Vec<RuleSpec> {
    let parts: Vec<String> = spec
        .remote_ip_prefix
        .as_deref()
        .map(|p| p.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect())
        .unwrap_or_default();
    if parts.len() <= 1 {
        let mut one = spec.clone();
        if let Some(p) = parts.into_iter().next() {
            one.remote_ip_prefix = Some(p);
        }
        return vec![one];
    }
    let base = spec.id.clone().unwrap_or_default();
    let mut used: Vec<String> = Vec::new();
    let mut n = 2;
    parts
        .into_iter()
        .enumerate()
        .map(|(i, prefix)| {
            let id = if i == 0 {
                base.clone()
            } else {
                loop {
                    let candidate = format!("{base}-{n}");
                    n += 1;
                    if candidate != base && !taken(&candidate) && !used.contains(&candidate) {
                        break candidate;
                    }
                }
            };
            used.push(id.clone());
            RuleSpec { id: Some(id).filter(|s| !s.is_empty()), remote_ip_prefix: Some(prefix), ..spec.clone() }
        })
        .collect()
}

/// A readable unused id for a new rule of `group_id`: `<group>-in-4`, `<group>-out-2`.
pub fn fresh_rule_id(group_id: &str, direction: Direction, taken: &[String]) -> String {
    let word = match direction {
        Direction::Ingress => "in",
        Direction::Egress => "out",
    };
    let prefix = format!("{group_id}-{word}-");
    let mut n = taken.iter().filter(|id| id.starts_with(&prefix)).count() + 1;
    loop {
        let id = format!("{prefix}{n}");
        if !taken.contains(&id) {
            return id;
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sgplay_core::scenario::ScenarioSpec;

    fn scenario() -> ScenarioSpec {
        ScenarioSpec::parse(
            r#"{"security_groups":[{"id":"sg-a","rules":[]},{"id":"sg-b"}],
            "address_groups":[{"id":"ipg-1","ip_set":["10.0.0.1"]}]}"#,
        )
        .unwrap()
    }

    #[test]
    fn the_console_defaults_build_one_rule() {
        let draft = RuleDraft::new_rule("sg-a-in-1".into(), Direction::Ingress);
        let rules = scenario().check_rule("sg-a", 0, &draft.to_spec()).unwrap();
        assert_eq!(rules.len(), 1);
        assert_eq!(rules[0].protocol_and_port(), "tcp: all");
        assert_eq!(rules[0].id, "sg-a-in-1");
    }

    #[test]
    fn a_reversed_range_is_shown_at_the_port_cell_with_the_engines_fix() {
        let mut draft = RuleDraft::new_rule("r".into(), Direction::Ingress);
        draft.port = "30-22".into();
        let problems = scenario().check_rule("sg-a", 0, &draft.to_spec()).unwrap_err();
        let at_port = messages_for(&problems, Cell::Port);
        assert_eq!(at_port.len(), 1, "{problems:?}");
        assert!(at_port[0].contains("22-30"), "{at_port:?}");
        assert_eq!(at_port[0].matches("30-22").count(), 1, "the value is quoted once: {at_port:?}");
        assert!(messages_for(&problems, Cell::Priority).is_empty());
    }

    #[test]
    fn problems_land_in_their_cells() {
        let mut draft = RuleDraft::new_rule("r".into(), Direction::Egress);
        draft.priority = "101".into();
        draft.protocol = "icmp".into();
        draft.port = "22".into();
        draft.remote = "10.0.0.1/8".into();
        draft.description = "<b>".into();
        let problems = scenario().check_rule("sg-a", 0, &draft.to_spec()).unwrap_err();
        for cell in [Cell::Priority, Cell::Port, Cell::Remote, Cell::Description] {
            assert!(!messages_for(&problems, cell).is_empty(), "{cell:?}: {problems:?}");
        }
        assert!(messages_for(&problems, Cell::Remote)[0].contains("10.0.0.0/8"));
    }

    #[test]
    fn a_spec_survives_the_round_trip_with_its_unknown_fields() {
        let spec: RuleSpec = serde_json::from_str(
            r#"{"id":"A02","direction":"ingress","ethertype":"IPv4","protocol":"tcp","multiport":"22,25,27",
                "action":"allow","priority":"1","remote_group_id":"sg-b","created_at":"2020"}"#,
        )
        .unwrap();
        let draft = RuleDraft::from_spec(&spec, Direction::Ingress);
        assert_eq!(draft.remote_kind, RemoteKind::Group);
        assert_eq!(draft.port, "22,25,27");
        let back = draft.to_spec();
        assert_eq!(back.other_fields, spec.other_fields);
        assert_eq!(back.priority, Some(Value::from(1)));
        assert_eq!(back.remote_group_id.as_deref(), Some("sg-b"));
        assert_eq!(scenario().check_rule("sg-a", 0, &back).map(|r| r.len()), Ok(1));
    }

    #[test]
    fn protocol_numbers_use_the_number_cell() {
        let spec = RuleSpec { protocol: Some(Value::from(47)), ..Default::default() };
        let draft = RuleDraft::from_spec(&spec, Direction::Ingress);
        assert_eq!((draft.protocol.as_str(), draft.protocol_number.as_str()), ("number", "47"));
        let mut empty = draft.clone();
        empty.protocol_number.clear();
        assert!(empty.incomplete().is_some());
        assert!(draft.incomplete().is_none());
    }

    #[test]
    fn switching_to_ipv6_moves_any_address_and_icmp_along() {
        let mut draft = RuleDraft::new_rule("r".into(), Direction::Ingress);
        draft.protocol = "icmp".into();
        draft.set_ethertype("IPv6");
        assert_eq!((draft.remote.as_str(), draft.protocol.as_str()), ("::/0", "icmpv6"));
        draft.remote = "10.0.0.0/8".into();
        draft.set_ethertype("IPv4");
        assert_eq!(draft.remote, "10.0.0.0/8");
    }

    #[test]
    fn comma_separated_sources_become_one_rule_each() {
        let mut draft = RuleDraft::new_rule("sg-a-in-1".into(), Direction::Ingress);
        draft.remote = "10.0.0.0/24, 10.0.1.0/24,10.0.2.0/24".into();
        let spec = draft.to_spec();
        assert_eq!(scenario().check_rule("sg-a", 0, &spec).map(|r| r.len()), Ok(3));
        let split = split_sources(&spec, |id| id == "sg-a-in-1-2");
        let ids: Vec<_> = split.iter().map(|s| s.id.clone().unwrap()).collect();
        assert_eq!(ids, ["sg-a-in-1", "sg-a-in-1-3", "sg-a-in-1-4"]);
        assert_eq!(split[2].remote_ip_prefix.as_deref(), Some("10.0.2.0/24"));
        assert_eq!(split_sources(&RuleDraft::new_rule("x".into(), Direction::Ingress).to_spec(), |_| false).len(), 1);
    }

    #[test]
    fn fresh_ids_are_readable_and_unused() {
        let taken = vec!["sg-a-in-1".to_string(), "sg-a-in-3".to_string(), "A01".to_string()];
        assert_eq!(fresh_rule_id("sg-a", Direction::Ingress, &taken), "sg-a-in-4");
        assert_eq!(fresh_rule_id("sg-a", Direction::Egress, &taken), "sg-a-out-1");
        assert_eq!(fresh_rule_id("sg-a", Direction::Ingress, &["sg-a-in-2".to_string()]), "sg-a-in-3");
    }
}
