//! What other modules read of courses — catalog, enrollment and learning ask
//! here instead of reading the tables. No access checks: the caller decides
//! who may see what (learning's content rule, enrollment's offer rules).
//! Each function takes the caller's connection, so it runs inside the
//! caller's transaction when there is one.

use std::collections::HashMap;

use lyceum_platform::AppError;
use lyceum_platform::ids::{self, CourseId, LessonId};
use sqlx::AnyConnection;

pub use crate::repo::search::{Engine, QUERY_MAX, terms as search_terms};
use crate::{
    model::{Category, Course, Lesson, LessonRef, Module},
    repo,
};

pub async fn course(conn: &mut AnyConnection, id: &CourseId) -> Result<Option<Course>, AppError> {
    let id = id.as_str();
    Ok(repo::courses::by_id(conn, id).await?)
}

/// The course at address `slug`, in any state.
pub async fn course_by_slug(conn: &mut AnyConnection, slug: &str) -> Result<Option<Course>, AppError> {
    Ok(repo::courses::by_slug(conn, slug).await?)
}

/// Several courses by id in one query, keyed by id; unknown ids are absent.
pub async fn courses(conn: &mut AnyConnection, ids: &[CourseId]) -> Result<HashMap<String, Course>, AppError> {
    let mut unique = ids::strings(ids);
    unique.sort();
    unique.dedup();
    Ok(repo::courses::by_ids(conn, &unique).await?.into_iter().map(|c| (c.id.clone(), c)).collect())
}

pub async fn lesson(conn: &mut AnyConnection, id: &LessonId) -> Result<Option<Lesson>, AppError> {
    let id = id.as_str();
    Ok(repo::outline::lesson(conn, id).await?)
}

/// The lessons with these ids, by id (one query; missing ones are left out).
pub async fn lessons(conn: &mut AnyConnection, ids: &[LessonId]) -> Result<HashMap<String, Lesson>, AppError> {
    let mut unique = ids::strings(ids);
    unique.sort();
    unique.dedup();
    Ok(repo::outline::lessons_by_ids(conn, &unique).await?.into_iter().map(|l| (l.id.clone(), l)).collect())
}

/// A course's modules in order (without lessons).
pub async fn modules(conn: &mut AnyConnection, course_id: &CourseId) -> Result<Vec<Module>, AppError> {
    let course_id = course_id.as_str();
    Ok(repo::outline::modules(conn, course_id).await?)
}

/// The lessons of several courses in outline order, without bodies (one query).
pub async fn lesson_refs(conn: &mut AnyConnection, course_ids: &[CourseId]) -> Result<Vec<LessonRef>, AppError> {
    Ok(repo::outline::lesson_refs(conn, &ids::strings(course_ids)).await?)
}

pub async fn lesson_count(conn: &mut AnyConnection, course_id: &CourseId) -> Result<i64, AppError> {
    let course_id = course_id.as_str();
    Ok(repo::outline::lesson_count(conn, course_id).await?)
}

pub async fn categories(conn: &mut AnyConnection) -> Result<Vec<Category>, AppError> {
    Ok(repo::courses::categories(conn).await?)
}

pub async fn tags(conn: &mut AnyConnection, course_id: &CourseId) -> Result<Vec<String>, AppError> {
    let course_id = course_id.as_str();
    Ok(repo::courses::tags(conn, course_id).await?)
}
