//! Enrollment pages: the course page's enroll / unenroll forms (the course
//! page itself is the catalog's) and the staff roster under `/teach`.

pub mod enroll;
pub mod roster;

/// Where a learner studies a course (the learning module's page).
pub(crate) fn learn_url(slug: &str) -> String {
    format!("/learn/{slug}")
}

/// The catalog's course page.
pub(crate) fn course_url(slug: &str) -> String {
    format!("/courses/{slug}")
}
