//! Forums over HTTP: `/api/v1/forums/…` and the pages under
//! `/learn/{slug}/forums` and `/forums/…`.

pub(crate) mod api;
mod pages;

mod files;
pub use files::wide_routes;

use axum::{
    Router,
    routing::{get, post},
};
use lyceum_platform::AppState;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn api_routes() -> OpenApiRouter<AppState> {
    use api::{forums as f, posts as p, threads as t};
    OpenApiRouter::new()
        .routes(routes!(f::list_course_forums))
        .routes(routes!(f::search_course_forums))
        .routes(routes!(f::list_threads, t::start_thread))
        .routes(routes!(t::get_thread))
        .routes(routes!(t::mark_read))
        .routes(routes!(p::reply))
        .routes(routes!(p::edit_post, p::delete_post))
        .routes(routes!(p::post_history))
        .routes(routes!(p::mark_helpful, p::unmark_helpful))
        .routes(routes!(p::accept_answer, p::withdraw_answer))
        .merge(files::api_routes())
}

pub fn page_routes() -> Router<AppState> {
    use pages::{forums as f, posts as p, threads as t};
    Router::new()
        .route("/learn/{slug}/forums", get(f::index))
        .route("/learn/{slug}/forums/search", get(f::search))
        .route("/learn/{slug}/forums/modules/{module_id}", get(f::of_module))
        .route("/forums/{id}", get(f::forum))
        .route("/forums/{id}/new", get(t::compose))
        .route("/forums/{id}/threads", post(t::start))
        .route("/forums/threads/{id}", get(t::show))
        .route("/forums/threads/{id}/reply", post(p::reply))
        .route("/forums/posts/{id}/edit", get(p::edit_form).post(p::edit))
        .route("/forums/posts/{id}/delete", post(p::delete))
        .route("/forums/posts/{id}/helpful", post(p::helpful))
        .route("/forums/posts/{id}/accept", post(p::accept))
        .route("/forums/posts/{id}/history", get(p::history))
        .merge(files::page_routes())
}
