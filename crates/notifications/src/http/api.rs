//! `/api/v1/notifications`, `/api/v1/users/me/notification-preferences`,
//! `/api/v1/admin/notifications/test`.

use std::collections::BTreeMap;

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use lyceum_platform::ids::{NotificationId, UserId};
use lyceum_platform::{
    AppResult, AppState,
    auth::{AdminUser, CurrentUser},
    db::rfc3339,
    http::{
        errors::Problem,
        extract::{ApiJson, ApiQuery},
    },
    web::i18n,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    model::{Channel, Notification},
    service::{
        admin,
        inbox::{self, ListQuery},
        preferences::{self, Preference},
    },
};

#[derive(Serialize, ToSchema)]
pub struct NotificationDto {
    pub id: String,
    /// The kind id, e.g. `account.welcome`.
    pub kind: String,
    /// In the caller's language.
    pub title: String,
    pub body: String,
    /// Text the sender added, if any.
    pub message: Option<String>,
    /// A local path the notification points to, if any.
    pub link: Option<String>,
    pub created_at: String,
    /// Absent while unread.
    pub read_at: Option<String>,
}

impl NotificationDto {
    fn new(n: Notification, locale: &str) -> Self {
        Self {
            title: n.title(locale),
            body: n.body(locale),
            message: Some(n.note().to_string()).filter(|m| !m.is_empty()),
            link: Some(n.link).filter(|l| !l.is_empty()),
            created_at: rfc3339(n.created_at),
            read_at: n.read_at.map(rfc3339),
            id: n.id,
            kind: n.kind,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct NotificationList {
    pub items: Vec<NotificationDto>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// `true` for unread notifications only.
    pub unread: Option<bool>,
    pub cursor: Option<String>,
    /// Page size, 1–100 (default 25); outside that range is a 422.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct UnreadCount {
    pub unread: i64,
}

#[derive(Serialize, ToSchema)]
pub struct MarkedRead {
    /// How many were unread before this call.
    pub marked: u64,
}

#[derive(Serialize, ToSchema)]
pub struct PreferenceDto {
    pub kind: String,
    /// In the caller's language.
    pub label: String,
    pub channel: Channel,
    pub default_channel: Channel,
    /// The channels this kind may be set to (security notices cannot be `off`).
    pub allowed: Vec<Channel>,
}

impl PreferenceDto {
    fn new(p: Preference, locale: &str) -> Self {
        Self {
            kind: p.kind.id.to_string(),
            label: i18n::t(locale, &p.kind.label_key()),
            channel: p.channel,
            default_channel: p.kind.default,
            allowed: p.kind.allowed(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PreferenceList {
    pub items: Vec<PreferenceDto>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct PreferencesUpdate {
    /// Kind id → channel (`in_app`, `email`, `digest`, `off`); kinds not named keep theirs.
    #[schema(example = json!({"admin.test": "in_app"}))]
    pub preferences: BTreeMap<String, String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct TestNotificationBody {
    #[schema(required = true, min_length = 1)]
    pub user_id: String,
    /// Up to 500 characters, shown under the notification's text.
    pub message: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Queued {
    pub status: &'static str,
    pub message: &'static str,
}

/// Your notifications, newest first.
#[utoipa::path(get, operation_id = "list_notifications", path = "/api/v1/notifications", security(("bearer" = []), ("session" = [])), tag = "notifications",
    params(ListParams),
    responses((status = 200, body = NotificationList), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    ApiQuery(p): ApiQuery<ListParams>,
) -> AppResult<Json<NotificationList>> {
    let query = ListQuery {
        unread_only: p.unread.unwrap_or(false),
        page: lyceum_platform::keyset::PageRequest::new(p.limit, p.cursor.as_deref())?,
    };
    let page = inbox::list(&state, &v.id(), query).await?;
    let locale = i18n::supported(&v.locale);
    let items = page.items.into_iter().map(|n| NotificationDto::new(n, locale)).collect();
    Ok(Json(NotificationList { items, next_cursor: page.next_cursor }))
}

/// How many of your notifications are unread.
#[utoipa::path(get, operation_id = "count_unread_notifications", path = "/api/v1/notifications/unread-count", security(("bearer" = []), ("session" = [])), tag = "notifications",
    responses((status = 200, body = UnreadCount), (status = 401, body = Problem)))]
pub async fn unread_count(State(state): State<AppState>, CurrentUser(v): CurrentUser) -> AppResult<Json<UnreadCount>> {
    Ok(Json(UnreadCount { unread: inbox::unread_count(&state, &v.id()).await? }))
}

/// Mark one of your notifications read (another user's id is 404).
#[utoipa::path(post, operation_id = "mark_notification_read", path = "/api/v1/notifications/{id}/read", security(("bearer" = []), ("session" = [])), tag = "notifications",
    params(("id" = String, Path)),
    responses((status = 200, body = NotificationDto), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn mark_read(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<NotificationId>,
) -> AppResult<Json<NotificationDto>> {
    let n = inbox::mark_read(&state, &v.id(), &id).await?;
    Ok(Json(NotificationDto::new(n, i18n::supported(&v.locale))))
}

/// Mark all your notifications read.
#[utoipa::path(post, operation_id = "mark_all_notifications_read", path = "/api/v1/notifications/read-all", security(("bearer" = []), ("session" = [])), tag = "notifications",
    responses((status = 200, body = MarkedRead), (status = 401, body = Problem)))]
pub async fn mark_all_read(State(state): State<AppState>, CurrentUser(v): CurrentUser) -> AppResult<Json<MarkedRead>> {
    Ok(Json(MarkedRead { marked: inbox::mark_all_read(&state, &v.id()).await? }))
}

/// How you receive each kind of notification.
#[utoipa::path(get, operation_id = "get_notification_preferences", path = "/api/v1/users/me/notification-preferences", security(("bearer" = []), ("session" = [])),
    tag = "notifications",
    responses((status = 200, body = PreferenceList), (status = 401, body = Problem)))]
pub async fn get_preferences(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
) -> AppResult<Json<PreferenceList>> {
    let list = preferences::list(&state, &v.id()).await?;
    Ok(Json(dto_list(list, &v.locale)))
}

/// Change how you receive some kinds of notification. Every entry is checked
/// first: an unknown kind or channel, or `off` for a security notice, is 422
/// naming `preferences.<kind>`, and nothing is saved.
#[utoipa::path(put, operation_id = "update_notification_preferences", path = "/api/v1/users/me/notification-preferences", security(("bearer" = []), ("session" = [])),
    tag = "notifications", request_body = PreferencesUpdate,
    responses((status = 200, body = PreferenceList), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn put_preferences(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    ApiJson(body): ApiJson<PreferencesUpdate>,
) -> AppResult<Json<PreferenceList>> {
    let list = preferences::update(&state, &v.id(), &body.preferences, "preferences.").await?;
    Ok(Json(dto_list(list, &v.locale)))
}

fn dto_list(list: Vec<Preference>, locale: &str) -> PreferenceList {
    let locale = i18n::supported(locale);
    PreferenceList { items: list.into_iter().map(|p| PreferenceDto::new(p, locale)).collect() }
}

/// Send a user a test notification through the queue, on the channel they
/// chose for `admin.test` (default: e-mail). Admins only.
#[utoipa::path(post, operation_id = "send_test_notification", path = "/api/v1/admin/notifications/test", security(("bearer" = []), ("session" = [])),
    tag = "notifications", request_body = TestNotificationBody,
    responses((status = 202, body = Queued), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn send_test(
    State(state): State<AppState>,
    AdminUser(_admin): AdminUser,
    ApiJson(body): ApiJson<TestNotificationBody>,
) -> AppResult<(StatusCode, Json<Queued>)> {
    admin::send_test(&state, &UserId::from(&body.user_id), body.message.as_deref()).await?;
    let queued = Queued { status: "queued", message: "The test notification is queued for delivery." };
    Ok((StatusCode::ACCEPTED, Json(queued)))
}
