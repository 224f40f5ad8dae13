//! Settings → Sessions: where you are signed in; sign one out, or all others.

use askama::Template;
use axum::{
    extract::{Path, State},
    response::Response,
};
use lyceum_platform::{
    AppResult, AppState,
    web::{FlashKind, Page, Reply, redirect_with_flash},
};

use crate::service::sessions::{self, SessionInfo};
use lyceum_platform::web::guard::SignedIn;

#[derive(Template)]
#[template(path = "accounts/sessions.html")]
struct SessionsPage {
    page: Page,
    sessions: Vec<SessionInfo>,
}

pub async fn list(State(state): State<AppState>, SignedIn { page, viewer }: SignedIn) -> AppResult<Response> {
    let sessions = sessions::list(&state, &viewer).await?;
    Reply::OK.render(&SessionsPage { page, sessions })
}

pub async fn revoke(
    State(state): State<AppState>,
    SignedIn { viewer, .. }: SignedIn,
    Path(id): Path<String>,
) -> AppResult<Response> {
    sessions::revoke(&state, &viewer, &id).await?;
    Ok(redirect_with_flash("/settings/sessions", FlashKind::Success, "accounts.flash.session_ended"))
}

pub async fn revoke_others(State(state): State<AppState>, SignedIn { viewer, .. }: SignedIn) -> AppResult<Response> {
    sessions::revoke_others(&state, &viewer).await?;
    Ok(redirect_with_flash("/settings/sessions", FlashKind::Success, "accounts.flash.other_sessions_ended"))
}
