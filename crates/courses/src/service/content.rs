//! A course's content as learners read it — the course, its outline, who
//! teaches it, and each lesson with its body rendered — cached under
//! [`CATALOG_CACHE`], which every course change bumps after its commit. The
//! lesson view reads these instead of five queries and a markdown render per
//! request. No access checks: the caller applies the content rule.

use std::{sync::Arc, time::Duration};

use lyceum_platform::{
    AppError, AppState,
    db::{ConnSource, LazyConn},
    ids::{CourseId, LessonId},
};
use serde::{Deserialize, Serialize};

use super::CATALOG_CACHE;
use crate::{
    model::{Course, Lesson, LessonRef, Module},
    repo,
};

/// How long an entry lives when nothing changes (a change drops it at once).
const TTL: Duration = Duration::from_secs(300);

/// A course with its outline and its teachers.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CourseContent {
    pub course: Course,
    pub modules: Vec<Module>,
    /// Every lesson, in outline order (module position, then lesson position).
    pub lessons: Vec<LessonRef>,
    /// The owner and co-instructors.
    pub instructor_ids: Vec<String>,
}

impl CourseContent {
    pub fn teaches(&self, user_id: &str) -> bool {
        self.instructor_ids.iter().any(|id| id == user_id)
    }
}

/// A lesson and its body as sanitised HTML, rendered once per change.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RenderedLesson {
    pub lesson: Lesson,
    pub body_html: String,
}

/// Course `course_id`'s content, `None` when there is no such course. Shared
/// with the cache: the hot paths read it without copying it.
/// Call it holding no pooled connection: a miss takes one of its own.
pub async fn course(state: &AppState, course_id: &CourseId) -> Result<Option<Arc<CourseContent>>, AppError> {
    course_on(state, &mut LazyConn::new(&state.db), course_id).await
}

/// [`course`] for a caller that holds a connection (or a transaction): a
/// miss is read on it. Taking a second pooled connection while holding one
/// could empty the pool when many requests miss at once.
pub async fn course_on(
    state: &AppState,
    conn: &mut impl ConnSource,
    course_id: &CourseId,
) -> Result<Option<Arc<CourseContent>>, AppError> {
    let course_id = course_id.as_str();
    let key = format!("content:{course_id}");
    found(state.cache.get_or_load_shared(CATALOG_CACHE, &key, TTL, load_course(conn, course_id)).await)
}

async fn load_course(conn: &mut impl ConnSource, course_id: &str) -> Result<CourseContent, Missing> {
    let conn = conn.conn().await?;
    let course = repo::courses::by_id(conn, course_id).await?.ok_or(Missing::NotFound)?;
    let modules = repo::outline::modules(conn, course_id).await?;
    let lessons = repo::outline::lesson_refs(conn, std::slice::from_ref(&course.id)).await?;
    let instructor_ids = repo::instructors::list(conn, course_id).await?.into_iter().map(|(id, _)| id).collect();
    Ok(CourseContent { course, modules, lessons, instructor_ids })
}

/// Lesson `lesson_id` with its body rendered, `None` when there is no such
/// lesson. Shared with the cache, as [`course`].
pub async fn lesson(state: &AppState, lesson_id: &LessonId) -> Result<Option<Arc<RenderedLesson>>, AppError> {
    let lesson_id = lesson_id.as_str();
    let key = format!("lesson:{lesson_id}");
    found(state.cache.get_or_load_shared(CATALOG_CACHE, &key, TTL, load_lesson(state, lesson_id)).await)
}

async fn load_lesson(state: &AppState, lesson_id: &str) -> Result<RenderedLesson, Missing> {
    let mut conn = state.db.pool().acquire().await?;
    let lesson = repo::outline::lesson(&mut conn, lesson_id).await?.ok_or(Missing::NotFound)?;
    Ok(RenderedLesson { body_html: lesson.body_html(), lesson })
}

/// Why a load found nothing to keep: what is not there is not cached (a
/// request for it reads again), a fault is returned.
enum Missing {
    NotFound,
    Fault(AppError),
}

impl From<sqlx::Error> for Missing {
    fn from(e: sqlx::Error) -> Self {
        Self::Fault(e.into())
    }
}

fn found<T>(loaded: Result<Arc<T>, Missing>) -> Result<Option<Arc<T>>, AppError> {
    match loaded {
        Ok(value) => Ok(Some(value)),
        Err(Missing::NotFound) => Ok(None),
        Err(Missing::Fault(e)) => Err(e),
    }
}
