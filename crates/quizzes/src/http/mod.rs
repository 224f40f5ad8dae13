//! The bank over HTTP: `/api/v1/courses/{id}/questions…`,
//! `/api/v1/courses/{id}/question-categories…`, `/api/v1/questions/{id}…`,
//! and the staff pages under `/teach/courses/{id}/questions`.

mod api;
mod pages;
mod upload;

use axum::{
    Router,
    routing::{get, post},
};
use lyceum_platform::AppState;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn api_routes() -> OpenApiRouter<AppState> {
    use api::{categories as c, preview as p, questions as q, transfer as t};
    OpenApiRouter::new()
        .routes(routes!(q::list_questions, q::create_question))
        .routes(routes!(q::move_questions))
        .routes(routes!(t::import_questions))
        .routes(routes!(t::export_questions))
        .routes(routes!(q::get_question, q::update_question, q::delete_question))
        .routes(routes!(q::list_versions))
        .routes(routes!(p::preview_question))
        .routes(routes!(c::list_question_categories, c::create_question_category))
        .routes(routes!(c::update_question_category, c::delete_question_category))
}

pub fn page_routes() -> Router<AppState> {
    use pages::{bank as b, question as q};
    Router::new()
        .route("/teach/courses/{id}/questions", get(b::bank))
        .route("/teach/courses/{id}/questions/new", post(b::create))
        .route("/teach/courses/{id}/questions/import", post(b::import))
        .route("/teach/courses/{id}/questions/export", get(b::export))
        .route("/teach/courses/{id}/question-categories", post(b::add_category))
        .route("/teach/courses/{id}/question-categories/{category_id}/delete", post(b::delete_category))
        .route("/teach/questions/{id}", get(q::show).post(q::edit))
        .route("/teach/questions/{id}/try", post(q::try_it))
        .route("/teach/questions/{id}/delete", get(q::confirm_delete).post(q::delete))
}
