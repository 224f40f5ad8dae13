//! `/api/v1/…/modules…` and `/api/v1/…/lessons…`.

use axum::{
    Json,
    extract::{
        Multipart, Path, State,
        multipart::{Field, MultipartRejection},
    },
    http::StatusCode,
};
use lyceum_platform::ids::{CourseId, LessonId, ModuleId};
use lyceum_platform::{
    AppResult, AppState,
    auth::CurrentUser,
    http::{
        errors::Problem,
        extract::{ApiJson, ApiQuery},
    },
};

use super::{ForceQuery, dto::*};
use crate::http::upload::{self, TextFields};
use crate::service::{
    images, media,
    outline::{self, LessonInput},
};

impl From<LessonBody> for LessonInput {
    fn from(b: LessonBody) -> Self {
        Self {
            title: b.title,
            kind: b.kind.map(|k| k.as_str().to_string()),
            body: b.body,
            video_url: b.video_url,
            duration_minutes: b.duration_minutes,
            is_preview: b.is_preview,
            module_id: b.module_id.map(ModuleId::from),
        }
    }
}

/// Add a module at the end of a course.
#[utoipa::path(post, path = "/api/v1/courses/{id}/modules", security(("bearer" = []), ("session" = [])), tag = "courses",
    params(("id" = String, Path)), request_body = ModuleBody,
    responses((status = 201, body = ModuleDto), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create_module(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<CourseId>,
    ApiJson(body): ApiJson<ModuleBody>,
) -> AppResult<(StatusCode, Json<ModuleDto>)> {
    Ok((StatusCode::CREATED, Json(outline::create_module(&state, &v, &id, &body.title).await?.into())))
}

/// Rename a module.
#[utoipa::path(patch, path = "/api/v1/modules/{id}", security(("bearer" = []), ("session" = [])), tag = "courses",
    params(("id" = String, Path)), request_body = ModuleBody,
    responses((status = 200, body = ModuleDto), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update_module(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<ModuleId>,
    ApiJson(body): ApiJson<ModuleBody>,
) -> AppResult<Json<ModuleDto>> {
    Ok(Json(outline::rename_module(&state, &v, &id, &body.title).await?.into()))
}

/// Delete a module and its lessons; 409 `course-has-enrollments` unless `force=true` when learners are enrolled.
#[utoipa::path(delete, path = "/api/v1/modules/{id}", security(("bearer" = []), ("session" = [])), tag = "courses",
    params(("id" = String, Path), ForceQuery),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn delete_module(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<ModuleId>,
    ApiQuery(q): ApiQuery<ForceQuery>,
) -> AppResult<StatusCode> {
    outline::delete_module(&state, &v, &id, q.force).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Reorder a course's modules: `ids` lists every module exactly once (else 422).
#[utoipa::path(put, path = "/api/v1/courses/{id}/modules/order", security(("bearer" = []), ("session" = [])),
    tag = "courses", params(("id" = String, Path)), request_body = OrderBody,
    responses((status = 200, body = ModuleList), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn reorder_modules(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<CourseId>,
    ApiJson(body): ApiJson<OrderBody>,
) -> AppResult<Json<ModuleList>> {
    let ids: Vec<ModuleId> = body.ids.into_iter().map(ModuleId::from).collect();
    let outline = outline::reorder_modules(&state, &v, &id, &ids).await?;
    Ok(Json(ModuleList { items: outline.into_iter().map(ModuleDto::from).collect() }))
}

/// Add a lesson at the end of a module.
#[utoipa::path(post, path = "/api/v1/modules/{id}/lessons", security(("bearer" = []), ("session" = [])), tag = "courses",
    params(("id" = String, Path)), request_body = LessonBody,
    responses((status = 201, body = LessonDto), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create_lesson(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<ModuleId>,
    ApiJson(body): ApiJson<LessonBody>,
) -> AppResult<(StatusCode, Json<LessonDto>)> {
    Ok((StatusCode::CREATED, Json(outline::create_lesson(&state, &v, &id, body.into()).await?.into())))
}

/// A lesson, for its course's instructors and admins.
#[utoipa::path(get, path = "/api/v1/lessons/{id}", security(("bearer" = []), ("session" = [])), tag = "courses",
    params(("id" = String, Path)),
    responses((status = 200, body = LessonDto), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn get_lesson(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<LessonId>,
) -> AppResult<Json<LessonDto>> {
    Ok(Json(outline::get_lesson(&state, &v, &id).await?.0.into()))
}

/// Edit a lesson; omitted fields stay as they are.
#[utoipa::path(patch, path = "/api/v1/lessons/{id}", security(("bearer" = []), ("session" = [])), tag = "courses",
    params(("id" = String, Path)), request_body = LessonBody,
    responses((status = 200, body = LessonDto), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update_lesson(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<LessonId>,
    ApiJson(body): ApiJson<LessonBody>,
) -> AppResult<Json<LessonDto>> {
    Ok(Json(outline::update_lesson(&state, &v, &id, body.into()).await?.into()))
}

/// Delete a lesson and its file; 409 `course-has-enrollments` unless `force=true` when learners are enrolled.
#[utoipa::path(delete, path = "/api/v1/lessons/{id}", security(("bearer" = []), ("session" = [])), tag = "courses",
    params(("id" = String, Path), ForceQuery),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn delete_lesson(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<LessonId>,
    ApiQuery(q): ApiQuery<ForceQuery>,
) -> AppResult<StatusCode> {
    outline::delete_lesson(&state, &v, &id, q.force).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Reorder a module's lessons: `ids` lists every lesson of the module exactly once (else 422).
#[utoipa::path(put, path = "/api/v1/modules/{id}/lessons/order", security(("bearer" = []), ("session" = [])),
    tag = "courses", params(("id" = String, Path)), request_body = OrderBody,
    responses((status = 200, body = LessonList), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn reorder_lessons(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<ModuleId>,
    ApiJson(body): ApiJson<OrderBody>,
) -> AppResult<Json<LessonList>> {
    let ids: Vec<LessonId> = body.ids.into_iter().map(LessonId::from).collect();
    let lessons = outline::reorder_lessons(&state, &v, &id, &ids).await?;
    Ok(Json(LessonList { items: lessons.into_iter().map(LessonDto::from).collect() }))
}

/// Upload a lesson's file (multipart field `media`). Video lessons take MP4 or
/// WebM; file lessons PDF, ZIP (Office, EPUB), PNG, JPEG or plain text. The type
/// is decided by the content; a name promising another type is refused.
#[utoipa::path(put, operation_id = "upload_lesson_media", path = "/api/v1/lessons/{id}/media", security(("bearer" = []), ("session" = [])), tag = "courses",
    params(("id" = String, Path)),
    request_body(content = MediaUpload, content_type = "multipart/form-data", description = "field `media`: the file; before it, optionally `kind` (`video` or `file`), the kind the lesson becomes with it"),
    responses((status = 200, body = LessonDto), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 413, body = Problem), (status = 415, body = Problem),
        (status = 422, body = Problem)))]
pub async fn upload_media(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<LessonId>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Json<LessonDto>> {
    let store = async |field: Field<'_>, name: String, fields: TextFields| {
        let becomes = upload::lesson_kind(fields.get("kind"))?;
        media::set_lesson_media(&state, &v, &id, field, &name, becomes).await
    };
    Ok(Json(upload::stream(multipart, "media", store).await?.into()))
}

/// Upload an image into a lesson (multipart field `image`: PNG, JPEG, GIF or
/// WebP, decided by the content). It is stored re-encoded, without metadata;
/// the answer's `markdown` shows it in the lesson's body. Learners get it with
/// the lesson's access rule.
#[utoipa::path(post, operation_id = "upload_lesson_image", path = "/api/v1/lessons/{id}/images", security(("bearer" = []), ("session" = [])), tag = "courses",
    params(("id" = String, Path)),
    request_body(content = ImageUpload, content_type = "multipart/form-data", description = "field `image`: the image"),
    responses((status = 201, body = LessonImageDto), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 413, body = Problem), (status = 415, body = Problem),
        (status = 422, body = Problem)))]
pub async fn upload_image(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<LessonId>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<(StatusCode, Json<LessonImageDto>)> {
    let (data, _) = crate::http::upload::read(multipart, "image").await?;
    Ok((StatusCode::CREATED, Json(images::add(&state, &v, &id, data).await?.into())))
}

/// The images uploaded into a lesson, oldest first (its editors only).
#[utoipa::path(get, operation_id = "list_lesson_images", path = "/api/v1/lessons/{id}/images", security(("bearer" = []), ("session" = [])), tag = "courses",
    params(("id" = String, Path)),
    responses((status = 200, body = LessonImageList), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn list_images(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<LessonId>,
) -> AppResult<Json<LessonImageList>> {
    let items = images::list(&state, &v, &id).await?.into_iter().map(LessonImageDto::from).collect();
    Ok(Json(LessonImageList { items }))
}
