//! Events learning publishes, in the transaction of the change.

use lyceum_platform::events::Event;
use serde::{Deserialize, Serialize};

/// A learner completed every lesson of a course and was issued a certificate
/// (published once per learner and course, with the certificate's insert).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CourseCompleted {
    pub user_id: String,
    pub course_id: String,
    pub course_title: String,
    /// The certificate's public code: `/certificates/<code>`.
    pub certificate_code: String,
}

impl Event for CourseCompleted {
    const NAME: &'static str = "course.completed";
}
