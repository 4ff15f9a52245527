//! # sgplay-web: the playground page
//!
//! The browser face of sgplay: "will this packet get through, and why?". Everything runs in the
//! page: the engine (`sgplay-core`) is compiled to WebAssembly with the page, there is no server.
//!
//! ## Layers
//! - [`state`]: the one root state, provided by context (`state::use_app()`): the scenario
//!   document and its validated `Memo`, the live simulator (connection tables, clock, log), undo
//!   history, the packet tester's inputs and the last packet sent with its step cursor, notices.
//!   Every change goes through a method of `AppState`, so undo, validation and the connection
//!   tracker see all of them. Beside it, pure and natively tested: history, autosave, share
//!   links, the address (route, embed mode) and start-up.
//! - [`gallery`]: every example and template of the scenario corpus (`tests/scenarios/`), with
//!   deep links. Its index is embedded at compile time; the scenarios too with the `corpus`
//!   feature (the default, for tests), else only the default one and the page fetches the
//!   others from `dist/scenarios/` when they are opened (the release page).
//! - [`components`]: the Leptos views, one folder per area of the page (shell, groups,
//!   instances, topology, tester, connections), each a thin view over the root state. What can
//!   be pure (layout, wording, cursor arithmetic, reading a cell) is a plain module of its folder
//!   with native `#[test]`s; the views only wire it to signals.
//! - [`worker`]: the engine in a Web Worker for the analyses that take long on a large estate
//!   (findings, the matrix, the what-if diff), with progress and Cancel; `sgplay-worker` is its
//!   binary.
//!
//! ## Invariants
//! - Nothing here decides allow or deny, validates a rule or tracks a connection: every verdict,
//!   sentence, problem and event comes from `sgplay-core`.
//! - The document is always valid: an edit that does not validate is refused, with the
//!   engine's message at the cell, and what the user typed stays in the cell.
//! - Bad input never panics and never loses the user's work (a broken save or link is set aside
//!   with a notice).
//! - Elements tests look for carry `data-testid`.

pub mod components;
pub mod gallery;
pub mod paint;
pub mod state;
pub mod worker;

pub use components::App;

/// Mounts the playground on `<body>`: the whole of `main`.
pub fn mount() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
