//! `/certificates/{code}`: the public verification page, and `/pdf` below it
//! the certificate to download (neither indexed by search engines).

use askama::Template;
use axum::{
    extract::{Path, State},
    response::{IntoResponse, Response},
};
use http::{
    HeaderValue,
    header::{self, HeaderName},
};
use lyceum_platform::{
    AppError, AppResult, AppState,
    web::{Page, Reply, encode_query},
};

use crate::service::{
    certificate_pdf::{self, CertificateText},
    certificates::{self, Verified},
};

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
        issued_on(self.verified.certificate.issued_at)
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

/// The certificate as a PDF to download, in the reader's language.
pub async fn pdf(State(state): State<AppState>, page: Page, Path(code): Path<String>) -> AppResult<Response> {
    let verified = certificates::verify(&state, &code).await?;
    let c = &verified.certificate;
    let url = format!("{}/certificates/{}", state.settings.public_url, c.code);
    let instructors = match verified.instructors.is_empty() {
        true => String::new(),
        false => format!("{}: {}", page.t("learning.certificate.instructors"), verified.instructors.join(", ")),
    };
    let text = CertificateText {
        title: page.t("learning.certificate.title"),
        certifies: page.t("learning.certificate.certifies"),
        learner: c.learner_name.clone(),
        completed: page.t("learning.certificate.completed"),
        course: c.course_title.clone(),
        instructors,
        issued: format!("{}: {}", page.t("learning.certificate.issued"), issued_on(c.issued_at)),
        verify: format!("{} {url}", page.t("learning.certificate.verify_at")),
    };
    // Laying out and subsetting the font is CPU work: off the async workers.
    let bytes = tokio::task::spawn_blocking(move || certificate_pdf::render(&text))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
    let disposition = format!("attachment; filename=\"certificate-{}.pdf\"", c.code);
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static("application/pdf")),
        (header::CONTENT_DISPOSITION, HeaderValue::from_str(&disposition).map_err(AppError::internal)?),
        (HeaderName::from_static("x-robots-tag"), HeaderValue::from_static("noindex")),
    ];
    Ok((headers, bytes).into_response())
}

/// The issue date as people read it anywhere (ISO 8601).
fn issued_on(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms).map(|t| t.strftime("%Y-%m-%d").to_string()).unwrap_or_default()
}

pub async fn page(State(state): State<AppState>, page: Page, Path(code): Path<String>) -> AppResult<Response> {
    let verified = certificates::verify(&state, &code).await?;
    let url = format!("{}/certificates/{}", state.settings.public_url, verified.certificate.code);
    let mut response = Reply::OK.render(&CertificatePage { page, verified, url })?.into_response();
    response.headers_mut().insert(HeaderName::from_static("x-robots-tag"), HeaderValue::from_static("noindex"));
    Ok(response)
}
