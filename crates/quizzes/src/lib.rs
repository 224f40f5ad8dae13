//! Quizzes: for now, each course's question bank — categories, questions
//! with every edit kept as a version, GIFT / Moodle XML import and export,
//! and a staff preview that shows a question as a learner would see it and
//! grades an answer. Quizzes and attempts (which will pin a question's
//! version) come next. The question model, grading and file formats are
//! `lyceum_assessment`'s; this crate stores and serves them.
//!
//! The tables (`question_categories`, `questions`, `question_versions`) are
//! this module's; courses and staff come from `lyceum_courses::service`.

mod error;
pub mod http;
pub mod model;
pub(crate) mod repo;
pub mod service;
mod text;

pub use error::BankError;
pub use http::{api_routes, page_routes};

/// What quizzes contributes to the application (see `lyceum_platform::module`).
pub fn module() -> lyceum_platform::module::Module {
    lyceum_platform::module::Module::new("quizzes")
        .pages(page_routes)
        .api(api_routes)
        .locale("en", include_str!("../locales/en.toml"))
        .locale("fr", include_str!("../locales/fr.toml"))
}
