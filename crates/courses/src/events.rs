//! Events authoring publishes, in the transaction of the change, for other
//! modules to observe (publishing with no subscriber is a no-op). The catalog
//! does not wait for them: `service::commit` bumps its cache right after the
//! commit, so a change shows at once.

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
