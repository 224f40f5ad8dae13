//! `/api/v1/progress/…` and `/api/v1/courses/{id}/progress` (tag `progress`).

use axum::{
    Json,
    extract::{Path, State},
};
use lyceum_platform::ids::{CourseId, LessonId};
use lyceum_platform::{
    AppResult, AppState,
    auth::CurrentUser,
    http::{
        errors::Problem,
        extract::{ApiJson, ApiQuery},
    },
    keyset::PageParams,
};

use super::dto::*;
use crate::service::{
    mine,
    progress::{self, ProgressInput},
    staff,
};

/// Record a lesson's completion and/or video position (enrolled learners only:
/// others 403 `enrollment-required`, or 404 when the course is hidden from them).
/// Completing the last lesson completes the course and issues its certificate.
#[utoipa::path(put, operation_id = "record_lesson_progress", path = "/api/v1/progress/lessons/{lesson_id}", security(("bearer" = []), ("session" = [])),
    tag = "progress", params(("lesson_id" = String, Path)), request_body = ProgressBody,
    responses((status = 200, body = LessonProgressDto), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn put_lesson_progress(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(lesson_id): Path<LessonId>,
    ApiJson(body): ApiJson<ProgressBody>,
) -> AppResult<Json<LessonProgressDto>> {
    let input = ProgressInput { completed: body.completed, position_seconds: body.position_seconds };
    let recorded = progress::record(&state, &v, &lesson_id, input).await?;
    Ok(Json(LessonProgressDto::new(&recorded.lesson, &recorded)))
}

/// Your enrolled courses with progress and the lesson to continue with, newest enrollment first.
#[utoipa::path(get, operation_id = "list_my_course_progress", path = "/api/v1/progress/courses", security(("bearer" = []), ("session" = [])),
    tag = "progress", params(PageParams),
    responses((status = 200, body = MyCourseList), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn my_courses(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    ApiQuery(q): ApiQuery<PageParams>,
) -> AppResult<Json<MyCourseList>> {
    let found = mine::list(&state, &v, &q.request()?).await?;
    Ok(Json(MyCourseList {
        items: found.items.iter().map(MyCourseDto::from).collect(),
        next_cursor: found.next_cursor,
    }))
}

/// Your progress in one course: per module and overall, completed lessons, positions, continue lesson.
#[utoipa::path(get, operation_id = "get_my_course_progress", path = "/api/v1/progress/courses/{course_id}", security(("bearer" = []), ("session" = [])),
    tag = "progress", params(("course_id" = String, Path)),
    responses((status = 200, body = CourseProgressDto), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn course_progress(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(course_id): Path<CourseId>,
) -> AppResult<Json<CourseProgressDto>> {
    Ok(Json(CourseProgressDto::from(&progress::course_progress(&state, &v, &course_id).await?)))
}

/// Per-learner progress in a course, for its instructors and admins; newest enrollment first.
#[utoipa::path(get, operation_id = "list_learners_progress", path = "/api/v1/courses/{id}/progress", security(("bearer" = []), ("session" = [])),
    tag = "progress", params(("id" = String, Path), PageParams),
    responses((status = 200, body = LearnerProgressList), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn learners_progress(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<CourseId>,
    ApiQuery(q): ApiQuery<PageParams>,
) -> AppResult<Json<LearnerProgressList>> {
    let table = staff::table(&state, &v, &id, &q.request()?).await?;
    Ok(Json(LearnerProgressList {
        items: table.rows.iter().map(LearnerProgressDto::from).collect(),
        next_cursor: table.next_cursor,
    }))
}
