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
    subscription_api_routes()
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
        .merge(moderation_api_routes())
}

/// Moderation and flags (`api/moderation.rs`).
fn moderation_api_routes() -> OpenApiRouter<AppState> {
    use api::moderation as m;
    OpenApiRouter::new()
        .routes(routes!(m::pin_thread, m::unpin_thread))
        .routes(routes!(m::lock_thread, m::unlock_thread))
        .routes(routes!(m::move_thread))
        .routes(routes!(m::hide_post, m::unhide_post))
        .routes(routes!(m::flag_post))
        .routes(routes!(m::list_course_flags))
        .routes(routes!(m::list_all_flags))
        .routes(routes!(m::resolve_flag))
}

pub fn page_routes() -> Router<AppState> {
    use pages::{forums as f, posts as p, threads as t};
    subscription_page_routes()
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
        .merge(pages::moderation::routes())
}

/// Subscriptions: follow a forum or a thread, the forum preferences.
fn subscription_api_routes() -> OpenApiRouter<AppState> {
    use api::subscriptions as s;
    OpenApiRouter::new()
        .routes(routes!(s::get_forum_subscription, s::subscribe_forum, s::unsubscribe_forum))
        .routes(routes!(s::get_thread_subscription, s::subscribe_thread, s::unsubscribe_thread))
        .routes(routes!(s::get_preferences, s::put_preferences))
}

/// The subscribe buttons, the preferences page and the e-mails' one-click unsubscribe.
fn subscription_page_routes() -> Router<AppState> {
    use pages::subscriptions as s;
    Router::new()
        .route("/forums/{id}/subscription", post(s::forum))
        .route("/forums/threads/{id}/subscription", post(s::thread))
        .route("/forums/preferences", get(s::preferences).post(s::save_preferences))
        .route(crate::service::subscriptions::UNSUBSCRIBE_PATH, get(s::unsubscribe_confirm).post(s::unsubscribe))
}
