//! The packet form's model, apart from any view: which inputs a protocol uses, what the menus
//! offer (instances with their addresses, protocols, TCP flag sets), which menu entry a
//! `ProbeSpec` shows, reading a number cell, and switching protocol without losing what the
//! user typed for another one. Whether the packet makes sense is the engine's business
//! (`ProbeSpec::resolve`); this only moves text in and out of the `ProbeSpec`.

use sgplay_core::model::protocol::{ICMP, ICMPV6, TCP, UDP};
use sgplay_core::model::{parse_protocol, Instance, ProtocolMatch, World};
use sgplay_core::scenario::{Problem, ProbeSpec};

/// The protocols the menu names; anything else is typed as a number.
pub const PROTOCOLS: [&str; 5] = ["tcp", "udp", "icmp", "icmpv6", "gre"];
/// The protocol menu's entry for a protocol typed as a number.
pub const NUMBER: &str = "number";

/// The TCP flag sets the menu offers; anything else is typed in.
pub const FLAG_SETS: [&str; 5] = ["syn", "ack", "syn,ack", "fin,ack", "rst"];
/// The flags menu's entry for flags typed in.
pub const CUSTOM: &str = "custom";

/// The endpoint menu's entry for an address typed in.
pub const ADDRESS: &str = "";

/// Which of the optional inputs a protocol uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Inputs {
    /// Destination (and source) port: tcp and udp.
    pub ports: bool,
    /// ICMP type and code: icmp and icmpv6.
    pub icmp: bool,
    /// TCP flags.
    pub flags: bool,
}

/// The inputs `protocol` uses, by its number (so `6` is tcp). An unreadable protocol uses none
/// (the engine reports it at the protocol field).
pub fn inputs(protocol: &str) -> Inputs {
    match parse_protocol(protocol) {
        Some(ProtocolMatch::Number(n)) => Inputs { ports: matches!(n, TCP | UDP), icmp: matches!(n, ICMP | ICMPV6), flags: n == TCP },
        _ => Inputs::default(),
    }
}

/// The protocol menu's entry for `protocol`: its name, or [`NUMBER`].
pub fn protocol_choice(protocol: &str) -> &'static str {
    let p = protocol.trim().to_ascii_lowercase();
    PROTOCOLS.into_iter().find(|name| *name == p).unwrap_or(NUMBER)
}

/// The flags menu's entry for `flags`: unset means a SYN (a new connection), as the engine reads it.
pub fn flags_choice(flags: Option<&str>) -> &'static str {
    let Some(f) = flags.map(|f| f.trim().to_ascii_lowercase().replace(' ', "")) else { return "syn" };
    if f.is_empty() {
        return "syn";
    }
    FLAG_SETS.into_iter().find(|set| *set == f).unwrap_or(CUSTOM)
}

/// An entry of an endpoint menu or of the address suggestions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// Each instance by name with its addresses: "ECS-A01 · 192.168.0.10 · EIP 203.0.113.5".
pub fn instance_choices(world: &World) -> Vec<Choice> {
    world
        .instances
        .iter()
        .map(|i| {
            let mut parts = vec![i.display_name().to_string()];
            parts.extend(i.private_ips.iter().map(ToString::to_string));
            parts.extend(i.virtual_ips.iter().map(|a| format!("virtual IP {a}")));
            parts.extend(i.eip.iter().map(|a| format!("EIP {a}")));
            Choice { value: i.id.clone(), label: parts.join(" · ") }
        })
        .collect()
}

/// Every address the world knows, to suggest in the address field: the private ones, and the
/// virtual IPs and EIPs (which reach an instance from elsewhere).
pub fn address_choices(world: &World) -> Vec<Choice> {
    world
        .instances
        .iter()
        .flat_map(|i| {
            let name = i.display_name();
            let private = i.private_ips.iter().map(move |a| (a, name.to_string()));
            let virtuals = i.virtual_ips.iter().map(move |a| (a, format!("{name} virtual IP")));
            let eip = i.eip.iter().map(move |a| (a, format!("{name} EIP")));
            private.chain(virtuals).chain(eip).map(|(a, label)| Choice { value: a.to_string(), label })
        })
        .collect()
}

/// The instance an endpoint text names (by id or by name, as the engine reads it).
pub fn named_instance<'w>(world: &'w World, text: &str) -> Option<&'w Instance> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    world.instance(t).or_else(|| world.instances.iter().find(|i| i.name == t))
}

/// The endpoint menu's entry for `text`: the instance's id, or [`ADDRESS`].
pub fn endpoint_choice(world: &World, text: &str) -> String {
    named_instance(world, text).map_or_else(|| ADDRESS.to_string(), |i| i.id.clone())
}

