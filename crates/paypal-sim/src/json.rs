//! The server's objects as PayPal's REST API shows them (`checkout_orders_v2`,
//! `payments_payment_v2`), and PayPal's error bodies.

use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde_json::{Value, json};

use crate::state::{Capture, CaptureStatus, Order, OrderStatus, Refund, Sim};

pub(crate) fn order(sim: &Sim, o: &Order) -> Value {
    let base = &sim.base;
    let mut unit = json!({
        "reference_id": "default",
        "amount": o.amount.json(),
        "payee": {"merchant_id": "SIMMERCHANT01", "email_address": "merchant@example.com"},
    });
    for (key, value) in [("custom_id", &o.custom_id), ("invoice_id", &o.invoice_id), ("description", &o.description)] {
        if let Some(value) = value {
            unit[key] = json!(value);
        }
    }
    if let Some(capture) = o.capture_id.as_ref().and_then(|id| sim.captures.get(id)) {
        unit["payments"] = json!({"captures": [self::capture(sim, capture)]});
    }
    let mut links = vec![link(&format!("{base}/v2/checkout/orders/{}", o.id), "self", "GET")];
    if o.state.awaits_payer() {
        let rel = if o.payer_action { "payer-action" } else { "approve" };
        links.push(link(&format!("{base}/checkoutnow?token={}", o.id), rel, "GET"));
    }
    if o.state == OrderStatus::Approved {
        links.push(link(&format!("{base}/v2/checkout/orders/{}/capture", o.id), "capture", "POST"));
    }
    let mut body = json!({
        "id": o.id,
        "intent": "CAPTURE",
        "status": o.state.as_str(),
        "create_time": o.created,
        "purchase_units": [unit],
        "links": links,
    });
    if let Some(payer_id) = &o.payer_id {
        let email = o.payer_email.as_deref().unwrap_or("buyer@example.com");
        let name = json!({"given_name": "Test", "surname": "Buyer"});
        body["payment_source"] = json!({"paypal": {"account_id": payer_id, "email_address": email, "name": name}});
        body["payer"] = json!({"payer_id": payer_id, "email_address": email, "name": name});
    }
    body
}

pub(crate) fn capture(sim: &Sim, c: &Capture) -> Value {
    let base = &sim.base;
    let mut body = json!({
        "id": c.id,
        "status": c.state.as_str(),
        "amount": c.amount.json(),
        "final_capture": true,
        "seller_protection": {"status": "ELIGIBLE", "dispute_categories": ["ITEM_NOT_RECEIVED", "UNAUTHORIZED_TRANSACTION"]},
        "supplementary_data": {"related_ids": {"order_id": c.order_id}},
        "create_time": c.created,
        "update_time": c.created,
        "links": [
            link(&format!("{base}/v2/payments/captures/{}", c.id), "self", "GET"),
            link(&format!("{base}/v2/payments/captures/{}/refund", c.id), "refund", "POST"),
            link(&format!("{base}/v2/checkout/orders/{}", c.order_id), "up", "GET"),
        ],
    });
    for (key, value) in [("custom_id", &c.custom_id), ("invoice_id", &c.invoice_id)] {
        if let Some(value) = value {
            body[key] = json!(value);
        }
    }
    let reason = match c.state {
        CaptureStatus::Pending => Some("PENDING_REVIEW"),
        CaptureStatus::Declined => Some("DECLINED_BY_RISK_FRAUD_FILTERS"),
        _ => None,
    };
    if let Some(reason) = reason {
        body["status_details"] = json!({"reason": reason});
    }
    body
}

pub(crate) fn refund(sim: &Sim, capture: &Capture, r: &Refund) -> Value {
    let base = &sim.base;
    let mut body = json!({
        "id": r.id,
        "status": "COMPLETED",
        "amount": r.amount.json(),
        "seller_payable_breakdown": {
            "gross_amount": r.amount.json(),
            "net_amount": r.amount.json(),
            "total_refunded_amount": r.total_after.json(),
        },
        "create_time": r.created,
        "update_time": r.created,
        "links": [
            link(&format!("{base}/v2/payments/refunds/{}", r.id), "self", "GET"),
            link(&format!("{base}/v2/payments/captures/{}", capture.id), "up", "GET"),
        ],
    });
    for (key, value) in
        [("custom_id", &capture.custom_id), ("invoice_id", &capture.invoice_id), ("note_to_payer", &r.note)]
    {
        if let Some(value) = value {
            body[key] = json!(value);
        }
    }
    body
}

fn link(href: &str, rel: &str, method: &str) -> Value {
    json!({"href": href, "rel": rel, "method": method})
}

/// A refusal in PayPal's words: its status and error body (small, so
/// `Result<_, Refusal>` stays cheap to pass around, unlike a `Response`).
#[derive(Debug)]
pub(crate) struct Refusal {
    pub status: StatusCode,
    body: Value,
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}

/// PayPal's error body: `name`, `message`, `details[].issue`, `debug_id`.
pub(crate) fn error(status: StatusCode, issue: &str, description: &str) -> Refusal {
    let (name, message) = match status {
        StatusCode::BAD_REQUEST => {
            ("INVALID_REQUEST", "Request is not well-formed, syntactically incorrect, or violates schema.")
        }
        StatusCode::NOT_FOUND => ("RESOURCE_NOT_FOUND", "The specified resource does not exist."),
        StatusCode::UNPROCESSABLE_ENTITY => (
            "UNPROCESSABLE_ENTITY",
            "The requested action could not be performed, semantically incorrect, or failed business validation.",
        ),
        _ => ("INTERNAL_SERVER_ERROR", "An internal server error occurred."),
    };
    let body = json!({
        "name": name,
        "message": message,
        "details": [{"issue": issue, "description": description}],
        "debug_id": uuid::Uuid::new_v4().simple().to_string()[..13].to_string(),
    });
    Refusal { status, body }
}

/// The OAuth2 error body PayPal answers 401 with.
pub(crate) fn unauthorized(error: &str, description: &str) -> Refusal {
    Refusal { status: StatusCode::UNAUTHORIZED, body: json!({"error": error, "error_description": description}) }
}
