//! The page's frame: the masthead with the scenario's name and cloud, and the toolbar (cloud
//! switch, gallery, undo/redo, share, export, import), the notices, and the embed view's footer.
//!
//! Components are thin views over the root state (`crate::state`); what can be plain logic is
//! in modules with native tests: `links` (share, embed and example addresses), `keys`
//! (keyboard shortcuts), `catalog` (the gallery's sections and filter), `notice_text`, and
//! `crate::state::transfer` (import and export). Styles: `style/shell.css`.

mod catalog;
mod clipboard;
mod cloud_profile_switch;
mod copy_field;
mod embed_footer;
mod export_button;
mod file_pick;
mod gallery_dialog;
mod header;
mod import_dialog;
mod job_status;
mod keys;
pub mod links;
mod modal;
mod notice_text;
mod notices;
mod share_dialog;
mod skip_links;
mod undo_redo;

pub use embed_footer::EmbedFooter;
pub use export_button::download;
pub use file_pick::read_chosen_file;
pub use header::Header;
pub use job_status::JobStatus;
pub use modal::Modal;
pub use notices::{rich_text, Notices};
pub use skip_links::SkipLinks;
