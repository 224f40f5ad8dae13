//! `/api/v1/orders…` and `/api/v1/payments/{gateways,quote}`.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};
use lyceum_platform::{
    AppResult, AppState,
    auth::{AdminUser, CurrentUser},
    db,
    http::{
        errors::Problem,
        extract::{ApiJson, ApiQuery},
    },
    idempotency::{self, IdempotencyKey},
    ids::CourseId,
    keyset::{PageParams, PageRequest},
};

use super::dto::*;
use crate::{
    gateway,
    model::Source,
    service::{
        checkout::{self, Choice},
        query,
        refunds::{self, RefundRequest},
        settle::{self, Reporter},
    },
    settings::BillingSettings,
};

/// The payment methods this site offers, in the order to show them.
#[utoipa::path(get, path = "/api/v1/payments/gateways", tag = "payments",
    responses((status = 200, body = GatewayList)))]
pub async fn list_gateways(State(state): State<AppState>) -> Json<GatewayList> {
    let items = gateway::offered(&state).iter().map(|g| GatewayDto { id: g.id().to_string() }).collect();
    Json(GatewayList { items })
}

/// The price of a paid course for you, computed by the server, with your
/// coupon and your country's tax. 409 when it cannot be bought: free
/// (`course-free`), already yours (`already-enrolled`), not open or full;
/// 422 on `coupon` when the coupon does not apply (unknown, expired, not yet
/// valid, for other courses, used up, already used by you, another
/// currency), on `country` when it is not two letters.
#[utoipa::path(get, path = "/api/v1/payments/quote", security(("bearer" = []), ("session" = [])), tag = "payments",
    params(QuoteParams),
    responses((status = 200, body = QuoteDto), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn quote(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    ApiQuery(p): ApiQuery<QuoteParams>,
) -> AppResult<Json<QuoteDto>> {
    let choice = Choice { country: p.country.clone(), coupon: p.coupon.clone(), ..Choice::default() };
    let priced = checkout::price(&state, &v, &CourseId::from(&p.course_id), &choice).await?;
    Ok(Json(QuoteDto::of(&priced)))
}

/// Buy a course: places an order at the server's price (any amount in the
/// body is ignored), with the coupon counted and the country's tax added,
/// and starts its payment with the chosen gateway. 201 with the order and
/// the next step (`wait` for the manual gateway, `card_form` for Stripe,
/// `redirect` for PayPal; none when nothing is left to pay: the order is
/// paid at once, whatever `gateway` says). The learner is enrolled when the
/// order becomes paid. 422 on `coupon` when the coupon does not apply, on
/// `country` when it is missing while tax rates are set. Honours
/// `Idempotency-Key` (a repeat replays the same order).
#[utoipa::path(post, path = "/api/v1/orders", security(("bearer" = []), ("session" = [])), tag = "payments",
    params(("Idempotency-Key" = Option<String>, Header,
        description = "Any unique string (e.g. a UUID): a repeat with the same key and body replays the first answer for 24 h")),
    request_body = PlaceOrderBody,
    responses((status = 201, body = PlacedDto), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem),
        (status = 502, body = Problem)))]
pub async fn place_order(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    IdempotencyKey(key): IdempotencyKey,
    ApiJson(body): ApiJson<PlaceOrderBody>,
) -> AppResult<Response> {
    let fingerprint = idempotency::fingerprint("POST /api/v1/orders", &body);
    idempotency::once(&state, &v.user_id, key, fingerprint, async {
        let choice = Choice {
            gateway: body.gateway.clone(),
            country: body.country.clone(),
            vat_number: body.vat_number.clone(),
            coupon: body.coupon.clone(),
        };
        let placed = checkout::place(&state, &v, &CourseId::from(&body.course_id), &choice).await?;
        let instructions = state.settings.section::<BillingSettings>().manual_instructions;
        let dto = PlacedDto {
            order_url: format!("/orders/{}", placed.order.id),
            order: (&placed.order).into(),
            next: placed.next.as_ref().map(|n| NextStepDto::new(n, &instructions)),
        };
        Ok((StatusCode::CREATED, dto))
    })
    .await
}

/// Your orders, newest first.
#[utoipa::path(get, operation_id = "list_my_orders", path = "/api/v1/orders", security(("bearer" = []), ("session" = [])), tag = "payments",
    params(PageParams),
    responses((status = 200, body = OrderList), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 422, body = Problem)))]
pub async fn list_orders(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    ApiQuery(p): ApiQuery<PageParams>,
) -> AppResult<Json<OrderList>> {
    let page = query::mine(&state, &v, &p.request()?).await?;
    Ok(Json(OrderList { items: page.items.iter().map(Into::into).collect(), next_cursor: page.next_cursor }))
}

