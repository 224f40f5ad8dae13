//! PayPal's REST endpoints, as far as Lyceum uses them: the OAuth2 token,
//! Orders v2 (create, show, capture), captures (show, refund) and the
//! webhook signature check. Every call but the token's needs a bearer token
//! this server issued; a repeated `PayPal-Request-Id` replays the first answer.

use axum::{
    Json, Router,
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use base64::Engine;
use serde_json::{Value, json};

use crate::{
    json::{self, Refusal},
    state::{Amount, Capture, CaptureOutcome, CaptureStatus, Order, OrderStatus, Refund, Shared, Sim, now},
    webhooks::{self, Kind},
};

pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route("/v1/oauth2/token", post(token))
        .route("/v2/checkout/orders", post(create_order))
        .route("/v2/checkout/orders/{id}", get(show_order))
        .route("/v2/checkout/orders/{id}/capture", post(capture_order))
        .route("/v2/payments/captures/{id}", get(show_capture))
        .route("/v2/payments/captures/{id}/refund", post(refund_capture))
        .route("/v1/notifications/verify-webhook-signature", post(verify_signature))
}

type Answer = Result<(StatusCode, Value), Refusal>;

/// Runs `act` for an authorised caller, replaying the stored answer to a
/// repeated `PayPal-Request-Id` of `operation` instead of acting twice.
fn call(shared: &Shared, headers: &HeaderMap, operation: &str, act: impl FnOnce(&mut Sim) -> Answer) -> Response {
    let mut sim = shared.lock();
    if let Err(refused) = authorised(&sim, headers) {
        return refused.into_response();
    }
    let key = headers.get("paypal-request-id").and_then(|v| v.to_str().ok()).map(|id| format!("{operation}:{id}"));
    if let Some((status, body)) = key.as_ref().and_then(|k| sim.replies.get(k)) {
        let status = StatusCode::from_u16(*status).unwrap_or(StatusCode::OK);
        return (status, Json(body.clone())).into_response();
    }
    match act(&mut sim) {
        Ok((status, body)) => {
            if let Some(key) = key {
                sim.replies.insert(key, (status.as_u16(), body.clone()));
            }
            (status, Json(body)).into_response()
        }
        Err(refused) => refused.into_response(),
    }
}

fn authorised(sim: &Sim, headers: &HeaderMap) -> Result<(), Refusal> {
    let bearer =
        headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    match bearer {
        Some(token) if sim.tokens.contains(token) => Ok(()),
        Some(_) => Err(json::unauthorized("invalid_token", "Token signature verification failed")),
        None => Err(json::unauthorized("invalid_token", "No permission for the requested operation")),
    }
}

/// A JSON request body (an empty one reads as `{}`).
fn body_json(body: &Bytes) -> Result<Value, Refusal> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(json!({}));
    }
    serde_json::from_slice(body)
        .map_err(|e| json::error(StatusCode::BAD_REQUEST, "MALFORMED_REQUEST_JSON", &e.to_string()))
}

/// `POST /v1/oauth2/token`: client credentials in Basic auth → a bearer token.
async fn token(State(shared): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let mut sim = shared.lock();
    sim.token_requests += 1;
    let credentials = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b64| base64::engine::general_purpose::STANDARD.decode(b64).ok())
        .and_then(|raw| String::from_utf8(raw).ok());
    if credentials != Some(format!("{}:{}", sim.client_id, sim.client_secret)) {
        return json::unauthorized("invalid_client", "Client Authentication failed").into_response();
    }
    let form = String::from_utf8_lossy(&body);
    if !form.split('&').any(|pair| pair == "grant_type=client_credentials") {
        let body = json!({"error": "unsupported_grant_type", "error_description": "Grant Type is NULL"});
        return (StatusCode::BAD_REQUEST, Json(body)).into_response();
    }
    let access_token = sim.new_id("A21AA", 60);
    sim.tokens.insert(access_token.clone());
    let body = json!({
        "scope": "https://uri.paypal.com/services/payments/payment https://uri.paypal.com/services/payments/refund \
                  https://uri.paypal.com/services/applications/webhooks",
        "access_token": access_token,
        "token_type": "Bearer",
        "app_id": "APP-80W284485P519543T",
        "expires_in": sim.options.token_ttl_secs,
        "nonce": format!("{}{}", now(), sim.new_id("", 20)),
    });
    (StatusCode::OK, Json(body)).into_response()
}

