//! PayPal's webhook deliveries: verified by asking PayPal
//! (`POST /v1/notifications/verify-webhook-signature` with the transmission
//! headers, the site's webhook id and the event exactly as it arrived —
//! re-serialising it could change its bytes and fail the check), then read
//! into a [`Notice`].
//!
//! CHECKOUT.ORDER.APPROVED means the learner approved and nobody captured
//! yet; if the browser was closed before the return, nobody will. So the
//! gateway settles that order right here — the same idempotent capture
//! [`Gateway::settlement`] makes (`PayPal-Request-Id capture-{order}`) — and
//! reports what the capture says, which the webhook service applies like any
//! settlement. The service stays the same for every gateway: it never needs
//! to know that PayPal's "approved" means "capture now". If PayPal cannot be
//! reached for the capture, the delivery is answered 502 and PayPal sends it
//! again (and the reconciliation job would capture it anyway). This assumes
//! the webhook is the site's own REST app's, whose approved orders are all
//! the site's: an approved order of another system would be captured too.

use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::{
    Paypal, of_capture, path_segment,
    wire::{Amount, Capture, Order, Refund},
};
use crate::gateway::{Gateway, GatewayError, News, Notice};

/// The transmission headers PayPal signs a delivery with.
struct Transmission {
    id: String,
    time: String,
    sig: String,
    cert_url: String,
    auth_algo: String,
}

impl Transmission {
    fn from_headers(headers: &HeaderMap) -> Result<Self, GatewayError> {
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
                .ok_or_else(|| GatewayError::BadWebhook(format!("the {} header is missing", name.to_uppercase())))
        };
        Ok(Self {
            id: header("paypal-transmission-id")?,
            time: header("paypal-transmission-time")?,
            sig: header("paypal-transmission-sig")?,
            cert_url: header("paypal-cert-url")?,
            auth_algo: header("paypal-auth-algo")?,
        })
    }
}

#[derive(Serialize)]
struct VerifyRequest<'a> {
    auth_algo: &'a str,
    cert_url: &'a str,
    transmission_id: &'a str,
    transmission_sig: &'a str,
    transmission_time: &'a str,
    webhook_id: &'a str,
    webhook_event: &'a RawValue,
}

#[derive(Deserialize)]
struct Verification {
    verification_status: String,
}

/// An event as PayPal sends it (`notifications_webhooks_v1` `event`).
#[derive(Deserialize)]
struct Event {
    id: String,
    event_type: String,
    #[serde(default)]
    resource: serde_json::Value,
}

pub(super) async fn receive(gateway: &Paypal, headers: &HeaderMap, body: &[u8]) -> Result<Notice, GatewayError> {
    let transmission = Transmission::from_headers(headers)?;
    let raw: &RawValue =
        serde_json::from_slice(body).map_err(|e| GatewayError::BadWebhook(format!("the body is not JSON: {e}")))?;
    let event: Event = serde_json::from_str(raw.get())
        .map_err(|e| GatewayError::BadWebhook(format!("the body is not a PayPal event: {e}")))?;
    verify(gateway, &transmission, raw).await?;
    let (gateway_ref, news) = read(gateway, &event).await?;
    Ok(Notice { event_id: event.id, kind: event.event_type, gateway_ref, news })
}

/// Asks PayPal whether it sent this delivery; anything but SUCCESS is a bad webhook.
async fn verify(gateway: &Paypal, t: &Transmission, event: &RawValue) -> Result<(), GatewayError> {
    if gateway.webhook_id.trim().is_empty() {
        return Err(GatewayError::BadWebhook(
            "no PayPal webhook_id is configured, so no delivery can be verified".into(),
        ));
    }
    let request = VerifyRequest {
        auth_algo: &t.auth_algo,
        cert_url: &t.cert_url,
        transmission_id: &t.id,
        transmission_sig: &t.sig,
        transmission_time: &t.time,
        webhook_id: &gateway.webhook_id,
        webhook_event: event,
    };
    let answer: Verification =
        gateway.api.post("/v1/notifications/verify-webhook-signature", &request, None).await.map_err(|e| match e {
            super::ApiError::Refused { message, .. } => GatewayError::BadWebhook(message),
            unreachable => unreachable.into(),
        })?;
    match answer.verification_status.as_str() {
        "SUCCESS" => Ok(()),
        other => Err(GatewayError::BadWebhook(format!("PayPal did not verify the delivery ({other})"))),
    }
}

