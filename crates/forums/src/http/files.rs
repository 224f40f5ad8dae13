//! The routes of a post's files, and the body size the forms carrying files
//! may use (all of a post's files at their largest, and the form).

use std::time::Duration;

use axum::{Router, routing::get};
use lyceum_platform::{AppState, config::Settings, http::limits::Wide};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{api::attachments as a, pages::attachments as pa};
use crate::settings::ForumSettings;

const FORM_OVERHEAD: usize = 64 * 1024;

pub(super) fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(a::attach)).routes(routes!(a::get_attachment))
}

pub(super) fn page_routes() -> Router<AppState> {
    Router::new().route("/forums/attachments/{id}", get(pa::serve))
}

/// The routes taking files, with room for a post's files.
pub fn wide_routes(settings: &Settings) -> Vec<Wide> {
    let forums = settings.section::<ForumSettings>();
    let files = forums.attachment_max_bytes.saturating_mul(u64::from(forums.attachments_per_post.max(1)));
    let max_body = usize::try_from(files).unwrap_or(usize::MAX).saturating_add(FORM_OVERHEAD);
    let timeout = Duration::from_secs(settings.request_timeout_secs);
    let wide = |route| Wide { route, max_body, timeout };
    vec![
        wide("/api/v1/forums/posts/{post_id}/attachments"),
        wide("/forums/{id}/threads"),
        wide("/forums/threads/{id}/reply"),
    ]
}
