//! Export to the Huawei API shapes, then import, is the identity on random scenarios: the same
//! document (in the canonical form import writes) and the same world.

use proptest::prelude::*;
use sgplay_core::interop::{self, import_any, Format};
use sgplay_core::model::{InstanceKind, World};
use sgplay_tests::documents::scenario_of;
use sgplay_tests::random_world::{build, world_bp};

/// The part of a random world the API listings carry: no VPCs nor peerings (the server list has
/// no blocks), no virtual IPs (bound to ports, not servers), no load balancers (not servers).
fn api_world(mut world: World) -> World {
    world.vpcs.clear();
    world.peerings.clear();
    world.instances.retain(|i| i.kind == InstanceKind::Ecs);
    for inst in &mut world.instances {
        inst.subnet_id = None;
        inst.virtual_ips.clear();
    }
    world
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn export_then_import_is_the_identity(bp in world_bp()) {
        let world = api_world(build(&bp));
        let spec = scenario_of(&world);
        let exported = interop::export(&spec, Format::HuaweiApi).map_err(|p| TestCaseError::fail(format!("{p:?}")))?;
        prop_assert!(exported.left_out.is_empty(), "{:?}", exported.left_out);
        let imported = import_any(&[("exported.json", &exported.text)]).map_err(|p| TestCaseError::fail(format!("{p:?}\n{}", exported.text)))?;
        prop_assert_eq!(imported.format, Format::HuaweiApi);
        prop_assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
        prop_assert_eq!(&imported.scenario.security_groups, &spec.security_groups);
        prop_assert_eq!(&imported.scenario.address_groups, &spec.address_groups);
        prop_assert_eq!(&imported.scenario.instances, &spec.instances);
        // And the world it builds is the world we started from, rule for rule.
        let rebuilt = imported.scenario.build().map_err(|p| TestCaseError::fail(format!("{p:?}")))?.world;
        prop_assert_eq!(rebuilt, world);
    }
}
