//! Notifications over HTTP: the JSON API, the pages, and the unread count
//! in the page header.

mod api;
pub mod badge;
mod pages;

use axum::{
    Router,
    routing::{get, post},
};
use lyceum_platform::AppState;
use utoipa_axum::{router::OpenApiRouter, routes};

pub use pages::UNSUBSCRIBE_PATH;

pub fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::list))
        .routes(routes!(api::unread_count))
        .routes(routes!(api::mark_read))
        .routes(routes!(api::mark_all_read))
        .routes(routes!(api::get_preferences, api::put_preferences))
        .routes(routes!(api::send_test))
}

pub fn page_routes() -> Router<AppState> {
    Router::new()
        .route("/notifications", get(pages::list))
        .route("/notifications/{id}/read", post(pages::mark_read))
        .route("/notifications/read-all", post(pages::mark_all_read))
        .route(UNSUBSCRIBE_PATH, get(pages::unsubscribe_confirm).post(pages::unsubscribe))
        .route("/settings/notifications", get(pages::preferences).post(pages::save_preferences))
        .route("/admin/notifications", get(pages::admin_form).post(pages::admin_send))
}
