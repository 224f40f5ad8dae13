//! `/livez` (the process answers) and `/readyz` (and can reach its database).

use std::time::Duration;

use axum::{
    Json, Router,
    extract::State,
    response::{IntoResponse, Response},
    routing::get,
};
use serde::Serialize;

use crate::{AppError, AppState};

/// Response extension: log this request at debug level only.
#[derive(Clone, Copy, Debug)]
pub struct Quiet;

#[derive(Serialize)]
struct Health {
    status: &'static str,
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/livez", get(livez))
        .route("/readyz", get(readyz))
        .route("/metrics", get(super::metrics::scrape_main_port))
}

async fn livez() -> Response {
    quiet(Json(Health { status: "ok" }).into_response())
}

/// Ready when a database round trip succeeds within `database.ping_timeout_ms`:
/// during an outage the pool would keep retrying the connection for its whole
/// acquire timeout, longer than a probe waits, so the ping has its own bound.
async fn readyz(State(state): State<AppState>) -> Response {
    let budget = Duration::from_millis(state.settings.database.ping_timeout_ms);
    let cause = match tokio::time::timeout(budget, state.db.ping()).await {
        Ok(Ok(())) => return quiet(Json(Health { status: "ok" }).into_response()),
        Ok(Err(e)) => e.to_string(),
        Err(_) => format!("no answer from the database within {} ms", budget.as_millis()),
    };
    let mut err = AppError::unavailable("The database is not reachable.");
    err.internal = Some(cause.into());
    err.retry_after_secs = Some(1);
    err.into_response()
}

pub fn quiet(mut response: Response) -> Response {
    response.extensions_mut().insert(Quiet);
    response
}
