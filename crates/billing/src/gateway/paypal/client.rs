//! PayPal's REST API as the gateway calls it: JSON over the platform's
//! outbound HTTPS client, an OAuth2 client-credentials token in front of
//! every call, `PayPal-Request-Id` where a repeat must not act twice, and
//! PayPal's refusals read into [`ApiError`].
//!
//! The token is kept in `state.cache` under the API base and client id,
//! until shortly before PayPal says it expires (about nine hours). With
//! Redis configured, the replicas share it: one token request per site
//! instead of per process, and a 401 seen by one replica (a token revoked or
//! rotated early) drops it for all. Redis already holds what the site's
//! sessions depend on, so a token there widens no trust; a cache failure
//! only means asking PayPal for a token again.

use std::time::Duration;

use base64::Engine;
use bytes::Bytes;
use http::{Method, Request, StatusCode, header};
use lyceum_platform::{cache::Cache, http::outbound};
use serde::{Deserialize, Serialize, de::DeserializeOwned};

use crate::gateway::GatewayError;

/// The cache namespace of access tokens.
const TOKEN_NAMESPACE: &str = "billing.paypal_token";
/// Every call, body included, within this.
const DEADLINE: Duration = Duration::from_secs(20);
/// A token is used until this long before PayPal says it expires.
const EXPIRY_MARGIN: Duration = Duration::from_secs(300);

/// Why a call to PayPal did not succeed.
#[derive(Debug, Clone)]
pub(super) enum ApiError {
    /// PayPal refused the request (4xx): `issue` is PayPal's name for why
    /// (`ORDER_ALREADY_CAPTURED`, `INSTRUMENT_DECLINED`…).
    Refused { issue: Option<String>, message: String },
    /// No answer, an unreadable one, or a 5xx: worth trying again later.
    Unreachable(String),
}

impl ApiError {
    pub fn issue(&self) -> Option<&str> {
        match self {
            Self::Refused { issue, .. } => issue.as_deref(),
            Self::Unreachable(_) => None,
        }
    }
}

impl From<ApiError> for GatewayError {
    fn from(e: ApiError) -> Self {
        match e {
            ApiError::Refused { message, .. } => GatewayError::Refused(message),
            ApiError::Unreachable(why) => GatewayError::Unreachable(why),
        }
    }
}

pub(super) struct Api {
    base: String,
    client_id: String,
    client_secret: String,
    cache: Cache,
}

impl Api {
    pub fn new(base: &str, client_id: &str, client_secret: &str, cache: Cache) -> Self {
        Self {
            base: base.trim_end_matches('/').to_string(),
            client_id: client_id.to_string(),
            client_secret: client_secret.to_string(),
            cache,
        }
    }

    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        read(&self.call(Method::GET, path, None, None).await?)
    }

    /// POSTs `body`; `request_id` (PayPal-Request-Id) makes a repeat replay the first answer.
    pub async fn post<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &impl Serialize,
        request_id: Option<&str>,
    ) -> Result<T, ApiError> {
        let body = serde_json::to_vec(body).map_err(|e| ApiError::Unreachable(e.to_string()))?;
        read(&self.call(Method::POST, path, Some(Bytes::from(body)), request_id).await?)
    }

    /// One call with the cached token; on a 401, once more with a fresh one.
    async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Bytes>,
        request_id: Option<&str>,
    ) -> Result<Bytes, ApiError> {
        let token = self.token(false).await?;
        let reply = self.send(method.clone(), path, body.clone(), request_id, &token).await?;
        let reply = match reply.status {
            StatusCode::UNAUTHORIZED => {
                let token = self.token(true).await?;
                self.send(method, path, body, request_id, &token).await?
            }
            _ => reply,
        };
        answer(reply)
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Bytes>,
        request_id: Option<&str>,
        token: &str,
    ) -> Result<outbound::Answer, ApiError> {
        let mut request = Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::ACCEPT, "application/json")
            // The whole object back from create, capture and refund, not only its id.
            .header("prefer", "return=representation");
        if body.is_some() {
            request = request.header(header::CONTENT_TYPE, "application/json");
        }
        if let Some(id) = request_id {
            request = request.header("paypal-request-id", id);
        }
        let request = request.body(body.unwrap_or_default()).map_err(|e| self.bad_address(e))?;
        call(request).await
    }

    /// The access token: the cached one, or (when `fresh`, or none is cached) a new one.
    async fn token(&self, fresh: bool) -> Result<String, ApiError> {
        let key = format!("{}|{}", self.base, self.client_id);
        if fresh {
            self.cache.delete(TOKEN_NAMESPACE, &key).await;
        } else if let Some(token) = self.cache.get_json::<String>(TOKEN_NAMESPACE, &key).await {
            return Ok(token);
        }
        let basic =
            base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", self.client_id, self.client_secret));
        let request = Request::builder()
            .method(Method::POST)
            .uri(format!("{}/v1/oauth2/token", self.base))
            .header(header::AUTHORIZATION, format!("Basic {basic}"))
            .header(header::ACCEPT, "application/json")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Bytes::from_static(b"grant_type=client_credentials"))
            .map_err(|e| self.bad_address(e))?;
        let reply = call(request).await?;
        let granted: Granted = read(&answer(reply)?)?;
        let keep = kept_for(granted.expires_in);
        if !keep.is_zero() {
            self.cache.set_json(TOKEN_NAMESPACE, &key, &granted.access_token, keep).await;
        }
        Ok(granted.access_token)
    }

    fn bad_address(&self, e: http::Error) -> ApiError {
        ApiError::Unreachable(format!("the PayPal API address {:?} is not usable: {e}", self.base))
    }
}

