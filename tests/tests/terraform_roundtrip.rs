//! Export to Terraform HCL, then import, is the identity on random scenarios' security groups,
//! rules and address groups: the same documents (in the canonical form import writes) and the
//! same world. (Instances, VPCs and load balancers are not Terraform security group
//! resources; they are left out, and said so.)

use proptest::prelude::*;
use sgplay_core::interop::Format;
use sgplay_core::model::World;
use sgplay_tests::imports::export_then_import_is_the_identity;
use sgplay_tests::random_world::{build, world_bp};

/// The part of a random world the three resources carry: groups, rules, address groups.
fn terraform_world(mut world: World) -> World {
    world.vpcs.clear();
    world.peerings.clear();
    world.instances.clear();
    world
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn hcl_export_then_import_is_the_identity(bp in world_bp()) {
        let world = terraform_world(build(&bp));
        export_then_import_is_the_identity(&world, Format::HuaweiTerraform, "exported.tf")?;
    }
}