/// The PayPal order the event is about, and what it means for it.
async fn read(gateway: &Paypal, event: &Event) -> Result<(Option<String>, News), GatewayError> {
    let resource =
        |what: &str| GatewayError::BadWebhook(format!("the {} event's resource is not a {what}", event.event_type));
    match event.event_type.as_str() {
        "CHECKOUT.ORDER.APPROVED" | "CHECKOUT.ORDER.COMPLETED" => {
            let order: Order = serde_json::from_value(event.resource.clone()).map_err(|_| resource("order"))?;
            let settlement = gateway.settlement(&order.id).await?;
            Ok((Some(order.id), News::Settled(settlement)))
        }
        "PAYMENT.CAPTURE.COMPLETED"
        | "PAYMENT.CAPTURE.DENIED"
        | "PAYMENT.CAPTURE.DECLINED"
        | "PAYMENT.CAPTURE.PENDING" => {
            let capture: Capture = serde_json::from_value(event.resource.clone()).map_err(|_| resource("capture"))?;
            Ok((capture.order_id().map(str::to_string), News::Settled(of_capture(Some(&capture)))))
        }
        "PAYMENT.CAPTURE.REFUNDED" => {
            let refund: Refund = serde_json::from_value(event.resource.clone()).map_err(|_| resource("refund"))?;
            refunded(gateway, &refund).await
        }
        _ => Ok((None, News::Ignored)),
    }
}

/// A refund (ours, or made in PayPal's dashboard): the capture's refunded
/// total so far, and the order it belongs to (asked of the capture).
async fn refunded(gateway: &Paypal, refund: &Refund) -> Result<(Option<String>, News), GatewayError> {
    let capture_id = refund
        .capture_id()
        .ok_or_else(|| GatewayError::BadWebhook("the refund names no capture (no `up` link)".into()))?;
    let capture: Capture = gateway.api.get(&format!("/v2/payments/captures/{}", path_segment(capture_id)?)).await?;
    let order_id = capture.order_id().map(str::to_string);
    let total = match (refund.total_refunded(), capture.status.as_str()) {
        (Some(total), _) => total.money(),
        // Without PayPal's running total, only a full refund says how much in all.
        (None, "REFUNDED") => capture.amount.as_ref().and_then(Amount::money),
        (None, _) => None,
    };
    Ok(match total {
        Some(total) => (order_id, News::RefundedTotal(total)),
        None => {
            tracing::warn!(refund = %refund.id, "a PayPal refund without a readable refunded total: not recorded");
            (order_id, News::Ignored)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gateway::Settlement;
    use serde_json::json;

    fn capture_news(resource: serde_json::Value) -> Settlement {
        of_capture(Some(&serde_json::from_value::<Capture>(resource).unwrap()))
    }

    #[test]
    fn capture_events_settle_by_the_capture_status() {
        let completed = json!({"id": "C1", "status": "COMPLETED",
            "supplementary_data": {"related_ids": {"order_id": "O1"}}});
        assert_eq!(capture_news(completed), Settlement::Paid { payment_ref: "C1".into() });
        let denied = json!({"id": "C2", "status": "DECLINED"});
        assert!(matches!(capture_news(denied), Settlement::Failed { .. }));
    }

    #[test]
    fn missing_transmission_headers_are_a_bad_webhook() {
        let mut headers = HeaderMap::new();
        for (name, value) in [
            ("paypal-transmission-id", "t"),
            ("paypal-transmission-time", "2026-12-14T10:00:00Z"),
            ("paypal-transmission-sig", "s"),
            ("paypal-cert-url", "https://api.paypal.com/cert"),
        ] {
            headers.insert(name, value.parse().unwrap());
        }
        let Err(GatewayError::BadWebhook(why)) = Transmission::from_headers(&headers) else { panic!("refused") };
        assert!(why.contains("PAYPAL-AUTH-ALGO"), "{why}");
        headers.insert("paypal-auth-algo", "SHA256withRSA".parse().unwrap());
        assert!(Transmission::from_headers(&headers).is_ok());
    }
}
