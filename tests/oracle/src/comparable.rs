//! The random worlds the kernel can be compared on: the property tests' worlds
//! (`sgplay_tests::random_world`), drawn from a seed, with what netfilter does not model taken
//! out: EIPs, NAT gateways (subnet SNAT) and load balancers (see [`crate::translate`]).
//! Everything else stays: up to 5 instances in up to 4 groups in sequence, IPv4 and IPv6, virtual
//! IPs, remote groups, address groups with blocks and ranges, every protocol of the pool.

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use sgplay_core::model::{InstanceKind, World};
use sgplay_tests::random_world::{build, world_bp};

/// World number `index` of the run selected by `seed`: the same pair gives the same world.
pub fn world(seed: u64, index: usize) -> World {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    bytes[8..16].copy_from_slice(&(index as u64).to_le_bytes());
    let mut runner = TestRunner::new_with_rng(Config::default(), TestRng::from_seed(RngAlgorithm::ChaCha, &bytes));
    let bp = world_bp().new_tree(&mut runner).expect("the world strategy always yields").current();
    restrict(build(&bp))
}

/// Takes out what the kernel cannot be compared on, keeping everything else as drawn.
pub fn restrict(mut world: World) -> World {
    for instance in &mut world.instances {
        instance.eip = None;
        instance.kind = InstanceKind::Ecs;
    }
    for subnet in world.vpcs.iter_mut().flat_map(|v| v.subnets.iter_mut()) {
        subnet.snat_eip = None;
    }
    world.peerings.clear();
    world
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_selects_one_world_and_restriction_keeps_the_rules() {
        assert_eq!(world(7, 3), world(7, 3));
        assert_ne!(world(7, 3), world(7, 4));
        let w = world(1, 0);
        assert!(w.instances.iter().all(|i| i.eip.is_none() && i.kind == InstanceKind::Ecs));
        assert!(w.security_groups.iter().any(|g| !g.rules.is_empty()));
    }
}
