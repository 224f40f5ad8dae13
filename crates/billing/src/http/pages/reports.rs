//! `/admin/revenue` (the revenue report, and its CSV) and `/admin/money-audit`
//! (the audit of money actions), for administrators.

use askama::Template;
use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::Response,
};
use lyceum_platform::{
    AppResult, AppState,
    keyset::{PageParams, Paged},
    web::{Page, Reply, guard::AdminPage},
};
use serde::Deserialize;

use crate::{
    BillingError,
    http::api::reports::csv_download,
    repo::audit::AuditRow,
    service::{
        query,
        revenue::{self, GroupBy, Period, RevenueRow},
    },
};

#[derive(Deserialize, Default)]
pub struct RevenueForm {
    from: Option<String>,
    to: Option<String>,
    by: Option<String>,
}

impl RevenueForm {
    fn by(&self) -> GroupBy {
        match self.by.as_deref() {
            Some("course") => GroupBy::Course,
            Some("gateway") => GroupBy::Gateway,
            _ => GroupBy::Day,
        }
    }
}

#[derive(Template)]
#[template(path = "billing/revenue.html")]
struct RevenuePage {
    page: Page,
    from: String,
    to: String,
    by: &'static str,
    rows: Vec<RevenueRow>,
    error: Option<String>,
}

impl RevenuePage {
    fn csv_link(&self) -> String {
        format!("/admin/revenue.csv?from={}&to={}&by={}", self.from, self.to, self.by)
    }
}

fn by_name(by: GroupBy) -> &'static str {
    match by {
        GroupBy::Day => "day",
        GroupBy::Course => "course",
        GroupBy::Gateway => "gateway",
    }
}

pub async fn revenue(State(state): State<AppState>, a: AdminPage, Query(f): Query<RevenueForm>) -> AppResult<Response> {
    let by = f.by();
    let (period, error) = match Period::parse(f.from.as_deref(), f.to.as_deref()) {
        Ok(period) => (period, None),
        Err(BillingError::Invalid { message, .. }) => (Period::parse(None, None)?, Some(message.english)),
        Err(e) => return Err(e.into()),
    };
    let rows = if error.is_none() { revenue::report(&state, &a.viewer, period, by).await? } else { Vec::new() };
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let (from, to) = match &error {
        Some(_) => (f.from.clone().unwrap_or_default(), f.to.clone().unwrap_or_default()),
        None => (period.from.to_string(), period.to.to_string()),
    };
    Reply::status(status).render(&RevenuePage { page: a.page, from, to, by: by_name(by), rows, error })
}

pub async fn revenue_csv(
    State(state): State<AppState>,
    a: AdminPage,
    Query(f): Query<RevenueForm>,
) -> AppResult<Response> {
    let period = Period::parse(f.from.as_deref(), f.to.as_deref())?;
    let rows = revenue::report(&state, &a.viewer, period, f.by()).await?;
    Ok(csv_download(&rows, f.by(), period))
}

#[derive(Template)]
#[template(path = "billing/audit.html")]
struct AuditPage {
    page: Page,
    entries: Paged<AuditRow>,
}

pub async fn audit(State(state): State<AppState>, a: AdminPage, Query(p): Query<PageParams>) -> AppResult<Response> {
    let entries = query::audit(&state, &a.viewer, &p.request()?).await?;
    Reply::OK.render(&AuditPage { page: a.page, entries })
}
