//! `/api/v1/enrollments…`.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};
use lyceum_platform::ids::CourseId;
use lyceum_platform::{
    AppResult, AppState,
    auth::CurrentUser,
    http::{
        errors::Problem,
        extract::{ApiJson, ApiQuery},
    },
    idempotency::{self, IdempotencyKey},
    keyset::PageParams,
};

use super::dto::*;
use crate::service::{cancel, enroll as enrolling, query};

/// Enroll in a course. A free published course: 201 with the new enrollment
/// (200 with the existing one when you are enrolled already; enrolling again
/// after unenrolling reactivates it: 201). A paid course: 402
/// `payment-required` naming the price. Full: 409 `course-full`; archived or
/// not yet published (for its staff): 409 `course-not-open`; someone else's
/// draft: 404. Honours `Idempotency-Key`.
#[utoipa::path(post, path = "/api/v1/enrollments", security(("bearer" = []), ("session" = [])), tag = "enrollments",
    params(("Idempotency-Key" = Option<String>, Header,
        description = "Any unique string (e.g. a UUID): a repeat with the same key and body replays the first answer for 24 h")),
    request_body = EnrollBody,
    responses((status = 201, body = EnrollmentDto), (status = 200, body = EnrollmentDto),
        (status = 401, body = Problem), (status = 402, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn enroll(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    IdempotencyKey(key): IdempotencyKey,
    ApiJson(body): ApiJson<EnrollBody>,
) -> AppResult<Response> {
    let fingerprint = idempotency::fingerprint("POST /api/v1/enrollments", &body);
    idempotency::once(&state, &v.user_id, key, fingerprint, async {
        let enrolled = enrolling::enroll(&state, &v, &CourseId::from(&body.course_id)).await?;
        let status = if enrolled.is_new() { StatusCode::CREATED } else { StatusCode::OK };
        Ok((status, EnrollmentDto::from(enrolled.enrollment())))
    })
    .await
}

/// Your active enrollments with their courses, newest first.
#[utoipa::path(get, operation_id = "list_my_enrollments", path = "/api/v1/enrollments", security(("bearer" = []), ("session" = [])), tag = "enrollments",
    params(PageParams),
    responses((status = 200, body = EnrollmentList), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn list_enrollments(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    ApiQuery(p): ApiQuery<PageParams>,
) -> AppResult<Json<EnrollmentList>> {
    let page = query::mine(&state, &v, &p.request()?).await?;
    Ok(Json(EnrollmentList {
        items: page.items.iter().map(MyEnrollmentDto::from).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// Whether you are enrolled in a course, its seats left and whether enrolling needs a payment.
#[utoipa::path(get, operation_id = "get_enrollment_status", path = "/api/v1/enrollments/status", security(("bearer" = []), ("session" = [])), tag = "enrollments",
    params(StatusParams),
    responses((status = 200, body = EnrollmentStatusDto), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn enrollment_status(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    ApiQuery(p): ApiQuery<StatusParams>,
) -> AppResult<Json<EnrollmentStatusDto>> {
    Ok(Json((&query::status(&state, &v, &CourseId::from(&p.course_id)).await?).into()))
}

/// One enrollment: yours, or one of a course you teach (admins: any). Others: 404.
#[utoipa::path(get, path = "/api/v1/enrollments/{id}", security(("bearer" = []), ("session" = [])), tag = "enrollments",
    params(("id" = String, Path)),
    responses((status = 200, body = EnrollmentDto), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn get_enrollment(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Json<EnrollmentDto>> {
    Ok(Json((&query::get(&state, &v, &id).await?).into()))
}

/// Unenroll: the learner themself, the course's staff or an admin. The
/// enrollment becomes `cancelled` and its seat is freed; repeating changes nothing.
#[utoipa::path(delete, path = "/api/v1/enrollments/{id}", security(("bearer" = []), ("session" = [])), tag = "enrollments",
    params(("id" = String, Path)),
    responses((status = 200, body = EnrollmentDto), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn unenroll(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Json<EnrollmentDto>> {
    Ok(Json((&cancel::unenroll(&state, &v, &id).await?).into()))
}
