//! Events authoring publishes, in the transaction of the change, so the catalog
//! cache (issue 4, item 3) can invalidate; publishing with no subscriber is a no-op.

use lyceum_platform::events::Event;
use serde::{Deserialize, Serialize};

/// A course (its details, outline, instructors, cover or state) changed or was deleted.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CourseChanged {
    pub course_id: String,
    pub slug: String,
    pub deleted: bool,
}

impl Event for CourseChanged {
    const NAME: &'static str = "course.changed";
}

/// A course entered the catalog.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CoursePublished {
    pub course_id: String,
    pub slug: String,
}

impl Event for CoursePublished {
    const NAME: &'static str = "course.published";
}
