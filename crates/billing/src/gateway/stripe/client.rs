//! Stripe's REST API, the few calls Lyceum makes: create and read a
//! PaymentIntent, create a refund. Form-encoded requests, JSON answers, the
//! secret key as a bearer token, a deadline on every call.
//!
//! What goes wrong is sorted once, here: Stripe refusing (a 4xx with its
//! message) is [`GatewayError::Refused`], not worth repeating; no answer, a
//! 5xx or a rate limit is [`GatewayError::Unreachable`], worth trying later
//! (the reconciliation job does).

use std::time::Duration;

use bytes::Bytes;
use http::{Method, Request, StatusCode, header};
use lyceum_platform::http::outbound::{Answer, Caller};
use serde::{Deserialize, de::DeserializeOwned};

use crate::gateway::GatewayError;

/// The API version Lyceum is written against: answers keep this shape
/// whatever the account's default version becomes.
const API_VERSION: &str = "2024-06-20";
/// The longest a call may take, connection included.
const DEADLINE: Duration = Duration::from_secs(20);

pub(super) struct Client {
    caller: Caller,
    /// `https://api.stripe.com` (localstripe's address in tests), without a trailing slash.
    base: String,
    secret_key: String,
}

/// A PaymentIntent, as much of it as Lyceum reads.
#[derive(Debug, Clone, Deserialize)]
pub(super) struct PaymentIntent {
    pub id: String,
    pub status: String,
    #[serde(default)]
    pub client_secret: Option<String>,
    /// Why the last attempt failed (a declined card, a failed 3-D Secure).
    #[serde(default)]
    pub last_payment_error: Option<StripeError>,
}

/// Stripe's error object (in an error answer, or a PaymentIntent's last error).
#[derive(Debug, Clone, Default, Deserialize)]
pub(super) struct StripeError {
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub code: Option<String>,
}

impl StripeError {
    /// Stripe's message, else its code, else `fallback`.
    pub fn describe(&self, fallback: &str) -> String {
        self.message.clone().or_else(|| self.code.clone()).unwrap_or_else(|| fallback.to_string())
    }
}

#[derive(Deserialize)]
struct ErrorAnswer {
    #[serde(default)]
    error: StripeError,
}

#[derive(Debug, Clone, Deserialize)]
pub(super) struct Refund {
    pub id: String,
}

impl Client {
    pub fn new(base: &str, secret_key: &str) -> Result<Self, GatewayError> {
        let caller = Caller::new().map_err(|e| GatewayError::Unreachable(e.to_string()))?;
        Ok(Self { caller, base: base.trim_end_matches('/').to_string(), secret_key: secret_key.to_string() })
    }

    /// `POST /v1/payment_intents`; `key` makes a repeat return the same intent.
    pub async fn create_intent(&self, params: &[(&str, String)], key: &str) -> Result<PaymentIntent, GatewayError> {
        self.call(Method::POST, "/v1/payment_intents", Some(params), Some(key)).await
    }

    /// `GET /v1/payment_intents/{id}`.
    pub async fn intent(&self, id: &str) -> Result<PaymentIntent, GatewayError> {
        let path = format!("/v1/payment_intents/{}", checked_id(id, "pi_")?);
        self.call(Method::GET, &path, None, None).await
    }

    /// `POST /v1/refunds` of `amount` (Stripe's units) on the PaymentIntent `intent_id`.
    pub async fn refund(&self, intent_id: &str, amount: i64, key: &str) -> Result<Refund, GatewayError> {
        let params = [("payment_intent", checked_id(intent_id, "pi_")?.to_string()), ("amount", amount.to_string())];
        self.call(Method::POST, "/v1/refunds", Some(&params), Some(key)).await
    }

    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        form: Option<&[(&str, String)]>,
        idempotency_key: Option<&str>,
    ) -> Result<T, GatewayError> {
        let mut request = Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base))
            .header(header::AUTHORIZATION, format!("Bearer {}", self.secret_key))
            .header(header::ACCEPT, "application/json")
            .header("stripe-version", API_VERSION);
        if let Some(key) = idempotency_key {
            request = request.header("idempotency-key", key);
        }
        let body = match form {
            Some(params) => {
                request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
                Bytes::from(url::form_urlencoded::Serializer::new(String::new()).extend_pairs(params).finish())
            }
            None => Bytes::new(),
        };
        let request = request.body(body).map_err(|e| GatewayError::Refused(format!("bad request to Stripe: {e}")))?;
        let answer = self.caller.send(request, DEADLINE).await.map_err(|e| GatewayError::Unreachable(e.to_string()))?;
        read(answer)
    }
}

/// The answer's JSON, or the error it stands for.
fn read<T: DeserializeOwned>(answer: Answer) -> Result<T, GatewayError> {
    let status = answer.status;
    if status.is_success() {
        return serde_json::from_slice(&answer.body)
            .map_err(|e| GatewayError::Unreachable(format!("unreadable answer from Stripe: {e}")));
    }
    let message = serde_json::from_slice::<ErrorAnswer>(&answer.body)
        .map(|a| a.error.describe(&status.to_string()))
        .unwrap_or_else(|_| status.to_string());
    if status.is_client_error() && status != StatusCode::TOO_MANY_REQUESTS {
        Err(GatewayError::Refused(message))
    } else {
        Err(GatewayError::Unreachable(format!("Stripe answered {status}: {message}")))
    }
}

/// `id` when it looks like a Stripe id with `prefix` (it goes into a URL path).
fn checked_id<'a>(id: &'a str, prefix: &str) -> Result<&'a str, GatewayError> {
    let rest = id.strip_prefix(prefix).unwrap_or("");
    if !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        Ok(id)
    } else {
        Err(GatewayError::Refused(format!("not a Stripe {prefix}… id: {id:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, body: &str) -> Answer {
        Answer { status: StatusCode::from_u16(status).unwrap(), body: Bytes::from(body.to_string()) }
    }

    #[test]
    fn a_4xx_is_refused_with_stripes_message() {
        let body = r#"{"error": {"type": "invalid_request_error", "message": "No such payment_intent: 'pi_x'"}}"#;
        let error = read::<PaymentIntent>(answer(404, body)).unwrap_err();
        assert!(matches!(&error, GatewayError::Refused(m) if m == "No such payment_intent: 'pi_x'"), "{error:?}");
    }

    #[test]
    fn a_5xx_or_a_rate_limit_is_unreachable() {
        assert!(matches!(read::<Refund>(answer(502, "<html>")), Err(GatewayError::Unreachable(_))));
        assert!(matches!(read::<Refund>(answer(429, "{}")), Err(GatewayError::Unreachable(_))));
    }

    #[test]
    fn an_intent_is_read_with_its_last_error() {
        let body = r#"{"id": "pi_1", "status": "requires_payment_method", "client_secret": "pi_1_secret_x",
                       "last_payment_error": {"code": "card_declined", "message": "Your card was declined."}}"#;
        let pi: PaymentIntent = read(answer(200, body)).unwrap();
        assert_eq!(pi.last_payment_error.unwrap().describe(""), "Your card was declined.");
    }

    #[test]
    fn only_plain_ids_go_into_a_path() {
        assert!(checked_id("pi_3Nabc_09", "pi_").is_ok());
        for bad in ["pi_", "pi_../../v1/charges", "ch_123", "pi_a?b", ""] {
            assert!(checked_id(bad, "pi_").is_err(), "{bad}");
        }
    }
}
