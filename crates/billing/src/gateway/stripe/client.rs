//! Stripe's REST API, the few calls Lyceum makes: create and read a
//! PaymentIntent, create a customer (subscriptions), charge a kept card
//! off-session, create a refund. Form-encoded requests, JSON answers, the
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
    /// The customer the intent pays for (`cus_…`), set for subscriptions.
    #[serde(default)]
    pub customer: Option<String>,
    /// The payment method it was paid with (`pm_…`), once the learner chose one.
    #[serde(default)]
    pub payment_method: Option<String>,
}

/// A Stripe customer: what a kept payment method belongs to.
#[derive(Debug, Clone, Deserialize)]
pub(super) struct Customer {
    pub id: String,
}

/// An off-session charge's answer: the intent, or the decline Stripe answered
/// with (402) and the intent it was about when Stripe names it.
#[derive(Debug, Clone)]
pub(super) enum OffSession {
    Intent(PaymentIntent),
    Declined { intent_id: Option<String>, reason: String },
}

/// Stripe's error object (in an error answer, or a PaymentIntent's last error).
#[derive(Debug, Clone, Default, Deserialize)]
pub(super) struct StripeError {
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub code: Option<String>,
    /// In a card error: the intent that was declined (Stripe) …
    #[serde(default)]
    pub payment_intent: Option<Named>,
    /// … and its charge (Stripe and localstripe).
    #[serde(default)]
    pub charge: Option<String>,
}

/// An expandable object's id (`{"id": …}` when expanded, a bare string otherwise).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(super) enum Named {
    Id(String),
    Object { id: String },
}

impl Named {
    pub fn id(&self) -> &str {
        match self {
            Named::Id(id) | Named::Object { id } => id,
        }
    }
}

/// A charge, as much of it as Lyceum reads: the intent it belongs to.
#[derive(Debug, Clone, Deserialize)]
struct ChargeObject {
    #[serde(default)]
    payment_intent: Option<String>,
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

    /// `POST /v1/customers`: a customer to keep a payment method for renewals.
    pub async fn create_customer(&self, params: &[(&str, String)], key: &str) -> Result<Customer, GatewayError> {
        self.call(Method::POST, "/v1/customers", Some(params), Some(key)).await
    }

    /// `POST /v1/payment_intents` with `confirm=true` and `off_session=true`
    /// among `params`: a kept card charged without the learner. A decline is
    /// Stripe's 402 answer, read as [`OffSession::Declined`] with the intent
    /// it declined (named in the error, or found through its charge).
    pub async fn charge_off_session(&self, params: &[(&str, String)], key: &str) -> Result<OffSession, GatewayError> {
        let answer = self.send(Method::POST, "/v1/payment_intents", Some(params), Some(key)).await?;
        let Some(error) = declined(&answer) else { return read(answer).map(OffSession::Intent) };
        let reason = error.describe("the card was declined");
        let intent_id = match (&error.payment_intent, &error.charge) {
            (Some(intent), _) => Some(intent.id().to_string()),
            (None, Some(charge)) => self.charge_intent(charge).await.unwrap_or_else(|e| {
                tracing::warn!(error = %e, charge, "could not read a declined charge's intent");
                None
            }),
            (None, None) => None,
        };
        Ok(OffSession::Declined { intent_id, reason })
    }

    /// The PaymentIntent of the charge `id`.
    async fn charge_intent(&self, id: &str) -> Result<Option<String>, GatewayError> {
        let path = format!("/v1/charges/{}", checked_id(id, "ch_")?);
        let charge: ChargeObject = self.call(Method::GET, &path, None, None).await?;
        Ok(charge.payment_intent)
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
        read(self.send(method, path, form, idempotency_key).await?)
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        form: Option<&[(&str, String)]>,
        idempotency_key: Option<&str>,
    ) -> Result<Answer, GatewayError> {
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
        self.caller.send(request, DEADLINE).await.map_err(|e| GatewayError::Unreachable(e.to_string()))
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

/// Stripe's error when the answer is a decline (402 Payment Required: a card
/// error such as `card_declined` or `authentication_required`).
fn declined(answer: &Answer) -> Option<StripeError> {
    match answer.status {
        StatusCode::PAYMENT_REQUIRED => {
            Some(serde_json::from_slice::<ErrorAnswer>(&answer.body).map(|a| a.error).unwrap_or_default())
        }
        _ => None,
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
    fn a_decline_names_its_intent_or_its_charge() {
        let stripe = r#"{"error": {"type": "card_error", "code": "card_declined", "message": "Your card was declined.",
                         "charge": "ch_1", "payment_intent": {"id": "pi_1", "status": "requires_payment_method"}}}"#;
        let error = serde_json::from_str::<ErrorAnswer>(stripe).unwrap().error;
        assert_eq!(error.payment_intent.as_ref().map(Named::id), Some("pi_1"));
        let local = r#"{"error": {"type": "invalid_request_error", "code": "card_declined", "charge": "ch_2"}}"#;
        let error = declined(&answer(402, local)).expect("a decline");
        assert!(error.payment_intent.is_none());
        assert!(declined(&answer(200, r#"{"id": "pi_1", "status": "succeeded"}"#)).is_none());
        assert_eq!((error.charge.as_deref(), error.describe("")), (Some("ch_2"), "card_declined".to_string()));
    }

    #[test]
    fn only_plain_ids_go_into_a_path() {
        assert!(checked_id("pi_3Nabc_09", "pi_").is_ok());
        for bad in ["pi_", "pi_../../v1/charges", "ch_123", "pi_a?b", ""] {
            assert!(checked_id(bad, "pi_").is_err(), "{bad}");
        }
    }
}
