//! Courses over HTTP: `/api/v1/courses/…`, `/api/v1/modules/…`, `/api/v1/lessons/…`,
//! `/api/v1/categories`, the `/teach` pages and public cover images.

mod api;
mod pages;
mod upload;

pub use upload::wide_routes;

use axum::{
    Router,
    routing::{get, post},
};
use lyceum_platform::AppState;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn api_routes() -> OpenApiRouter<AppState> {
    use api::{courses as c, outline as o};
    OpenApiRouter::new()
        .routes(routes!(c::list_courses, c::create_course))
        .routes(routes!(c::get_course, c::update_course, c::delete_course))
        .routes(routes!(c::publish_course))
        .routes(routes!(c::archive_course))
        .routes(routes!(c::unpublish_course))
        .routes(routes!(c::upload_cover))
        .routes(routes!(c::list_instructors, c::add_instructor))
        .routes(routes!(c::remove_instructor))
        .routes(routes!(c::list_categories))
        .routes(routes!(o::create_module))
        .routes(routes!(o::update_module, o::delete_module))
        .routes(routes!(o::reorder_modules))
        .routes(routes!(o::create_lesson))
        .routes(routes!(o::get_lesson, o::update_lesson, o::delete_lesson))
        .routes(routes!(o::reorder_lessons))
        .routes(routes!(o::upload_media))
        .routes(routes!(o::list_images, o::upload_image))
}

pub fn page_routes() -> Router<AppState> {
    use pages::{course as c, lesson as l};
    Router::new()
        .route("/teach", get(c::index).post(c::create))
        .route("/teach/courses/{id}", get(c::editor).post(c::save))
        .route("/teach/courses/{id}/state", post(c::change_state))
        .route("/teach/courses/{id}/cover", post(c::upload_cover))
        .route("/teach/courses/{id}/instructors", post(c::add_instructor))
        .route("/teach/courses/{id}/instructors/{user_id}/remove", post(c::remove_instructor))
        .route("/teach/courses/{id}/delete", get(c::confirm_delete).post(c::delete))
        .route("/teach/courses/{id}/modules", post(l::add_module))
        .route("/teach/modules/{id}", post(l::rename_module))
        .route("/teach/modules/{id}/move", post(l::move_module))
        .route("/teach/modules/{id}/delete", get(l::confirm_delete_module).post(l::delete_module))
        .route("/teach/modules/{id}/lessons", post(l::add_lesson))
        .route("/teach/lessons/{id}", get(l::edit_lesson).post(l::save_lesson))
        .route("/teach/lessons/{id}/move", post(l::move_lesson))
        .route("/teach/lessons/{id}/media", post(l::upload_media))
        .route("/teach/lessons/{id}/images", post(l::upload_image))
        .route("/teach/lessons/{id}/delete", get(l::confirm_delete_lesson).post(l::delete_lesson))
        // `{slug}` holds the course id: the catalog serves `/courses/{slug}`, and the router needs one
        // parameter name per position.
        .route("/courses/{slug}/cover", get(c::serve_cover))
}
