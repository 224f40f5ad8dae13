//! The routes of quiz files (question images, essay answers' files) and
//! their upload limits (`Module::wide_routes`).

use std::time::Duration;

use axum::{
    Router,
    routing::{get, post},
};
use lyceum_platform::{AppState, config::Settings, http::limits::Wide};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{api::files as api, pages::files as pages};
use crate::settings::QuizUploads;

/// Room for the multipart framing and the small fields around the file.
const FORM_OVERHEAD: usize = 64 * 1024;

pub fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::list_question_files, api::upload_question_file))
        .routes(routes!(api::list_answer_files, api::attach_answer_file))
        .routes(routes!(api::detach_answer_file))
}

pub fn page_routes() -> Router<AppState> {
    Router::new()
        .route("/question-files/{id}", get(pages::serve_question_file))
        .route("/teach/courses/{id}/question-files", post(pages::upload_question_file))
        .route("/quiz-attempts/{id}/files/{file_id}", get(pages::serve_answer_file))
        .route("/quiz-attempts/{id}/answers/{slot}/files", post(pages::attach_answer_file))
        .route("/quiz-attempts/{id}/answers/{slot}/files/{file_id}/delete", post(pages::detach_answer_file))
}

/// The upload routes, with the body size each may use.
pub fn wide_routes(settings: &Settings) -> Vec<Wide> {
    let uploads = settings.section::<QuizUploads>();
    let timeout = Duration::from_secs(settings.request_timeout_secs);
    let image = |route| Wide { route, max_body: uploads.question_file_max_bytes + FORM_OVERHEAD, timeout };
    let essay = |route| Wide { route, max_body: uploads.essay_file_max_bytes + FORM_OVERHEAD, timeout };
    vec![
        image("/api/v1/courses/{id}/question-files"),
        image("/teach/courses/{id}/question-files"),
        essay("/api/v1/quizzes/attempts/{id}/answers/{slot}/files"),
        essay("/quiz-attempts/{id}/answers/{slot}/files"),
    ]
}
