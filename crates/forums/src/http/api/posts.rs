//! `/api/v1/forums/threads/{thread_id}/posts` (reply) and
//! `/api/v1/forums/posts/{post_id}…` (edit, delete, history, helpful, accepted).

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use lyceum_platform::{
    AppResult, AppState,
    auth::CurrentUser,
    db::rfc3339,
    http::{errors::Problem, extract::ApiJson},
};

use super::dto::*;
use crate::{
    model::{PostId, ThreadId},
    service::posts::{self, NewReply, PostChange},
};

/// Reply to a thread, optionally quoting one of its posts. 403 in the
/// announcements forum for learners; 409 `thread-locked` when locked; 422
/// naming `body` or `quote_of`; 429 when posting too fast.
#[utoipa::path(post, path = "/api/v1/forums/threads/{thread_id}/posts", security(("bearer" = []), ("session" = [])), tag = "forums",
    params(("thread_id" = String, Path)),
    request_body = ReplyBody,
    responses((status = 201, body = OwnPostDto), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 415, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn reply(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(thread_id): Path<String>,
    ApiJson(body): ApiJson<ReplyBody>,
) -> AppResult<(StatusCode, Json<OwnPostDto>)> {
    let input = NewReply { body: body.body, quote_of: body.quote_of.map(PostId::from), ..Default::default() };
    let post = posts::reply(&state, &v, &ThreadId::from(thread_id), &input).await?;
    Ok((StatusCode::CREATED, Json((&post).into())))
}

/// Edit a post: yours within the edit window (409 `edit-window-closed`
/// after it), any as staff. The earlier text is kept in its history.
#[utoipa::path(patch, path = "/api/v1/forums/posts/{post_id}", security(("bearer" = []), ("session" = [])), tag = "forums",
    params(("post_id" = String, Path)),
    request_body = EditBody,
    responses((status = 200, body = OwnPostDto), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 415, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn edit_post(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(post_id): Path<String>,
    ApiJson(body): ApiJson<EditBody>,
) -> AppResult<Json<OwnPostDto>> {
    let change = PostChange { body: body.body, title: body.title };
    let post = posts::edit(&state, &v, &PostId::from(post_id), &change).await?;
    Ok(Json((&post).into()))
}

/// Delete a post (yours within the edit window; any as staff). It stays as
/// a "deleted" stub in its thread; a thread whose only post is deleted goes.
#[utoipa::path(delete, path = "/api/v1/forums/posts/{post_id}", security(("bearer" = []), ("session" = [])), tag = "forums",
    params(("post_id" = String, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn delete_post(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(post_id): Path<String>,
) -> AppResult<StatusCode> {
    posts::delete(&state, &v, &PostId::from(post_id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Staff: the post's earlier versions, newest first.
#[utoipa::path(get, path = "/api/v1/forums/posts/{post_id}/history", security(("bearer" = []), ("session" = [])), tag = "forums",
    params(("post_id" = String, Path)),
    responses((status = 200, body = PostHistoryDto), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn post_history(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(post_id): Path<String>,
) -> AppResult<Json<PostHistoryDto>> {
    let (post, edits) = posts::history(&state, &v, &PostId::from(post_id)).await?;
    let edits = edits
        .into_iter()
        .map(|e| PostEditDto { body: e.body_md, edited_by: e.edited_by, edited_at: rfc3339(e.edited_at) })
        .collect();
    Ok(Json(PostHistoryDto { post_id: post.id, body: post.body_md, edits }))
}

async fn helpful(
    state: &AppState,
    v: &lyceum_platform::auth::Viewer,
    post_id: String,
    on: bool,
) -> AppResult<Json<HelpfulDto>> {
    let id = PostId::from(post_id);
    let (_, helpful_count) = posts::set_helpful(state, v, &id, on).await?;
    Ok(Json(HelpfulDto { post_id: id.into_string(), helpful_count, helpful_by_me: on }))
}

/// Mark a post helpful (once per member; a repeat changes nothing).
#[utoipa::path(put, path = "/api/v1/forums/posts/{post_id}/helpful", security(("bearer" = []), ("session" = [])), tag = "forums",
    params(("post_id" = String, Path)),
    responses((status = 200, body = HelpfulDto), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem)))]
pub async fn mark_helpful(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(post_id): Path<String>,
) -> AppResult<Json<HelpfulDto>> {
    helpful(&state, &v, post_id, true).await
}

/// Take back your "helpful" mark.
#[utoipa::path(delete, path = "/api/v1/forums/posts/{post_id}/helpful", security(("bearer" = []), ("session" = [])), tag = "forums",
    params(("post_id" = String, Path)),
    responses((status = 200, body = HelpfulDto), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem)))]
pub async fn unmark_helpful(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(post_id): Path<String>,
) -> AppResult<Json<HelpfulDto>> {
    helpful(&state, &v, post_id, false).await
}

/// Staff: accept a reply as the answer to a question thread (replacing any
/// accepted before). 422 for a post that is not a reply in a question.
#[utoipa::path(put, path = "/api/v1/forums/posts/{post_id}/accepted", security(("bearer" = []), ("session" = [])), tag = "forums",
    params(("post_id" = String, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn accept_answer(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(post_id): Path<String>,
) -> AppResult<StatusCode> {
    posts::accept(&state, &v, &PostId::from(post_id), true).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Staff: withdraw the accepted answer.
#[utoipa::path(delete, path = "/api/v1/forums/posts/{post_id}/accepted", security(("bearer" = []), ("session" = [])), tag = "forums",
    params(("post_id" = String, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn withdraw_answer(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(post_id): Path<String>,
) -> AppResult<StatusCode> {
    posts::accept(&state, &v, &PostId::from(post_id), false).await?;
    Ok(StatusCode::NO_CONTENT)
}
