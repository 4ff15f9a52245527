//! # sgplay-web: the playground page
//!
//! The browser face of sgplay: "will this packet get through, and why?". Everything runs in the
//! page: the engine (`sgplay-core`) is compiled to WebAssembly with the page, there is no server.
//!
//! ## Layers
//! - [`sample`]: the scenario the page opens with, embedded in the binary at compile time.
//! - [`probe`]: plain functions from the packet form's text to an evaluation: build a
//!   [`ProbeSpec`](sgplay_core::spec::ProbeSpec), resolve it against the world, evaluate, turn
//!   the trace into step sentences. No Leptos here, so it has native `#[test]`s.
//! - [`components`]: the Leptos views. They hold only form text and the last submitted probe in
//!   signals; the world is plain `sgplay-core` data, and the outcome is a `Memo` derived from the
//!   submitted probe.
//!
//! ## Invariants
//! - Nothing here decides allow or deny: every verdict and sentence comes from `sgplay-core`.
//! - A bad form never panics: resolution problems become a message next to the form.
//! - Elements tests look for carry `data-testid` (`verdict`, `steps`, `step`, `evaluate`,
//!   `probe-from`, `probe-to`, `probe-protocol`, `probe-port`, `probe-error`).

pub mod components;
pub mod gallery;
pub mod state;
pub mod probe;
pub mod sample;

pub use components::App;

/// Mounts the playground on `<body>`: the whole of `main`.
pub fn mount() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
