//! `/api/v1/payments/tax-rates…` (administrators): the tax rate per buyer
//! country, added on top of tax-exclusive prices at checkout.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use lyceum_platform::{
    AppResult, AppState,
    auth::AdminUser,
    http::{errors::Problem, extract::ApiJson},
};

use super::coupon_dto::*;
use crate::service::tax;

/// Every country's tax rate, by country (administrators).
#[utoipa::path(get, path = "/api/v1/payments/tax-rates", security(("bearer" = []), ("session" = [])), tag = "payments",
    responses((status = 200, body = TaxRateList), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn list_tax_rates(State(state): State<AppState>, AdminUser(v): AdminUser) -> AppResult<Json<TaxRateList>> {
    let items = tax::list(&state, &v).await?.iter().map(Into::into).collect();
    Ok(Json(TaxRateList { items }))
}

/// Set the tax rate of buyers in `country` (administrators): added or
/// replaced. Once any country has a rate, buyers must give their country to
/// place an order. Audited with the rate before and after.
#[utoipa::path(put, path = "/api/v1/payments/tax-rates/{country}", security(("bearer" = []), ("session" = [])), tag = "payments",
    params(("country" = String, Path, description = "ISO 3166-1 alpha-2, e.g. `FR` (any case)")),
    request_body = TaxRateBody,
    responses((status = 200, body = TaxRateDto), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)))]
pub async fn put_tax_rate(
    State(state): State<AppState>,
    AdminUser(v): AdminUser,
    Path(country): Path<String>,
    ApiJson(body): ApiJson<TaxRateBody>,
) -> AppResult<Json<TaxRateDto>> {
    let rate = tax::set(&state, &v, &country, body.rate_bp, &body.label).await?;
    Ok(Json((&rate).into()))
}

/// Remove `country`'s tax rate (administrators): its buyers pay no tax. 404
/// when it has none. Audited.
#[utoipa::path(delete, path = "/api/v1/payments/tax-rates/{country}", security(("bearer" = []), ("session" = [])), tag = "payments",
    params(("country" = String, Path, description = "ISO 3166-1 alpha-2, e.g. `FR` (any case)")),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn delete_tax_rate(
    State(state): State<AppState>,
    AdminUser(v): AdminUser,
    Path(country): Path<String>,
) -> AppResult<StatusCode> {
    tax::remove(&state, &v, &country).await?;
    Ok(StatusCode::NO_CONTENT)
}
