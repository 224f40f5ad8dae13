//! Authoring rules, shared by the pages and the API. Every function takes the
//! viewer and checks access itself, so no handler can forget to.

pub mod access;
pub mod content;
pub mod courses;
pub mod images;
pub mod instructors;
pub mod media;
pub mod outline;
pub mod read;
pub mod seats;
pub mod video_length;

use lyceum_platform::{AppError, AppState, Text, db::Tx};

use crate::model::Course;

/// The cache namespace of the catalog's reads (search result pages, course
/// pages, categories) and of course content ([`content`]); every course
/// change invalidates it (see [`commit`]).
pub const CATALOG_CACHE: &str = "catalog";

/// Marks the course updated and rewrites its search document in `tx`, so
/// search sees the change in the same commit. (No event: nothing outside
/// authoring observes course changes yet; the catalog's cache is bumped by
/// [`commit`]. A module that needs to observe them adds the event with its
/// subscriber.)
pub(crate) async fn changed(tx: &mut Tx, course: &Course, deleted: bool) -> Result<(), AppError> {
    if !deleted {
        crate::repo::courses::touch(tx, &course.id).await?;
    }
    crate::repo::search::refresh(tx, &course.id).await?;
    Ok(())
}

/// Commits a course change (one that went through [`changed`]), then
/// invalidates the catalog's cached reads — after the commit, so no reader can
/// cache the old state again, and in this process, so the change shows at once
/// (with Redis the generation is shared by every process).
pub(crate) async fn commit(state: &AppState, tx: Tx) -> Result<(), AppError> {
    tx.commit().await?;
    state.cache.bump(CATALOG_CACHE).await;
    Ok(())
}

/// Drops the cached catalog and course content after another module committed
/// a change to a course's outline through this one (see
/// [`outline::create_activity_lesson`]).
pub async fn content_changed(state: &AppState) {
    state.cache.bump(CATALOG_CACHE).await;
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
    let key = match (enrolled == 1, what) {
        (true, "module") => "courses.errors.enrolled_one_module",
        (false, "module") => "courses.errors.enrolled_many_module",
        (true, "lesson") => "courses.errors.enrolled_one_lesson",
        (false, "lesson") => "courses.errors.enrolled_many_lesson",
        (true, _) => "courses.errors.enrolled_one_course",
        (false, _) => "courses.errors.enrolled_many_course",
    };
    Err(AppError::conflict(Text::new(key).arg("count", enrolled)).with_kind("course-has-enrollments"))
}
