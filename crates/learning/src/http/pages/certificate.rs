//! `/certificates/{code}`: the public verification page (not indexed by search engines).

use askama::Template;
use axum::{
    extract::{Path, State},
    response::{IntoResponse, Response},
};
use http::{HeaderValue, header::HeaderName};
use lyceum_platform::{
    AppResult, AppState,
    web::{Page, Reply, encode_query},
};

use crate::service::certificates::{self, Verified};

#[derive(Template)]
#[template(path = "learning/certificate.html")]
struct CertificatePage {
    page: Page,
    verified: Verified,
    /// The page's own address, to copy and share.
    url: String,
}

impl CertificatePage {
    fn issued(&self) -> String {
        jiff::Timestamp::from_millisecond(self.verified.certificate.issued_at)
            .map(|t| t.strftime("%Y-%m-%d").to_string())
            .unwrap_or_default()
    }

    /// LinkedIn's "add a certification to your profile" form, filled in.
    fn linkedin_url(&self) -> String {
        let c = &self.verified.certificate;
        format!(
            "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&name={}&certUrl={}&certId={}",
            encode_query(&c.course_title),
            encode_query(&self.url),
            encode_query(&c.code)
        )
    }
}

pub async fn page(State(state): State<AppState>, page: Page, Path(code): Path<String>) -> AppResult<Response> {
    let verified = certificates::verify(&state, &code).await?;
    let url = format!("{}/certificates/{}", state.settings.public_url, verified.certificate.code);
    let mut response = Reply::OK.render(&CertificatePage { page, verified, url })?.into_response();
    response.headers_mut().insert(HeaderName::from_static("x-robots-tag"), HeaderValue::from_static("noindex"));
    Ok(response)
}
