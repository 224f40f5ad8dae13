//! Webhook events: recorded when something happens, delivered to the
//! registered listener with PayPal's transmission headers, retried with a
//! doubling wait while the listener fails (a bounded number of times), and
//! vouched for by `POST /v1/notifications/verify-webhook-signature` only when
//! this server really sent that transmission.

use std::time::Duration;

use base64::Engine;
use serde_json::{Value, json};

use crate::state::{AUTH_ALGO, Attempt, Delivery, Fate, Shared, Sim, now};

/// The events this server sends, with their resource type and summary.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Kind {
    OrderApproved,
    CaptureCompleted,
    CaptureDenied,
    CapturePending,
    CaptureRefunded,
}

impl Kind {
    fn parts(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Self::OrderApproved => ("CHECKOUT.ORDER.APPROVED", "checkout-order", "An order has been approved by buyer"),
            Self::CaptureCompleted => ("PAYMENT.CAPTURE.COMPLETED", "capture", "Payment completed"),
            Self::CaptureDenied => ("PAYMENT.CAPTURE.DENIED", "capture", "Payment denied"),
            Self::CapturePending => ("PAYMENT.CAPTURE.PENDING", "capture", "Payment pending"),
            Self::CaptureRefunded => ("PAYMENT.CAPTURE.REFUNDED", "refund", "A payment was refunded"),
        }
    }
}

/// Records an event about `resource` and starts delivering it (unless
/// deliveries are being dropped or no listener is registered).
pub(crate) fn emit(shared: &Shared, sim: &mut Sim, kind: Kind, resource: Value) {
    let (event_type, resource_type, summary) = kind.parts();
    let event_id = sim.new_id("WH-", 24);
    let base = sim.base.clone();
    let event = json!({
        "id": event_id,
        "event_version": "1.0",
        "create_time": now(),
        "resource_type": resource_type,
        "resource_version": "2.0",
        "event_type": event_type,
        "summary": summary,
        "resource": resource,
        "links": [
            {"href": format!("{base}/v1/notifications/webhooks-events/{event_id}"), "rel": "self", "method": "GET"},
            {"href": format!("{base}/v1/notifications/webhooks-events/{event_id}/resend"), "rel": "resend", "method": "POST"},
        ],
    });
    let fate = match (&sim.listener, sim.dropping) {
        (None, _) => Fate::NoListener,
        (Some(_), true) => Fate::Dropped,
        (Some(_), false) => Fate::Sending,
    };
    let mut random = [0u8; 32];
    random[..16].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
    random[16..].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
    sim.deliveries.push(Delivery {
        event_id,
        event_type: event_type.to_string(),
        body: serde_json::to_vec(&event).expect("an event serialises"),
        event,
        transmission_id: uuid::Uuid::new_v4().to_string(),
        transmission_time: now(),
        transmission_sig: base64::engine::general_purpose::STANDARD.encode(random),
        cert_url: format!("{base}/v1/notifications/certs/CERT-360caa42-fca2a594-{}", sim.webhook_id),
        attempts: Vec::new(),
        fate,
    });
    if fate == Fate::Sending {
        tokio::spawn(deliver(shared.clone(), sim.deliveries.len() - 1));
    }
}

/// Delivers one event until the listener takes it or the attempts run out,
/// waiting `retry_base`, then twice as long, … between attempts.
async fn deliver(shared: Shared, index: usize) {
    let mut wait = shared.lock().options.retry_base;
    loop {
        let attempt = send_once(&shared, index).await;
        let done = {
            let mut sim = shared.lock();
            let max_attempts = sim.options.max_attempts as usize;
            let delivery = &mut sim.deliveries[index];
            let taken = attempt.status.is_some_and(|s| (200..300).contains(&s));
            delivery.attempts.push(attempt);
            if taken {
                delivery.fate = Fate::Delivered;
            } else if delivery.attempts.len() >= max_attempts {
                delivery.fate = Fate::GaveUp;
            }
            delivery.fate != Fate::Sending
        };
        if done {
            return;
        }
        tokio::time::sleep(wait).await;
        wait = wait.saturating_mul(2);
    }
}

/// POSTs the event at `index` to the listener once, as PayPal does.
pub(crate) async fn send_once(shared: &Shared, index: usize) -> Attempt {
    let (request, body) = {
        let sim = shared.lock();
        let Some(url) = sim.listener.clone() else {
            return Attempt { status: None, body: "no listener registered".into() };
        };
        let d = &sim.deliveries[index];
        let request = sim
            .http
            .post(url)
            .header("content-type", "application/json")
            .header("user-agent", "PayPal/AUT-JAVA")
            .header("paypal-transmission-id", &d.transmission_id)
            .header("paypal-transmission-time", &d.transmission_time)
            .header("paypal-transmission-sig", &d.transmission_sig)
            .header("paypal-cert-url", &d.cert_url)
            .header("paypal-auth-algo", AUTH_ALGO)
            .timeout(Duration::from_secs(10));
        (request, d.body.clone())
    };
    match request.body(body).send().await {
        Ok(response) => {
            let status = response.status().as_u16();
            Attempt { status: Some(status), body: response.text().await.unwrap_or_default() }
        }
        Err(e) => Attempt { status: None, body: e.to_string() },
    }
}

/// Whether `request` (a verify-webhook-signature body) describes a
/// transmission this server sent, for its webhook, with the event as sent.
pub(crate) fn verified(sim: &Sim, request: &Value) -> bool {
    let field = |key: &str| request[key].as_str();
    let Some(d) = sim.deliveries.iter().find(|d| field("transmission_id") == Some(d.transmission_id.as_str())) else {
        return false;
    };
    let sent = matches!(d.fate, Fate::Sending | Fate::Delivered | Fate::GaveUp);
    sent && field("transmission_sig") == Some(d.transmission_sig.as_str())
        && field("transmission_time") == Some(d.transmission_time.as_str())
        && field("cert_url") == Some(d.cert_url.as_str())
        && field("auth_algo") == Some(AUTH_ALGO)
        && field("webhook_id") == Some(sim.webhook_id.as_str())
        && request["webhook_event"] == d.event
}
