//! The HTTP transport of the S3 adapter: hyper with rustls on the `ring`
//! provider, passed explicitly (the connector of [`crate::http::outbound`]).
//!
//! object_store's built-in transport is reqwest, whose rustls needs either
//! aws-lc-rs (aws-lc-sys: ~250 s of a cold build, and a second provider that
//! makes `ClientConfig::builder()` panic in other TLS clients) or a
//! process-wide provider installed before *any* reqwest client is built —
//! feature unification would impose that on every reqwest user in the
//! workspace, tests included. This connector needs neither.

use std::time::Duration;

use async_trait::async_trait;
use http_body_util::BodyExt;
use hyper_rustls::HttpsConnector;
use hyper_util::{
    client::legacy::{Client, connect::HttpConnector as TcpConnector},
    rt::TokioExecutor,
};
use object_store::{
    ClientOptions,
    client::{
        HttpClient, HttpConnector, HttpError, HttpErrorKind, HttpRequest, HttpResponse, HttpResponseBody, HttpService,
    },
};

/// Time to receive response headers (connecting has its own limit, in the connector).
const RESPONSE_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug)]
pub(super) struct RustlsRing {
    /// Plain `http://` is refused unless the endpoint was configured as such.
    pub(super) allow_http: bool,
}

impl HttpConnector for RustlsRing {
    fn connect(&self, _: &ClientOptions) -> object_store::Result<HttpClient> {
        let connector = crate::http::outbound::connector(self.allow_http)
            .map_err(|e| object_store::Error::Generic { store: "S3", source: e.to_string().into() })?;
        let client = Client::builder(TokioExecutor::new()).build(connector);
        Ok(HttpClient::new(Hyper(client)))
    }
}

#[derive(Debug)]
struct Hyper(Client<HttpsConnector<TcpConnector>, object_store::client::HttpRequestBody>);

#[async_trait]
impl HttpService for Hyper {
    async fn call(&self, req: HttpRequest) -> Result<HttpResponse, HttpError> {
        let response = tokio::time::timeout(RESPONSE_TIMEOUT, self.0.request(req))
            .await
            .map_err(|e| HttpError::new(HttpErrorKind::Timeout, e))?
            .map_err(|e| {
                let kind = if e.is_connect() { HttpErrorKind::Connect } else { HttpErrorKind::Request };
                HttpError::new(kind, e)
            })?;
        let (parts, body) = response.into_parts();
        let body = HttpResponseBody::new(body.map_err(|e| HttpError::new(HttpErrorKind::Decode, e)));
        Ok(HttpResponse::from_parts(parts, body))
    }
}
