//! The gradebook: each course's grade items — one per quiz and assignment,
//! made when its first grade arrives through their events, and manual ones
//! the staff add — and each learner's grade in them, with staff overrides
//! (and a note), hidden items, the course total and its letter. The staff
//! see a grid of learners × items (a page at a time) and download it as CSV;
//! a learner sees their own grades in the visible items.
//!
//! Each course has settings ([`settings`]): a letter scale, a pass mark, the
//! aggregation and the certificate rule, which learning asks about
//! ([`service::standing`]) before issuing a certificate.
//!
//! The tables (`grade_items`, `grade_entries`, `grade_categories`,
//! `gradebook_settings`) are this module's; grades come from
//! `quiz.attempt_graded` and `assignment.graded` ([`feed`]), learners from
//! `lyceum_enrollment`'s roster, staff from `lyceum_courses`; a changed course
//! total goes out as `gradebook.course_grade_changed` ([`events`]).

mod csv;
mod error;
pub mod events;
pub mod feed;
pub mod http;
pub mod import;
pub mod model;
pub(crate) mod repo;
pub mod service;
pub mod settings;

pub use error::{GradebookError, ImportFileProblem};
pub use http::{api_routes, page_routes};

/// What the gradebook contributes to the application (see `lyceum_platform::module`).
pub fn module() -> lyceum_platform::module::Module {
    lyceum_platform::module::Module::new("gradebook")
        .pages(page_routes)
        .api(api_routes)
        .jobs(feed::register_jobs)
        .locale("en", include_str!("../locales/en.toml"))
        .locale("fr", include_str!("../locales/fr.toml"))
}
