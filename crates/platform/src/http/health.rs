//! `/livez` (the process answers) and `/readyz` (and can reach its database).

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

async fn readyz(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => quiet(Json(Health { status: "ok" }).into_response()),
        Err(e) => {
            let mut err = AppError::unavailable("The database is not reachable.");
            err.internal = Some(e.to_string());
            err.into_response()
        }
    }
}

pub fn quiet(mut response: Response) -> Response {
    response.extensions_mut().insert(Quiet);
    response
}