/// Does the address family need choosing? Only when both ends are instances: an address on
/// either side fixes it.
pub fn family_applies(world: &World, probe: &ProbeSpec) -> bool {
    named_instance(world, &probe.from).is_some() && named_instance(world, &probe.to).is_some()
}

/// Reads a number cell: empty is `None`; otherwise a whole number from 0 to `max`. The message
/// names the value and the range (the engine still checks what the number means).
pub fn parse_number(text: &str, what: &str, max: u32) -> Result<Option<u32>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<u32>() {
        Ok(n) if n <= max => Ok(Some(n)),
        _ => Err(format!("`{t}` is not {what}: use a whole number from 0 to {max}")),
    }
}

/// A port cell (`None` when empty).
pub fn parse_port(text: &str) -> Result<Option<u16>, String> {
    parse_number(text, "a port", u32::from(u16::MAX)).map(|n| n.and_then(|n| u16::try_from(n).ok()))
}

/// An ICMP type or code cell.
pub fn parse_icmp(text: &str, what: &str) -> Result<Option<u8>, String> {
    parse_number(text, what, u32::from(u8::MAX)).map(|n| n.and_then(|n| u8::try_from(n).ok()))
}

/// What the form keeps of the protocol-specific inputs while another protocol is picked, so
/// tcp → icmp → tcp brings the port and flags back.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stash {
    pub port: Option<u16>,
    pub src_port: Option<u16>,
    pub flags: Option<String>,
    pub icmp_type: Option<u8>,
    pub icmp_code: Option<u8>,
}

/// `probe` with `protocol`: inputs the new protocol does not use go to `stash`; the ones it
/// uses come back from it when the probe has none.
pub fn switch_protocol(probe: &ProbeSpec, stash: &mut Stash, protocol: &str) -> ProbeSpec {
    let mut next = probe.clone();
    next.protocol = protocol.to_string();
    let uses = inputs(protocol);
    if uses.ports {
        next.port = next.port.or(stash.port.take());
        next.src_port = next.src_port.or(stash.src_port.take());
    } else {
        stash.port = next.port.take().or(stash.port.take());
        stash.src_port = next.src_port.take().or(stash.src_port.take());
    }
    if uses.flags {
        next.flags = next.flags.or(stash.flags.take());
    } else {
        stash.flags = next.flags.take().or(stash.flags.take());
    }
    if uses.icmp {
        next.icmp_type = next.icmp_type.or(stash.icmp_type.take());
        next.icmp_code = next.icmp_code.or(stash.icmp_code.take());
    } else {
        stash.icmp_type = next.icmp_type.take().or(stash.icmp_type.take());
        stash.icmp_code = next.icmp_code.take().or(stash.icmp_code.take());
    }
    next
}

/// The form fields a problem is shown at; `None` for problems no input owns (they go above
/// the Send button).
pub const FIELDS: [&str; 9] = ["from", "to", "protocol", "port", "src_port", "flags", "icmp_type", "icmp_code", "family"];

/// A problem as the field shows it: "`ecs-x` is neither an IP address nor an instance id; …",
/// or the message alone when there is no value.
pub fn problem_text(problem: &Problem) -> String {
    let value = problem.value.trim();
    if value.is_empty() || problem.message.contains(&format!("`{value}`")) {
        problem.message.clone()
    } else if ["is ", "must ", "has ", "applies ", "needs "].iter().any(|verb| problem.message.starts_with(verb)) {
        format!("`{value}` {}", problem.message)
    } else {
        format!("`{value}`: {}", problem.message)
    }
}

