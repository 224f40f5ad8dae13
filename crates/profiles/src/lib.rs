//! Profiles: bio, avatar and the public profile page.

use axum::Router;
use lyceum_platform::AppState;
use utoipa_axum::router::OpenApiRouter;

pub fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}

pub fn page_routes() -> Router<AppState> {
    Router::new()
}
