//! Profiles over HTTP: `/api/v1/users/…/profile`, avatars, `/settings/profile`, `/u/{id}`.

mod api;
mod avatar;
mod pages;

use axum::{Router, routing::get};
use lyceum_platform::AppState;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::get_my_profile, api::update_my_profile))
        .routes(routes!(api::upload_avatar, api::delete_avatar))
        .routes(routes!(api::get_public_profile))
}

pub fn page_routes() -> Router<AppState> {
    Router::new()
        .route("/settings/profile", get(pages::edit).post(pages::save))
        .route("/settings/avatar", axum::routing::post(pages::upload_avatar))
        .route("/settings/avatar/remove", axum::routing::post(pages::remove_avatar))
        .route("/u/{id}", get(pages::public))
        .route("/users/{id}/avatar", get(avatar::serve))
}
