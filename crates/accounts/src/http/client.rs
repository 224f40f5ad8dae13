use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::request::Parts,
};
use lyceum_platform::AppError;

use crate::service::Client;

/// The peer address and user agent of the request.
pub struct ClientInfo(pub Client);

impl<S: Send + Sync> FromRequestParts<S> for ClientInfo {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        let ip = parts
            .extensions
            .get::<ConnectInfo<std::net::SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip().to_string())
            .unwrap_or_else(|| "unknown".into());
        let user_agent =
            parts.headers.get(http::header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        Ok(ClientInfo(Client { ip, user_agent }))
    }
}
