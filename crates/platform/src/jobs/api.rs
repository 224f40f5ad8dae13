//! `/api/v1/admin/jobs`: the dead-letter view (admins only).

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::admin::{self, JobRow, ListQuery};
use crate::{
    AppResult, AppState,
    auth::AdminUser,
    db::rfc3339,
    http::{errors::Problem, extract::ApiQuery},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_jobs)).routes(routes!(get_job, discard_job)).routes(routes!(retry_job))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JobListParams {
    /// `queued`, `running`, `done` or `dead`.
    pub state: Option<String>,
    /// A job kind, e.g. `accounts.verification_mail`.
    pub kind: Option<String>,
    pub cursor: Option<String>,
    /// Page size, 1–100 (default 25); outside that range is a 422.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
}

/// A job as stored: what it does (`kind`, `payload`), where it stands, what went wrong.
#[derive(Serialize, ToSchema)]
pub struct JobDto {
    pub id: String,
    pub queue: String,
    pub kind: String,
    /// The job's input: any JSON value (`null` for a job without input).
    pub payload: serde_json::Value,
    pub dedupe_key: Option<String>,
    /// `queued`, `running`, `done` or `dead`.
    pub state: String,
    /// Runs so far, including a running one.
    pub attempts: i64,
    pub max_attempts: i64,
    /// Not before this time (a retry's backoff moves it).
    pub run_at: String,
    pub locked_until: Option<String>,
    pub locked_by: Option<String>,
    pub last_error: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub finished_at: Option<String>,
}

impl From<JobRow> for JobDto {
    fn from(j: JobRow) -> Self {
        let payload = serde_json::from_str(&j.payload).unwrap_or(serde_json::Value::String(j.payload));
        Self {
            id: j.id,
            queue: j.queue,
            kind: j.kind,
            payload,
            dedupe_key: j.dedupe_key,
            state: j.state,
            attempts: j.attempts,
            max_attempts: j.max_attempts,
            run_at: rfc3339(j.run_at),
            locked_until: j.locked_until.map(rfc3339),
            locked_by: j.locked_by,
            last_error: j.last_error,
            created_at: rfc3339(j.created_at),
            updated_at: rfc3339(j.updated_at),
            finished_at: j.finished_at.map(rfc3339),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct JobList {
    pub items: Vec<JobDto>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// List background jobs, newest first, by state and kind (admins only).
#[utoipa::path(get, path = "/api/v1/admin/jobs", security(("bearer" = []), ("session" = [])), tag = "jobs", params(JobListParams),
    responses((status = 200, body = JobList), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, body = Problem)))]
pub async fn list_jobs(
    State(state): State<AppState>,
    AdminUser(_admin): AdminUser,
    ApiQuery(p): ApiQuery<JobListParams>,
) -> AppResult<Json<JobList>> {
    let query = ListQuery {
        state: p.state.as_deref(),
        kind: p.kind.as_deref(),
        page: crate::keyset::PageRequest::new(p.limit, p.cursor.as_deref())?,
    };
    let page = admin::list(state.db.pool(), query).await?;
    let page = page.map(JobDto::from);
    Ok(Json(JobList { items: page.items, next_cursor: page.next_cursor }))
}

/// One job with its payload and last error (admins only).
#[utoipa::path(get, path = "/api/v1/admin/jobs/{id}", security(("bearer" = []), ("session" = [])), tag = "jobs", params(("id" = String, Path)),
    responses((status = 200, body = JobDto), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_job(
    State(state): State<AppState>,
    AdminUser(_admin): AdminUser,
    Path(id): Path<String>,
) -> AppResult<Json<JobDto>> {
    Ok(Json(admin::get(state.db.pool(), &id).await?.into()))
}

/// Run a dead job again, with a fresh retry budget (admins only).
#[utoipa::path(post, path = "/api/v1/admin/jobs/{id}/retry", security(("bearer" = []), ("session" = [])), tag = "jobs", params(("id" = String, Path)),
    responses((status = 200, body = JobDto), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, description = "The job is not dead, or an equal job is already pending", body = Problem)))]
pub async fn retry_job(
    State(state): State<AppState>,
    AdminUser(_admin): AdminUser,
    Path(id): Path<String>,
) -> AppResult<Json<JobDto>> {
    Ok(Json(admin::retry(&state.db, &id).await?.into()))
}

/// Discard a dead job for good (admins only).
#[utoipa::path(delete, path = "/api/v1/admin/jobs/{id}", security(("bearer" = []), ("session" = [])), tag = "jobs", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, description = "The job is not dead", body = Problem)))]
pub async fn discard_job(
    State(state): State<AppState>,
    AdminUser(_admin): AdminUser,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    admin::discard(&state.db, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