/// Every order (administrators), newest first, optionally in one state.
#[utoipa::path(get, path = "/api/v1/admin/orders", security(("bearer" = []), ("session" = [])), tag = "payments",
    params(AdminOrderParams),
    responses((status = 200, body = OrderList), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn list_all_orders(
    State(state): State<AppState>,
    AdminUser(v): AdminUser,
    ApiQuery(p): ApiQuery<AdminOrderParams>,
) -> AppResult<Json<OrderList>> {
    let page = PageRequest::new(p.limit, p.cursor.as_deref())?;
    let page = query::all(&state, &v, p.status, &page).await?;
    Ok(Json(OrderList { items: page.items.iter().map(Into::into).collect(), next_cursor: page.next_cursor }))
}

/// One of your orders with its lines and history (administrators: any). Others: 404.
#[utoipa::path(get, path = "/api/v1/orders/{id}", security(("bearer" = []), ("session" = [])), tag = "payments",
    params(("id" = String, Path)),
    responses((status = 200, body = OrderDetailDto), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn get_order(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Json<OrderDetailDto>> {
    Ok(Json((&query::get(&state, &v, &id).await?).into()))
}

/// Asks the gateway where the order's payment stands and settles it (what
/// the return from the gateway does). Safe to repeat; the answer is the order afterwards.
#[utoipa::path(post, path = "/api/v1/orders/{id}/verify", security(("bearer" = []), ("session" = [])), tag = "payments",
    params(("id" = String, Path)),
    responses((status = 200, body = OrderDto), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 502, body = Problem)))]
pub async fn verify_order(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Json<OrderDto>> {
    let view = query::get(&state, &v, &id).await?;
    let order = settle::check(&state, view.order, Reporter::new(Source::Learner, Some(&v.user_id))).await?;
    Ok(Json((&order).into()))
}

/// Abandons an unpaid order (yours; administrators: any). 409 once it is paid.
#[utoipa::path(post, path = "/api/v1/orders/{id}/cancel", security(("bearer" = []), ("session" = [])), tag = "payments",
    params(("id" = String, Path)),
    responses((status = 200, body = OrderDto), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem)))]
pub async fn cancel_order(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Json<OrderDto>> {
    Ok(Json((&settle::cancel(&state, &v, &id).await?).into()))
}

/// Administrators: confirm that a manual order's payment was received; the
/// learner is enrolled. Audited; a repeat changes nothing. 409 for an order
/// paid through an online gateway.
#[utoipa::path(post, path = "/api/v1/orders/{id}/mark-paid", security(("bearer" = []), ("session" = [])), tag = "payments",
    params(("id" = String, Path)),
    request_body = MarkPaidBody,
    responses((status = 200, body = OrderDto), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
pub async fn mark_paid(
    State(state): State<AppState>,
    AdminUser(v): AdminUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<MarkPaidBody>,
) -> AppResult<Json<OrderDto>> {
    Ok(Json((&settle::mark_paid_by_admin(&state, &v, &id, &body.note).await?).into()))
}

/// Refund all or part of a paid order (the course's staff or an
/// administrator), optionally ending the enrollment. Never more than what is
/// left (422 naming it). Honours `Idempotency-Key`.
#[utoipa::path(post, path = "/api/v1/orders/{id}/refunds", security(("bearer" = []), ("session" = [])), tag = "payments",
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header,
        description = "Any unique string: a repeat with the same key and body replays the first answer for 24 h")),
    request_body = RefundBody,
    responses((status = 200, body = OrderDto), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem),
        (status = 502, body = Problem)))]
pub async fn refund_order(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<String>,
    IdempotencyKey(key): IdempotencyKey,
    ApiJson(body): ApiJson<RefundBody>,
) -> AppResult<Response> {
    let fingerprint = idempotency::fingerprint(&format!("POST /api/v1/orders/{id}/refunds"), &body);
    // Gateways keep idempotency keys account-wide: scope ours to the user.
    let gateway_key = format!("{}:{}", v.user_id, key.clone().unwrap_or_else(db::new_id));
    idempotency::once(&state, &v.user_id, key, fingerprint, async {
        let req = RefundRequest {
            amount_minor: body.amount_minor,
            reason: body.reason.clone(),
            remove_enrollment: body.remove_enrollment,
        };
        let order = refunds::refund(&state, &v, &id, &req, &gateway_key).await?;
        Ok((StatusCode::OK, OrderDto::from(&order)))
    })
    .await
}
