//! `/api/v1/subscriptions…` (tag `subscriptions`): subscribing, your
//! subscription, cancelling at the period's end and resuming, enrolling in
//! an included course; `/api/v1/admin/subscriptions` for administrators.

use std::collections::HashMap;

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};
use lyceum_platform::{
    AppResult, AppState,
    auth::{AdminUser, CurrentUser},
    http::{
        errors::Problem,
        extract::{ApiJson, ApiQuery},
    },
    idempotency::{self, IdempotencyKey},
    ids::CourseId,
    keyset::PageRequest,
};

use super::{dto::NextStepDto, subscription_dto::*};
use crate::{
    service::subscriptions::{self, access, plans, subscribe},
    settings::BillingSettings,
};

/// Subscribe to a plan: places the order for its first period at the plan's
/// price and starts its payment with the chosen gateway (the manual
/// gateway: `wait` until an administrator confirms it). The subscription is
/// `pending` until that order is paid, then `active`. 409
/// `subscription-state` when you are subscribed already. Honours `Idempotency-Key`.
#[utoipa::path(post, path = "/api/v1/subscriptions", security(("bearer" = []), ("session" = [])), tag = "subscriptions",
    params(("Idempotency-Key" = Option<String>, Header,
        description = "Any unique string (e.g. a UUID): a repeat with the same key and body replays the first answer for 24 h")),
    request_body = SubscribeBody,
    responses((status = 201, body = SubscribedDto), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem),
        (status = 502, body = Problem)))]
pub async fn subscribe(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    IdempotencyKey(key): IdempotencyKey,
    ApiJson(body): ApiJson<SubscribeBody>,
) -> AppResult<Response> {
    let fingerprint = idempotency::fingerprint("POST /api/v1/subscriptions", &body);
    idempotency::once(&state, &v.user_id, key, fingerprint, async {
        let done = subscribe::subscribe(&state, &v, &body.plan_id, &body.gateway).await?;
        let plan = plans::get(&state, &done.subscription.plan_id).await?;
        let instructions = state.settings.section::<BillingSettings>().manual_instructions;
        let dto = SubscribedDto {
            subscription: SubscriptionDto::new(&done.subscription, &plan),
            order_url: format!("/orders/{}", done.order.id),
            order: (&done.order).into(),
            next: done.next.as_ref().map(|n| NextStepDto::new(n, &instructions)),
        };
        Ok((StatusCode::CREATED, dto))
    })
    .await
}

/// Your subscription with its payment history (`subscription` is `null`
/// when you never subscribed).
#[utoipa::path(get, path = "/api/v1/subscriptions/mine", security(("bearer" = []), ("session" = [])), tag = "subscriptions",
    responses((status = 200, body = MySubscriptionDto), (status = 401, body = Problem)))]
pub async fn my_subscription(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
) -> AppResult<Json<MySubscriptionDto>> {
    let view = subscriptions::mine(&state, &v).await?;
    Ok(Json(MySubscriptionDto { subscription: view.as_ref().map(Into::into) }))
}

/// One subscription: yours (administrators: any) with its payment history; others: 404.
#[utoipa::path(get, path = "/api/v1/subscriptions/{id}", security(("bearer" = []), ("session" = [])), tag = "subscriptions",
    params(("id" = String, Path)),
    responses((status = 200, body = SubscriptionDetailDto), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn get_subscription(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Json<SubscriptionDetailDto>> {
    Ok(Json((&subscriptions::get(&state, &v, &id).await?).into()))
}

/// Cancel your subscription. An active one stops at the end of the period
/// already paid (`cancel_at_period_end`; access continues until then); one
/// not paid yet or past due ends now and its open order is cancelled. A
/// repeat changes nothing.
#[utoipa::path(post, path = "/api/v1/subscriptions/{id}/cancel", security(("bearer" = []), ("session" = [])), tag = "subscriptions",
    params(("id" = String, Path)),
    responses((status = 200, body = SubscriptionDetailDto), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn cancel_subscription(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Json<SubscriptionDetailDto>> {
    Ok(Json((&subscriptions::cancel(&state, &v, &id).await?).into()))
}

/// Take back a cancellation before the period ends: the subscription renews
/// as before. 409 `subscription-state` once it has ended.
#[utoipa::path(post, path = "/api/v1/subscriptions/{id}/resume", security(("bearer" = []), ("session" = [])), tag = "subscriptions",
    params(("id" = String, Path)),
    responses((status = 200, body = SubscriptionDetailDto), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem)))]
pub async fn resume_subscription(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Json<SubscriptionDetailDto>> {
    Ok(Json((&subscriptions::resume(&state, &v, &id).await?).into()))
}

/// Enroll in a course your subscription includes, without paying: 201 (200
/// when you are enrolled already). 402 `subscription-required` without an
/// active subscription; 409 `not-included` for a course the subscription
/// does not open (buy it instead), `course-not-open` or `course-full`.
/// Honours `Idempotency-Key`.
#[utoipa::path(post, path = "/api/v1/subscriptions/enrollments", security(("bearer" = []), ("session" = [])), tag = "subscriptions",
    params(("Idempotency-Key" = Option<String>, Header,
        description = "Any unique string (e.g. a UUID): a repeat with the same key and body replays the first answer for 24 h")),
    request_body = SubscriptionEnrollBody,
    responses((status = 201, body = SubscriptionEnrollmentDto), (status = 200, body = SubscriptionEnrollmentDto),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 402, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn enroll_with_subscription(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    IdempotencyKey(key): IdempotencyKey,
    ApiJson(body): ApiJson<SubscriptionEnrollBody>,
) -> AppResult<Response> {
    let fingerprint = idempotency::fingerprint("POST /api/v1/subscriptions/enrollments", &body);
    idempotency::once(&state, &v.user_id, key, fingerprint, async {
        let enrolled = access::enroll(&state, &v, &CourseId::from(&body.course_id)).await?;
        let status = if enrolled.is_new() { StatusCode::CREATED } else { StatusCode::OK };
        Ok((status, SubscriptionEnrollmentDto::from(enrolled.enrollment())))
    })
    .await
}

/// Every subscription (administrators), newest first, optionally in one state.
#[utoipa::path(get, path = "/api/v1/admin/subscriptions", security(("bearer" = []), ("session" = [])), tag = "subscriptions",
    params(AdminSubscriptionParams),
    responses((status = 200, body = SubscriptionList), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn list_all_subscriptions(
    State(state): State<AppState>,
    AdminUser(v): AdminUser,
    ApiQuery(p): ApiQuery<AdminSubscriptionParams>,
) -> AppResult<Json<SubscriptionList>> {
    let page = PageRequest::new(p.limit, p.cursor.as_deref())?;
    let page = subscriptions::all(&state, &v, p.status, &page).await?;
    let plans: HashMap<_, _> = plans::all(&state, &v).await?.into_iter().map(|p| (p.id.clone(), p)).collect();
    Ok(Json(SubscriptionList::new(&page.items, &plans, page.next_cursor)))
}
