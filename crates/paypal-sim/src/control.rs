//! The test's controls, which PayPal itself does not have: where webhooks
//! go, losing them, what an order's capture does, completing a pending
//! capture, refunding from the "dashboard", revoking tokens, resending an
//! event. Each is a function (called by [`crate::PaypalSim`]'s methods) and
//! an endpoint under `/_sim/` (for a test or a person driving the server over HTTP).

use axum::{
    Json, Router,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde::Serialize;
use serde_json::{Value, json};

use crate::{
    api, json,
    state::{Attempt, CaptureOutcome, CaptureStatus, Fate, OrderStatus, Shared},
    webhooks::{self, Kind},
};

pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route("/_sim/webhook", post(listen_at))
        .route("/_sim/deliveries", get(list_deliveries))
        .route("/_sim/deliveries/drop", post(set_dropping))
        .route("/_sim/events/{id}/resend", post(resend_event))
        .route("/_sim/orders/{id}/capture-outcome", post(set_outcome))
        .route("/_sim/orders/{id}/void", post(void))
        .route("/_sim/orders/{id}/expire", post(expire))
        .route("/_sim/captures/{id}/complete", post(complete))
        .route("/_sim/captures/{id}/refund", post(dashboard_refund))
        .route("/_sim/tokens/revoke", post(revoke))
}

/// One event and what became of its deliveries.
#[derive(Debug, Clone, Serialize)]
pub struct DeliveryView {
    pub event_id: String,
    pub event_type: String,
    pub fate: String,
    /// The listener's status per attempt (0: no answer).
    pub statuses: Vec<u16>,
}

pub(crate) fn deliveries(shared: &Shared) -> Vec<DeliveryView> {
    let sim = shared.lock();
    sim.deliveries
        .iter()
        .map(|d| DeliveryView {
            event_id: d.event_id.clone(),
            event_type: d.event_type.clone(),
            fate: format!("{:?}", d.fate),
            statuses: d.attempts.iter().map(|a| a.status.unwrap_or(0)).collect(),
        })
        .collect()
}

/// Voids an order not captured yet (as PayPal does with one left unapproved for long).
pub(crate) fn void_order(shared: &Shared, id: &str) -> Result<(), String> {
    let mut sim = shared.lock();
    let order = sim.orders.get_mut(id).ok_or_else(|| format!("no order {id}"))?;
    if order.state == OrderStatus::Completed {
        return Err(format!("order {id} is captured already"));
    }
    order.state = OrderStatus::Voided;
    Ok(())
}

/// Forgets an order not captured yet, as PayPal does when nobody approves
/// one in time: it is "not found" from then on.
pub(crate) fn expire_order(shared: &Shared, id: &str) -> Result<(), String> {
    let mut sim = shared.lock();
    match sim.orders.get(id).map(|o| o.state) {
        None => Err(format!("no order {id}")),
        Some(OrderStatus::Completed) => Err(format!("order {id} is captured already")),
        Some(_) => {
            sim.orders.remove(id);
            Ok(())
        }
    }
}

/// Moves a PENDING capture to COMPLETED and sends PAYMENT.CAPTURE.COMPLETED.
pub(crate) fn complete_capture(shared: &Shared, id: &str) -> Result<(), String> {
    let mut sim = shared.lock();
    let capture = sim.captures.get_mut(id).ok_or_else(|| format!("no capture {id}"))?;
    if capture.state != CaptureStatus::Pending {
        return Err(format!("capture {id} is {}, not PENDING", capture.state.as_str()));
    }
    capture.state = CaptureStatus::Completed;
    let resource = json::capture(&sim, &sim.captures[id]);
    webhooks::emit(shared, &mut sim, Kind::CaptureCompleted, resource);
    Ok(())
}

/// A refund made in the merchant's dashboard: `value` in the capture's
/// currency, or all that is left. Returns the refund's JSON.
pub(crate) fn refund_in_dashboard(shared: &Shared, capture_id: &str, value: Option<&str>) -> Result<Value, String> {
    let mut sim = shared.lock();
    let currency = sim.captures.get(capture_id).map(|c| c.amount.currency.clone()).unwrap_or_default();
    let request = match value {
        Some(value) => json!({"amount": {"currency_code": currency, "value": value}}),
        None => json!({}),
    };
    api::refund(shared, &mut sim, capture_id, &request).map_err(|refused| format!("refused: {}", refused.status))
}

