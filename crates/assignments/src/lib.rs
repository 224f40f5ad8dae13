//! Assignments: work a learner hands in — text written in the page, files —
//! and a person grades. An assignment is the activity of a lesson in the
//! course outline; it has a due date and a cut-off (per-learner extensions
//! move them), a late penalty, an "own work" statement, and grades released
//! as graded or all at once. A learner keeps a draft, submits, sees their
//! status and time left, and their grade and feedback once released; the
//! staff grade from a queue, one submission beside its marking form.
//!
//! The tables (`assignments`, `assignment_submissions`, `assignment_files`,
//! `assignment_extensions`, `assignment_rubrics`, `assignment_feedback_files`,
//! `assignment_tries`, `assignment_try_files`, `assignment_attachments`) are
//! this module's; courses and staff come from
//! `lyceum_courses::service`, enrollment from `lyceum_enrollment`, names
//! from `lyceum_accounts`. Learning and notifications observe its events
//! ([`events`]).

mod error;
pub mod events;
pub mod guide;
pub mod http;
pub mod model;
pub(crate) mod repo;
pub mod rubric;
pub mod scale;
pub mod service;
pub mod settings;

pub use error::{AssignmentError, FileRefusal, NewTryRefusal};
pub use http::{api_routes, page_routes};

/// What assignments contributes to the application (see `lyceum_platform::module`).
pub fn module() -> lyceum_platform::module::Module {
    lyceum_platform::module::Module::new("assignments")
        .pages(page_routes)
        .api(api_routes)
        .wide_routes(http::wide_routes)
        .settings::<settings::AssignmentUploads>()
        .locale("en", include_str!("../locales/en.toml"))
        .locale("fr", include_str!("../locales/fr.toml"))
}
