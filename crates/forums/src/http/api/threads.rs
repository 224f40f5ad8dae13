//! `/api/v1/forums/{forum_id}/threads` (start one) and
//! `/api/v1/forums/threads/{thread_id}` (read one, mark it read).

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use lyceum_platform::{
    AppResult, AppState,
    auth::CurrentUser,
    http::{
        errors::Problem,
        extract::{ApiJson, ApiQuery},
    },
};

use super::dto::*;
use crate::{
    model::{ForumId, ThreadId},
    service::threads::{self, NewThread},
};

/// Start a thread (its body is post 1). Learners cannot post in the
/// announcements forum (403); 422 naming `title` or `body` when empty or too
/// long, or `body` when it holds a link from a new unverified account; 429
/// when posting too fast.
#[utoipa::path(post, path = "/api/v1/forums/{forum_id}/threads", security(("bearer" = []), ("session" = [])), tag = "forums",
    params(("forum_id" = String, Path)),
    request_body = StartThreadBody,
    responses((status = 201, body = ThreadDto), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem),
        (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn start_thread(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(forum_id): Path<String>,
    ApiJson(body): ApiJson<StartThreadBody>,
) -> AppResult<(StatusCode, Json<ThreadDto>)> {
    let input = NewThread {
        title: body.title,
        body: body.body,
        kind: body.kind.unwrap_or_default(),
        important: body.important.unwrap_or(false),
        ..Default::default()
    };
    let thread = threads::start(&state, &v, &ForumId::from(forum_id), &input).await?;
    Ok((StatusCode::CREATED, Json((&thread).into())))
}

/// A page of a thread's posts (20 a page), marking them read. In a question
/// you have not answered, the others' answers are left out until you answer.
#[utoipa::path(get, path = "/api/v1/forums/threads/{thread_id}", security(("bearer" = []), ("session" = [])), tag = "forums",
    params(("thread_id" = String, Path), ThreadPageParams),
    responses((status = 200, body = ThreadPageDto), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem)))]
pub async fn get_thread(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(thread_id): Path<String>,
    ApiQuery(p): ApiQuery<ThreadPageParams>,
) -> AppResult<Json<ThreadPageDto>> {
    let id = ThreadId::from(thread_id);
    let page = match p.page {
        Some(page) => page,
        None => threads::first_unread(&state, &v, &id).await?.0,
    };
    let page = threads::open(&state, &v, &id, page).await?;
    Ok(Json(ThreadPageDto {
        thread: (&page.thread).into(),
        forum: (&page.forum).into(),
        posts: page.posts.iter().map(Into::into).collect(),
        page: page.page,
        pages: page.pages,
        first_unread_seq: page.first_unread,
        hidden_answers: page.hidden_answers,
        may_reply: page.may_reply,
        subscribed: page.subscribed,
    }))
}

/// Mark the thread read up to post `seq` (a mark never moves back).
#[utoipa::path(put, path = "/api/v1/forums/threads/{thread_id}/read", security(("bearer" = []), ("session" = [])), tag = "forums",
    params(("thread_id" = String, Path)),
    request_body = ReadMarkBody,
    responses((status = 204), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)))]
pub async fn mark_read(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(thread_id): Path<String>,
    ApiJson(body): ApiJson<ReadMarkBody>,
) -> AppResult<StatusCode> {
    threads::mark_read(&state, &v, &ThreadId::from(thread_id), body.seq).await?;
    Ok(StatusCode::NO_CONTENT)
}