/// `POST /v2/checkout/orders` (intent CAPTURE, one purchase unit).
async fn create_order(State(shared): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    call(&shared, &headers, "create", |sim| {
        let request = body_json(&body)?;
        if request["intent"] != "CAPTURE" {
            return Err(json::error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "UNSUPPORTED_INTENT",
                "This server only captures.",
            ));
        }
        let unit = &request["purchase_units"][0];
        let amount = Amount::parse(&unit["amount"]).map_err(|issue| {
            let status =
                if issue.starts_with("DECIMAL") { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::BAD_REQUEST };
            json::error(status, issue, "purchase_units[0].amount is not a valid amount.")
        })?;
        if amount.hundredths == 0 {
            return Err(json::error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "AMOUNT_MUST_BE_POSITIVE",
                "The amount is zero.",
            ));
        }
        let paypal = &request["payment_source"]["paypal"];
        let experience = &paypal["experience_context"];
        let payer_action = experience.is_object();
        let context = if payer_action { experience } else { &request["application_context"] };
        let text = |v: &Value| v.as_str().map(str::to_string);
        let order = Order {
            id: sim.new_id("", 17),
            state: if payer_action { OrderStatus::PayerActionRequired } else { OrderStatus::Created },
            amount,
            custom_id: text(&unit["custom_id"]),
            invoice_id: text(&unit["invoice_id"]),
            description: text(&unit["description"]),
            return_url: text(&context["return_url"]),
            cancel_url: text(&context["cancel_url"]),
            payer_action,
            payer_id: None,
            payer_email: text(&paypal["email_address"]),
            capture_id: None,
            created: now(),
        };
        let body = json::order(sim, &order);
        sim.orders.insert(order.id.clone(), order);
        Ok((StatusCode::CREATED, body))
    })
}

fn not_found(what: &str) -> Refusal {
    json::error(
        StatusCode::NOT_FOUND,
        "INVALID_RESOURCE_ID",
        &format!("Specified resource ID does not exist ({what})."),
    )
}

async fn show_order(State(shared): State<Shared>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    call(&shared, &headers, "show-order", |sim| {
        let order = sim.orders.get(&id).ok_or_else(|| not_found("order"))?;
        Ok((StatusCode::OK, json::order(sim, order)))
    })
}

/// `POST /v2/checkout/orders/{id}/capture`: only an APPROVED order; what the
/// capture does is the order's [`CaptureOutcome`] (completed by default).
async fn capture_order(State(shared): State<Shared>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let events = shared.clone();
    call(&shared, &headers, "capture", |sim| {
        let order = sim.orders.get(&id).ok_or_else(|| not_found("order"))?;
        let refused = |issue: &str, text: &str| Err(json::error(StatusCode::UNPROCESSABLE_ENTITY, issue, text));
        match order.state {
            OrderStatus::Approved => {}
            OrderStatus::Completed => return refused("ORDER_ALREADY_CAPTURED", "Order already captured."),
            OrderStatus::Voided => return refused("ORDER_ALREADY_VOIDED", "The order was voided."),
            _ => return refused("ORDER_NOT_APPROVED", "Payer has not yet approved the Order for payment."),
        }
        let status = match sim.outcomes.get(&id).copied().unwrap_or(CaptureOutcome::Completed) {
            CaptureOutcome::Completed => CaptureStatus::Completed,
            CaptureOutcome::Declined => CaptureStatus::Declined,
            CaptureOutcome::Pending => CaptureStatus::Pending,
            CaptureOutcome::InstrumentDeclined => {
                return refused("INSTRUMENT_DECLINED", "The instrument presented was declined by the processor.");
            }
        };
        let (amount, custom_id, invoice_id) = (order.amount.clone(), order.custom_id.clone(), order.invoice_id.clone());
        let capture = Capture {
            id: sim.new_id("", 17),
            order_id: id.clone(),
            state: status,
            amount,
            custom_id,
            invoice_id,
            refunds: Vec::new(),
            created: now(),
        };
        let order = sim.orders.get_mut(&id).expect("the order was just read");
        order.state = OrderStatus::Completed;
        order.capture_id = Some(capture.id.clone());
        let kind = match status {
            CaptureStatus::Declined => Kind::CaptureDenied,
            CaptureStatus::Pending => Kind::CapturePending,
            _ => Kind::CaptureCompleted,
        };
        let resource = json::capture(sim, &capture);
        sim.captures.insert(capture.id.clone(), capture);
        webhooks::emit(&events, sim, kind, resource);
        Ok((StatusCode::CREATED, json::order(sim, &sim.orders[&id])))
    })
}

