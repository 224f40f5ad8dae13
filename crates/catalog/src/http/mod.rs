//! The catalog over HTTP: `/api/v1/catalog/…` and the pages `/courses`,
//! `/categories/{slug}` and `/courses/{slug}`, and the panel of a teacher's
//! courses on their profile page.

mod api;
mod pages;
mod panel;

pub use panel::TEACHES;

use axum::{Router, routing::get};
use lyceum_platform::AppState;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::list_courses))
        .routes(routes!(api::get_course))
        .routes(routes!(api::list_categories))
}

pub fn page_routes() -> Router<AppState> {
    Router::new()
        .route("/courses", get(pages::catalog))
        .route("/categories/{slug}", get(pages::category))
        .route("/courses/{slug}", get(pages::course))
}
