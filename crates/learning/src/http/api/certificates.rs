//! `/api/v1/certificates` (tag `certificates`).

use axum::{
    Json,
    extract::{Path, State},
};
use lyceum_platform::{
    AppResult, AppState,
    auth::CurrentUser,
    http::{errors::Problem, extract::ApiQuery},
    keyset::PageParams,
};

use super::dto::*;
use crate::service::certificates;

/// Your certificates, newest first.
#[utoipa::path(get, operation_id = "list_my_certificates", path = "/api/v1/certificates", security(("bearer" = []), ("session" = [])),
    tag = "certificates", params(PageParams),
    responses((status = 200, body = CertificateList), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn my_certificates(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    ApiQuery(q): ApiQuery<PageParams>,
) -> AppResult<Json<CertificateList>> {
    let found = certificates::mine(&state, &v, &q.request()?).await?;
    Ok(Json(CertificateList {
        items: found.items.iter().map(CertificateDto::from).collect(),
        next_cursor: found.next_cursor,
    }))
}

/// Verify a certificate by its public code (anyone); unknown codes are 404.
#[utoipa::path(get, path = "/api/v1/certificates/{code}", tag = "certificates", params(("code" = String, Path)),
    responses((status = 200, body = VerificationDto), (status = 404, body = Problem)))]
pub async fn verify_certificate(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> AppResult<Json<VerificationDto>> {
    Ok(Json(VerificationDto::from(&certificates::verify(&state, &code).await?)))
}
