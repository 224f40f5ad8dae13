//! The gradebook over HTTP: the API (`api`), the pages (`pages`), the CSV.

mod api;
mod dto;
mod import_api;
mod import_pages;
mod pages;
mod settings_pages;

use axum::{
    Router,
    response::{IntoResponse, Response},
    routing::{get, post},
};
use lyceum_platform::{AppError, AppState, auth::Viewer, ids::CourseId};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::service;

pub fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::get_gradebook))
        .routes(routes!(api::gradebook_csv))
        .routes(routes!(api::my_grades))
        .routes(routes!(api::add_grade_item))
        .routes(routes!(api::update_grade_item, api::delete_grade_item))
        .routes(routes!(api::set_grade))
        .routes(routes!(api::list_grade_categories, api::add_grade_category))
        .routes(routes!(api::update_grade_category, api::delete_grade_category))
        .routes(routes!(api::get_settings, api::put_settings))
        .routes(routes!(import_api::preview_import))
        .routes(routes!(import_api::apply_import))
}

pub fn page_routes() -> Router<AppState> {
    use pages as p;
    Router::new()
        .route("/teach/courses/{id}/gradebook", get(p::grid))
        .route("/teach/courses/{id}/gradebook/items", post(p::add_item))
        .route("/teach/grade-items/{id}", get(p::item).post(p::save_item))
        .route("/teach/grade-items/{id}/delete", post(p::delete_item))
        .route("/teach/grade-items/{id}/grades/{user_id}", post(p::save_grade))
        .route("/learn/{slug}/grades", get(p::mine))
        .route("/teach/courses/{id}/gradebook/categories", post(p::add_category))
        .route("/teach/grade-categories/{id}", post(p::save_category))
        .route("/teach/grade-categories/{id}/delete", post(p::delete_category))
        .route("/teach/courses/{id}/gradebook/settings", get(settings_pages::show).post(settings_pages::save))
        .route("/teach/courses/{id}/gradebook/import", get(import_pages::show).post(import_pages::preview))
        .route("/teach/courses/{id}/gradebook/import/apply", post(import_pages::apply))
}

/// The gradebook CSV as a download.
async fn csv_response(state: &AppState, viewer: &Viewer, course_id: &CourseId) -> Result<Response, AppError> {
    let (course, items, rows) = service::all_rows(state, viewer, course_id).await?;
    let body = crate::csv::gradebook(&items, &rows);
    let name = format!("attachment; filename=\"gradebook-{}.csv\"", course.slug);
    Ok((
        [
            (http::header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (http::header::CONTENT_DISPOSITION, name),
        ],
        body,
    )
        .into_response())
}
