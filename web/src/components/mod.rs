//! The Leptos views: [`App`] loads the sample scenario and lays out the page; the other
//! components each draw one part of it from plain data.

mod app;
mod check_picker;
mod packet_form;
mod trace_view;
mod world_summary;

pub use app::App;
pub use check_picker::CheckPicker;
pub use packet_form::{PacketForm, PlaceOption};
pub use trace_view::TraceView;
pub use world_summary::WorldSummary;
