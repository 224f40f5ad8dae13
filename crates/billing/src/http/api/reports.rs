//! `/api/v1/admin/payments/revenue` and `/api/v1/admin/payments/audit`.

use axum::{
    Json,
    extract::State,
    response::{IntoResponse, Response},
};
use lyceum_platform::{
    AppResult, AppState,
    auth::AdminUser,
    db::rfc3339,
    http::{errors::Problem, extract::ApiQuery},
    keyset::PageParams,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::service::{
    query,
    revenue::{self, GroupBy, Period, RevenueRow},
};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RevenueParams {
    /// First day (UTC), `2026-12-01`; default: 30 days before `to`.
    pub from: Option<String>,
    /// Last day (UTC), included; default: today.
    pub to: Option<String>,
    #[serde(default)]
    pub by: GroupBy,
    /// `csv` for a spreadsheet download instead of JSON.
    pub format: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RevenueReport {
    pub from: String,
    pub to: String,
    pub by: GroupBy,
    pub rows: Vec<RevenueRow>,
}

/// Administrators: revenue of paid orders by day, course or gateway (and
/// currency) in a period of at most a year; `format=csv` for a spreadsheet.
#[utoipa::path(get, path = "/api/v1/admin/payments/revenue", security(("bearer" = []), ("session" = [])), tag = "payments",
    params(RevenueParams),
    responses((status = 200, description = "The report (JSON), or with `format=csv` a spreadsheet",
            content((RevenueReport = "application/json"), (String = "text/csv"))),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, body = Problem)))]
pub async fn revenue_report(
    State(state): State<AppState>,
    AdminUser(v): AdminUser,
    ApiQuery(p): ApiQuery<RevenueParams>,
) -> AppResult<Response> {
    let period = Period::parse(p.from.as_deref(), p.to.as_deref())?;
    let rows = revenue::report(&state, &v, period, p.by).await?;
    if p.format.as_deref() == Some("csv") {
        return Ok(csv_download(&rows, p.by, period));
    }
    let report = RevenueReport { from: period.from.to_string(), to: period.to.to_string(), by: p.by, rows };
    Ok(Json(report).into_response())
}

/// The report as a CSV attachment (also the admin page's download).
pub fn csv_download(rows: &[RevenueRow], by: GroupBy, period: Period) -> Response {
    let name = format!("attachment; filename=\"revenue-{}-{}.csv\"", period.from, period.to);
    let headers = [
        (http::header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
        (http::header::CONTENT_DISPOSITION, name),
    ];
    (headers, revenue::csv(rows, by)).into_response()
}

#[derive(Serialize, ToSchema)]
pub struct AuditEntryDto {
    pub actor_id: Option<String>,
    /// `order.mark_paid`, `order.refund`, `coupon.create`…
    pub action: String,
    pub subject_kind: String,
    pub subject_id: String,
    /// The object's state before and after, as recorded (JSON).
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub at: String,
}

#[derive(Serialize, ToSchema)]
pub struct AuditList {
    pub items: Vec<AuditEntryDto>,
    pub next_cursor: Option<String>,
}

/// Administrators: the audit of money actions (who, what, before/after), newest first.
#[utoipa::path(get, path = "/api/v1/admin/payments/audit", security(("bearer" = []), ("session" = [])), tag = "payments",
    params(PageParams),
    responses((status = 200, body = AuditList), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn audit_log(
    State(state): State<AppState>,
    AdminUser(v): AdminUser,
    ApiQuery(p): ApiQuery<PageParams>,
) -> AppResult<Json<AuditList>> {
    let page = query::audit(&state, &v, &p.request()?).await?;
    let json = |raw: &Option<String>| raw.as_deref().and_then(|r| serde_json::from_str(r).ok());
    let items = page
        .items
        .iter()
        .map(|r| AuditEntryDto {
            actor_id: r.actor_id.clone(),
            action: r.action.clone(),
            subject_kind: r.subject_kind.clone(),
            subject_id: r.subject_id.clone(),
            before: json(&r.before_json),
            after: json(&r.after_json),
            at: rfc3339(r.at),
        })
        .collect();
    Ok(Json(AuditList { items, next_cursor: page.next_cursor }))
}
