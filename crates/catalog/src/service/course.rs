//! The course page: the cached view-model of a published course, and what
//! this viewer may do with it (enroll, continue, edit).

use lyceum_courses::{
    model::{self as courses_model, Course},
    service::{access, instructors, outline, read},
};
use lyceum_platform::ids::CourseId;
use lyceum_platform::{AppError, AppState, auth::Viewer, db};
use sqlx::AnyConnection;

use super::{CACHE_TTL, CATALOG_CACHE};
use crate::model::{CategoryRef, CourseDetail, InstructorRef, Price, SyllabusLesson, SyllabusModule};

/// A course page for one viewer.
pub struct CoursePage {
    pub detail: CourseDetail,
    /// The viewer has an active enrollment.
    pub enrolled: bool,
    /// The viewer teaches the course or is an administrator.
    pub staff: bool,
}

/// A published course (cached), or — for its staff only — a draft or archived
/// one (not cached). Anyone else gets 404 for a course outside the catalog.
pub async fn detail(state: &AppState, viewer: Option<&Viewer>, slug: &str) -> Result<CourseDetail, AppError> {
    // Only well-formed slugs reach the cache, so junk paths cannot fill it.
    courses_model::parse_slug(slug).map_err(|_| AppError::not_found())?;
    let key = format!("course:{slug}");
    let published: Option<CourseDetail> =
        state.cache.get_or_load_json(CATALOG_CACHE, &key, CACHE_TTL, load_published(state, slug)).await?;
    match (published, viewer) {
        (Some(detail), _) => Ok(detail),
        (None, Some(viewer)) => staff_preview(state, viewer, slug).await,
        (None, None) => Err(AppError::not_found()),
    }
}

/// The course page with the viewer's relation to it. Anonymous viewers cost
/// no SQL on a cache hit; signed-in ones one query (their enrollment).
pub async fn page(state: &AppState, viewer: Option<&Viewer>, slug: &str) -> Result<CoursePage, AppError> {
    let detail = detail(state, viewer, slug).await?;
    let Some(viewer) = viewer else { return Ok(CoursePage { detail, enrolled: false, staff: false }) };
    let staff = is_staff(&detail, viewer);
    let mut conn = state.db.pool().acquire().await?;
    let enrolled = lyceum_enrollment::is_active(&mut conn, &CourseId::from(&detail.id), &viewer.id()).await?;
    Ok(CoursePage { detail, enrolled, staff })
}

/// The one staff rule (`courses::service::access`), given the page's instructor list.
fn is_staff(detail: &CourseDetail, viewer: &Viewer) -> bool {
    access::is_staff_given(viewer, detail.instructors.iter().any(|i| i.user_id == viewer.user_id))
}

async fn load_published(state: &AppState, slug: &str) -> Result<Option<CourseDetail>, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    match read::course_by_slug(&mut conn, slug).await? {
        Some(course) if course.state == "published" => Ok(Some(build(&mut conn, course).await?)),
        _ => Ok(None),
    }
}

async fn staff_preview(state: &AppState, viewer: &Viewer, slug: &str) -> Result<CourseDetail, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let course = read::course_by_slug(&mut conn, slug).await?.ok_or_else(AppError::not_found)?;
    let detail = build(&mut conn, course).await?;
    if is_staff(&detail, viewer) { Ok(detail) } else { Err(AppError::not_found()) }
}

/// Everything the page shows, in a fixed number of queries (no per-module or per-lesson query).
async fn build(conn: &mut AnyConnection, course: Course) -> Result<CourseDetail, AppError> {
    let category = read::categories(conn)
        .await?
        .into_iter()
        .find(|c| Some(&c.id) == course.category_id.as_ref())
        .map(|c| CategoryRef { slug: c.slug, name: c.name });
    let tags = read::tags(conn, &CourseId::from(&course.id)).await?;
    let instructors = instructors::of(conn, &CourseId::from(&course.id))
        .await?
        .into_iter()
        .map(|i| InstructorRef { user_id: i.user_id, display_name: i.display_name })
        .collect();
    let modules: Vec<SyllabusModule> = outline::load(conn, &CourseId::from(&course.id))
        .await?
        .into_iter()
        .map(|m| {
            let lessons: Vec<SyllabusLesson> = m
                .lessons
                .iter()
                .map(|l| SyllabusLesson {
                    id: l.id.clone(),
                    title: l.title.clone(),
                    kind: l.kind.clone(),
                    duration_minutes: l.duration_minutes,
                    preview: l.preview(),
                })
                .collect();
            let duration_minutes = lessons.iter().map(|l| l.duration_minutes).sum();
            SyllabusModule { id: m.module.id, title: m.module.title, duration_minutes, lessons }
        })
        .collect();
    let lesson_count = modules.iter().map(|m| m.lessons.len() as i64).sum();
    let duration_minutes = modules.iter().map(|m| m.duration_minutes).sum();
    Ok(CourseDetail {
        description_html: course.description_html(),
        cover_url: course.cover_url(),
        seats_left: course.seat_limit.map(|limit| (limit - course.enrolled_count).max(0)),
        price: Price::of(course.price_minor, course.currency),
        published_at: course.published_at.map(db::rfc3339),
        id: course.id,
        slug: course.slug,
        title: course.title,
        summary: course.summary,
        category,
        level: course.level,
        language: course.language,
        tags,
        instructors,
        enrolled_count: course.enrolled_count,
        seat_limit: course.seat_limit,
        state: course.state,
        modules,
        lesson_count,
        duration_minutes,
    })
}
