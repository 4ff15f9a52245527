//! The messages between the page and its worker. Each goes as one JSON text (`postMessage` of
//! a string): the engine's types already have their serde shapes, and a text crosses the
//! boundary without structured-clone surprises.

use crate::components::baseline::model::DiffView;
use crate::components::findings::model::Finding;
use serde::{Deserialize, Serialize};
use sgplay_core::analysis::reach::Reachability;
use sgplay_core::World;

/// What the page asks for. The worlds are the validated ones the page holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "job", rename_all = "snake_case")]
pub enum Job {
    /// The lint of the whole world, as the findings panel shows it.
    Findings { world: World },
    /// The reachability matrix for the default services.
    Matrix { world: World },
    /// What changed from the baseline to the current world, as the what-if panel shows it.
    Diff { baseline: World, current: World },
}

impl Job {
    /// "analysing the rules", for the progress line.
    pub fn describe(&self) -> &'static str {
        match self {
            Job::Findings { .. } => "Analysing every rule",
            Job::Matrix { .. } => "Computing the reachability matrix",
            Job::Diff { .. } => "Comparing with the baseline",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Request {
    /// Answers carry it, so an answer to a replaced job is recognised and dropped.
    pub id: u64,
    #[serde(flatten)]
    pub job: Job,
}

/// How far a job is: `done` of `total` steps; `total` 0 when it cannot tell.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub done: u32,
    pub total: u32,
    /// "building the matcher", "service 3 of 10 (tcp:443)".
    pub stage: String,
}

/// What a job computed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    Findings { findings: Vec<Finding> },
    Matrix { reach: Reachability },
    Diff { view: DiffView },
}

/// What the worker says.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "reply", rename_all = "snake_case")]
pub enum Reply {
    /// The worker has started and listens.
    Ready,
    Progress {
        id: u64,
        #[serde(flatten)]
        progress: Progress,
    },
    Done {
        id: u64,
        #[serde(flatten)]
        outcome: Outcome,
        /// Time the job took in the worker.
        millis: f64,
    },
    /// The request could not be read (a page and a worker of different builds).
    Failed { id: u64, message: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_and_replies_survive_their_json() {
        let world = crate::gallery::load(crate::gallery::DEFAULT_SLUG).expect("the default example").build().expect("valid").world;
        let request = Request { id: 7, job: Job::Diff { baseline: world.clone(), current: world } };
        let text = serde_json::to_string(&request).expect("JSON");
        assert_eq!(serde_json::from_str::<Request>(&text).expect("read back"), request);
        for reply in [
            Reply::Ready,
            Reply::Progress { id: 7, progress: Progress { done: 3, total: 11, stage: "service 3 of 10".into() } },
            Reply::Failed { id: 7, message: "no".into() },
        ] {
            let text = serde_json::to_string(&reply).expect("JSON");
            assert_eq!(serde_json::from_str::<Reply>(&text).expect("read back"), reply);
        }
    }
}
