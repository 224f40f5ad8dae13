//! Events the gradebook publishes, in the transaction of the grade that
//! caused them. Learning observes them to issue a certificate that waited
//! for a passing grade.

use lyceum_platform::events::Event;
use serde::{Deserialize, Serialize};

/// A learner's course total changed (a grade arrived from an activity, the
/// staff entered or imported one, or overrode one).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CourseGradeChanged {
    pub course_id: String,
    pub user_id: String,
    /// The new total, percent; none when no grade counts any more.
    pub percent: Option<f64>,
    /// The total reaches the course's pass mark.
    pub passes: bool,
    /// The course's certificate needs a passing grade (besides completion).
    pub certificate_needs_pass: bool,
}

impl Event for CourseGradeChanged {
    const NAME: &'static str = "gradebook.course_grade_changed";
}
