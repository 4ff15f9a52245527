//! The instance form's draft (name, addresses, virtual IPs, EIP, subnet) and the group
//! sequence moves. The engine validates: a draft is checked by building a scratch copy of the
//! document with it, and the problems under the instance's path are put at their fields. Pure.

use crate::components::groups::paths::{below, head, sentence};
use sgplay_core::scenario::{InstanceSpec, Problem};
use sgplay_core::ScenarioSpec;
use std::net::Ipv4Addr;

/// The form's fields, each with the problems it shows (`Problem::field`'s first name).
pub const FIELDS: [&str; 7] = ["id", "name", "ip", "ipv6", "virtual_ips", "eip", "subnet_id"];

#[derive(Clone, Debug, Default, PartialEq)]
pub struct InstanceDraft {
    pub id: String,
    pub name: String,
    pub ip: String,
    pub ipv6: String,
    /// Comma- or space-separated.
    pub virtual_ips: String,
    pub eip: String,
    /// Empty: no subnet.
    pub subnet_id: String,
    /// Only used when creating: group ids in sequence (empty means the `default` group).
    pub groups: Vec<String>,
}

fn opt(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_string())
}

impl InstanceDraft {
    pub fn from_spec(spec: &InstanceSpec) -> InstanceDraft {
        InstanceDraft {
            id: spec.id.clone(),
            name: spec.name.clone(),
            ip: spec.ip.clone().unwrap_or_default(),
            ipv6: spec.ipv6.clone().unwrap_or_default(),
            virtual_ips: spec.virtual_ips.join(", "),
            eip: spec.eip.clone().unwrap_or_default(),
            subnet_id: spec.subnet_id.clone().unwrap_or_default(),
            groups: spec.security_groups.clone(),
        }
    }

    /// Writes the form's fields into `spec`; what the form does not show (kind, groups of an
    /// existing instance) is kept.
    pub fn apply(&self, spec: &mut InstanceSpec) {
        spec.name = self.name.trim().to_string();
        spec.ip = opt(&self.ip);
        spec.ipv6 = opt(&self.ipv6);
        spec.virtual_ips = split_list(&self.virtual_ips);
        spec.eip = opt(&self.eip);
        spec.subnet_id = opt(&self.subnet_id);
    }

    /// A new instance's spec.
    pub fn to_new_spec(&self) -> InstanceSpec {
        let mut spec = InstanceSpec { id: self.id.trim().to_string(), security_groups: self.groups.clone(), ..Default::default() };
        self.apply(&mut spec);
        spec
    }
}

