//! Authoring rules, shared by the pages and the API. Every function takes the
//! viewer and checks access itself, so no handler can forget to.

pub mod access;
pub mod courses;
pub mod instructors;
pub mod media;
pub mod outline;

use lyceum_platform::{AppError, AppState, db::Tx, events};

use crate::{events::CourseChanged, model::Course};

pub const MAX_PAGE: i64 = 100;

/// Publishes `course.changed` in `tx` and marks the course updated.
pub(crate) async fn changed(state: &AppState, tx: &mut Tx, course: &Course, deleted: bool) -> Result<(), AppError> {
    if !deleted {
        crate::repo::courses::touch(tx, &course.id).await?;
    }
    let event = CourseChanged { course_id: course.id.clone(), slug: course.slug.clone(), deleted };
    events::publish(state, tx, &event).await?;
    Ok(())
}

/// Deletes files whose rows are gone; a leftover file is harmless, so a failure is only logged.
pub(crate) async fn remove_files(state: &AppState, keys: &[String]) {
    for key in keys {
        if let Err(e) = state.storage.delete(key).await {
            tracing::warn!(key, error = %e, "course file not removed");
        }
    }
}

/// 409 `<kind>` unless `force`: deleting would remove enrolled learners' progress.
pub(crate) fn guard_enrolled(enrolled: i64, force: bool, what: &str) -> Result<(), AppError> {
    if enrolled == 0 || force {
        return Ok(());
    }
    let learners = if enrolled == 1 { "1 learner is".to_string() } else { format!("{enrolled} learners are") };
    Err(AppError::conflict(format!(
        "{learners} enrolled; deleting this {what} removes their progress. Repeat with `force=true` to delete anyway."
    ))
    .with_kind("course-has-enrollments"))
}
