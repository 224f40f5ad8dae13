//! Events the assignments module publishes, in the transaction of the
//! change. Learning observes them to complete the assignment's lesson;
//! notifications to tell a learner their grade.

use lyceum_platform::events::Event;
use serde::{Deserialize, Serialize};

/// A learner submitted (or resubmitted) their work. Published with the
/// submit; notifications sends the learner a receipt.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SubmissionSubmitted {
    pub submission_id: String,
    pub assignment_id: String,
    pub course_id: String,
    pub lesson_id: String,
    pub user_id: String,
    /// The assignment's title (its lesson's), for the learner's receipt.
    pub assignment_title: String,
    /// Milliseconds after the learner's due date (0: in time).
    pub late_ms: i64,
    /// Submitting is the assignment's completion rule: its lesson is complete.
    pub completes_lesson: bool,
}

impl Event for SubmissionSubmitted {
    const NAME: &'static str = "assignment.submitted";
}

/// A learner's grade became visible to them: when a grader saved it (grades
/// released as graded), or when the staff released the assignment's grades.
/// A changed grade is published again.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SubmissionGraded {
    pub submission_id: String,
    pub assignment_id: String,
    pub course_id: String,
    pub lesson_id: String,
    pub user_id: String,
    /// The assignment's title (its lesson's), for the learner's notice.
    pub assignment_title: String,
    /// The grade after any late penalty, and the maximum.
    pub grade: f64,
    pub max_points: f64,
    pub passed: Option<bool>,
    /// Passing is the assignment's completion rule and this grade passed.
    pub completes_lesson: bool,
}

impl Event for SubmissionGraded {
    const NAME: &'static str = "assignment.graded";
}

/// An assignment was created or its settings saved: the gradebook keeps an
/// item for it before its first grade, with its title and maximum.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AssignmentSaved {
    pub assignment_id: String,
    pub course_id: String,
    pub title: String,
    pub max_points: f64,
}

impl Event for AssignmentSaved {
    const NAME: &'static str = "assignment.saved";
}
