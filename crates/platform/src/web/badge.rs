//! Counts beside navigation entries ("Inbox 2"): a module registers a
//! [`Badge`] (a name and a function counting for a user) and the page header
//! reads `page.badge(name)`, so the platform shows them without knowing what
//! they count. Counted only for a signed-in user's page (GET of a document):
//! API calls, assets, anonymous visitors and a browser's sub-resource
//! requests (images) never pay for them.

use std::sync::Arc;

use axum::{
    extract::{Request, State},
    http::Method,
    middleware::Next,
    response::Response,
};
use futures::future::BoxFuture;

use crate::{AppResult, AppState, auth::Caller};

/// Counts something for the user with this id.
pub type CountFn = for<'a> fn(&'a AppState, &'a str) -> BoxFuture<'a, AppResult<i64>>;

/// A module's badge: the name templates ask for, and how to count it.
#[derive(Clone, Copy)]
pub struct Badge {
    pub name: &'static str,
    pub count: CountFn,
}

impl std::fmt::Debug for Badge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Badge").field("name", &self.name).finish_non_exhaustive()
    }
}

/// This request's counts, left in the request for [`super::Page`].
#[derive(Clone, Debug, Default)]
pub struct Badges(Vec<(&'static str, i64)>);

impl Badges {
    /// The count named `name`, 0 when it was not counted.
    pub fn get(&self, name: &str) -> i64 {
        self.0.iter().find(|(n, _)| *n == name).map_or(0, |(_, count)| *count)
    }
}

/// The middleware's state: the app and every module's badges.
#[derive(Clone)]
pub struct Counters {
    state: AppState,
    badges: Arc<[Badge]>,
}

impl Counters {
    pub fn new(state: AppState, badges: Vec<Badge>) -> Self {
        Self { state, badges: badges.into() }
    }
}

/// Middleware; must run inside the auth layer (it reads the [`Caller`]).
pub async fn count(State(counters): State<Counters>, mut req: Request, next: Next) -> Response {
    if counters.badges.is_empty() {
        return next.run(req).await;
    }
    if let Some(user_id) = signed_in_page(&req) {
        let mut counts = Vec::with_capacity(counters.badges.len());
        for badge in counters.badges.iter() {
            match (badge.count)(&counters.state, &user_id).await {
                Ok(n) => counts.push((badge.name, n)),
                // A badge is decoration: a failed count must not fail the page.
                Err(e) => tracing::warn!(badge = badge.name, error = %e, "navigation badge count failed"),
            }
        }
        req.extensions_mut().insert(Badges(counts));
    }
    next.run(req).await
}

/// The user id, when this is a signed-in user's GET of a page.
fn signed_in_page(req: &Request) -> Option<String> {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return None;
    }
    let path = req.uri().path();
    if path.starts_with("/api/") || path.starts_with("/assets/") {
        return None;
    }
    // Browsers say what a request is for; only documents show the header.
    if let Some(dest) = req.headers().get("sec-fetch-dest")
        && !matches!(dest.as_bytes(), b"document" | b"iframe")
    {
        return None;
    }
    match req.extensions().get::<Caller>() {
        Some(Caller::User(viewer)) => Some(viewer.user_id.clone()),
        _ => None,
    }
}
