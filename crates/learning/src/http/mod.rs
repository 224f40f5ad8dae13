//! Learning over HTTP: `/api/v1/progress/…`, `/api/v1/certificates…`,
//! `/api/v1/courses/{id}/progress`, the `/learn`, `/my/courses`,
//! `/certificates/{code}` and `/teach/courses/{id}/progress` pages, and lesson media.

mod api;
mod media;
mod pages;

use axum::{
    Router,
    routing::{get, post},
};
use lyceum_platform::AppState;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn api_routes() -> OpenApiRouter<AppState> {
    use api::{certificates as c, progress as p};
    OpenApiRouter::new()
        .routes(routes!(p::put_lesson_progress))
        .routes(routes!(p::my_courses))
        .routes(routes!(p::course_progress))
        .routes(routes!(p::learners_progress))
        .routes(routes!(c::my_certificates))
        .routes(routes!(c::verify_certificate))
}

pub fn page_routes() -> Router<AppState> {
    use pages::{certificate, learn, mine, staff};
    Router::new()
        .route("/learn/{slug}", get(learn::resume))
        .route("/learn/{slug}/lessons/{id}", get(learn::lesson))
        .route("/learn/lessons/{id}/complete", post(learn::complete))
        .route("/learn/lessons/{id}/incomplete", post(learn::reopen))
        .route("/my/courses", get(mine::page))
        .route("/certificates/{code}", get(certificate::page))
        .route("/certificates/{code}/pdf", get(certificate::pdf))
        .route("/teach/courses/{id}/progress", get(staff::page))
        .route("/lessons/{id}/media", get(media::serve))
        .route("/lessons/{id}/images/{name}", get(media::serve_image))
}
