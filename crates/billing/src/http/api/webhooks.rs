//! `POST /api/v1/payments/webhooks/{gateway}`: deliveries from Stripe and PayPal.

use axum::{
    Json,
    body::Bytes,
    extract::{Path, State},
    http::HeaderMap,
};
use lyceum_platform::{AppError, AppResult, AppState, http::errors::Problem};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    gateway,
    service::webhooks::{self, Received},
};

#[derive(Serialize, ToSchema)]
pub struct WebhookAck {
    /// `processed`, `duplicate` (seen before, ignored) or `unknown` (about no order here).
    pub outcome: String,
}

/// A gateway's event (Stripe: `Stripe-Signature` over the raw body; PayPal:
/// verified with PayPal). 400 for a bad signature, an old timestamp or an
/// unreadable body (the manual gateway has no webhooks: always 400); 404 for
/// a gateway this site does not offer. Each event
/// is acted on once.
#[utoipa::path(post, path = "/api/v1/payments/webhooks/{gateway}", tag = "payments",
    params(("gateway" = String, Path, description = "`stripe` or `paypal`")),
    request_body(content = String, content_type = "application/json"),
    responses((status = 200, body = WebhookAck), (status = 400, body = Problem), (status = 404, body = Problem),
        (status = 413, body = Problem)))]
pub async fn receive(
    State(state): State<AppState>,
    Path(gateway_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<Json<WebhookAck>> {
    if gateway::by_id(&state, &gateway_id).is_err() {
        return Err(AppError::not_found());
    }
    let outcome = match webhooks::receive(&state, &gateway_id, &headers, &body).await? {
        Received::Processed => "processed",
        Received::Duplicate => "duplicate",
        Received::Unknown => "unknown",
    };
    Ok(Json(WebhookAck { outcome: outcome.to_string() }))
}
