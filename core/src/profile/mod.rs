//! # Cloud profiles: whose security groups the world models
//!
//! sgplay reproduces two clouds' security groups. They share the rule (direction, family,
//! protocol, ports, remote, action, priority 1–100, deny before allow at equal priority) and
//! differ in three places, each supplied here and nowhere else:
//!
//! 1. **Order.** Huawei consults an instance's groups in sequence, the first group with a
//!    matching rule decides (SEMANTICS §3). Alibaba aggregates the rules of all of an ENI's
//!    groups and sorts them together by priority, then Drop before Accept (§9): there is no
//!    group-sequence step. [`CloudProfile::key`] is that difference as the leading field of
//!    [`crate::eval::OrderKey`]; [`crate::eval::order`] stays the one function that sorts.
//! 2. **Defaults.** Alibaba's groups carry implicit rules (a basic group lets its members in and
//!    everything out; an enterprise group nothing). They are materialised as real rules of the
//!    group by [`alibaba::implicit_rules`] at the lowest priority of all, so every consumer of
//!    the order (tracer, reference `decide`, compiled matcher, analyses) sees them without code
//!    of its own, and the source map names them as the engine's.
//! 3. **Words.** The explain layer says Accept/Drop, `PortRange 22/22`, authorization object;
//!    a front end's own labels (headers, badges, choices) come from `words.rs`, methods of
//!    [`CloudProfile`] such as [`CloudProfile::action_word`].
//!
//! `CloudProfile` is not [`crate::conntrack::timeouts::Profile`]: that one chooses connection
//! timeouts (Huawei's seed, Alibaba's 910 s, Linux defaults) and is picked per simulation; the
//! cloud profile is part of the world, because it changes what the rules mean.

pub mod alibaba;
mod words;

use serde::{Deserialize, Serialize};
use std::fmt;

/// Whose semantics a world follows. Part of the world: the same rules mean different things.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CloudProfile {
    /// Huawei Cloud (SEMANTICS §1–8): groups in sequence.
    #[default]
    Huawei,
    /// Alibaba Cloud ECS (SEMANTICS §9): all groups' rules aggregated and sorted together.
    Alibaba,
}

impl CloudProfile {
    pub const ALL: [CloudProfile; 2] = [CloudProfile::Huawei, CloudProfile::Alibaba];

    pub fn name(self) -> &'static str {
        match self {
            CloudProfile::Huawei => "huawei",
            CloudProfile::Alibaba => "alibaba",
        }
    }

    /// "Huawei Cloud", "Alibaba Cloud".
    pub fn label(self) -> &'static str {
        match self {
            CloudProfile::Huawei => "Huawei Cloud",
            CloudProfile::Alibaba => "Alibaba Cloud",
        }
    }

    /// `huawei` or `alibaba`, case-insensitive.
    pub fn parse(text: &str) -> Result<CloudProfile, String> {
        let t = text.trim();
        CloudProfile::ALL
            .into_iter()
            .find(|p| p.name().eq_ignore_ascii_case(t))
            .ok_or_else(|| format!("`{t}` is not a cloud profile; use `huawei` (the default) or `alibaba`"))
    }

    pub fn is_huawei(&self) -> bool {
        *self == CloudProfile::Huawei
    }

    /// Are groups consulted one after another (a group-sequence step)?
    pub fn sequences_groups(self) -> bool {
        self == CloudProfile::Huawei
    }

    /// The leading field of a rule's order key: the group's sequence under Huawei (an earlier
    /// group always comes first), 0 under Alibaba (every group's rules compete on priority).
    pub fn stage(self, sequence: usize) -> usize {
        match self {
            CloudProfile::Huawei => sequence,
            CloudProfile::Alibaba => 0,
        }
    }

    /// The connection timeouts a simulation of this cloud uses unless told otherwise.
    pub fn timeouts(self) -> crate::conntrack::timeouts::Profile {
        match self {
            CloudProfile::Huawei => crate::conntrack::timeouts::Profile::Huawei,
            CloudProfile::Alibaba => crate::conntrack::timeouts::Profile::Alibaba,
        }
    }
}

impl fmt::Display for CloudProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for CloudProfile {
    type Err = String;
    fn from_str(s: &str) -> Result<CloudProfile, String> {
        CloudProfile::parse(s)
    }
}

/// An Alibaba security group's type (`SecurityGroupType`). Huawei groups are all `Basic` with
/// the default policy, which means nothing there: Huawei has no implicit rules.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupKind {
    /// `normal`: implicit rules let members of the group in (unless `inner_access_policy` is
    /// `Drop`) and everything out.
    #[default]
    Basic,
    /// A basic group whose members are isolated from each other (`InnerAccessPolicy: Drop`).
    BasicIsolated,
    /// `enterprise` (advanced): no implicit rule; inbound and outbound denied by default, members
    /// isolated; its rules cannot name security groups.
    Enterprise,
}

impl GroupKind {
    pub fn is_enterprise(self) -> bool {
        self == GroupKind::Enterprise
    }

    /// `basic` or `enterprise`, the scenario's `type`.
    pub fn type_name(self) -> &'static str {
        match self {
            GroupKind::Basic | GroupKind::BasicIsolated => "basic",
            GroupKind::Enterprise => "enterprise",
        }
    }

    pub fn is_default(&self) -> bool {
        *self == GroupKind::Basic
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_serde() {
        assert_eq!(CloudProfile::parse(" Alibaba "), Ok(CloudProfile::Alibaba));
        assert!(CloudProfile::parse("aws").unwrap_err().contains("`aws`"));
        assert_eq!(serde_json::to_string(&CloudProfile::Alibaba).unwrap(), "\"alibaba\"");
        assert_eq!(CloudProfile::default(), CloudProfile::Huawei);
    }

    #[test]
    fn only_huawei_has_a_group_sequence_step() {
        assert_eq!(CloudProfile::Huawei.stage(3), 3);
        assert_eq!(CloudProfile::Alibaba.stage(3), 0);
    }
}
