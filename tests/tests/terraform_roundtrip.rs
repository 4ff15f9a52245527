//! Export to Terraform HCL, then import, is the identity on random scenarios' security groups,
//! rules and address groups: the same documents (in the canonical form import writes) and the
//! same world. (Instances, VPCs and load balancers are not Terraform security group
//! resources; they are left out, and said so.)

use proptest::prelude::*;
use sgplay_core::interop::{self, import_any, Format};
use sgplay_core::model::World;
use sgplay_core::scenario::ScenarioSpec;
use sgplay_tests::documents::scenario_of;
use sgplay_tests::random_world::{build, world_bp};

/// The part of a random world the three resources carry: groups, rules, address groups.
fn terraform_world(mut world: World) -> World {
    world.vpcs.clear();
    world.peerings.clear();
    world.instances.clear();
    world
}

/// The world as the scenario import writes: named after the file, rules without the group
/// id they sit in (HCL refers to the resource instead).
fn document(world: &World) -> ScenarioSpec {
    let mut spec = ScenarioSpec { name: "Imported from exported.tf".into(), ..scenario_of(world) };
    for rule in spec.security_groups.iter_mut().flat_map(|g| g.rules.iter_mut()) {
        rule.security_group_id = None;
    }
    spec
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
