//! `/certificates/{code}`: the public verification page (not indexed by search engines).

use askama::Template;
use axum::{
    extract::{Path, State},
    response::{IntoResponse, Response},
};
use http::{HeaderValue, header::HeaderName};
use lyceum_platform::{
    AppResult, AppState,
    web::{Page, Reply},
};

use crate::service::certificates::{self, Verified};

#[derive(Template)]
#[template(path = "learning/certificate.html")]
struct CertificatePage {
    page: Page,
    verified: Verified,
}

impl CertificatePage {
    fn issued(&self) -> String {
        jiff::Timestamp::from_millisecond(self.verified.certificate.issued_at)
            .map(|t| t.strftime("%Y-%m-%d").to_string())
            .unwrap_or_default()
    }
}

pub async fn page(State(state): State<AppState>, page: Page, Path(code): Path<String>) -> AppResult<Response> {
    let verified = certificates::verify(&state, &code).await?;
    let mut response = Reply::OK.render(&CertificatePage { page, verified })?.into_response();
    response.headers_mut().insert(HeaderName::from_static("x-robots-tag"), HeaderValue::from_static("noindex"));
    Ok(response)
}
