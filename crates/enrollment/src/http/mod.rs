//! Enrollment over HTTP: `/api/v1/enrollments…`, `/api/v1/courses/{id}/roster…`,
//! the course page's enroll / unenroll forms and the staff roster page.

mod api;
mod pages;

use axum::{
    Router,
    routing::{get, post},
};
use lyceum_platform::AppState;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn api_routes() -> OpenApiRouter<AppState> {
    use api::{enrollments as e, roster as r};
    OpenApiRouter::new()
        .routes(routes!(e::list_enrollments, e::enroll))
        .routes(routes!(e::enrollment_status))
        .routes(routes!(e::get_enrollment, e::unenroll))
        .routes(routes!(r::list_roster, r::add_to_roster))
        .routes(routes!(r::remove_from_roster))
}

pub fn page_routes() -> Router<AppState> {
    use pages::{enroll as e, roster as r};
    Router::new()
        .route("/courses/{slug}/enroll", post(e::enroll))
        .route("/courses/{slug}/unenroll", get(e::confirm_unenroll).post(e::unenroll))
        .route("/teach/courses/{id}/roster", get(r::roster).post(r::add))
        .route("/teach/courses/{id}/roster/{user_id}/remove", get(r::confirm_remove).post(r::remove))
}
