//! Stripe's webhook deliveries: the `Stripe-Signature` check and what an
//! event means for an order.
//!
//! The header is `t=<unix seconds>,v1=<hex>[,v1=<hex>…]`; each `v1` is the
//! HMAC-SHA256, keyed with the endpoint's `whsec_…` secret, of `"{t}.{raw
//! body}"`. Several `v1` appear while a secret is being rolled: one match is
//! enough. A timestamp older than the tolerance is refused, so a captured
//! delivery cannot be replayed later (and a replay within it is caught by the
//! inbox, keyed by the event id).

use hmac::{Hmac, Mac};
use serde::Deserialize;
use serde_json::Value;
use sha2::Sha256;
use subtle::ConstantTimeEq;

use super::amounts;
use crate::gateway::{GatewayError, News, Notice, Settlement};

/// Checks `header` against `body`, keyed with `secret`, at `now` (unix seconds).
pub(super) fn verify(
    header: Option<&str>,
    body: &[u8],
    secret: &str,
    tolerance_secs: u64,
    now: i64,
) -> Result<(), GatewayError> {
    let bad = |why: &str| GatewayError::BadWebhook(why.to_string());
    if secret.is_empty() {
        return Err(bad("no Stripe webhook secret is configured"));
    }
    let header = header.ok_or_else(|| bad("no Stripe-Signature header"))?;
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => timestamp = t.parse::<i64>().ok(),
            Some(("v1", v1)) => signatures.extend(hex::decode(v1).ok()),
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or_else(|| bad("the Stripe-Signature header has no timestamp"))?;
    if signatures.is_empty() {
        return Err(bad("the Stripe-Signature header has no v1 signature"));
    }
    let expected = sign(secret, timestamp, body);
    if !signatures.iter().any(|s| bool::from(s.as_slice().ct_eq(&expected))) {
        return Err(bad("the signature does not match"));
    }
    if now.saturating_sub(timestamp) > i64::try_from(tolerance_secs).unwrap_or(i64::MAX) {
        return Err(bad("the signed timestamp is too old"));
    }
    Ok(())
}

/// HMAC-SHA256 of `"{timestamp}.{body}"` keyed with `secret`.
pub(super) fn sign(secret: &str, timestamp: i64, body: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.finalize().into_bytes().to_vec()
}

#[derive(Deserialize)]
struct Event {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    data: EventData,
}

#[derive(Deserialize)]
struct EventData {
    object: Value,
}

/// A verified event read as a [`Notice`].
pub(super) fn read(body: &[u8]) -> Result<Notice, GatewayError> {
    let event: Event =
        serde_json::from_slice(body).map_err(|e| GatewayError::BadWebhook(format!("not a Stripe event: {e}")))?;
    let object = &event.data.object;
    let text = |field: &str| object.get(field).and_then(Value::as_str).map(str::to_string);
    let (gateway_ref, news) = match event.kind.as_str() {
        "payment_intent.succeeded" => {
            let id = text("id");
            let paid = id.clone().map(|payment_ref| Settlement::Paid { payment_ref });
            (id, paid.map(News::Settled))
        }
        "payment_intent.payment_failed" => {
            let reason = object
                .pointer("/last_payment_error/message")
                .and_then(Value::as_str)
                .unwrap_or("the payment failed")
                .to_string();
            (text("id"), Some(News::Settled(Settlement::Failed { reason })))
        }
        "payment_intent.canceled" => (text("id"), Some(News::Settled(Settlement::Cancelled))),
        "charge.refunded" => {
            let total = object.get("amount_refunded").and_then(Value::as_i64);
            let currency = text("currency");
            let refunded = total.zip(currency).and_then(|(t, c)| amounts::from_stripe(t, &c));
            (text("payment_intent"), refunded.map(News::RefundedTotal))
        }
        _ => (None, Some(News::Ignored)),
    };
    let news = news.ok_or_else(|| GatewayError::BadWebhook(format!("a {} event without its fields", event.kind)))?;
    Ok(Notice { event_id: event.id, kind: event.kind, gateway_ref, news })
}

#[cfg(test)]
mod tests {
    use lyceum_platform::money::{Currency, Money};

    use super::*;

    const SECRET: &str = "whsec_test_secret";
    const BODY: &[u8] = br#"{"id": "evt_1", "type": "payment_intent.succeeded", "data": {"object": {"id": "pi_1"}}}"#;
    const NOW: i64 = 1_765_000_000;

