//! `/api/v1/courses…` and `/api/v1/categories`.

use axum::{
    Json,
    extract::{Multipart, Path, State, multipart::MultipartRejection},
    http::StatusCode,
};
use lyceum_platform::ids::{CourseId, UserId};
use lyceum_platform::{
    AppError, AppResult, AppState, Text,
    auth::CurrentUser,
    http::{
        errors::Problem,
        extract::{ApiJson, ApiQuery},
    },
    keyset::PageParams,
};

use super::{ForceQuery, dto::*};
use crate::{
    model::CourseState,
    service::{
        courses::{self, CourseInput},
        instructors::{self, Who},
        media,
    },
};

impl From<CourseBody> for CourseInput {
    fn from(b: CourseBody) -> Self {
        Self {
            title: b.title,
            slug: b.slug,
            summary: b.summary,
            description: b.description,
            category: b.category,
            level: b.level.map(|l| l.as_str().to_string()),
            language: b.language,
            tags: b.tags,
            price_minor: b.price_minor,
            currency: b.currency,
            seat_limit: b.seat_limit,
        }
    }
}

/// Courses you teach (admins: every course), newest first.
#[utoipa::path(get, path = "/api/v1/courses", security(("bearer" = []), ("session" = [])), tag = "courses",
    params(PageParams),
    responses((status = 200, body = CourseList), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn list_courses(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    ApiQuery(p): ApiQuery<PageParams>,
) -> AppResult<Json<CourseList>> {
    let page = courses::list(&state, &v, &p.request()?).await?;
    Ok(Json(CourseList {
        items: page.items.iter().map(CourseSummaryDto::from).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// Create a course (instructors and admins); it starts as a draft with you as owner.
#[utoipa::path(post, path = "/api/v1/courses", security(("bearer" = []), ("session" = [])), tag = "courses",
    request_body = NewCourseBody,
    responses((status = 201, body = CourseDto), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, body = Problem)))]
pub async fn create_course(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    ApiJson(body): ApiJson<CourseBody>,
) -> AppResult<(StatusCode, Json<CourseDto>)> {
    Ok((StatusCode::CREATED, Json(courses::create(&state, &v, body.into()).await?.into())))
}

/// A course with its outline, for its instructors and admins. Another
/// instructor's draft is 404; a published course you do not teach is 403.
#[utoipa::path(get, path = "/api/v1/courses/{id}", security(("bearer" = []), ("session" = [])), tag = "courses",
    params(("id" = String, Path)),
    responses((status = 200, body = CourseDto), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn get_course(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<CourseId>,
) -> AppResult<Json<CourseDto>> {
    Ok(Json(courses::get(&state, &v, &id).await?.into()))
}

/// Edit a course; omitted fields stay, every invalid field is reported at once.
#[utoipa::path(patch, path = "/api/v1/courses/{id}", security(("bearer" = []), ("session" = [])), tag = "courses",
    params(("id" = String, Path)), request_body = CourseBody,
    responses((status = 200, body = CourseDto), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update_course(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<CourseId>,
    ApiJson(body): ApiJson<CourseBody>,
) -> AppResult<Json<CourseDto>> {
    Ok(Json(courses::update(&state, &v, &id, body.into()).await?.into()))
}

/// Delete a course with its modules, lessons and files (owner or admin). With
/// learners enrolled it answers 409 `course-has-enrollments` unless `force=true`.
#[utoipa::path(delete, path = "/api/v1/courses/{id}", security(("bearer" = []), ("session" = [])), tag = "courses",
    params(("id" = String, Path), ForceQuery),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn delete_course(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<CourseId>,
    ApiQuery(q): ApiQuery<ForceQuery>,
) -> AppResult<StatusCode> {
    courses::delete(&state, &v, &id, q.force).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn transition(
    state: &AppState,
    v: &lyceum_platform::auth::Viewer,
    id: &CourseId,
    to: CourseState,
) -> AppResult<Json<CourseDto>> {
    Ok(Json(courses::transition(state, v, id, to).await?.into()))
}

/// Publish a draft or archived course. Without a lesson: 422 `course-has-no-lessons`.
#[utoipa::path(post, path = "/api/v1/courses/{id}/publish", security(("bearer" = []), ("session" = [])), tag = "courses",
    params(("id" = String, Path)),
    responses((status = 200, body = CourseDto), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn publish_course(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<CourseId>,
) -> AppResult<Json<CourseDto>> {
    transition(&state, &v, &id, CourseState::Published).await
}

/// Archive a published course (it leaves the catalog; enrolled learners keep it).
#[utoipa::path(post, path = "/api/v1/courses/{id}/archive", security(("bearer" = []), ("session" = [])), tag = "courses",
    params(("id" = String, Path)),
    responses((status = 200, body = CourseDto), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn archive_course(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<CourseId>,
) -> AppResult<Json<CourseDto>> {
    transition(&state, &v, &id, CourseState::Archived).await
}

/// Take a published or archived course back to draft.
#[utoipa::path(post, path = "/api/v1/courses/{id}/unpublish", security(("bearer" = []), ("session" = [])), tag = "courses",
    params(("id" = String, Path)),
    responses((status = 200, body = CourseDto), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn unpublish_course(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<CourseId>,
) -> AppResult<Json<CourseDto>> {
    transition(&state, &v, &id, CourseState::Draft).await
}

/// Upload the cover (multipart field `cover`: PNG, JPEG, GIF or WebP, at most
/// `uploads.cover_max_bytes`); stored as a JPEG of at most 1600×900.
#[utoipa::path(put, operation_id = "upload_course_cover", path = "/api/v1/courses/{id}/cover", security(("bearer" = []), ("session" = [])), tag = "courses",
    params(("id" = String, Path)),
    request_body(content = CoverUpload, content_type = "multipart/form-data", description = "field `cover`: the image file"),
    responses((status = 200, body = CourseSummaryDto), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 413, body = Problem), (status = 415, body = Problem),
        (status = 422, body = Problem)))]
pub async fn upload_cover(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<CourseId>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Json<CourseSummaryDto>> {
    let (data, _) = crate::http::upload::read(multipart, "cover").await?;
    Ok(Json((&media::set_cover(&state, &v, &id, data).await?).into()))
}

/// The course's owner and co-instructors.
#[utoipa::path(get, path = "/api/v1/courses/{id}/instructors", security(("bearer" = []), ("session" = [])), tag = "courses",
    params(("id" = String, Path)),
    responses((status = 200, body = InstructorList), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn list_instructors(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<CourseId>,
) -> AppResult<Json<InstructorList>> {
    let all = instructors::list(&state, &v, &id).await?;
    Ok(Json(InstructorList { items: all.into_iter().map(InstructorDto::from).collect() }))
}

/// Add a co-instructor by `email` or `user_id` (an instructor or admin account).
#[utoipa::path(post, path = "/api/v1/courses/{id}/instructors", security(("bearer" = []), ("session" = [])), tag = "courses",
    params(("id" = String, Path)), request_body = InstructorBody,
    responses((status = 200, body = InstructorList), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_instructor(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<CourseId>,
    ApiJson(body): ApiJson<InstructorBody>,
) -> AppResult<Json<InstructorList>> {
    let who = match (body.email.filter(|e| !e.trim().is_empty()), body.user_id.filter(|u| !u.trim().is_empty())) {
        (Some(email), None) => Who::Email(email),
        (None, Some(user_id)) => Who::UserId(user_id),
        _ => return Err(AppError::field("email", Text::new("courses.errors.instructor_who"))),
    };
    let all = instructors::add(&state, &v, &id, who).await?;
    Ok(Json(InstructorList { items: all.into_iter().map(InstructorDto::from).collect() }))
}

/// Remove a co-instructor; the owner cannot be removed (409 `owner-required`).
#[utoipa::path(delete, path = "/api/v1/courses/{id}/instructors/{user_id}", security(("bearer" = []), ("session" = [])),
    tag = "courses", params(("id" = String, Path), ("user_id" = String, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn remove_instructor(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path((id, user_id)): Path<(CourseId, UserId)>,
) -> AppResult<StatusCode> {
    instructors::remove(&state, &v, &id, &user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Course categories, in display order (public).
#[utoipa::path(get, path = "/api/v1/categories", tag = "courses", responses((status = 200, body = CategoryList)))]
pub async fn list_categories(State(state): State<AppState>) -> AppResult<Json<CategoryList>> {
    let items = courses::categories(&state).await?.into_iter().map(CategoryDto::from).collect();
    Ok(Json(CategoryList { items }))
}
