//! Events enrollment publishes, in the transaction of the change.

use lyceum_platform::events::Event;
use serde::{Deserialize, Serialize};

/// A learner was enrolled (by themself or by staff), or enrolled again after
/// unenrolling. Observed by notifications (`course.enrolled`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EnrollmentCreated {
    pub enrollment_id: String,
    pub course_id: String,
    pub course_slug: String,
    pub course_title: String,
    pub user_id: String,
    /// True when staff added the learner from the roster.
    pub by_staff: bool,
}

impl Event for EnrollmentCreated {
    const NAME: &'static str = "enrollment.created";
}

/// An enrollment was cancelled (by the learner or by staff). Observed by
/// notifications: a learner removed by staff is told (`course.unenrolled`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EnrollmentCancelled {
    pub enrollment_id: String,
    pub course_id: String,
    pub course_slug: String,
    pub course_title: String,
    pub user_id: String,
    /// True when staff (or an admin) removed the learner, false when they left.
    pub by_staff: bool,
}

impl Event for EnrollmentCancelled {
    const NAME: &'static str = "enrollment.cancelled";
}
