//! The playground's state: the root state (`app_state`), and the pure pieces it leans on,
//! each tested natively: undo/redo (`history`), autosave (`persist`), share links (`share`),
//! what the address asks for (`route`), start-up (`boot`), the cloud profile switch
//! (`cloud_profile`), and import/export of scenario files (`transfer`). When the autosave
//! writes (`autosave`) is browser timing, covered by the end-to-end reload tests.

pub mod app_state;
pub mod autosave;
pub mod boot;
pub mod cloud_profile;
pub mod history;
pub mod persist;
pub mod route;
pub mod share;
pub mod transfer;

pub use app_state::{use_app, AppState, Baseline, Notice, NoticeKind, Selection, Sent, AUTO_ANALYSIS_LIMIT};
