//! Quizzes: each course's question bank — categories, questions with every
//! edit kept as a version, GIFT / Moodle XML import and export, a staff
//! preview — and the quizzes built from it: a quiz is the activity of a
//! lesson in the course outline; learners' attempts pin the question
//! versions they were shown, are saved as they go, end at the server's
//! deadline, are graded automatically (essays by a person) and reviewed as
//! the quiz's review options allow. The question model, grading and file
//! formats are `lyceum_assessment`'s; this crate stores and serves them.
//!
//! The tables (`question_categories`, `questions`, `question_versions`,
//! `quizzes`, `quiz_overrides`, `quiz_attempts`, `quiz_answers`, `quiz_regrades`,
//! `question_files`, `quiz_answer_files`, `question_imports`) are this
//! module's; courses and staff come from `lyceum_courses::service`,
//! enrollment from `lyceum_enrollment`. Learning and notifications observe
//! its events ([`events`]).

mod error;
pub mod events;
pub mod http;
pub mod model;
pub mod quiz;
pub(crate) mod repo;
pub mod service;
pub mod settings;
mod text;

pub use error::{BankError, FileRefusal, QuizError};
pub use http::{api_routes, page_routes};

/// What quizzes contributes to the application (see `lyceum_platform::module`).
pub fn module() -> lyceum_platform::module::Module {
    lyceum_platform::module::Module::new("quizzes")
        .pages(page_routes)
        .api(api_routes)
        .jobs(service::jobs::register_jobs)
        .wide_routes(http::wide_routes)
        .settings::<settings::QuizUploads>()
        .locale("en", include_str!("../locales/en.toml"))
        .locale("fr", include_str!("../locales/fr.toml"))
}