/// The problems no input of the form owns.
pub fn unplaced(problems: &[Problem]) -> Vec<&Problem> {
    problems.iter().filter(|p| !FIELDS.contains(&p.field.as_str())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use sgplay_core::scenario::ScenarioSpec;

    fn world() -> World {
        ScenarioSpec::parse(
            r#"{"security_groups":[{"id":"sg","rules":[]}],"instances":[
                {"id":"ecs-a","name":"ECS-A","ip":"10.0.0.1","eip":"203.0.113.5","security_groups":["sg"]},
                {"id":"ecs-b","ip":"10.0.0.2","security_groups":["sg"]}]}"#,
        )
        .unwrap()
        .build()
        .unwrap()
        .world
    }

    fn tcp_probe() -> ProbeSpec {
        ProbeSpec { from: "ecs-a".into(), to: "10.0.0.2".into(), protocol: "tcp".into(), port: Some(22), flags: Some("ack".into()), ..Default::default() }
    }

    #[test]
    fn each_protocol_uses_its_own_inputs() {
        assert_eq!(inputs("tcp"), Inputs { ports: true, icmp: false, flags: true });
        assert_eq!(inputs("6"), Inputs { ports: true, icmp: false, flags: true });
        assert_eq!(inputs("UDP"), Inputs { ports: true, icmp: false, flags: false });
        assert_eq!(inputs("icmpv6"), Inputs { ports: false, icmp: true, flags: false });
        assert_eq!(inputs("gre"), Inputs::default());
        assert_eq!(inputs("bogus"), Inputs::default());
        assert_eq!(inputs(""), Inputs::default());
    }

    #[test]
    fn menus_show_the_probe() {
        assert_eq!(protocol_choice("TCP"), "tcp");
        assert_eq!(protocol_choice("50"), NUMBER);
        assert_eq!(flags_choice(None), "syn");
        assert_eq!(flags_choice(Some("syn, ack")), "syn,ack");
        assert_eq!(flags_choice(Some("rst,ack")), CUSTOM);
        assert_eq!(endpoint_choice(&world(), "ECS-A"), "ecs-a");
        assert_eq!(endpoint_choice(&world(), " ecs-b "), "ecs-b");
        assert_eq!(endpoint_choice(&world(), "10.0.0.2"), ADDRESS);
        assert_eq!(endpoint_choice(&world(), ""), ADDRESS);
    }

    #[test]
    fn instances_are_listed_by_name_with_their_addresses() {
        let choices = instance_choices(&world());
        assert_eq!(choices[0], Choice { value: "ecs-a".into(), label: "ECS-A · 10.0.0.1 · EIP 203.0.113.5".into() });
        assert_eq!(choices[1].label, "ecs-b · 10.0.0.2");
        let addresses: Vec<String> = address_choices(&world()).into_iter().map(|c| format!("{} {}", c.value, c.label)).collect();
        assert_eq!(addresses, ["10.0.0.1 ECS-A", "203.0.113.5 ECS-A EIP", "10.0.0.2 ecs-b"]);
    }

    #[test]
    fn the_family_matters_only_between_two_instances() {
        assert!(!family_applies(&world(), &tcp_probe()));
        assert!(family_applies(&world(), &ProbeSpec { to: "ecs-b".into(), ..tcp_probe() }));
    }

    #[test]
    fn number_cells() {
        assert_eq!(parse_port(""), Ok(None));
        assert_eq!(parse_port(" 443 "), Ok(Some(443)));
        assert_eq!(parse_port("0"), Ok(Some(0)), "the engine says why 0 is wrong");
        assert_eq!(parse_port("70000"), Err("`70000` is not a port: use a whole number from 0 to 65535".into()));
        assert_eq!(parse_port("ssh"), Err("`ssh` is not a port: use a whole number from 0 to 65535".into()));
        assert_eq!(parse_icmp("300", "an ICMP type"), Err("`300` is not an ICMP type: use a whole number from 0 to 255".into()));
        assert_eq!(parse_icmp("3", "an ICMP type"), Ok(Some(3)));
    }

    #[test]
    fn switching_protocol_keeps_what_the_other_protocol_had() {
        let mut stash = Stash::default();
        let icmp = switch_protocol(&tcp_probe(), &mut stash, "icmp");
        assert_eq!((icmp.port, icmp.flags.as_deref()), (None, None));
        let icmp = ProbeSpec { icmp_type: Some(3), ..icmp };
        let tcp = switch_protocol(&icmp, &mut stash, "tcp");
        assert_eq!(tcp, tcp_probe());
        let udp = switch_protocol(&tcp, &mut stash, "udp");
        assert_eq!((udp.port, udp.flags.as_deref(), udp.icmp_type), (Some(22), None, None));
        let back = switch_protocol(&udp, &mut stash, "icmp");
        assert_eq!(back.icmp_type, Some(3));
    }

    #[test]
    fn problems_read_at_their_field() {
        let p = |field: &str, value: &str, message: &str| Problem::error(field, "packet", field, value, message.to_string());
        assert_eq!(problem_text(&p("to", "ecs-x", "is neither an IP address nor an instance id")), "`ecs-x` is neither an IP address nor an instance id");
        assert_eq!(problem_text(&p("port", "", "tcp needs a destination port 1-65535")), "tcp needs a destination port 1-65535");
        assert_eq!(problem_text(&p("flags", "xyz", "`xyz` is not a TCP flag")), "`xyz` is not a TCP flag");
        assert_eq!(problem_text(&p("flags", "xyz", "TCP flags apply to tcp packets only")), "`xyz`: TCP flags apply to tcp packets only");
        let all = [p("to", "x", "is bad"), p("weird", "", "odd")];
        assert_eq!(unplaced(&all).len(), 1);
    }
}
