//! One-click unsubscribe (RFC 8058). Each notification e-mail carries a fresh
//! random token scoped to (user, kind) — or (user, the digest) — of which only
//! the SHA-256 is stored, so no server secret is needed and a leaked database
//! row cannot be turned into a working link. Unsubscribing moves the kind to
//! `in_app` (always allowed, even for security notices): the notices stay
//! listed in the app, the e-mails stop.

use lyceum_platform::ids::UserId;
use lyceum_platform::{AppError, AppState, Text, secrets};

use super::preferences::{self, Preference};
use crate::{
    model::{Channel, kind},
    repo::unsubscribe,
};

/// The scope of a digest e-mail's token: every kind on the digest channel.
pub const DIGEST_SCOPE: &str = "digest";

const INVALID: &str = "notifications.errors.unsubscribe_invalid";

/// A fresh token for `scope`; returns the full unsubscribe URL.
pub(crate) async fn issue(state: &AppState, user_id: &str, scope: &str) -> Result<String, AppError> {
    let token = secrets::random_token();
    unsubscribe::insert(&mut *state.db.autocommit().await?, &secrets::token_hash(&token), user_id, scope).await?;
    Ok(format!("{}/notifications/unsubscribe?token={token}", state.settings.public_url))
}

/// What a token would unsubscribe from: the kinds it moves to in-app.
#[derive(Debug)]
pub struct Target {
    pub user_id: String,
    pub digest: bool,
    /// Translation keys of the kinds' labels (for the confirmation page).
    pub labels: Vec<String>,
}

/// Looks a token up without changing anything (the GET confirmation page:
/// mail scanners follow links, so a GET must never unsubscribe).
pub async fn target(state: &AppState, token: &str) -> Result<Target, AppError> {
    let (user_id, scope) = find(state, token).await?;
    let kinds = kinds_of(state, &user_id, &scope).await?;
    Ok(Target { user_id, digest: scope == DIGEST_SCOPE, labels: kinds.iter().map(|p| p.kind.label_key()).collect() })
}

/// Moves the token's kinds to in-app. Idempotent: a second POST changes nothing more.
pub async fn apply(state: &AppState, token: &str) -> Result<Target, AppError> {
    let (user_id, scope) = find(state, token).await?;
    let kinds = kinds_of(state, &user_id, &scope).await?;
    let mut tx = state.db.begin().await?;
    for p in &kinds {
        preferences::set(&mut tx, &user_id, p.kind, Channel::InApp).await?;
    }
    tx.commit().await?;
    tracing::info!(%user_id, %scope, "unsubscribed from notification e-mails");
    Ok(Target { user_id, digest: scope == DIGEST_SCOPE, labels: kinds.iter().map(|p| p.kind.label_key()).collect() })
}

async fn find(state: &AppState, token: &str) -> Result<(String, String), AppError> {
    if token.trim().is_empty() {
        return Err(AppError::field("token", Text::new("notifications.errors.token_required")));
    }
    unsubscribe::find(state.db.pool(), &secrets::token_hash(token.trim()))
        .await?
        .ok_or_else(|| AppError::gone(Text::new(INVALID)))
}

/// A kind scope is that kind while it still sends e-mail (a kind the user has
/// since turned off or moved in-app is left alone); the digest scope is every
/// kind now on the digest.
async fn kinds_of(state: &AppState, user_id: &str, scope: &str) -> Result<Vec<Preference>, AppError> {
    let all = preferences::list(state, &UserId::from(user_id)).await?;
    if scope == DIGEST_SCOPE {
        return Ok(all.into_iter().filter(|p| p.channel == Channel::Digest).collect());
    }
    let kind = kind(scope).ok_or_else(|| AppError::gone(Text::new(INVALID)))?;
    let mails = |c: Channel| matches!(c, Channel::Email | Channel::Digest);
    Ok(all.into_iter().filter(|p| p.kind.id == kind.id && mails(p.channel)).collect())
}
