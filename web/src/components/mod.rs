//! The Leptos views. [`App`] starts the page and lays out the panels; each folder is one area
//! of the page with its components, thin views over the root state (`crate::state`).

mod app;
pub mod baseline;
pub mod connections;
pub mod findings;
pub mod groups;
pub mod instances;
pub mod list_filter;
pub mod matrix;
pub mod shell;
pub mod tester;
pub mod topology;

pub use app::{App, Playground};