/// `10.0.0.5, 10.0.0.6 10.0.0.7` → three entries.
pub fn split_list(text: &str) -> Vec<String> {
    text.split([',', ' ', '\n']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// Where a draft goes: replacing instance `index`, or appended (`None`).
pub fn with_draft(doc: &ScenarioSpec, index: Option<usize>, draft: &InstanceDraft) -> (ScenarioSpec, usize) {
    let mut scratch = doc.clone();
    match index.and_then(|i| scratch.instances.get_mut(i).map(|s| (i, s))) {
        Some((i, spec)) => {
            draft.apply(spec);
            (scratch, i)
        }
        None => {
            scratch.instances.push(draft.to_new_spec());
            let i = scratch.instances.len() - 1;
            (scratch, i)
        }
    }
}

/// The engine's errors for a draft: those at the instance's fields, by field, and the rest
/// (another instance's address clash, a sequence that names this instance) as sentences.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DraftProblems {
    pub at: Vec<(String, String)>,
    pub elsewhere: Vec<String>,
}

impl DraftProblems {
    pub fn from_problems(problems: &[Problem], index: usize) -> DraftProblems {
        let prefix = format!("instances[{index}]");
        let mut out = DraftProblems::default();
        for p in problems.iter().filter(|p| p.is_error()) {
            match below(&p.path, &prefix) {
                Some(rest) => {
                    let field = if rest.is_empty() { p.field.as_str() } else { head(rest) };
                    let field = if FIELDS.contains(&field) { field } else { "other" };
                    let text = if p.value.is_empty() { p.message.clone() } else { format!("`{}` {}", p.value, p.message) };
                    out.at.push((field.to_string(), text));
                }
                None => out.elsewhere.push(sentence(p)),
            }
        }
        out
    }

    pub fn field(&self, field: &str) -> Vec<String> {
        self.at.iter().filter(|(f, _)| f == field).map(|(_, m)| m.clone()).collect()
    }

    pub fn is_empty(&self) -> bool {
        self.at.is_empty() && self.elsewhere.is_empty()
    }
}

/// Builds the scratch document and sorts its errors; also checks the id of a new instance is
/// free (the engine reports a duplicate on the later one, which is the new one).
pub fn check(doc: &ScenarioSpec, index: Option<usize>, draft: &InstanceDraft) -> DraftProblems {
    let (scratch, i) = with_draft(doc, index, draft);
    // Only errors count here: the advice is not worth its time on every keystroke.
    match scratch.build_without_advice() {
        Ok(_) => DraftProblems::default(),
        Err(problems) => DraftProblems::from_problems(&problems, i),
    }
}

/// The list with the item at `from` moved to `to` (both clamped).
pub fn move_item<T>(list: &mut Vec<T>, from: usize, to: usize) {
    if from >= list.len() {
        return;
    }
    let item = list.remove(from);
    let to = to.min(list.len());
    list.insert(to, item);
}

/// A new instance: `ecs-5` named `ECS-5`, in the first subnet, at its first free address.
pub fn new_instance(doc: &ScenarioSpec) -> InstanceDraft {
    let taken: Vec<&str> = doc
        .instances
        .iter()
        .map(|i| i.id.as_str())
        .chain(doc.security_groups.iter().map(|g| g.id.as_str()))
        .chain(doc.address_groups.iter().map(|g| g.id.as_str()))
        .collect();
    let n = (doc.instances.len() + 1..).find(|n| !taken.contains(&format!("ecs-{n}").as_str())).unwrap_or(1);
    let subnet = doc.vpcs.iter().flat_map(|v| v.subnets.iter()).next();
    let used: Vec<Ipv4Addr> = doc
        .instances
        .iter()
        .flat_map(|i| i.ip.iter().chain(i.virtual_ips.iter()).chain(i.eip.iter()))
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    let ip = subnet.and_then(|s| free_address(&s.cidr, &used)).or_else(|| free_address("192.168.0.0/24", &used));
    InstanceDraft {
        id: format!("ecs-{n}"),
        name: format!("ECS-{n}"),
        ip: ip.map(|a| a.to_string()).unwrap_or_default(),
        subnet_id: subnet.map(|s| s.id.clone()).unwrap_or_default(),
        ..Default::default()
    }
}

/// The first address of an IPv4 block from `.10` on that nobody uses (a suggestion only).
fn free_address(cidr: &str, used: &[Ipv4Addr]) -> Option<Ipv4Addr> {
    let (base, len) = cidr.trim().split_once('/')?;
    let base: Ipv4Addr = base.parse().ok()?;
    let len: u32 = len.parse().ok()?;
    if len > 30 {
        return None;
    }
    let size = 1u64 << (32 - len);
    let start = u32::from(base) as u64;
    (10..size - 1).map(|k| Ipv4Addr::from((start + k) as u32)).find(|a| !used.contains(a))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gallery;

    fn sg_ab() -> ScenarioSpec {
        gallery::load(gallery::DEFAULT_SLUG).unwrap()
    }

    #[test]
    fn a_new_instance_suggests_a_free_address_and_validates() {
        let doc = sg_ab();
        let draft = new_instance(&doc);
        assert_eq!((draft.id.as_str(), draft.name.as_str()), ("ecs-5", "ECS-5"));
        assert_eq!(draft.subnet_id, "subnet-a");
        assert_eq!(draft.ip, "192.168.0.12");
        assert!(check(&doc, None, &draft).is_empty(), "{:?}", check(&doc, None, &draft));
        let (scratch, i) = with_draft(&doc, None, &draft);
        assert_eq!(i, 4);
        let world = scratch.build().unwrap().world;
        assert_eq!(world.instances[4].security_groups, ["default"], "no group means the default group");
    }

    #[test]
    fn bad_addresses_are_reported_at_their_fields() {
        let doc = sg_ab();
        let mut draft = InstanceDraft::from_spec(&doc.instances[0]);
        draft.ip = "192.168.0.x".into();
        draft.virtual_ips = "192.168.0.50, nope".into();
        draft.eip = "192.168.1.10".into();
        let p = check(&doc, Some(0), &draft);
        assert!(p.field("ip")[0].contains("not an IP address"), "{p:?}");
        assert!(p.field("virtual_ips")[0].contains("`nope`"), "{p:?}");
        // ECS-B01 holds 192.168.1.10: the engine reports the clash on the later instance.
        assert!(p.elsewhere.iter().any(|m| m.contains("already used")), "{p:?}");
    }

    #[test]
    fn an_address_outside_the_subnet_is_the_engines_message() {
        let doc = sg_ab();
        let mut draft = InstanceDraft::from_spec(&doc.instances[0]);
        draft.ip = "10.0.0.1".into();
        assert!(check(&doc, Some(0), &draft).field("ip")[0].contains("outside subnet"));
        draft.ip = "192.168.0.10".into();
        draft.subnet_id = "subnet-z".into();
        assert!(!check(&doc, Some(0), &draft).field("subnet_id").is_empty());
    }

    #[test]
    fn a_duplicate_id_is_refused() {
        let doc = sg_ab();
        let mut draft = new_instance(&doc);
        draft.id = "ecs-a01".into();
        assert!(!check(&doc, None, &draft).field("id").is_empty());
    }

    #[test]
    fn drafts_keep_what_the_form_does_not_show() {
        let doc = sg_ab();
        let mut spec = doc.instances[0].clone();
        spec.kind = Some("ecs".into());
        let mut draft = InstanceDraft::from_spec(&spec);
        draft.virtual_ips = "192.168.0.100 192.168.0.101".into();
        draft.apply(&mut spec);
        assert_eq!(spec.virtual_ips, ["192.168.0.100", "192.168.0.101"]);
        assert_eq!(spec.kind.as_deref(), Some("ecs"));
        assert_eq!(spec.security_groups, ["sg-a"]);
    }

    #[test]
    fn moves() {
        let mut v = vec!["a", "b", "c"];
        move_item(&mut v, 2, 1);
        assert_eq!(v, ["a", "c", "b"]);
        move_item(&mut v, 0, 9);
        assert_eq!(v, ["c", "b", "a"]);
        move_item(&mut v, 7, 0);
        assert_eq!(v, ["c", "b", "a"]);
    }
}
