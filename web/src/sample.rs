//! The scenario the page opens with, embedded at compile time, and the packet the form starts
//! with: one that shows a two-sided evaluation (outbound rules of one group, inbound of another).

use crate::probe::ProbeForm;
use sgplay_core::spec::{Problem, Scenario};

/// The Huawei Cloud overview example: Sg-A and Sg-B, one ECS in each.
pub const SCENARIO_JSON: &str = include_str!("sample.json");

/// The embedded scenario, parsed and validated by the engine.
pub fn scenario() -> Result<Scenario, Vec<Problem>> {
    Scenario::from_json(SCENARIO_JSON)
}

/// ECS-A opens SSH to ECS-B: allowed by Sg-A's outbound rule, then by Sg-B's rule B01.
pub fn probe() -> ProbeForm {
    ProbeForm { from: "ecs-a".into(), to: "ecs-b".into(), protocol: "tcp".into(), port: "22".into() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::evaluate;
    use sgplay_core::eval::Verdict;

    #[track_caller]
    fn verdict_of(form: &ProbeForm) -> Verdict {
        let scenario = scenario().unwrap_or_else(|problems| panic!("sample does not load: {problems:?}"));
        match evaluate(&scenario.world, form) {
            Ok(outcome) => outcome.verdict,
            Err(messages) => panic!("{form:?} does not resolve: {messages:?}"),
        }
    }

    #[test]
    fn the_prefilled_packet_is_allowed() {
        assert_eq!(verdict_of(&probe()), Verdict::Allow);
    }

    #[test]
    fn the_same_packet_to_mysql_is_denied() {
        assert_eq!(verdict_of(&ProbeForm { port: "3306".into(), ..probe() }), Verdict::Deny);
    }

    #[test]
    fn ssh_back_from_ecs_b_is_denied() {
        assert_eq!(verdict_of(&ProbeForm { from: "ecs-b".into(), to: "ecs-a".into(), ..probe() }), Verdict::Deny);
    }
}
