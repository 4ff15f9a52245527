//! Export to Terraform HCL, then import, is the identity on random scenarios' security groups,
//! rules and address groups: the same documents (in the canonical form import writes) and the
//! same world. (Instances, VPCs and load balancers are not Terraform security group
//! resources; they are left out, and said so.)

use proptest::prelude::*;
use sgplay_core::interop::{self, import_any, Format};
use sgplay_core::model::{Ethertype, World};
use sgplay_core::scenario::{AddressGroupSpec, GroupSpec, RuleSpec, ScenarioSpec, FORMAT_VERSION};
use sgplay_tests::random_world::{build, world_bp};

/// The part of a random world the three resources carry: groups, rules, address groups.
fn terraform_world(mut world: World) -> World {
    world.vpcs.clear();
    world.instances.clear();
    world
}

/// The world as the scenario import writes: rule ids the resource names, every default
/// explicit, address entries as text.
fn document(world: &World) -> ScenarioSpec {
    ScenarioSpec {
        version: FORMAT_VERSION,
        name: "Imported from exported.tf".into(),
        security_groups: world
            .security_groups
            .iter()
            .map(|g| GroupSpec {
                id: g.id.clone(),
                name: g.name.clone(),
                description: g.description.clone(),
                template: None,
                rules: g
                    .rules
                    .iter()
                    .map(|r| RuleSpec { security_group_id: None, ..RuleSpec::from_rule(r, &g.id) })
                    .collect(),
            })
            .collect(),
        address_groups: world
            .address_groups
            .iter()
            .map(|ag| AddressGroupSpec {
                id: ag.id.clone(),
                name: ag.name.clone(),
                ip_version: Some(if ag.ethertype == Ethertype::IPv6 { 6u64 } else { 4 }.into()),
                ip_set: ag.entries.iter().map(|e| serde_json::Value::String(e.to_string())).collect(),
                description: format!("entries of {}", ag.id),
            })
            .collect(),
        ..Default::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn export_then_import_is_the_identity(bp in world_bp()) {
        let world = terraform_world(build(&bp));
        let spec = document(&world);
        let exported = interop::export(&spec, Format::HuaweiTerraform).map_err(|p| TestCaseError::fail(format!("{p:?}")))?;
        prop_assert!(exported.left_out.is_empty(), "{:?}", exported.left_out);
        let imported = import_any(&[("exported.tf", &exported.text)]).map_err(|p| TestCaseError::fail(format!("{p:?}\n{}", exported.text)))?;
        prop_assert_eq!(imported.format, Format::HuaweiTerraform);
        prop_assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
        prop_assert_eq!(&imported.scenario, &spec);
        let rebuilt = imported.scenario.build().map_err(|p| TestCaseError::fail(format!("{p:?}")))?.world;
        prop_assert_eq!(rebuilt, world);
    }
}
