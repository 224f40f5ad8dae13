//! Outbound HTTP calls to the services a module talks to (a payment
//! provider's REST API): hyper with rustls on the `ring` provider, passed
//! explicitly, one connection pool per process, a deadline on every call and
//! a bound on what is read back.
//!
//! Why not reqwest: its rustls needs either aws-lc-rs (aws-lc-sys: ~250 s of
//! a cold build, and a second provider) or, with `rustls-no-provider`, a
//! process-wide provider installed before *any* reqwest client is built —
//! and feature unification would impose that on every reqwest client in the
//! workspace, the tests' included (see `storage/transport.rs`, which shares
//! [`https_connector`]).

use std::{sync::OnceLock, time::Duration};

use bytes::Bytes;
use http::{HeaderMap, Request, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
use hyper_util::{
    client::legacy::{Client, connect::HttpConnector},
    rt::TokioExecutor,
};

/// Time to connect (TCP and TLS).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The most of a response body that is read (an API's JSON, never a download).
const MAX_BODY: usize = 1 << 20;

/// A TLS connector on the ring provider with the system's root certificates;
/// plain `http://` too when `allow_http` (a test server on loopback).
pub fn https_connector(allow_http: bool) -> std::io::Result<HttpsConnector<HttpConnector>> {
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let builder = HttpsConnectorBuilder::new().with_provider_and_native_roots(provider)?;
    let builder = if allow_http { builder.https_or_http() } else { builder.https_only() };
    let mut tcp = HttpConnector::new();
    tcp.set_connect_timeout(Some(CONNECT_TIMEOUT));
    tcp.enforce_http(false);
    Ok(builder.enable_all_versions().wrap_connector(tcp))
}

/// An answer: its status, headers and (bounded) body.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

/// Why no answer came back.
#[derive(Debug, thiserror::Error)]
pub enum OutboundError {
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    #[error("{0}")]
    Transport(String),
    #[error("the answer could not be read: {0}")]
    Body(String),
}

type Pool = Client<HttpsConnector<HttpConnector>, Full<Bytes>>;

/// The process's pool: built once (reading the system's root certificates),
/// then shared. It holds connections, no setting, so sharing it keeps tests
/// with different settings apart.
fn pool() -> Result<&'static Pool, OutboundError> {
    static POOL: OnceLock<Result<Pool, String>> = OnceLock::new();
    POOL.get_or_init(|| {
        let connector = https_connector(true).map_err(|e| format!("TLS set-up (system root certificates): {e}"))?;
        Ok(Client::builder(TokioExecutor::new()).pool_idle_timeout(Duration::from_secs(60)).build(connector))
    })
    .as_ref()
    .map_err(|e| OutboundError::Transport(e.clone()))
}

/// Sends `request` and reads the answer, all within `deadline`.
pub async fn send(request: Request<Bytes>, deadline: Duration) -> Result<Reply, OutboundError> {
    let pool = pool()?;
    let exchange = async {
        let response = pool.request(request.map(Full::new)).await.map_err(|e| OutboundError::Transport(chain(&e)))?;
        let (parts, body) = response.into_parts();
        let body = Limited::new(body, MAX_BODY).collect().await.map_err(|e| OutboundError::Body(e.to_string()))?;
        Ok(Reply { status: parts.status, headers: parts.headers, body: body.to_bytes() })
    };
    tokio::time::timeout(deadline, exchange).await.map_err(|_| OutboundError::Timeout(deadline))?
}

/// An error with its causes (hyper's own message is only "client error (Connect)").
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A server on loopback: `/hello` answers, `/silent` never does.
    async fn server() -> String {
        use axum::routing::get;
        let app = axum::Router::new()
            .route("/hello", get(|| async { (StatusCode::CREATED, "hi") }))
            .route("/silent", get(std::future::pending::<&'static str>));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        base
    }

    fn get(url: &str) -> Request<Bytes> {
        Request::get(url).body(Bytes::new()).unwrap()
    }

    #[tokio::test]
    async fn answers_come_back_and_silence_ends_at_the_deadline() {
        let base = server().await;
        let reply = send(get(&format!("{base}/hello")), Duration::from_secs(5)).await.unwrap();
        assert_eq!((reply.status, &reply.body[..]), (StatusCode::CREATED, &b"hi"[..]));
        let silent = send(get(&format!("{base}/silent")), Duration::from_millis(200)).await;
        assert!(matches!(silent, Err(OutboundError::Timeout(_))), "{silent:?}");
        let nobody = send(get("http://127.0.0.1:1/"), Duration::from_secs(5)).await;
        assert!(matches!(nobody, Err(OutboundError::Transport(_))), "{nobody:?}");
    }
}