/// Sends an event again, now, whatever became of it before; the listener's answer.
pub(crate) async fn resend(shared: &Shared, event_id: &str) -> Option<Attempt> {
    let index = {
        let mut sim = shared.lock();
        let index = sim.deliveries.iter().position(|d| d.event_id == event_id)?;
        sim.deliveries[index].fate = Fate::Sending;
        index
    };
    let attempt = webhooks::send_once(shared, index).await;
    let mut sim = shared.lock();
    let delivery = &mut sim.deliveries[index];
    let taken = attempt.status.is_some_and(|s| (200..300).contains(&s));
    delivery.fate = if taken { Fate::Delivered } else { Fate::GaveUp };
    delivery.attempts.push(attempt.clone());
    Some(attempt)
}

async fn listen_at(State(shared): State<Shared>, Json(body): Json<Value>) -> Response {
    let Some(url) = body["url"].as_str() else {
        return json::error(StatusCode::BAD_REQUEST, "MISSING_REQUIRED_PARAMETER", "url").into_response();
    };
    let mut sim = shared.lock();
    sim.listener = Some(url.to_string());
    Json(json!({"id": sim.webhook_id, "url": url, "event_types": [{"name": "*"}]})).into_response()
}

async fn list_deliveries(State(shared): State<Shared>) -> Json<Vec<DeliveryView>> {
    Json(deliveries(&shared))
}

async fn set_dropping(State(shared): State<Shared>, Json(body): Json<Value>) -> StatusCode {
    shared.lock().dropping = body["drop"].as_bool().unwrap_or(true);
    StatusCode::NO_CONTENT
}

async fn resend_event(State(shared): State<Shared>, Path(id): Path<String>) -> Response {
    match resend(&shared, &id).await {
        Some(a) => Json(json!({"status": a.status, "body": a.body})).into_response(),
        None => json::error(StatusCode::NOT_FOUND, "INVALID_RESOURCE_ID", "no such event").into_response(),
    }
}

async fn set_outcome(State(shared): State<Shared>, Path(id): Path<String>, Json(body): Json<Value>) -> Response {
    let Some(outcome) = body["outcome"].as_str().and_then(CaptureOutcome::parse) else {
        let text = "outcome: COMPLETED, DECLINED, PENDING or INSTRUMENT_DECLINED";
        return json::error(StatusCode::BAD_REQUEST, "INVALID_PARAMETER_VALUE", text).into_response();
    };
    shared.lock().outcomes.insert(id, outcome);
    StatusCode::NO_CONTENT.into_response()
}

async fn void(State(shared): State<Shared>, Path(id): Path<String>) -> Response {
    match void_order(&shared, &id) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(why) => json::error(StatusCode::UNPROCESSABLE_ENTITY, "ORDER_ALREADY_CAPTURED", &why).into_response(),
    }
}

async fn expire(State(shared): State<Shared>, Path(id): Path<String>) -> Response {
    match expire_order(&shared, &id) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(why) => json::error(StatusCode::UNPROCESSABLE_ENTITY, "ORDER_ALREADY_CAPTURED", &why).into_response(),
    }
}

async fn complete(State(shared): State<Shared>, Path(id): Path<String>) -> Response {
    match complete_capture(&shared, &id) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(why) => json::error(StatusCode::UNPROCESSABLE_ENTITY, "CAPTURE_NOT_PENDING", &why).into_response(),
    }
}

async fn dashboard_refund(State(shared): State<Shared>, Path(id): Path<String>, Json(body): Json<Value>) -> Response {
    match refund_in_dashboard(&shared, &id, body["value"].as_str()) {
        Ok(refund) => (StatusCode::CREATED, Json(refund)).into_response(),
        Err(why) => json::error(StatusCode::UNPROCESSABLE_ENTITY, "REFUND_REFUSED", &why).into_response(),
    }
}

async fn revoke(State(shared): State<Shared>) -> StatusCode {
    shared.lock().tokens.clear();
    StatusCode::NO_CONTENT
}