    fn header(t: i64, secrets: &[&str]) -> String {
        let mut h = format!("t={t}");
        for s in secrets {
            h.push_str(&format!(",v1={}", hex::encode(sign(s, t, BODY))));
        }
        h
    }

    fn check(header: &str) -> Result<(), GatewayError> {
        verify(Some(header), BODY, SECRET, 300, NOW)
    }

    #[test]
    fn a_good_signature_passes() {
        check(&header(NOW - 5, &[SECRET])).unwrap();
    }

    #[test]
    fn a_signature_with_another_secret_or_body_fails() {
        assert!(check(&header(NOW, &["whsec_other"])).is_err());
        let signed = header(NOW, &[SECRET]);
        assert!(verify(Some(&signed), b"{\"id\": \"evt_2\"}", SECRET, 300, NOW).is_err());
        // The timestamp is signed too: changing it breaks the signature.
        let moved = signed.replacen(&format!("t={NOW}"), &format!("t={}", NOW + 1), 1);
        assert!(check(&moved).is_err());
    }

    #[test]
    fn an_old_timestamp_fails_even_when_signed() {
        check(&header(NOW - 300, &[SECRET])).unwrap();
        let error = check(&header(NOW - 301, &[SECRET])).unwrap_err();
        assert!(error.to_string().contains("too old"), "{error}");
    }

    #[test]
    fn malformed_headers_fail() {
        for h in ["", "garbage", "t=abc,v1=00", &format!("t={NOW}"), &format!("t={NOW},v1=not-hex"), "v1=00"] {
            assert!(check(h).is_err(), "{h:?} passed");
        }
        assert!(verify(None, BODY, SECRET, 300, NOW).is_err());
        assert!(verify(Some(&header(NOW, &[""])), BODY, "", 300, NOW).is_err(), "no secret configured");
    }

    #[test]
    fn any_of_several_v1_signatures_may_match() {
        check(&header(NOW, &["whsec_old", SECRET])).unwrap();
        check(&format!("{},v0=ignored", header(NOW, &[SECRET, "whsec_new"]))).unwrap();
    }

    fn notice(json: &str) -> Notice {
        read(json.as_bytes()).unwrap()
    }

    #[test]
    fn payment_intent_events_settle_the_order() {
        let paid = notice(r#"{"id": "evt_1", "type": "payment_intent.succeeded", "data": {"object": {"id": "pi_1"}}}"#);
        assert_eq!(paid.gateway_ref.as_deref(), Some("pi_1"));
        assert_eq!(paid.news, News::Settled(Settlement::Paid { payment_ref: "pi_1".into() }));
        let failed = notice(
            r#"{"id": "evt_2", "type": "payment_intent.payment_failed",
                "data": {"object": {"id": "pi_1", "last_payment_error": {"message": "Your card was declined."}}}}"#,
        );
        assert_eq!(failed.news, News::Settled(Settlement::Failed { reason: "Your card was declined.".into() }));
        let canceled =
            notice(r#"{"id": "evt_3", "type": "payment_intent.canceled", "data": {"object": {"id": "pi_1"}}}"#);
        assert_eq!(canceled.news, News::Settled(Settlement::Cancelled));
        assert_eq!(canceled.event_id, "evt_3");
    }

    #[test]
    fn a_refunded_charge_reports_the_total_refunded_on_its_payment_intent() {
        let refunded = notice(
            r#"{"id": "evt_4", "type": "charge.refunded",
                "data": {"object": {"id": "ch_1", "payment_intent": "pi_1", "amount_refunded": 1500, "currency": "eur"}}}"#,
        );
        assert_eq!(refunded.gateway_ref.as_deref(), Some("pi_1"));
        assert_eq!(refunded.news, News::RefundedTotal(Money { minor: 1500, currency: Currency::EUR }));
    }

    #[test]
    fn other_events_are_ignored_and_broken_ones_refused() {
        let other = notice(r#"{"id": "evt_5", "type": "customer.created", "data": {"object": {"id": "cus_1"}}}"#);
        assert_eq!((other.news, other.gateway_ref), (News::Ignored, None));
        assert!(read(b"not json").is_err());
        assert!(read(br#"{"id": "evt_6", "type": "payment_intent.succeeded", "data": {"object": {}}}"#).is_err());
    }
}
