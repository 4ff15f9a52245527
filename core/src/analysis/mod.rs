//! Analysis of a world without sending packets: the documented constraints (quotas, limits) and
//! advice (risky exposure, rules that can never decide), the reachability matrix and the exact
//! what-if diff between two versions of a world.

pub mod advice;
pub mod alibaba_limits;
pub mod constraints;
pub mod diff;
pub mod egress;
pub mod exposure;
pub mod find;
pub mod fix;
pub mod lint;
pub mod reach;
pub mod shadow;
pub mod space;
