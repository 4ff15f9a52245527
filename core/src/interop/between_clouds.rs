//! # Between clouds: what a Huawei scenario's verdicts become on Alibaba
//!
//! Exporting a Huawei scenario in Alibaba's formats writes its rules faithfully, one Alibaba
//! rule per port range. The rules are the same; what they decide may not be. The two clouds
//! order and complete rules differently (SEMANTICS §9):
//!
//! - **order**: Huawei looks at an instance's groups in sequence, the first group with a match
//!   decides; Alibaba sorts the rules of all the instance's groups together by priority, Drop
//!   before Accept, so a Drop in the second group can beat an Accept in the first;
//! - **default rules**: an Alibaba basic group lets its members in and everything out below
//!   every written rule; a Huawei group holds only the rules written (its `default` template's
//!   rules are written rules, and exported as such);
//! - **what does not translate**: rules naming IP address groups (Alibaba has none), IPv6 rules
//!   naming a group: left out of the translation, so what they decided changes too.
//!
//! [`huawei_to_alibaba`] translates the scenario as the export does (the `alibaba-api` writer
//! and reader, so the translation is exactly what a user would paste into Alibaba), keeps its
//! instances and network, and lets the exact what-if diff ([`crate::analysis::diff`]) find
//! every region of packets whose verdict differs: the Huawei world as version A, its Alibaba
//! translation as version B. No difference found means none exists (the diff is a proof),
//! unless the diff reports work it skipped.

use crate::analysis::diff::{diff, WorldDiff};
use crate::diagnostic::Problem;
use crate::profile::CloudProfile;
use crate::scenario::ScenarioSpec;

/// A Huawei scenario, its Alibaba translation, and every verdict that differs between them.
#[derive(Clone, Debug)]
pub struct BetweenClouds {
    /// The scenario as Alibaba would hold it: the translated groups, the same instances and
    /// network, `"profile": "alibaba"`, no address groups, checks or sequences.
    pub alibaba: ScenarioSpec,
    /// What the translation could not carry (said as `export` says it).
    pub left_out: Vec<Problem>,
    /// Version A: the Huawei world; version B: its Alibaba translation.
    pub diff: WorldDiff,
}

/// Translates a Huawei-profile scenario to Alibaba and diffs their verdicts. `Err`: the
/// scenario has errors, follows Alibaba already, or its translation does not validate.
pub fn huawei_to_alibaba(spec: &ScenarioSpec) -> Result<BetweenClouds, Vec<Problem>> {
    let huawei = spec.build()?;
    if huawei.world.profile != CloudProfile::Huawei {
        let message = "already follows the Alibaba profile; the comparison translates a Huawei scenario to Alibaba";
        return Err(vec![Problem::error("profile", "scenario file", "profile", huawei.world.profile.name(), message)]);
    }
    let (text, left_out) = super::alibaba_api::export(spec)?;
    let (groups, _, _) = super::alibaba_api::import(&[("translation", &text)])?;
    let alibaba = ScenarioSpec {
        profile: Some(CloudProfile::Alibaba.name().to_string()),
        security_groups: groups.security_groups,
        address_groups: Vec::new(),
        checks: Vec::new(),
        sequences: Vec::new(),
        ..spec.clone()
    };
    let translated = alibaba.build()?;
    // The profile's own note ("verdicts may differ") is what the diff now says exactly.
    // The translation keeps the instances and the network.
    let left_out = left_out.into_iter().filter(|p| !["profile", "instances", "vpcs"].contains(&p.path.as_str())).collect();
    Ok(BetweenClouds { diff: diff(&huawei.world, &translated.world), alibaba, left_out })
}
