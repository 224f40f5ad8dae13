//! `/api/v1/courses/{id}/roster…`, for the course's staff.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};
use lyceum_platform::ids::{CourseId, UserId};
use lyceum_platform::{
    AppResult, AppState,
    auth::CurrentUser,
    http::{
        errors::Problem,
        extract::{ApiJson, ApiQuery},
    },
    idempotency::{self, IdempotencyKey},
};

use super::dto::*;
use crate::service::roster;

/// The course's learners (active and cancelled), newest first: for its
/// instructors and admins (another instructor's draft: 404; published: 403).
#[utoipa::path(get, path = "/api/v1/courses/{id}/roster", security(("bearer" = []), ("session" = [])), tag = "enrollments",
    params(("id" = String, Path), RosterParams),
    responses((status = 200, body = RosterList), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn list_roster(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<CourseId>,
    ApiQuery(p): ApiQuery<RosterParams>,
) -> AppResult<Json<RosterList>> {
    let page_request = lyceum_platform::keyset::PageRequest::new(p.limit, p.cursor.as_deref())?;
    let page = roster::list(&state, &v, &id, p.status, &page_request).await?.entries;
    Ok(Json(RosterList { items: page.items.iter().map(RosterEntryDto::from).collect(), next_cursor: page.next_cursor }))
}

/// Enroll a learner by e-mail (staff): no payment needed, the seat limit still
/// holds (409 `course-full`); 201 new, 200 already enrolled. Honours `Idempotency-Key`.
#[utoipa::path(post, path = "/api/v1/courses/{id}/roster", security(("bearer" = []), ("session" = [])), tag = "enrollments",
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header,
        description = "Any unique string: a repeat with the same key and body replays the first answer for 24 h")),
    request_body = RosterBody,
    responses((status = 201, body = EnrollmentDto), (status = 200, body = EnrollmentDto),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn add_to_roster(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<CourseId>,
    IdempotencyKey(key): IdempotencyKey,
    ApiJson(body): ApiJson<RosterBody>,
) -> AppResult<Response> {
    let fingerprint = idempotency::fingerprint(&format!("POST /api/v1/courses/{id}/roster"), &body);
    idempotency::once(&state, &v.user_id, key, fingerprint, async {
        let enrolled = roster::add(&state, &v, &id, &body.email).await?;
        let status = if enrolled.is_new() { StatusCode::CREATED } else { StatusCode::OK };
        Ok((status, EnrollmentDto::from(enrolled.enrollment())))
    })
    .await
}

/// Remove a learner from the course (staff): their enrollment is cancelled
/// and the seat freed. 404 when they are not enrolled.
#[utoipa::path(delete, path = "/api/v1/courses/{id}/roster/{user_id}", security(("bearer" = []), ("session" = [])),
    tag = "enrollments", params(("id" = String, Path), ("user_id" = String, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn remove_from_roster(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path((id, user_id)): Path<(CourseId, UserId)>,
) -> AppResult<StatusCode> {
    roster::remove(&state, &v, &id, &user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
