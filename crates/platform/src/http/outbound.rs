//! Calls to other services' HTTP APIs (the payment providers): hyper with
//! rustls on the `ring` provider, passed explicitly, as the S3 transport
//! (`storage/transport.rs`) does and for the same reasons — reqwest's rustls
//! would pull aws-lc-sys, or, provider-less, make every reqwest client in the
//! workspace (the tests' among them) depend on a process-wide provider.
//!
//! Every call has a deadline covering the whole exchange (connect, headers
//! and body), and a bounded answer size: a stuck or runaway peer costs a
//! request its deadline, never a hung worker.
//!
//! The TLS set-up (the system's root certificates, read once) is shared by
//! the process; connections are not: a [`Caller`] is made per use. A pool
//! shared across requests would outlive the Tokio runtime that opened its
//! connections, which fails the next caller on another runtime (each test
//! runs its own).

use std::{
    sync::{Arc, LazyLock},
    time::Duration,
};

use bytes::Bytes;
use http::{Request, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper_rustls::{ConfigBuilderExt, HttpsConnector, HttpsConnectorBuilder};
use hyper_util::{
    client::legacy::{Client, connect::HttpConnector},
    rt::TokioExecutor,
};

/// Time to open the TCP connection (TLS is within the call's deadline).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The most an answer may weigh: API answers are a few kB.
const MAX_ANSWER_BYTES: usize = 1024 * 1024;

/// Why a call got no answer.
#[derive(Debug, thiserror::Error)]
pub enum CallError {
    /// The TLS configuration could not be made (no system root certificates).
    #[error("TLS set-up failed: {0}")]
    Setup(String),
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    /// Connecting, sending or reading failed, or the answer was too large.
    #[error("{0}")]
    Transport(String),
}

/// An answer: its status and its whole body.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: StatusCode,
    pub body: Bytes,
}

/// Makes HTTP(S) calls; `http://` is allowed (a test server on loopback), the
/// URL's scheme is the configuration's choice.
#[derive(Debug, Clone)]
pub struct Caller {
    client: Client<HttpsConnector<HttpConnector>, Full<Bytes>>,
}

impl Caller {
    pub fn new() -> Result<Self, CallError> {
        let client = Client::builder(TokioExecutor::new()).build(connector(true)?);
        Ok(Self { client })
    }

    /// Sends `request` and reads the whole answer, all within `deadline`.
    pub async fn send(&self, request: Request<Bytes>, deadline: Duration) -> Result<Answer, CallError> {
        let request = request.map(Full::new);
        let exchange = async {
            let response = self.client.request(request).await.map_err(|e| CallError::Transport(describe(&e)))?;
            let status = response.status();
            let body = Limited::new(response.into_body(), MAX_ANSWER_BYTES)
                .collect()
                .await
                .map_err(|e| CallError::Transport(format!("reading the answer: {e}")))?
                .to_bytes();
            Ok(Answer { status, body })
        };
        tokio::time::timeout(deadline, exchange).await.map_err(|_| CallError::Timeout(deadline))?
    }
}

/// hyper's error with its cause (the useful part: "connection refused").
fn describe(e: &hyper_util::client::legacy::Error) -> String {
    match std::error::Error::source(e) {
        Some(cause) => format!("{e}: {cause}"),
        None => e.to_string(),
    }
}

/// The process's client TLS configuration: ring, the system's roots.
static TLS: LazyLock<Result<rustls::ClientConfig, String>> = LazyLock::new(|| {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_native_roots()
        .map_err(|e| format!("system root certificates: {e}"))?
        .with_no_client_auth())
});

/// A connector for HTTPS (and plain HTTP when `allow_http`), HTTP/1.1 and 2.
pub(crate) fn connector(allow_http: bool) -> Result<HttpsConnector<HttpConnector>, CallError> {
    let tls = TLS.as_ref().map_err(|e| CallError::Setup(e.clone()))?.clone();
    let builder = HttpsConnectorBuilder::new().with_tls_config(tls);
    let builder = if allow_http { builder.https_or_http() } else { builder.https_only() };
    let mut tcp = HttpConnector::new();
    tcp.set_connect_timeout(Some(CONNECT_TIMEOUT));
    tcp.enforce_http(false);
    Ok(builder.enable_all_versions().wrap_connector(tcp))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_closed_port_is_a_transport_error_not_a_hang() {
        // A port that was just free: connecting is refused.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        drop(listener);
        let request = Request::get(url).body(Bytes::new()).unwrap();
        let error = Caller::new().unwrap().send(request, Duration::from_secs(5)).await.unwrap_err();
        assert!(matches!(error, CallError::Transport(_)), "{error:?}");
    }

    #[tokio::test]
    async fn a_silent_peer_is_a_timeout() {
        // Accepts the connection and never answers.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let _held = tokio::spawn(async move {
            let (socket, _) = listener.accept().await.unwrap();
            tokio::time::sleep(Duration::from_secs(30)).await;
            drop(socket);
        });
        let request = Request::get(url).body(Bytes::new()).unwrap();
        let error = Caller::new().unwrap().send(request, Duration::from_millis(300)).await.unwrap_err();
        assert!(matches!(error, CallError::Timeout(_)), "{error:?}");
    }
}
