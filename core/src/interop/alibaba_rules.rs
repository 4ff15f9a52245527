//! # Alibaba's rule shape, shared by its API and its Terraform provider
//!
//! Alibaba writes a rule the same way wherever it is written down: one port range
//! (`PortRange` / `port_range`, `22/22`, `1/200`, `-1/-1`), one authorization object (a CIDR
//! block, an IPv6 block or a security group) and Accept or Drop. A scenario's rule is richer:
//! a port *set* (`22-24,25`), an IP address group, a group named for IPv6. Both Alibaba formats
//! (`alibaba_api`, the JSON of `DescribeSecurityGroupAttribute`, and the `alicloud` Terraform
//! resources) write the validated world through [`permissions`], so they split rules and leave
//! things out in the same way, and say the same about what they left out ([`left_out`]); both
//! read a port range back through [`multiport`].

use super::left_out::{beyond_groups, note};
use crate::diagnostic::Problem;
use crate::model::{Remote, Rule, SecurityGroup, World};
use crate::profile::{alibaba, CloudProfile};
use crate::scenario::ScenarioSpec;

/// What a permission authorizes: an address block, or the members of a security group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Authorization {
    /// `0.0.0.0/0` or `::/0` for "any address" (the form Alibaba writes).
    Cidr(String),
    Group(String),
}

/// One Alibaba rule: a written rule of the world, or one port range of it.
pub(crate) struct Permission<'w> {
    pub rule: &'w Rule,
    /// The rule's id, or `<id>-1`, `<id>-2`, … when its ports are several ranges.
    pub id: String,
    /// `22/22`, `1/200`; `-1/-1` for a protocol without ports.
    pub port_range: String,
    pub object: Authorization,
}

/// The written rules of the `g`-th group as Alibaba rules, one per port range; a rule Alibaba
/// cannot write (it names an IP address group, or a group for IPv6) is left out with a note.
pub(crate) fn permissions<'w>(g: usize, group: &'w SecurityGroup, left_out: &mut Vec<Problem>) -> Vec<Permission<'w>> {
    let mut out = Vec::new();
    for (r, rule) in alibaba::written_rules(group).enumerate() {
        let object = || format!("rule `{}` of security group `{}`", rule.id, group.id);
        let path = format!("security_groups[{g}].rules[{r}]");
        let authorization = match &rule.remote {
            Remote::Any => Authorization::Cidr(rule.ethertype.any_prefix().to_string()),
            Remote::Prefix(net) => Authorization::Cidr(net.to_string()),
            Remote::Group(id) if rule.ethertype == crate::model::Ethertype::IPv6 => {
                let message = format!("names security group `{id}` for IPv6; an Alibaba group authorization has no family and is read back as IPv4; not exported");
                left_out.push(note(&path, &object(), &message));
                continue;
            }
            Remote::Group(id) => Authorization::Group(id.clone()),
            Remote::AddressGroup(id) => {
                let message = format!("names IP address group `{id}`, which Alibaba's rules cannot; not exported");
                left_out.push(note(&path, &object(), &message));
                continue;
            }
        };
        // One Alibaba rule per port range: `22-24,25` becomes `22/24` and `25/25`.
        let ranges = alibaba::port_ranges(rule.protocol, &rule.ports);
        let many = ranges.len() > 1;
        for (k, port_range) in ranges.into_iter().enumerate() {
            let id = if many { format!("{}-{}", rule.id, k + 1) } else { rule.id.clone() };
            out.push(Permission { rule, id, port_range, object: authorization.clone() });
        }
    }
    out
}

/// What an Alibaba format cannot carry of the scenario as a whole: `instances_are` says where
/// the cloud keeps instances instead.
pub(crate) fn left_out(spec: &ScenarioSpec, world: &World, instances_are: &str) -> Vec<Problem> {
    let mut out = Vec::new();
    if world.profile != CloudProfile::Alibaba {
        out.push(note("profile", "scenario file", "follows the Huawei profile: its rules are written in Alibaba's format, but Alibaba sorts all groups' rules together and adds default rules, so verdicts may differ (`--report` says which)"));
    }
    if !world.address_groups.is_empty() {
        out.push(note(
            "address_groups",
            "IP address groups",
            "have no equivalent in Alibaba's security group rules (prefix lists are another object); not exported",
        ));
    }
    out.extend(beyond_groups(spec, instances_are));
    out
}

/// A `PortRange` as the scenario's `multiport`: `22/22` is `22`, `1/200` is `1-200`; `-1/-1`,
/// `1/65535` and nothing are all ports (`None`). Anything else is kept as written, for the
/// scenario's validation to name.
pub(crate) fn multiport(port_range: &str) -> Option<String> {
    match port_range.trim() {
        "" | "-1/-1" | "1/65535" => None,
        range => match range.split_once('/') {
            Some((a, b)) if a.trim() == b.trim() => Some(a.trim().to_string()),
            Some((a, b)) => Some(format!("{}-{}", a.trim(), b.trim())),
            None => Some(range.to_string()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_ranges_read_back_as_multiport() {
        assert_eq!(multiport("22/22").as_deref(), Some("22"));
        assert_eq!(multiport(" 1/200 ").as_deref(), Some("1-200"));
        assert_eq!(multiport("-1/-1"), None);
        assert_eq!(multiport("1/65535"), None);
        assert_eq!(multiport("80").as_deref(), Some("80"));
    }
}
