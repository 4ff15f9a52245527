//! # Off the main thread: the engine in a Web Worker
//!
//! On a 1,000-instance estate the whole-scenario analyses take a second or more each (the
//! findings about 1.2 s, the reachability matrix about 1.6 s, a what-if diff about half a
//! second). Run on the page's thread they freeze it: no scrolling, no typing, no Cancel. So
//! past [`crate::state::AUTO_ANALYSIS_LIMIT`] instances the page hands them to a Web Worker
//! that runs the same engine: `sgplay-worker`, a second binary of this crate
//! (`src/bin/sgplay-worker.rs`), which trunk builds as `sgplay-worker_bg.wasm` and starts
//! through `sgplay-worker_loader.js` (index.html). It links only the engine and this folder's
//! [`jobs`], none of the views.
//!
//! - [`protocol`]: the messages, JSON text both ways: a [`protocol::Request`] names a job and
//!   carries the world(s) it needs (the validated world, not the document, so the worker does
//!   not validate again); the worker answers with progress and then one outcome.
//! - [`jobs`]: what each job computes, the one function the worker and the in-place fallback
//!   share, so an answer never depends on where it was computed.
//! - [`serve`]: the worker's side (its `onmessage`).
//! - [`lane`]: the page's side. A [`lane::Lane`] is one kind of job with its own worker: a
//!   new job replaces the one running (the newest edit wins), Cancel terminates the worker
//!   (the only way to stop wasm mid-computation) and the next job starts a fresh one. Where a
//!   worker cannot be had (the wasm-bindgen tests, a browser without module workers, a
//!   missing file) the job runs in place, with the same answer.

pub mod jobs;
pub mod lane;
pub mod protocol;
pub mod serve;

/// The worker's start script, relative to the page (trunk's loader shim of `sgplay-worker`).
pub const WORKER_SCRIPT: &str = "sgplay-worker_loader.js";
