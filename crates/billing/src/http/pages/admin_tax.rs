//! `/admin/tax-rates`: the tax rate per buyer country — listed, set (added
//! or replaced) and removed, each change audited by the service.

use std::collections::HashMap;

use askama::Template;
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};
use lyceum_platform::{
    AppResult, AppState, FieldError, Text,
    http::extract::PageForm,
    web::{FlashKind, FormErrors, Page, Refused, Reply, guard::AdminPage, redirect_with_flash},
};

use crate::{
    model::TaxRate,
    service::{pricing, tax},
};

#[derive(Template)]
#[template(path = "billing/admin_tax_rates.html")]
struct TaxRatesPage {
    page: Page,
    rates: Vec<TaxRate>,
    /// The set form as typed: country, rate (percent), label.
    country: String,
    rate: String,
    label: String,
    errors: FormErrors,
}

impl TaxRatesPage {
    fn percent(&self, t: &TaxRate) -> String {
        pricing::format_rate_percent(t.rate_bp, self.page.locale)
    }
}

const HERE: &str = "/admin/tax-rates";

pub async fn list(State(state): State<AppState>, a: AdminPage) -> AppResult<Response> {
    let rates = tax::list(&state, &a.viewer).await?;
    let page = TaxRatesPage {
        page: a.page,
        rates,
        country: String::new(),
        rate: String::new(),
        label: String::new(),
        errors: FormErrors::none(),
    };
    Reply::OK.render(&page)
}

pub async fn set(
    State(state): State<AppState>,
    a: AdminPage,
    PageForm(form): PageForm<HashMap<String, String>>,
) -> AppResult<Response> {
    let get = |k: &str| form.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
    let (country, rate, label) = (get("country"), get("rate"), get("label"));
    let outcome = match pricing::parse_rate_percent(&rate) {
        Some(rate_bp) => tax::set(&state, &a.viewer, &country, rate_bp, &label).await.map(|_| ()),
        None => Err(lyceum_platform::AppError::validation(vec![FieldError::new(
            "rate",
            Text::new("billing.errors.rate_format"),
        )])),
    };
    let errors = match outcome {
        Ok(()) => return Ok(redirect_with_flash(HERE, FlashKind::Success, "billing.flash.tax_rate_set")),
        Err(e) => Refused::from_error(e, a.page.locale)?,
    };
    let mut shown = errors.errors;
    for f in &mut shown.fields {
        if f.field == "rate_bp" {
            f.field = "rate".into();
        }
    }
    let rates = tax::list(&state, &a.viewer).await?;
    let page = TaxRatesPage { page: a.page, rates, country, rate, label, errors: shown };
    Reply::status(StatusCode::UNPROCESSABLE_ENTITY).render(&page)
}

pub async fn remove(State(state): State<AppState>, a: AdminPage, Path(country): Path<String>) -> AppResult<Response> {
    tax::remove(&state, &a.viewer, &country).await?;
    Ok(redirect_with_flash(HERE, FlashKind::Success, "billing.flash.tax_rate_removed"))
}
