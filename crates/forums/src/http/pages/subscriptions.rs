//! The subscribe buttons of the forum and thread pages, the forum
//! preferences (`/forums/preferences`) and the one-click unsubscribe of
//! forum e-mails (`/forums/unsubscribe?token=…`).

use std::collections::HashMap;

use askama::Template;
use axum::{
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use lyceum_platform::{
    AppResult, AppState,
    http::extract::{ApiQuery, PageForm},
    web::{Page, Reply, guard::SignedIn},
};
use serde::Deserialize;

use crate::{
    model::{ForumId, ThreadId},
    service::subscriptions::{self, Preferences, UnsubscribeTarget},
};

fn on(form: &HashMap<String, String>) -> bool {
    form.get("on").is_some_and(|v| v == "1")
}

pub async fn forum(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<String>,
    PageForm(form): PageForm<HashMap<String, String>>,
) -> AppResult<Response> {
    let id = ForumId::from(id);
    subscriptions::set_forum(&state, &s.viewer, &id, on(&form)).await?;
    Ok(Redirect::to(&format!("/forums/{}", id.as_str())).into_response())
}

pub async fn thread(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<String>,
    PageForm(form): PageForm<HashMap<String, String>>,
) -> AppResult<Response> {
    let id = ThreadId::from(id);
    subscriptions::set_thread(&state, &s.viewer, &id, on(&form)).await?;
    let page = form.get("page").and_then(|p| p.parse::<i64>().ok()).unwrap_or(1).max(1);
    Ok(Redirect::to(&format!("/forums/threads/{}?page={page}#subscription", id.as_str())).into_response())
}

#[derive(Template)]
#[template(path = "forums/preferences.html")]
struct PreferencesPage {
    page: Page,
    prefs: Preferences,
    saved: bool,
}

pub async fn preferences(State(state): State<AppState>, s: SignedIn) -> AppResult<Response> {
    let prefs = subscriptions::preferences(&state, &s.viewer).await?;
    Reply::OK.render(&PreferencesPage { page: s.page, prefs, saved: false })
}

pub async fn save_preferences(
    State(state): State<AppState>,
    s: SignedIn,
    PageForm(form): PageForm<HashMap<String, String>>,
) -> AppResult<Response> {
    let prefs = Preferences { auto_subscribe: form.get("auto_subscribe").is_some_and(|v| v == "on") };
    let prefs = subscriptions::set_preferences(&state, &s.viewer, prefs).await?;
    Reply::OK.render(&PreferencesPage { page: s.page, prefs, saved: true })
}

#[derive(Debug, Deserialize)]
pub struct TokenQuery {
    token: String,
}

#[derive(Template)]
#[template(path = "forums/unsubscribe.html")]
struct UnsubscribePage {
    page: Page,
    token: String,
    target: UnsubscribeTarget,
    done: bool,
}

/// The link's page: what it stops, and a button (a GET changes nothing).
pub async fn unsubscribe_confirm(
    State(state): State<AppState>,
    page: Page,
    ApiQuery(q): ApiQuery<TokenQuery>,
) -> AppResult<Response> {
    let target = subscriptions::unsubscribe_target(&state, &q.token).await?;
    Reply::OK.render(&UnsubscribePage { page, token: q.token, target, done: false })
}

/// The one-click POST of RFC 8058 and the page's button: the token in the
/// query string is the only credential (the path is CSRF-exempt).
pub async fn unsubscribe(
    State(state): State<AppState>,
    page: Page,
    ApiQuery(q): ApiQuery<TokenQuery>,
) -> AppResult<Response> {
    let target = subscriptions::unsubscribe(&state, &q.token).await?;
    Reply::OK.render(&UnsubscribePage { page, token: String::new(), target, done: true })
}
