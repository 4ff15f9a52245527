//! The messages between the page and its worker. Each goes as one JSON text (`postMessage` of
//! a string): the engine's types already have their serde shapes, and a text crosses the
//! boundary without structured-clone surprises.

use crate::components::baseline::model::DiffView;
use crate::components::findings::model::Finding;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use sgplay_core::analysis::find::{Answer, QuestionText};
use sgplay_core::analysis::reach::{End, Pair, Reachability, Service};
use sgplay_core::scenario::{ProbeSpec, Problem};
use sgplay_core::World;
use std::net::IpAddr;

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
    /// An example packet for a question, or the proof that none exists.
    Find { world: World, question: QuestionText },
    /// API listings or Terraform read into a scenario: the worker carries those readers, the
    /// page does not. Each input is its name and its text.
    Import { inputs: Vec<(String, String)> },
    /// A scenario written in another format (`format` by its name, `huawei-api`, …). The
    /// scenario goes as its file's text (`ScenarioSpec::to_json`), which the page writes
    /// already for the autosave: a second serializer of the document would cost the page's
    /// wasm ~100 KB.
    Export { scenario: String, format: String },
}

impl Job {
    pub const DIFF_WHAT: &'static str = "Comparing with the baseline";

    /// "analysing the rules", for the progress line.
    pub fn describe(&self) -> &'static str {
        match self {
            Job::Findings { .. } => "Analysing every rule",
            Job::Matrix { .. } => "Computing the reachability matrix",
            Job::Diff { .. } => Job::DIFF_WHAT,
            Job::Find { .. } => "Searching the packet space",
            Job::Import { .. } => "Reading the import",
            Job::Export { .. } => "Writing the export",
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
    Findings {
        findings: Vec<Finding>,
    },
    Matrix {
        reach: PackedReach,
    },
    Diff {
        view: DiffView,
    },
    /// The search's answer, or why the question could not be asked of this world.
    Found {
        answer: Result<Answer, String>,
    },
    /// What the import read, or every problem.
    Imported {
        result: Result<WireImport, Vec<Problem>>,
    },
    /// The file's text, its name and what the format left out; or every problem.
    Exported {
        result: Result<(String, String, Vec<Problem>), Vec<Problem>>,
    },
}

/// `state::transfer::Imported` for the trip: its format by name, the scenario as its file's
/// text, read back by the page's one scenario reader (`ScenarioSpec::parse`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WireImport {
    pub scenario: String,
    pub probe: Option<ProbeSpec>,
    pub format: String,
    pub warnings: Vec<Problem>,
}

/// A reachability matrix packed for the trip: one mask of the services that pass per ordered
/// pair of ends (instances in world order, then the Internet), row by row, little-endian, as
/// base64. A 1,000-instance matrix is a million pairs: as `Reachability`'s JSON it is tens of
/// megabytes, which the page would spend seconds reading on its own thread; packed it is about
/// 2.7 MB of text and a few milliseconds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PackedReach {
    pub services: Vec<Service>,
    pub internet: Vec<IpAddr>,
    /// Instances + 1 (the Internet).
    pub ends: usize,
    pub masks: String,
}

impl PackedReach {
    fn mask_bytes(services: usize) -> usize {
        services.div_ceil(8).max(1)
    }

    fn index(end: End, ends: usize) -> usize {
        match end {
            End::Instance(i) => i,
            End::Internet => ends - 1,
        }
    }

    pub fn pack(reach: &Reachability, instances: usize) -> PackedReach {
        let ends = instances + 1;
        let width = Self::mask_bytes(reach.services.len());
        let mut bytes = vec![0u8; ends * ends * width];
        for pair in &reach.pairs {
            let at = (Self::index(pair.from, ends) * ends + Self::index(pair.to, ends)) * width;
            for &k in &pair.allowed {
                bytes[at + k / 8] |= 1 << (k % 8);
            }
        }
        PackedReach {
            services: reach.services.clone(),
            internet: reach.internet.clone(),
            ends,
            masks: base64::engine::general_purpose::STANDARD_NO_PAD.encode(bytes),
        }
    }

    /// The matrix again, its pairs in the engine's order; `None` when the masks are damaged.
    pub fn unpack(&self) -> Option<Reachability> {
        let bytes = base64::engine::general_purpose::STANDARD_NO_PAD.decode(&self.masks).ok()?;
        let width = Self::mask_bytes(self.services.len());
        if self.ends == 0 || bytes.len() != self.ends * self.ends * width {
            return None;
        }
        let end = |i: usize| if i + 1 == self.ends { End::Internet } else { End::Instance(i) };
        let mut pairs = Vec::new();
        for (cell, mask) in bytes.chunks_exact(width).enumerate() {
            if mask.iter().all(|b| *b == 0) {
                continue;
            }
            let allowed = (0..self.services.len()).filter(|k| mask[k / 8] & (1 << (k % 8)) != 0).collect();
            pairs.push(Pair { from: end(cell / self.ends), to: end(cell % self.ends), allowed });
        }
        Some(Reachability { services: self.services.clone(), internet: self.internet.clone(), pairs })
    }
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
    fn a_packed_matrix_unpacks_to_the_same_matrix() {
        use sgplay_core::analysis::reach::reachability;
        for slug in ["huawei/overview-architecture", "huawei/paths-eip-and-addresses", crate::gallery::DEFAULT_SLUG] {
            let world = crate::gallery::load(slug).expect("an example").build().expect("valid").world;
            let reach = reachability(&world, &sgplay_core::Matcher::build(&world), &crate::worker::jobs::matrix_services());
            assert!(!reach.pairs.is_empty(), "{slug}");
            let packed = PackedReach::pack(&reach, world.instances.len());
            let text = serde_json::to_string(&packed).expect("JSON");
            assert_eq!(serde_json::from_str::<PackedReach>(&text).expect("read back").unpack(), Some(reach), "{slug}");
        }
        let damaged = PackedReach { services: Vec::new(), internet: Vec::new(), ends: 3, masks: "AA".into() };
        assert_eq!(damaged.unpack(), None);
    }

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
