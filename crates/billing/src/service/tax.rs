//! Tax by the buyer's country: the administrators set a rate per country;
//! a checkout adds the buyer's country's rate on top of the (discounted)
//! price. Prices are tax-exclusive. A business buyer's VAT number is
//! recorded on the order and its invoice; there is no reverse-charge rule
//! (a business buyer pays the same tax as anyone in their country).
//!
//! A country with no rate pays no tax. Once any country has a rate, a buyer
//! must name their country to place an order, so leaving it out cannot
//! avoid the tax.

use lyceum_platform::{AppError, AppState, FieldError, Text, auth::Viewer};
use serde_json::json;
use sqlx::AnyConnection;

use crate::{
    BillingError,
    model::TaxRate,
    repo::{audit, tax_rates},
};

/// The longest label ("VAT", "GST", "TVA 20 %"…).
pub const LABEL_MAX: usize = 40;

/// A country as ISO 3166-1 alpha-2 (two letters, upper case); `None` when
/// blank; a 422 on `country` otherwise.
pub fn normalise_country(raw: Option<&str>) -> Result<Option<String>, BillingError> {
    let Some(raw) = raw.map(str::trim).filter(|c| !c.is_empty()) else {
        return Ok(None);
    };
    if raw.len() == 2 && raw.chars().all(|c| c.is_ascii_alphabetic()) {
        Ok(Some(raw.to_ascii_uppercase()))
    } else {
        Err(invalid_country("billing.errors.country_format"))
    }
}

fn invalid_country(key: &'static str) -> BillingError {
    BillingError::Invalid { field: "country", message: Text::new(key).into() }
}

/// The rate for the buyer's `country` (none: no tax).
pub async fn rate_for(conn: &mut AnyConnection, country: Option<&str>) -> Result<Option<TaxRate>, sqlx::Error> {
    match country {
        Some(country) => tax_rates::of(conn, country).await,
        None => Ok(None),
    }
}

/// Placing an order: the rate for `country`, which must be given once any
/// country has a rate.
pub async fn rate_to_charge(conn: &mut AnyConnection, country: Option<&str>) -> Result<Option<TaxRate>, BillingError> {
    if country.is_none() && tax_rates::any(conn).await? {
        return Err(invalid_country("billing.errors.country_needed"));
    }
    Ok(rate_for(conn, country).await?)
}

fn admin_only(viewer: &Viewer) -> Result<(), AppError> {
    if viewer.is_admin() { Ok(()) } else { Err(AppError::forbidden(Text::new("billing.errors.admin_only"))) }
}

/// Every country's rate, by country (administrators).
pub async fn list(state: &AppState, viewer: &Viewer) -> Result<Vec<TaxRate>, AppError> {
    admin_only(viewer)?;
    let mut conn = state.db.pool().acquire().await?;
    Ok(tax_rates::all(&mut conn).await?)
}

/// Sets `country`'s rate (administrators); audited with the rate before and after.
pub async fn set(
    state: &AppState,
    admin: &Viewer,
    country: &str,
    rate_bp: i32,
    label: &str,
) -> Result<TaxRate, AppError> {
    admin_only(admin)?;
    let country = checked_country(country)?;
    let label = label.trim();
    let mut errors = Vec::new();
    if !(0..=10_000).contains(&rate_bp) {
        errors.push(FieldError::new("rate_bp", Text::new("billing.errors.rate_range")));
    }
    if label.chars().count() > LABEL_MAX {
        errors.push(FieldError::new("label", Text::new("billing.errors.label_long").arg("max", LABEL_MAX)));
    }
    if !errors.is_empty() {
        return Err(AppError::validation(errors));
    }
    let mut tx = state.db.begin().await?;
    let before = tax_rates::of(&mut tx, &country).await?;
    tax_rates::put(&mut tx, &country, rate_bp, label).await?;
    let after = tax_rates::of(&mut tx, &country).await?.ok_or_else(AppError::not_found)?;
    let entry = audit::Entry {
        actor_id: Some(&admin.user_id),
        action: "tax_rate.set",
        subject_kind: "tax_rate",
        subject_id: &country,
        before: before.as_ref().map(as_json),
        after: Some(as_json(&after)),
    };
    audit::record(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(after)
}

/// Removes `country`'s rate (administrators); 404 when it has none. Audited.
pub async fn remove(state: &AppState, admin: &Viewer, country: &str) -> Result<(), AppError> {
    admin_only(admin)?;
    let country = checked_country(country).map_err(|_| AppError::not_found())?;
    let mut tx = state.db.begin().await?;
    let before = tax_rates::of(&mut tx, &country).await?.ok_or_else(AppError::not_found)?;
    tax_rates::delete(&mut tx, &country).await?;
    let entry = audit::Entry {
        actor_id: Some(&admin.user_id),
        action: "tax_rate.remove",
        subject_kind: "tax_rate",
        subject_id: &country,
        before: Some(as_json(&before)),
        after: None,
    };
    audit::record(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(())
}

fn checked_country(raw: &str) -> Result<String, AppError> {
    normalise_country(Some(raw))?.ok_or_else(|| invalid_country("billing.errors.country_format").into())
}

fn as_json(rate: &TaxRate) -> serde_json::Value {
    json!({ "country": rate.country, "rate_bp": rate.rate_bp, "label": rate.label })
}
