//! `/api/v1/forums/{forum_id}/subscription`, `/api/v1/forums/threads/{thread_id}/subscription`
//! (follow a forum or a thread) and `/api/v1/forums/preferences`.

use axum::{
    Json,
    extract::{Path, State},
};
use lyceum_platform::{
    AppResult, AppState,
    auth::{CurrentUser, Viewer},
    http::{errors::Problem, extract::ApiJson},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    model::{ForumId, ThreadId},
    service::subscriptions::{self, Preferences},
};

#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriptionDto {
    /// New posts reach you (in-app, by e-mail or in the daily digest, as your notification settings say).
    pub subscribed: bool,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ForumPreferencesDto {
    /// Follow the threads you start or reply to (default: yes).
    pub auto_subscribe: bool,
}

/// Whether you follow the forum (always the announcements).
#[utoipa::path(get, path = "/api/v1/forums/{forum_id}/subscription", security(("bearer" = []), ("session" = [])), tag = "forums",
    params(("forum_id" = String, Path)),
    responses((status = 200, body = SubscriptionDto), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn get_forum_subscription(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(forum_id): Path<String>,
) -> AppResult<Json<SubscriptionDto>> {
    let subscribed = subscriptions::forum_status(&state, &v, &ForumId::from(forum_id)).await?;
    Ok(Json(SubscriptionDto { subscribed }))
}

/// Follow the forum: every new post in it reaches you.
#[utoipa::path(put, path = "/api/v1/forums/{forum_id}/subscription", security(("bearer" = []), ("session" = [])), tag = "forums",
    params(("forum_id" = String, Path)),
    responses((status = 200, body = SubscriptionDto), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn subscribe_forum(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(forum_id): Path<String>,
) -> AppResult<Json<SubscriptionDto>> {
    forum(&state, &v, forum_id, true).await
}

/// Stop following the forum. The announcements forum cannot be left (422 on
/// `forum`): choose how its notices reach you in your notification settings.
#[utoipa::path(delete, path = "/api/v1/forums/{forum_id}/subscription", security(("bearer" = []), ("session" = [])), tag = "forums",
    params(("forum_id" = String, Path)),
    responses((status = 200, body = SubscriptionDto), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn unsubscribe_forum(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(forum_id): Path<String>,
) -> AppResult<Json<SubscriptionDto>> {
    forum(&state, &v, forum_id, false).await
}

async fn forum(state: &AppState, v: &Viewer, id: String, on: bool) -> AppResult<Json<SubscriptionDto>> {
    let subscribed = subscriptions::set_forum(state, v, &ForumId::from(id), on).await?;
    Ok(Json(SubscriptionDto { subscribed }))
}

/// Whether the thread's new posts reach you.
#[utoipa::path(get, path = "/api/v1/forums/threads/{thread_id}/subscription", security(("bearer" = []), ("session" = [])), tag = "forums",
    params(("thread_id" = String, Path)),
    responses((status = 200, body = SubscriptionDto), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn get_thread_subscription(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(thread_id): Path<String>,
) -> AppResult<Json<SubscriptionDto>> {
    let subscribed = subscriptions::thread_status(&state, &v, &ThreadId::from(thread_id)).await?;
    Ok(Json(SubscriptionDto { subscribed }))
}

/// Follow the thread (undoing an earlier unsubscribe).
#[utoipa::path(put, path = "/api/v1/forums/threads/{thread_id}/subscription", security(("bearer" = []), ("session" = [])), tag = "forums",
    params(("thread_id" = String, Path)),
    responses((status = 200, body = SubscriptionDto), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn subscribe_thread(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(thread_id): Path<String>,
) -> AppResult<Json<SubscriptionDto>> {
    thread(&state, &v, thread_id, true).await
}

/// Stop the thread's new posts reaching you, even while you follow its forum.
#[utoipa::path(delete, path = "/api/v1/forums/threads/{thread_id}/subscription", security(("bearer" = []), ("session" = [])), tag = "forums",
    params(("thread_id" = String, Path)),
    responses((status = 200, body = SubscriptionDto), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn unsubscribe_thread(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(thread_id): Path<String>,
) -> AppResult<Json<SubscriptionDto>> {
    thread(&state, &v, thread_id, false).await
}

async fn thread(state: &AppState, v: &Viewer, id: String, on: bool) -> AppResult<Json<SubscriptionDto>> {
    let subscribed = subscriptions::set_thread(state, v, &ThreadId::from(id), on).await?;
    Ok(Json(SubscriptionDto { subscribed }))
}

/// Your forum preferences.
#[utoipa::path(get, path = "/api/v1/forums/preferences", security(("bearer" = []), ("session" = [])), tag = "forums",
    responses((status = 200, body = ForumPreferencesDto), (status = 401, body = Problem)))]
pub async fn get_preferences(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
) -> AppResult<Json<ForumPreferencesDto>> {
    let p = subscriptions::preferences(&state, &v).await?;
    Ok(Json(ForumPreferencesDto { auto_subscribe: p.auto_subscribe }))
}

/// Change your forum preferences.
#[utoipa::path(put, path = "/api/v1/forums/preferences", security(("bearer" = []), ("session" = [])), tag = "forums",
    request_body = ForumPreferencesDto,
    responses((status = 200, body = ForumPreferencesDto), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 415, body = Problem), (status = 422, body = Problem)))]
pub async fn put_preferences(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    ApiJson(body): ApiJson<ForumPreferencesDto>,
) -> AppResult<Json<ForumPreferencesDto>> {
    let p = subscriptions::set_preferences(&state, &v, Preferences { auto_subscribe: body.auto_subscribe }).await?;
    Ok(Json(ForumPreferencesDto { auto_subscribe: p.auto_subscribe }))
}
