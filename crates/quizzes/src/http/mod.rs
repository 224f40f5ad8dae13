//! The bank over HTTP: `/api/v1/courses/{id}/questions…`,
//! `/api/v1/courses/{id}/question-categories…`, `/api/v1/questions/{id}…`,
//! and the staff pages under `/teach/courses/{id}/questions`.

mod api;
mod csv;
mod files;
mod pages;
mod upload;

use axum::{
    Router,
    routing::{get, post},
};
use lyceum_platform::AppState;
use utoipa_axum::{router::OpenApiRouter, routes};

pub use files::wide_routes;

pub fn api_routes() -> OpenApiRouter<AppState> {
    use api::{categories as c, preview as p, questions as q, transfer as t};
    OpenApiRouter::new()
        .routes(routes!(q::list_questions, q::create_question))
        .routes(routes!(q::move_questions))
        .routes(routes!(t::import_questions))
        .routes(routes!(t::export_questions))
        .routes(routes!(t::get_question_import))
        .routes(routes!(q::get_question, q::update_question, q::delete_question))
        .routes(routes!(q::list_versions))
        .routes(routes!(p::preview_question))
        .routes(routes!(c::list_question_categories, c::create_question_category))
        .routes(routes!(c::update_question_category, c::delete_question_category))
        .merge(quiz_routes())
        .merge(files::api_routes())
}

fn quiz_routes() -> OpenApiRouter<AppState> {
    use api::{attempts as a, quizzes as z};
    OpenApiRouter::new()
        .routes(routes!(z::list_quizzes, z::create_quiz))
        .routes(routes!(z::get_quiz, z::update_quiz))
        .routes(routes!(z::list_attempts, z::start_attempt))
        .routes(routes!(z::results_csv))
        .routes(routes!(z::list_overrides))
        .routes(routes!(z::set_override, z::delete_override))
        .routes(routes!(z::list_regrades, z::request_regrade))
        .routes(routes!(z::get_analysis))
        .routes(routes!(a::get_attempt))
        .routes(routes!(a::save_answers))
        .routes(routes!(a::submit_attempt))
        .routes(routes!(a::review_attempt))
        .routes(routes!(a::grade_answer))
}

pub fn page_routes() -> Router<AppState> {
    use pages::{attempt as a, bank as b, editor as e, imports as i, manage as m, question as q};
    Router::new()
        .route("/teach/modules/{id}/quizzes", post(m::create))
        .route("/teach/lessons/{id}/quiz", get(m::of_lesson))
        .route("/teach/quizzes/{id}", get(m::show))
        .route("/teach/quizzes/{id}/settings", post(m::save_settings))
        .route("/teach/quizzes/{id}/slots", post(m::save_slots))
        .route("/teach/quizzes/{id}/results", get(m::results))
        .route("/teach/quizzes/{id}/regrade", post(m::regrade))
        .route("/teach/quizzes/{id}/analysis", get(m::analysis))
        .route("/teach/quizzes/{id}/overrides", get(pages::overrides::show).post(pages::overrides::save))
        .route(
            "/teach/quizzes/{id}/overrides/{user_id}/delete",
            get(pages::overrides::confirm_delete).post(pages::overrides::delete),
        )
        .route("/lessons/{id}/quiz", get(a::of_lesson))
        .route("/quizzes/{id}", get(a::quiz))
        .route("/quizzes/{id}/start", post(a::start))
        .route("/quiz-attempts/{id}", get(a::show).post(a::save))
        .route("/quiz-attempts/{id}/summary", get(a::summary))
        .route("/quiz-attempts/{id}/submit", post(a::submit))
        .route("/quiz-attempts/{id}/review", get(a::review))
        .route("/quiz-attempts/{id}/grade", post(a::grade))
        .route("/teach/courses/{id}/questions", get(b::bank))
        .route("/teach/courses/{id}/questions/new", post(b::create))
        .route("/teach/courses/{id}/questions/new/{kind}", get(e::new).post(e::create))
        .route("/teach/courses/{id}/questions/import", post(b::import))
        .route("/teach/question-imports/{id}", get(i::show))
        .route("/teach/courses/{id}/questions/export", get(b::export))
        .route("/teach/courses/{id}/question-categories", post(b::add_category))
        .route("/teach/courses/{id}/question-categories/{category_id}/delete", post(b::delete_category))
        .route("/teach/questions/{id}", get(q::show).post(q::edit))
        .route("/teach/questions/{id}/edit", get(e::edit).post(e::save))
        .route("/teach/questions/{id}/try", post(q::try_it))
        .route("/teach/questions/{id}/delete", get(q::confirm_delete).post(q::delete))
        .merge(files::page_routes())
}
