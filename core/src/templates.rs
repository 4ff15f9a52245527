//! The three security group templates of the ECS console (seed "huawei-security-group-defaults",
//! tables 2–4), rule for rule, all at priority 1.

use crate::model::{Action, Direction, Ethertype, PortSet, ProtocolMatch, Remote, Rule, SecurityGroup};
use crate::model::protocol::{ICMP, TCP};
use serde::{Deserialize, Serialize};

/// One row of a template table: id suffix, direction, type, protocol, port, remote, description.
type TemplateRow = (&'static str, Direction, Ethertype, ProtocolMatch, Option<u16>, Remote, &'static str);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Template {
    #[serde(rename = "default")]
    Default,
    #[serde(rename = "Sys-WebServer")]
    WebServer,
    #[serde(rename = "Sys-FullAccess")]
    FullAccess,
}

impl Template {
    pub const ALL: [Template; 3] = [Template::Default, Template::WebServer, Template::FullAccess];

    pub fn name(self) -> &'static str {
        match self {
            Template::Default => "default",
            Template::WebServer => "Sys-WebServer",
            Template::FullAccess => "Sys-FullAccess",
        }
    }

    pub fn parse(text: &str) -> Option<Template> {
        Template::ALL.into_iter().find(|t| t.name().eq_ignore_ascii_case(text.trim()))
    }

    pub fn story(self) -> &'static str {
        match self {
            Template::Default => "members talk to each other; nothing gets in from outside; everything may go out",
            Template::WebServer => "ping, HTTP, HTTPS, SSH and RDP from anywhere; members talk to each other; everything may go out",
            Template::FullAccess => "everything in and out, from and to anywhere",
        }
    }

    /// The template's rules for a group with id `group_id` (self-references point at it).
    pub fn rules(self, group_id: &str) -> Vec<Rule> {
        use Direction::{Egress as Out, Ingress as In};
        use Ethertype::{IPv4 as V4, IPv6 as V6};
        let me = || Remote::Group(group_id.to_string());
        let any = |e: Ethertype| Remote::Prefix(e.any_prefix());
        let all = ProtocolMatch::Any;
        let tcp = |p: u16| (ProtocolMatch::Number(TCP), p);
        let mut rules: Vec<TemplateRow> = Vec::new();
        match self {
            Template::Default => {
                rules.push(("in-ipv4-self", In, V4, all, None, me(), "Allows IPv4 instances in the security group to communicate with each other using any protocol and port."));
                rules.push(("in-ipv6-self", In, V6, all, None, me(), "Allows IPv6 instances in the security group to communicate with each other using any protocol and port."));
            }
            Template::WebServer => {
                rules.push(("in-icmp", In, V4, ProtocolMatch::Number(ICMP), None, any(V4), "Allows the use of the ping command to test the network connectivity over IPv4 protocols."));
                rules.push(("in-ipv4-self", In, V4, all, None, me(), "Allows instances in the security group to communicate with each other over IPv4 protocols."));
                for (id, port, text) in [
                    ("in-https", 443, "Allows all IPv4 addresses to access websites deployed on ECSs over HTTPS."),
                    ("in-http", 80, "Allows all IPv4 addresses to access websites deployed on ECSs over HTTP."),
                    ("in-ssh", 22, "Allows all IPv4 addresses to access Linux ECSs over SSH."),
                    ("in-rdp", 3389, "Allows all IPv4 addresses to access Windows ECSs through the default Windows remote desktop."),
                ] {
                    let (p, n) = tcp(port);
                    rules.push((id, In, V4, p, Some(n), any(V4), text));
                }
                rules.push(("in-ipv6-self", In, V6, all, None, me(), "Allows instances in the security group to communicate with each other over IPv6 protocols."));
            }
            Template::FullAccess => {
                rules.push(("in-ipv4-self", In, V4, all, None, me(), "Allows instances in the security group to communicate with each other over IPv4 protocols."));
                rules.push(("in-ipv6-self", In, V6, all, None, me(), "Allows instances in the security group to communicate with each other over IPv6 protocols."));
                rules.push(("in-ipv4-any", In, V4, all, None, any(V4), "Allows all inbound data packets to pass through over IPv4 protocols."));
                rules.push(("in-ipv6-any", In, V6, all, None, any(V6), "Allows all inbound data packets to pass through over IPv6 protocols."));
            }
        }
        rules.push(("out-ipv4-any", Out, V4, all, None, any(V4), "Allows access from instances in the security group to any IPv4 address over any port."));
        rules.push(("out-ipv6-any", Out, V6, all, None, any(V6), "Allows access from instances in the security group to any IPv6 address over any port."));
        rules
            .into_iter()
            .map(|(id, direction, ethertype, protocol, port, remote, description)| Rule {
                id: format!("{group_id}-{id}"),
                direction,
                ethertype,
                protocol,
                ports: port.map_or_else(PortSet::all, |p| PortSet::from_ranges(vec![crate::model::PortRange { first: p, last: p }])),
                action: Action::Allow,
                priority: 1,
                remote,
                description: description.to_string(),
            })
            .collect()
    }

    pub fn group(self, id: &str, name: &str) -> SecurityGroup {
        SecurityGroup { id: id.to_string(), name: name.to_string(), description: self.story().to_string(), rules: self.rules(id), kind: Default::default() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_counts_match_the_seed_tables() {
        assert_eq!(Template::Default.rules("sg").len(), 4);
        assert_eq!(Template::WebServer.rules("sg").len(), 9);
        assert_eq!(Template::FullAccess.rules("sg").len(), 6);
        assert!(Template::ALL.iter().all(|t| t.rules("sg").iter().all(|r| r.priority == 1 && r.action == Action::Allow)));
    }
}
