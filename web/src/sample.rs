//! The scenario the page opens with, embedded at compile time from the scenario corpus (so
//! `sgplay test` checks it too), and the packet the form starts with: one that shows a two-sided
//! evaluation (outbound rules of one group, then inbound rules of another).

use crate::probe::ProbeForm;
use sgplay_core::spec::{Problem, Scenario};

/// The Huawei Cloud overview example: Sg-A and Sg-B, two ECSs in each.
pub const SCENARIO_JSON: &str = include_str!("../../tests/scenarios/huawei/overview-sg-a-sg-b.json");

/// The embedded scenario, parsed and validated by the engine.
pub fn scenario() -> Result<Scenario, Vec<Problem>> {
    Scenario::from_json(SCENARIO_JSON)
}

/// ECS-A01 opens SSH to ECS-B01: allowed by Sg-A's outbound rule, then by Sg-B's rule B01.
pub fn probe() -> ProbeForm {
    ProbeForm { from: "ecs-a01".into(), to: "ecs-b01".into(), protocol: "tcp".into(), port: "22".into() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::{evaluate, Outcome};
    use sgplay_core::eval::Verdict;

    #[track_caller]
    fn outcome_of(form: &ProbeForm) -> Outcome {
        let scenario = scenario().unwrap_or_else(|problems| panic!("sample does not load: {problems:?}"));
        evaluate(&scenario.world, form).unwrap_or_else(|messages| panic!("{form:?} does not resolve: {messages:?}"))
    }

    #[track_caller]
    fn verdict_of(form: &ProbeForm) -> Verdict {
        outcome_of(form).verdict
    }

    #[track_caller]
    fn headline_of(form: &ProbeForm) -> String {
        outcome_of(form).headline().map(|s| s.sentence.clone()).unwrap_or_default()
    }

    #[test]
    fn the_prefilled_packet_is_allowed() {
        assert_eq!(verdict_of(&probe()), Verdict::Allow);
    }

    #[test]
    fn an_allowed_packet_is_summed_up_by_the_last_side_that_allowed_it() {
        let headline = headline_of(&probe());
        assert!(headline.starts_with("ECS-B01 inbound: allowed by rule B01"), "{headline}");
    }

    #[test]
    fn the_same_packet_to_mysql_is_denied() {
        assert_eq!(verdict_of(&ProbeForm { port: "3306".into(), ..probe() }), Verdict::Deny);
    }

    #[test]
    fn a_denied_packet_is_summed_up_by_the_side_that_stopped_it() {
        let headline = headline_of(&ProbeForm { port: "3306".into(), ..probe() });
        assert!(headline.starts_with("ECS-B01 inbound: no rule matched"), "{headline}");
    }

    #[test]
    fn ssh_back_from_ecs_b01_is_denied() {
        assert_eq!(verdict_of(&ProbeForm { from: "ecs-b01".into(), to: "ecs-a01".into(), ..probe() }), Verdict::Deny);
    }
}
