//! A world written back as a scenario file, so a mismatch can be replayed with `sgplay eval`
//! or opened in the playground.

use sgplay_core::model::World;
use sgplay_core::ScenarioSpec;

pub fn scenario(world: &World, name: &str) -> ScenarioSpec {
    ScenarioSpec { name: name.into(), ..sgplay_tests::documents::scenario_of(world) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sgplay_core::Scenario;

    #[test]
    fn random_worlds_round_trip_through_scenario_json() {
        for index in 0..40 {
            let world = crate::comparable::world(11, index);
            let text = scenario(&world, "round trip").to_json();
            let back = Scenario::from_json(&text).unwrap_or_else(|p| panic!("{p:?}\n{text}")).world;
            assert_eq!(back, world, "{text}");
        }
    }
}