async fn show_capture(State(shared): State<Shared>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    call(&shared, &headers, "show-capture", |sim| {
        let capture = sim.captures.get(&id).ok_or_else(|| not_found("capture"))?;
        Ok((StatusCode::OK, json::capture(sim, capture)))
    })
}

/// `POST /v2/payments/captures/{id}/refund` (`amount` optional: the rest).
async fn refund_capture(
    State(shared): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let events = shared.clone();
    call(&shared, &headers, "refund", |sim| {
        let request = body_json(&body)?;
        let refund = refund(&events, sim, &id, &request)?;
        Ok((StatusCode::CREATED, refund))
    })
}

/// Refunds `request.amount` (or what is left) of capture `id`, as the API
/// and the merchant's dashboard do; sends PAYMENT.CAPTURE.REFUNDED.
pub(crate) fn refund(shared: &Shared, sim: &mut Sim, id: &str, request: &Value) -> Result<Value, Refusal> {
    let refused = |issue: &str, text: &str| json::error(StatusCode::UNPROCESSABLE_ENTITY, issue, text);
    let capture = sim.captures.get(id).ok_or_else(|| not_found("capture"))?;
    match capture.state {
        CaptureStatus::Completed | CaptureStatus::PartiallyRefunded => {}
        CaptureStatus::Refunded => {
            return Err(refused("CAPTURE_FULLY_REFUNDED", "The capture has already been fully refunded."));
        }
        _ => return Err(refused("REFUND_NOT_ALLOWED", "Only a completed capture can be refunded.")),
    }
    let left = capture.amount.hundredths - capture.refunded().hundredths;
    let amount = if request["amount"].is_object() {
        Amount::parse(&request["amount"]).map_err(|issue| refused(issue, "amount is not a valid amount."))?
    } else {
        Amount { currency: capture.amount.currency.clone(), hundredths: left }
    };
    if amount.currency != capture.amount.currency {
        return Err(refused("REFUND_CURRENCY_MISMATCH", "The refund's currency is not the capture's."));
    }
    if amount.hundredths <= 0 {
        return Err(refused("INVALID_PARAMETER_VALUE", "The refund amount must be positive."));
    }
    if amount.hundredths > left {
        return Err(refused(
            "REFUND_AMOUNT_EXCEEDED",
            "The refund amount must be less than or equal to the capture amount that has not yet been refunded.",
        ));
    }
    let refund_id = sim.new_id("", 17);
    let capture = sim.captures.get_mut(id).expect("the capture was just read");
    let total_after =
        Amount { currency: amount.currency.clone(), hundredths: capture.refunded().hundredths + amount.hundredths };
    capture.state = if total_after.hundredths == capture.amount.hundredths {
        CaptureStatus::Refunded
    } else {
        CaptureStatus::PartiallyRefunded
    };
    let note = request["note_to_payer"].as_str().map(str::to_string);
    capture.refunds.push(Refund { id: refund_id, amount, total_after, note, created: now() });
    let capture = &sim.captures[id];
    let body = json::refund(sim, capture, capture.refunds.last().expect("just pushed"));
    webhooks::emit(shared, sim, Kind::CaptureRefunded, body.clone());
    Ok(body)
}

/// `POST /v1/notifications/verify-webhook-signature`: SUCCESS only for a
/// transmission this server sent, with its headers, its webhook id and its event.
async fn verify_signature(State(shared): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    call(&shared, &headers, "verify", |sim| {
        let request = body_json(&body)?;
        let required =
            ["auth_algo", "cert_url", "transmission_id", "transmission_sig", "transmission_time", "webhook_id"];
        if let Some(missing) = required.iter().find(|k| !request[**k].is_string()) {
            return Err(json::error(StatusCode::BAD_REQUEST, "MISSING_REQUIRED_PARAMETER", missing));
        }
        if !request["webhook_event"].is_object() {
            return Err(json::error(StatusCode::BAD_REQUEST, "MISSING_REQUIRED_PARAMETER", "webhook_event"));
        }
        let status = if webhooks::verified(sim, &request) { "SUCCESS" } else { "FAILURE" };
        Ok((StatusCode::OK, json!({"verification_status": status})))
    })
}
