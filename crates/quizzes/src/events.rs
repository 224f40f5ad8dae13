//! Events the quizzes module publishes, in the transaction of the change.
//! Learning observes them to complete the quiz's lesson; notifications to
//! tell a learner that a person graded their attempt.

use lyceum_platform::events::Event;
use serde::{Deserialize, Serialize};

/// An attempt was submitted (by its learner, or by the deadline job when
/// its time ran out). Published once per attempt, with the submit.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AttemptSubmitted {
    pub attempt_id: String,
    pub quiz_id: String,
    pub course_id: String,
    pub lesson_id: String,
    pub user_id: String,
    pub timed_out: bool,
    /// The quiz's completion rule holds with this attempt: its lesson is complete.
    pub completes_lesson: bool,
}

impl Event for AttemptSubmitted {
    const NAME: &'static str = "quiz.attempt_submitted";
}

/// An attempt's grade became final: at its submit when every question grades
/// itself, or when a person graded the last one waiting (`manual`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AttemptGraded {
    pub attempt_id: String,
    pub quiz_id: String,
    pub course_id: String,
    pub lesson_id: String,
    pub user_id: String,
    /// The quiz's title (its lesson's), for the learner's notice.
    pub quiz_title: String,
    /// The attempt's grade, percent.
    pub percent: f64,
    /// The learner's quiz grade with this attempt, percent, by the quiz's
    /// grading method over their graded attempts (what the gradebook keeps).
    /// None in events published before the field existed.
    #[serde(default)]
    pub quiz_grade: Option<f64>,
    pub passed: Option<bool>,
    /// A person's grade completed it (the learner is told).
    pub manual: bool,
    pub completes_lesson: bool,
}

impl Event for AttemptGraded {
    const NAME: &'static str = "quiz.attempt_graded";
}

/// A quiz was created: the gradebook keeps an item for it (out of 100)
/// before its first grade.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QuizCreated {
    pub quiz_id: String,
    pub course_id: String,
    pub title: String,
}

impl Event for QuizCreated {
    const NAME: &'static str = "quiz.created";
}