/// Sends `request` to PayPal within [`DEADLINE`].
async fn call(request: Request<Bytes>) -> Result<outbound::Answer, ApiError> {
    let unreachable = |e: outbound::CallError| ApiError::Unreachable(format!("PayPal: {e}"));
    outbound::Caller::new().map_err(unreachable)?.send(request, DEADLINE).await.map_err(unreachable)
}

/// How long a token that expires in `expires_in` seconds is kept: until
/// [`EXPIRY_MARGIN`] before it expires, or half its life if that is shorter.
fn kept_for(expires_in: u64) -> Duration {
    let lifetime = Duration::from_secs(expires_in);
    lifetime.checked_sub(EXPIRY_MARGIN).filter(|keep| *keep >= lifetime / 2).unwrap_or(lifetime / 2)
}

#[derive(Deserialize)]
struct Granted {
    access_token: String,
    expires_in: u64,
}

/// A 2xx answer's body; PayPal's refusal (4xx) or failure (anything else) as an [`ApiError`].
fn answer(reply: outbound::Answer) -> Result<Bytes, ApiError> {
    if reply.status.is_success() {
        return Ok(reply.body);
    }
    if !reply.status.is_client_error() {
        return Err(ApiError::Unreachable(format!("PayPal answered {}", reply.status)));
    }
    let error: PaypalError = serde_json::from_slice(&reply.body).unwrap_or_default();
    let detail = error.details.first();
    let issue = detail.and_then(|d| d.issue.clone()).or(error.error);
    let text = [error.message, detail.and_then(|d| d.description.clone()), error.error_description]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let message = match &issue {
        Some(issue) => format!("PayPal refused ({}, {issue}): {text}", reply.status),
        None => format!("PayPal refused ({}): {text}", reply.status),
    };
    Err(ApiError::Refused { issue, message })
}

fn read<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| ApiError::Unreachable(format!("PayPal's answer could not be read: {e}")))
}

/// PayPal's error body (REST: `name`, `message`, `details`; OAuth: `error`, `error_description`).
#[derive(Debug, Default, Deserialize)]
struct PaypalError {
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    details: Vec<ErrorDetail>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    error_description: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct ErrorDetail {
    #[serde(default)]
    issue: Option<String>,
    #[serde(default)]
    description: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(status: u16, body: &str) -> outbound::Answer {
        outbound::Answer { status: StatusCode::from_u16(status).unwrap(), body: Bytes::from(body.to_string()) }
    }

    #[test]
    fn tokens_are_kept_until_shortly_before_they_expire() {
        assert_eq!(kept_for(32_400), Duration::from_secs(32_100), "PayPal's nine hours, less five minutes");
        assert_eq!(kept_for(400), Duration::from_secs(200), "a short life: half of it");
        assert_eq!(kept_for(0), Duration::ZERO, "not kept at all");
    }

    #[test]
    fn paypal_refusals_keep_the_issue_and_failures_are_worth_retrying() {
        let body = r#"{"name":"UNPROCESSABLE_ENTITY","message":"The requested action could not be performed.",
            "details":[{"issue":"REFUND_AMOUNT_EXCEEDED","description":"The refund amount must be less."}]}"#;
        let refused = answer(reply(422, body)).unwrap_err();
        assert_eq!(refused.issue(), Some("REFUND_AMOUNT_EXCEEDED"));
        let ApiError::Refused { message, .. } = refused else { panic!("a refusal") };
        assert!(message.contains("The refund amount must be less."), "{message}");
        let oauth =
            answer(reply(401, r#"{"error":"invalid_client","error_description":"Client Authentication failed"}"#));
        assert_eq!(oauth.unwrap_err().issue(), Some("invalid_client"));
        assert!(matches!(answer(reply(503, "")), Err(ApiError::Unreachable(_))));
        assert!(matches!(answer(reply(404, "<html>")), Err(ApiError::Refused { issue: None, .. })));
        assert_eq!(answer(reply(201, "{}")).unwrap(), Bytes::from_static(b"{}"));
    }
}
