//! Export to alicloud Terraform HCL, then import, is the identity on random Alibaba-profile
//! scenarios, in the form the provider can hold: the same documents (in the canonical form
//! import writes) and the same world.
//!
//! That form is Alibaba's rule shape: one port range per rule (a rule of several ranges
//! becomes `<id>-1`, `<id>-2`, …), "any address" as no remote, no IP address groups, no group
//! named for IPv6, only the protocols `ip_protocol` names. Instances, VPCs and peerings are not
//! security group resources. Whatever a random world has beyond that form is said in
//! `left_out`, never written wrong.

use proptest::prelude::*;
use sgplay_core::interop::{self, import_any, Format};
use sgplay_core::model::{Ethertype, PortSet, ProtocolMatch, Remote, Rule, World};
use sgplay_core::profile::alibaba::is_implicit;
use sgplay_core::profile::CloudProfile;
use sgplay_tests::imports::{export_then_import_is_the_identity, hcl_document};
use sgplay_tests::random_world::{build_profiled, profiled_world_bp, ProfiledBp};

/// Can the provider write this rule as it is (its ports aside)?
fn writable(rule: &Rule) -> bool {
    let protocol = matches!(rule.protocol, ProtocolMatch::Any)
        || ["tcp", "udp", "icmp", "icmpv6", "gre"].contains(&rule.protocol.to_string().as_str());
    let remote = match &rule.remote {
        Remote::AddressGroup(_) => false,
        Remote::Group(_) => rule.ethertype == Ethertype::IPv4,
        _ => true,
    };
    protocol && remote
}

/// A written rule as the provider's rules: one per port range, "any address" as no remote.
fn alibaba_rules(rule: Rule) -> Vec<Rule> {
    let mut rule = rule;
    if rule.remote == Remote::Prefix(rule.ethertype.any_prefix()) {
        rule.remote = Remote::Any;
    }
    let ranges = rule.ports.elements().to_vec();
    if rule.ports.is_all() || ranges.len() < 2 {
        return vec![rule];
    }
    ranges
        .into_iter()
        .enumerate()
        .map(|(k, range)| Rule { id: format!("{}-{}", rule.id, k + 1), ports: PortSet::from_ranges(vec![range]), ..rule.clone() })
        .collect()
}

/// The part of a random Alibaba world the provider carries, in its shape.
fn alicloud_world(mut world: World) -> World {
    world.vpcs.clear();
    world.peerings.clear();
    world.instances.clear();
    world.address_groups.clear();
    for group in &mut world.security_groups {
        let rules = std::mem::take(&mut group.rules);
        group.rules = rules
            .into_iter()
            .filter(|r| is_implicit(r) || writable(r))
            .flat_map(|r| if is_implicit(&r) { vec![r] } else { alibaba_rules(r) })
            .collect();
    }
    world
}

fn alibaba_bp() -> impl Strategy<Value = ProfiledBp> {
    profiled_world_bp().prop_map(|bp| ProfiledBp { profile: CloudProfile::Alibaba, ..bp })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn hcl_export_then_import_is_the_identity(bp in alibaba_bp()) {
        let world = alicloud_world(build_profiled(&bp));
        export_then_import_is_the_identity(&world, Format::AlibabaTerraform, "exported.tf")?;
    }

    /// What a random world holds beyond the provider's form is said, never written wrong:
    /// the import of the export is the world in that form.
    #[test]
    fn what_cannot_be_written_is_left_out_and_said(bp in alibaba_bp()) {
        let full = build_profiled(&bp);
        let spec = hcl_document(&full, "exported.tf");
        let exported = interop::export(&spec, Format::AlibabaTerraform).map_err(|p| TestCaseError::fail(format!("{p:?}")))?;
        let lossy = full.security_groups.iter().flat_map(|g| &g.rules).any(|r| !is_implicit(r) && !writable(r));
        if lossy || !full.address_groups.is_empty() {
            prop_assert!(!exported.left_out.is_empty());
        }
        let imported = import_any(&[("exported.tf", &exported.text)]).map_err(|p| TestCaseError::fail(format!("{p:?}\n{}", exported.text)))?;
        let rebuilt = imported.scenario.build().map_err(|p| TestCaseError::fail(format!("{p:?}")))?.world;
        prop_assert_eq!(rebuilt.security_groups, alicloud_world(full).security_groups);
    }
}
