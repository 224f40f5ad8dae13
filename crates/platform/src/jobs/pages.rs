//! Administration → Jobs: the queue seen by state and kind, one job's payload
//! and last error, and retry or discard for dead jobs. The same service
//! functions as `/api/v1/admin/jobs`.

use askama::Template;
use axum::{
    Router,
    extract::{Path, State},
    response::Response,
    routing::{get, post},
};
use serde::Deserialize;

use super::admin::{self, AdminError, JobRow, ListQuery};
use crate::keyset::PageRequest;
use crate::{
    AppResult, AppState,
    http::extract::ApiQuery,
    web::{FlashKind, Page, Reply, encode_query, guard::AdminPage, redirect_with_flash},
};

const PAGE_SIZE: i64 = 50;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/jobs", get(list))
        .route("/admin/jobs/{id}", get(show))
        .route("/admin/jobs/{id}/retry", post(retry))
        .route("/admin/jobs/{id}/discard", post(discard))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Filters {
    state: String,
    kind: String,
    cursor: String,
}

impl Filters {
    fn list_url(&self) -> String {
        format!("/admin/jobs?state={}&kind={}", encode_query(&self.state), encode_query(self.kind.trim()))
    }
}

#[derive(Template)]
#[template(path = "jobs/admin_jobs.html")]
struct JobsPage {
    page: Page,
    jobs: Vec<JobRow>,
    counts: Vec<(String, i64)>,
    states: [&'static str; 4],
    state: String,
    kind: String,
    back: String,
    later: bool,
    next_url: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    AdminPage { page, .. }: AdminPage,
    ApiQuery(f): ApiQuery<Filters>,
) -> AppResult<Response> {
    let query = ListQuery {
        state: Some(&f.state),
        kind: Some(f.kind.trim()),
        page: PageRequest::sized(PAGE_SIZE, Some(&f.cursor)),
    };
    let found = admin::list(state.db.pool(), query).await?;
    let back = f.list_url();
    let tpl = JobsPage {
        page,
        jobs: found.items,
        counts: admin::counts(state.db.pool()).await?,
        states: admin::STATES,
        next_url: found.next_cursor.map(|c| format!("{back}&cursor={}", encode_query(&c))),
        later: !f.cursor.is_empty(),
        state: f.state,
        kind: f.kind,
        back,
    };
    Reply::OK.render(&tpl)
}

#[derive(Template)]
#[template(path = "jobs/admin_job.html")]
struct JobPage {
    page: Page,
    job: JobRow,
    /// The payload, indented for reading.
    payload: String,
}

async fn show(
    State(state): State<AppState>,
    AdminPage { page, .. }: AdminPage,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let job = admin::get(state.db.pool(), &id).await?;
    let payload = serde_json::from_str::<serde_json::Value>(&job.payload)
        .and_then(|v| serde_json::to_string_pretty(&v))
        .unwrap_or_else(|_| job.payload.clone());
    Reply::OK.render(&JobPage { page, job, payload })
}

async fn retry(State(state): State<AppState>, _: AdminPage, Path(id): Path<String>) -> AppResult<Response> {
    let done = admin::retry(&state.db, &id).await.map(drop);
    finish(done, &id, "jobs.flash.retried")
}

async fn discard(State(state): State<AppState>, _: AdminPage, Path(id): Path<String>) -> AppResult<Response> {
    match admin::discard(&state.db, &id).await {
        Ok(()) => Ok(redirect_with_flash("/admin/jobs?state=dead", FlashKind::Success, "jobs.flash.discarded")),
        Err(e) => finish(Err(e), &id, ""),
    }
}

/// Back to the job with a flash; a job still in play (not dead, or its
/// retry would duplicate a pending one) is an error flash there, anything
/// else the error page.
fn finish(done: Result<(), AdminError>, id: &str, success_key: &str) -> AppResult<Response> {
    let back = format!("/admin/jobs/{}", encode_query(id));
    match done {
        Ok(()) => Ok(redirect_with_flash(&back, FlashKind::Success, success_key)),
        Err(AdminError::NotDead(_) | AdminError::DuplicatePending) => {
            Ok(redirect_with_flash(&back, FlashKind::Error, "jobs.flash.not_dead"))
        }
        Err(AdminError::Other(e)) => Err(e),
    }
}
