//! Assignments over HTTP: the API (`api`), the pages (`pages`), and the
//! upload routes' body limits.

mod api;
mod pages;
mod upload;

use std::time::Duration;

use axum::{
    Router,
    routing::{get, post},
};
use lyceum_platform::{AppState, config::Settings, http::limits::Wide};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{service::feedback_zip::FEEDBACK_ZIP_MAX_BYTES, settings::AssignmentUploads};

/// The submissions' zip as a download.
async fn zip_response(
    state: &AppState,
    viewer: &lyceum_platform::auth::Viewer,
    id: &crate::model::AssignmentId,
) -> Result<axum::response::Response, lyceum_platform::AppError> {
    use axum::response::IntoResponse;
    let (name, bytes) = crate::service::export::submissions_zip(state, viewer, id).await?;
    let disposition = lyceum_platform::http::media::content_disposition(&name);
    Ok((
        [(http::header::CONTENT_TYPE, "application/zip".to_string()), (http::header::CONTENT_DISPOSITION, disposition)],
        bytes,
    )
        .into_response())
}

/// Room for the multipart framing and the small fields around the file.
const FORM_OVERHEAD: usize = 64 * 1024;

pub fn api_routes() -> OpenApiRouter<AppState> {
    use api::{
        assignments as a, attachments as at, feedback as fb, guides as g, rubrics as r, scales as sc, submissions as s,
        worksheet as w,
    };
    OpenApiRouter::new()
        .routes(routes!(a::create_assignment))
        .routes(routes!(a::list_assignments))
        .routes(routes!(a::get_assignment, a::update_assignment))
        .routes(routes!(a::release_grades))
        .routes(routes!(a::list_extensions))
        .routes(routes!(a::set_extension, a::delete_extension))
        .routes(routes!(at::list_attachments, at::attach_attachment))
        .routes(routes!(at::detach_attachment))
        .routes(routes!(s::get_my_submission, s::save_draft))
        .routes(routes!(s::submit))
        .routes(routes!(s::reopen))
        .routes(routes!(s::new_try))
        .routes(routes!(s::attach_file))
        .routes(routes!(s::detach_file))
        .routes(routes!(s::list_submissions))
        .routes(routes!(s::get_submission))
        .routes(routes!(s::grade_submission))
        .routes(routes!(w::preview_worksheet))
        .routes(routes!(w::apply_worksheet))
        .routes(routes!(w::upload_feedback_zip))
        .routes(routes!(r::list_rubrics, r::create_rubric))
        .routes(routes!(r::get_rubric, r::update_rubric, r::delete_rubric))
        .routes(routes!(fb::list_feedback_files, fb::attach_feedback_file))
        .routes(routes!(fb::detach_feedback_file))
        .routes(routes!(g::list_guides, g::create_guide))
        .routes(routes!(g::get_guide, g::update_guide, g::delete_guide))
        .routes(routes!(sc::list_scales, sc::create_scale))
        .routes(routes!(sc::get_scale, sc::update_scale, sc::delete_scale))
}

pub fn page_routes() -> Router<AppState> {
    use crate::service::{guides::Guide, rubrics::Rubric, scales::Scale};
    use pages::{
        attachments as at, definitions as d, feedback as fb, files as f, grading as g, learner as l, manage as m,
        worksheet as w,
    };
    Router::new()
        .route("/teach/modules/{id}/assignments", post(m::create))
        .route("/teach/lessons/{id}/assignment", get(m::of_lesson))
        .route("/teach/assignments/{id}", get(m::show))
        .route("/teach/assignments/{id}/settings", post(m::save_settings))
        .route("/teach/assignments/{id}/release", post(m::release))
        .route("/teach/assignments/{id}/extensions", post(m::extend))
        .route("/teach/assignments/{id}/extensions/{user_id}/delete", post(m::unextend))
        .route("/teach/assignments/{id}/attachments", post(at::attach))
        .route("/teach/assignments/{id}/attachments/{attachment_id}/delete", post(at::detach))
        .route("/assignments/{id}/attachments/{attachment_id}", get(at::serve))
        .route("/teach/assignments/{id}/submissions", get(g::queue))
        .route("/teach/assignments/{id}/submissions.zip", get(g::zip))
        .route("/teach/assignments/{id}/worksheet", get(w::form).post(w::preview))
        .route("/teach/assignments/{id}/worksheet/apply", post(w::apply))
        .route("/teach/assignments/{id}/feedback-zip", post(w::feedback_zip))
        .route("/teach/assignment-submissions/{id}", get(g::show).post(g::save))
        .route("/lessons/{id}/assignment", get(l::of_lesson))
        .route("/assignments/{id}", get(l::show))
        .route("/assignments/{id}/draft", post(l::save))
        .route("/assignments/{id}/submit", post(l::submit))
        .route("/assignments/{id}/reopen", post(l::reopen))
        .route("/assignments/{id}/new-try", post(l::new_try))
        .route("/assignments/{id}/files", post(f::attach))
        .route("/assignments/{id}/files/{file_id}/delete", post(f::detach))
        .route("/assignment-submissions/{id}/files/{file_id}", get(f::serve))
        .route("/teach/assignment-submissions/{id}/feedback/files", post(fb::attach))
        .route("/teach/assignment-submissions/{id}/feedback/files/{file_id}/delete", post(fb::detach))
        .route("/assignment-submissions/{id}/feedback/files/{file_id}", get(fb::serve))
        .route("/teach/courses/{id}/rubrics", get(d::list::<Rubric>).post(d::create::<Rubric>))
        .route("/teach/rubrics/{id}", get(d::show::<Rubric>).post(d::save::<Rubric>))
        .route("/teach/rubrics/{id}/delete", post(d::delete::<Rubric>))
        .route("/teach/courses/{id}/marking-guides", get(d::list::<Guide>).post(d::create::<Guide>))
        .route("/teach/marking-guides/{id}", get(d::show::<Guide>).post(d::save::<Guide>))
        .route("/teach/marking-guides/{id}/delete", post(d::delete::<Guide>))
        .route("/teach/courses/{id}/scales", get(d::list::<Scale>).post(d::create::<Scale>))
        .route("/teach/scales/{id}", get(d::show::<Scale>).post(d::save::<Scale>))
        .route("/teach/scales/{id}/delete", post(d::delete::<Scale>))
        .route("/assignment-submissions/{id}/tries/{number}/files/{file_id}", get(f::serve_try))
        .route("/assignment-submissions/{id}/tries/{number}/feedback/{file_id}", get(f::serve_try_feedback))
}

/// The upload routes, with the body size each may use.
pub fn wide_routes(settings: &Settings) -> Vec<Wide> {
    let uploads = settings.section::<AssignmentUploads>();
    let timeout = Duration::from_secs(settings.request_timeout_secs);
    let wide = |route| Wide { route, max_body: uploads.submission_file_max_bytes + FORM_OVERHEAD, timeout };
    let zip = |route| Wide { route, max_body: FEEDBACK_ZIP_MAX_BYTES + FORM_OVERHEAD, timeout };
    vec![
        wide("/api/v1/assignments/{id}/submission/files"),
        wide("/assignments/{id}/files"),
        wide("/api/v1/assignment-submissions/{id}/feedback/files"),
        wide("/teach/assignment-submissions/{id}/feedback/files"),
        wide("/api/v1/assignments/{id}/attachments"),
        wide("/teach/assignments/{id}/attachments"),
        zip("/api/v1/assignments/{id}/feedback-zip"),
        zip("/teach/assignments/{id}/feedback-zip"),
    ]
}
