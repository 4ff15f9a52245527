//! From the packet form's text to an evaluation. Plain functions over `sgplay-core` types, so
//! they are tested natively; the components only call [`evaluate`].

use reactive_stores::Store;
use sgplay_core::eval::{self, Step, StepKind, Verdict};
use sgplay_core::model::World;
use sgplay_core::spec::{Problem, ProbeSpec};

/// The protocols the form offers, in menu order.
pub const PROTOCOLS: [&str; 5] = ["tcp", "udp", "icmp", "icmpv6", "gre"];

/// What the user typed: a source and destination (instance id or IP address), a protocol and,
/// for TCP and UDP, a destination port. A `Store`, so each input binds to its own field.
#[derive(Clone, Debug, Default, PartialEq, Eq, Store)]
pub struct ProbeForm {
    pub from: String,
    pub to: String,
    pub protocol: String,
    pub port: String,
}

impl ProbeForm {
    /// The probe the engine resolves. A port is read only for protocols that have ports.
    pub fn to_spec(&self) -> Result<ProbeSpec, String> {
        // The engine would reject a port on a protocol without ports: drop it, the field is
        // disabled then anyway.
        let port = if uses_ports(&self.protocol) { parse_port(&self.port)? } else { None };
        Ok(ProbeSpec {
            from: self.from.trim().to_string(),
            to: self.to.trim().to_string(),
            protocol: self.protocol.trim().to_string(),
            port,
            ..Default::default()
        })
    }

    /// The form showing `spec` (a scenario's check, say).
    pub fn from_spec(spec: &ProbeSpec) -> ProbeForm {
        ProbeForm {
            from: spec.from.clone(),
            to: spec.to.clone(),
            protocol: spec.protocol.clone(),
            port: spec.port.map(|p| p.to_string()).unwrap_or_default(),
        }
    }
}

/// Does `protocol` carry a destination port (the port field is shown only then)?
pub fn uses_ports(protocol: &str) -> bool {
    matches!(protocol.trim(), "tcp" | "udp")
}

fn parse_port(text: &str) -> Result<Option<u16>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<u16>() {
        Ok(port) if port > 0 => Ok(Some(port)),
        _ => Err(format!("port `{text}` is not a number from 1 to 65535")),
    }
}

/// The engine's answer for one probe: the verdict and every step that led to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub verdict: Verdict,
    pub steps: Vec<Step>,
}

impl Outcome {
    /// The step that sums the outcome up: the side that stopped a denied packet, or the last
    /// side that let an allowed one through; the verdict sentence when no side decided.
    pub fn headline(&self) -> Option<&Step> {
        let mut decisions = self.steps.iter().filter(|s| s.kind == StepKind::Decision);
        let decisive = match self.verdict {
            Verdict::Deny => decisions.find(|s| s.passed == Some(false)),
            Verdict::Allow => decisions.next_back(),
        };
        decisive.or(self.steps.last())
    }
}

/// Resolves the form against `world` and evaluates the packet. `Err` holds one message per
/// problem for the user (an unknown instance, a malformed address, a missing port).
pub fn evaluate(world: &World, form: &ProbeForm) -> Result<Outcome, Vec<String>> {
    let spec = form.to_spec().map_err(|message| vec![message])?;
    let packet = spec.resolve(world).map_err(|problems| problems.iter().map(problem_message).collect::<Vec<_>>())?;
    let evaluation = eval::evaluate(world, &packet);
    Ok(Outcome { verdict: evaluation.verdict, steps: eval::steps(&evaluation) })
}

/// "to `ecs-x`: is neither an IP address nor an instance id; …": the form field first.
fn problem_message(problem: &Problem) -> String {
    match problem.value.as_str() {
        "" => format!("{}: {}", problem.field, problem.message),
        value => format!("{} `{value}`: {}", problem.field, problem.message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(protocol: &str, port: &str) -> ProbeForm {
        ProbeForm { from: " ecs-a ".into(), to: "10.0.0.1".into(), protocol: protocol.into(), port: port.into() }
    }

    #[test]
    fn tcp_reads_the_port_and_trims_the_places() {
        let spec = form("tcp", " 443 ").to_spec().unwrap();
        assert_eq!((spec.from.as_str(), spec.to.as_str(), spec.port), ("ecs-a", "10.0.0.1", Some(443)));
    }

    #[test]
    fn an_empty_port_is_no_port() {
        assert_eq!(form("udp", "").to_spec().unwrap().port, None);
    }

    #[test]
    fn icmp_ignores_the_port_field() {
        assert_eq!(form("icmp", "not a port").to_spec().unwrap().port, None);
    }

    #[test]
    fn a_bad_port_says_which_and_why() {
        for bad in ["0", "65536", "ssh", "-1"] {
            let message = form("tcp", bad).to_spec().unwrap_err();
            assert_eq!(message, format!("port `{bad}` is not a number from 1 to 65535"));
        }
    }

    #[test]
    fn a_check_fills_the_form_and_round_trips() {
        let spec = form("tcp", "22").to_spec().unwrap();
        assert_eq!(ProbeForm::from_spec(&spec).to_spec().unwrap(), spec);
    }

    #[test]
    fn an_unknown_instance_is_a_message_naming_the_field() {
        let messages = evaluate(&World::default(), &form("tcp", "22")).unwrap_err();
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(messages[0].starts_with("from `ecs-a`: "), "{messages:?}");
    }

    #[test]
    fn a_missing_port_is_reported_by_the_engine() {
        let world = World::default();
        let messages = evaluate(&world, &ProbeForm { from: "10.0.0.1".into(), ..form("tcp", "") }).unwrap_err();
        assert!(messages.iter().any(|m| m.starts_with("port: ")), "{messages:?}");
    }
}
