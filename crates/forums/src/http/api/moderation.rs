//! Moderation and flags over the API: `/api/v1/forums/threads/{thread_id}/pinned`,
//! `…/locked`, `…/move`, `/api/v1/forums/posts/{post_id}/hidden`, `…/flags`,
//! the queues (`/api/v1/forums/courses/{course_id}/flags`,
//! `/api/v1/admin/forum-flags`) and `/api/v1/forums/flags/{flag_id}/resolve`.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use lyceum_platform::{
    AppResult, AppState,
    auth::{CurrentUser, Viewer},
    db::rfc3339,
    http::{
        errors::Problem,
        extract::{ApiJson, ApiQuery},
    },
    ids::CourseId,
    keyset::{PageParams, Paged},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::dto::ThreadDto;
use crate::{
    model::{ForumId, Post, PostId, ThreadId},
    repo::flags::QueuedFlag,
    service::{
        flags::{self, FlagId, FlagView, Resolution},
        forums::CourseRef,
        moderation,
    },
};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveBody {
    /// Another forum of the thread's course (not the announcements forum).
    pub forum_id: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonBody {
    /// Why, in at most 500 characters. A hidden post's author is shown it.
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolveBody {
    /// `hide` the post (resolving every open flag on it) or `dismiss` this flag.
    pub action: Resolution,
    /// For `hide`: the reason its author is shown (the flag's reason when left out).
    pub reason: Option<String>,
}

/// A post as moderation left it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ModeratedPostDto {
    pub id: String,
    pub thread_id: String,
    pub seq: i64,
    pub author_id: String,
    pub hidden: bool,
    /// The reason its author is shown, while hidden.
    pub hidden_reason: Option<String>,
    pub hidden_at: Option<String>,
    /// Who hid it.
    pub hidden_by: Option<String>,
}

impl From<&Post> for ModeratedPostDto {
    fn from(p: &Post) -> Self {
        Self {
            id: p.id.clone(),
            thread_id: p.thread_id.clone(),
            seq: p.seq,
            author_id: p.author_id.clone(),
            hidden: p.is_hidden(),
            hidden_reason: p.hidden_reason.clone(),
            hidden_at: p.hidden_at.map(rfc3339),
            hidden_by: p.hidden_by.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FlagDto {
    pub id: String,
    pub post_id: String,
    pub thread_id: String,
    pub course_id: String,
    /// Who flagged the post.
    pub user_id: String,
    pub reason: String,
    pub created_at: String,
    /// `hidden` or `dismissed`, once resolved.
    pub resolution: Option<String>,
    pub resolved_at: Option<String>,
    pub resolved_by: Option<String>,
}

impl From<&QueuedFlag> for FlagDto {
    fn from(f: &QueuedFlag) -> Self {
        Self {
            id: f.id.clone(),
            post_id: f.post_id.clone(),
            thread_id: f.thread_id.clone(),
            course_id: f.course_id.clone(),
            user_id: f.user_id.clone(),
            reason: f.reason.clone(),
            created_at: rfc3339(f.created_at),
            resolution: f.resolution.clone(),
            resolved_at: f.resolved_at.map(rfc3339),
            resolved_by: f.resolved_by.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QueuedFlagDto {
    #[serde(flatten)]
    pub flag: FlagDto,
    pub flagged_by_name: String,
    pub thread_title: String,
    /// The post's number in its thread.
    pub seq: i64,
    pub post_author_id: String,
    pub post_author_name: String,
    /// The post's markdown text, as its author wrote it.
    pub post_body: String,
    pub post_hidden: bool,
    pub post_deleted: bool,
    pub course_title: String,
    pub course_slug: String,
}

impl From<&FlagView> for QueuedFlagDto {
    fn from(v: &FlagView) -> Self {
        let f = &v.flag;
        Self {
            flag: f.into(),
            flagged_by_name: v.flagged_by_name.clone(),
            thread_title: f.thread_title.clone(),
            seq: f.seq,
            post_author_id: f.post_author_id.clone(),
            post_author_name: v.post_author_name.clone(),
            post_body: f.post_body.clone(),
            post_hidden: f.post_hidden_at.is_some(),
            post_deleted: f.post_deleted_at.is_some(),
            course_title: v.course_title.clone(),
            course_slug: v.course_slug.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FlagListDto {
    pub items: Vec<QueuedFlagDto>,
    pub next_cursor: Option<String>,
}

impl From<&Paged<FlagView>> for FlagListDto {
    fn from(p: &Paged<FlagView>) -> Self {
        Self { items: p.items.iter().map(Into::into).collect(), next_cursor: p.next_cursor.clone() }
    }
}

async fn pin(state: &AppState, v: &Viewer, id: String, on: bool) -> AppResult<Json<ThreadDto>> {
    Ok(Json((&moderation::set_pinned(state, v, &ThreadId::from(id), on).await?).into()))
}

async fn lock(state: &AppState, v: &Viewer, id: String, on: bool) -> AppResult<Json<ThreadDto>> {
    Ok(Json((&moderation::set_locked(state, v, &ThreadId::from(id), on).await?).into()))
}

/// Staff: pin the thread at the top of its forum. 403 `staff-only` for learners.
#[utoipa::path(put, path = "/api/v1/forums/threads/{thread_id}/pinned", security(("bearer" = []), ("session" = [])), tag = "forums",
    params(("thread_id" = String, Path)),
    responses((status = 200, body = ThreadDto), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn pin_thread(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(thread_id): Path<String>,
) -> AppResult<Json<ThreadDto>> {
    pin(&state, &v, thread_id, true).await
}

/// Staff: unpin the thread.
#[utoipa::path(delete, path = "/api/v1/forums/threads/{thread_id}/pinned", security(("bearer" = []), ("session" = [])), tag = "forums",
    params(("thread_id" = String, Path)),
    responses((status = 200, body = ThreadDto), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn unpin_thread(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(thread_id): Path<String>,
) -> AppResult<Json<ThreadDto>> {
    pin(&state, &v, thread_id, false).await
}

/// Staff: lock the thread — only staff reply to it then (learners get 409 `thread-locked`).
#[utoipa::path(put, path = "/api/v1/forums/threads/{thread_id}/locked", security(("bearer" = []), ("session" = [])), tag = "forums",
    params(("thread_id" = String, Path)),
    responses((status = 200, body = ThreadDto), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn lock_thread(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(thread_id): Path<String>,
) -> AppResult<Json<ThreadDto>> {
    lock(&state, &v, thread_id, true).await
}

/// Staff: unlock the thread.
#[utoipa::path(delete, path = "/api/v1/forums/threads/{thread_id}/locked", security(("bearer" = []), ("session" = [])), tag = "forums",
    params(("thread_id" = String, Path)),
    responses((status = 200, body = ThreadDto), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn unlock_thread(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(thread_id): Path<String>,
) -> AppResult<Json<ThreadDto>> {
    lock(&state, &v, thread_id, false).await
}

/// Staff: move the thread, with its posts, to another forum of its course.
/// 422 on `forum_id` for a forum of another course or the announcements forum.
#[utoipa::path(post, path = "/api/v1/forums/threads/{thread_id}/move", security(("bearer" = []), ("session" = [])), tag = "forums",
    params(("thread_id" = String, Path)),
    request_body = MoveBody,
    responses((status = 200, body = ThreadDto), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem),
        (status = 422, body = Problem)))]
pub async fn move_thread(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(thread_id): Path<String>,
    ApiJson(body): ApiJson<MoveBody>,
) -> AppResult<Json<ThreadDto>> {
    let thread = moderation::move_thread(&state, &v, &ThreadId::from(thread_id), &ForumId::from(body.forum_id)).await?;
    Ok(Json((&thread).into()))
}

/// Staff: hide the post from everyone but its author (who is shown the
/// reason) and staff; it leaves search, and its open flags are resolved.
/// Again on a hidden post: a new reason. 409 `post-gone` for a deleted post.
#[utoipa::path(put, path = "/api/v1/forums/posts/{post_id}/hidden", security(("bearer" = []), ("session" = [])), tag = "forums",
    params(("post_id" = String, Path)),
    request_body = ReasonBody,
    responses((status = 200, body = ModeratedPostDto), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 415, body = Problem), (status = 422, body = Problem)))]
pub async fn hide_post(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(post_id): Path<String>,
    ApiJson(body): ApiJson<ReasonBody>,
) -> AppResult<Json<ModeratedPostDto>> {
    let post = moderation::hide(&state, &v, &PostId::from(post_id), &body.reason).await?;
    Ok(Json((&post).into()))
}

/// Staff: show a hidden post again.
#[utoipa::path(delete, path = "/api/v1/forums/posts/{post_id}/hidden", security(("bearer" = []), ("session" = [])), tag = "forums",
    params(("post_id" = String, Path)),
    responses((status = 200, body = ModeratedPostDto), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn unhide_post(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(post_id): Path<String>,
) -> AppResult<Json<ModeratedPostDto>> {
    let post = moderation::unhide(&state, &v, &PostId::from(post_id)).await?;
    Ok(Json((&post).into()))
}

/// Flag a post for the course's moderators, with a reason. Once per member
/// and post: a repeat is 409 `already-flagged`. 422 for your own post; 409
/// `post-gone` for a deleted or hidden one.
#[utoipa::path(post, path = "/api/v1/forums/posts/{post_id}/flags", security(("bearer" = []), ("session" = [])), tag = "forums",
    params(("post_id" = String, Path)),
    request_body = ReasonBody,
    responses((status = 201, body = FlagDto), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 415, body = Problem),
        (status = 422, body = Problem)))]
pub async fn flag_post(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(post_id): Path<String>,
    ApiJson(body): ApiJson<ReasonBody>,
) -> AppResult<(StatusCode, Json<FlagDto>)> {
    let flag = flags::flag(&state, &v, &PostId::from(post_id), &body.reason).await?;
    Ok((StatusCode::CREATED, Json((&flag).into())))
}

/// Staff: the course's open flags, newest first (its moderation queue).
#[utoipa::path(get, path = "/api/v1/forums/courses/{course_id}/flags", security(("bearer" = []), ("session" = [])), tag = "forums",
    params(("course_id" = String, Path), PageParams),
    responses((status = 200, body = FlagListDto), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn list_course_flags(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(course_id): Path<String>,
    ApiQuery(p): ApiQuery<PageParams>,
) -> AppResult<Json<FlagListDto>> {
    let course = CourseId::from(course_id);
    let queue = flags::course_queue(&state, &v, CourseRef::Id(&course), &p.request()?).await?;
    Ok(Json((&queue.flags).into()))
}

/// Administrators: the open flags of every course, newest first.
#[utoipa::path(get, path = "/api/v1/admin/forum-flags", security(("bearer" = []), ("session" = [])), tag = "forums",
    params(PageParams),
    responses((status = 200, body = FlagListDto), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn list_all_flags(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    ApiQuery(p): ApiQuery<PageParams>,
) -> AppResult<Json<FlagListDto>> {
    let queue = flags::admin_queue(&state, &v, &p.request()?).await?;
    Ok(Json((&queue).into()))
}

/// Staff: resolve an open flag — `hide` its post (every open flag on the
/// post is resolved) or `dismiss` it. 409 `flag-resolved` when it was already.
#[utoipa::path(post, path = "/api/v1/forums/flags/{flag_id}/resolve", security(("bearer" = []), ("session" = [])), tag = "forums",
    params(("flag_id" = String, Path)),
    request_body = ResolveBody,
    responses((status = 200, body = FlagDto), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 415, body = Problem), (status = 422, body = Problem)))]
pub async fn resolve_flag(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(flag_id): Path<String>,
    ApiJson(body): ApiJson<ResolveBody>,
) -> AppResult<Json<FlagDto>> {
    let flag = flags::resolve(&state, &v, &FlagId::from(flag_id), body.action, body.reason.as_deref()).await?;
    Ok(Json((&flag).into()))
}
