//! `/api/v1/coupons…` (administrators): coupons computed by Lyceum, so they
//! work with every gateway. Learners use a coupon by its code on
//! `GET /api/v1/payments/quote` and `POST /api/v1/orders`.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};
use lyceum_platform::{
    AppResult, AppState,
    auth::AdminUser,
    http::{
        errors::Problem,
        extract::{ApiJson, ApiQuery},
    },
    idempotency::{self, IdempotencyKey},
    keyset::PageParams,
};

use super::coupon_dto::*;
use crate::service::coupons;

/// Coupons, newest first (administrators).
#[utoipa::path(get, path = "/api/v1/coupons", security(("bearer" = []), ("session" = [])), tag = "payments",
    params(PageParams),
    responses((status = 200, body = CouponList), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn list_coupons(
    State(state): State<AppState>,
    AdminUser(v): AdminUser,
    ApiQuery(p): ApiQuery<PageParams>,
) -> AppResult<Json<CouponList>> {
    let page = coupons::list(&state, &v, &p.request()?).await?;
    Ok(Json(CouponList { items: page.items.iter().map(Into::into).collect(), next_cursor: page.next_cursor }))
}

/// Create a coupon (administrators): a percentage or a fixed amount in one
/// currency, for every course or the listed ones, within optional dates and
/// limits. 422 names each field that is wrong (a code already used
/// included). Audited. Honours `Idempotency-Key`.
#[utoipa::path(post, path = "/api/v1/coupons", security(("bearer" = []), ("session" = [])), tag = "payments",
    params(("Idempotency-Key" = Option<String>, Header,
        description = "Any unique string (e.g. a UUID): a repeat with the same key and body replays the first answer for 24 h")),
    request_body = NewCouponBody,
    responses((status = 201, body = CouponDetailDto), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 409, body = Problem), (status = 415, body = Problem),
        (status = 422, body = Problem)))]
pub async fn create_coupon(
    State(state): State<AppState>,
    AdminUser(v): AdminUser,
    IdempotencyKey(key): IdempotencyKey,
    ApiJson(body): ApiJson<NewCouponBody>,
) -> AppResult<Response> {
    let fingerprint = idempotency::fingerprint("POST /api/v1/coupons", &body);
    idempotency::once(&state, &v.user_id, key, fingerprint, async {
        let created = coupons::create(&state, &v, &body.into_draft()?).await?;
        Ok((StatusCode::CREATED, CouponDetailDto::from(&created)))
    })
    .await
}

/// One coupon with its courses (administrators).
#[utoipa::path(get, path = "/api/v1/coupons/{id}", security(("bearer" = []), ("session" = [])), tag = "payments",
    params(("id" = String, Path)),
    responses((status = 200, body = CouponDetailDto), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn get_coupon(
    State(state): State<AppState>,
    AdminUser(v): AdminUser,
    Path(id): Path<String>,
) -> AppResult<Json<CouponDetailDto>> {
    Ok(Json((&coupons::get(&state, &v, &id).await?).into()))
}

/// Change a coupon's terms (administrators): dates, limits, courses, and
/// `active` (`false` deactivates it; coupons are never deleted, orders name
/// them). The code and value do not change. Audited.
#[utoipa::path(patch, path = "/api/v1/coupons/{id}", security(("bearer" = []), ("session" = [])), tag = "payments",
    params(("id" = String, Path)),
    request_body = CouponPatchBody,
    responses((status = 200, body = CouponDetailDto), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem),
        (status = 422, body = Problem)))]
pub async fn update_coupon(
    State(state): State<AppState>,
    AdminUser(v): AdminUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CouponPatchBody>,
) -> AppResult<Json<CouponDetailDto>> {
    let updated = coupons::update(&state, &v, &id, &body.into_change()?).await?;
    Ok(Json((&updated).into()))
}
