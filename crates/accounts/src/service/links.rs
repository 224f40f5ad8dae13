//! Single-use links sent by e-mail: address verification and password reset.

use lyceum_platform::{AppError, AppState, FieldError, db, events, secrets};

use super::{
    Client, mail,
    mail_jobs::{self, ResendVerificationMail, ResetMail},
    passwords,
};
use crate::{
    AccountError,
    events::PasswordResetRequested,
    model::{Email, Password, User},
    repo::{
        email_tokens::{self, Purpose},
        users,
    },
};

/// A new link token for `purpose`, valid for `ttl_ms`; it voids the user's
/// earlier unused ones, and only its hash is stored (with the address a
/// `ChangeEmail` token confirms).
pub(crate) async fn issue_token(
    state: &AppState,
    user: &User,
    purpose: Purpose,
    ttl_ms: i64,
    new_email: Option<&str>,
) -> Result<String, AppError> {
    let token = secrets::random_token();
    let expires = db::now_ms() + ttl_ms;
    let mut conn = state.db.autocommit().await?;
    email_tokens::issue(&mut conn, &user.id, purpose, &secrets::token_hash(&token), expires, new_email).await?;
    Ok(token)
}

/// Issues a verification token and mails its link; run by the mail jobs.
pub(crate) async fn send_verification(state: &AppState, user: &User) -> Result<(), AppError> {
    let ttl_ms = state.settings.auth.verification_ttl_hours * 3_600_000;
    let token = issue_token(state, user, Purpose::VerifyEmail, ttl_ms, None).await?;
    mail::send_verification(state, user, &token).await
}

/// Confirms an address from the e-mailed link. Returns the verified user.
pub async fn verify_email(state: &AppState, token: &str) -> Result<User, AccountError> {
    if let Some(missing) = missing_token(token) {
        return Err(AppError::validation(vec![missing]).into());
    }
    let mut tx = state.db.begin().await?;
    let user_id = email_tokens::consume(&mut tx, Purpose::VerifyEmail, &secrets::token_hash(token))
        .await?
        .ok_or(AccountError::LinkExpired)?;
    users::mark_verified(&mut tx, &user_id).await?;
    let user = users::by_id(&mut tx, &user_id).await?.ok_or(AccountError::NoSuchUser)?;
    tx.commit().await?;
    Ok(user)
}

/// Which address a browser signed up with, by the hash of the secret in its
/// sign-up cookie: the verification link signs in only the browser that
/// signed up (someone else who gets the link, or a mail scanner that opens
/// it, confirms the address and nothing more). Kept in the cache: losing an
/// entry only means signing in by hand.
const SIGNUP_BROWSERS: &str = "accounts.signup_browser";

/// Remembers that this browser signed up with `raw_email`; returns the secret
/// for its cookie (valid as long as the verification link).
pub async fn remember_signup_browser(state: &AppState, raw_email: &str) -> Option<String> {
    let email = Email::parse(raw_email).ok()?;
    let secret = secrets::random_token();
    let ttl = std::time::Duration::from_secs(state.settings.auth.verification_ttl_hours.max(0) as u64 * 3600);
    let key = secrets::token_hash(&secret);
    state.cache.set(SIGNUP_BROWSERS, &key, email.as_str().as_bytes().to_vec().into(), ttl).await;
    Some(secret)
}

/// Whether the browser with sign-up secret `secret` signed up as `user`
/// (once: the entry is forgotten when it matches).
pub async fn is_signup_browser(state: &AppState, secret: &str, user: &User) -> bool {
    let key = secrets::token_hash(secret);
    let matches = state.cache.get(SIGNUP_BROWSERS, &key).await.is_some_and(|email| email == user.email.as_bytes());
    if matches {
        state.cache.delete(SIGNUP_BROWSERS, &key).await;
    }
    matches
}

/// An absent token is a malformed request (422), not an expired link (410).
fn missing_token(token: &str) -> Option<FieldError> {
    token
        .trim()
        .is_empty()
        .then(|| FieldError::new("token", lyceum_platform::Text::new("accounts.errors.link_token_required")))
}

/// Queues a fresh verification link if the address belongs to an unverified
/// account. Answers the same either way.
pub async fn resend_verification(state: &AppState, raw_email: &str, client: &Client) -> Result<(), AppError> {
    let email = Email::parse(raw_email).map_err(|e| AppError::validation(vec![e]))?;
    state.limits.email.check(&[format!("email:{}", email.as_str()), format!("ip:{}", client.ip)])?;
    match users::by_email(state.db.pool(), email.as_str()).await? {
        Some(user) if !user.is_verified() && !user.is_disabled() => {
            mail_jobs::request::<ResendVerificationMail>(state, &user.id).await
        }
        _ => Ok(()),
    }
}

/// Starts a password reset (the link is mailed by a job) and publishes
/// `user.password_reset_requested`. Answers the same whether or not the address is registered.
pub async fn request_reset(state: &AppState, raw_email: &str, client: &Client) -> Result<(), AppError> {
    let email = Email::parse(raw_email).map_err(|e| AppError::validation(vec![e]))?;
    state.limits.email.check(&[format!("email:{}", email.as_str()), format!("ip:{}", client.ip)])?;
    let Some(user) = users::by_email(state.db.pool(), email.as_str()).await? else {
        tracing::info!("password reset requested for an unknown address");
        return Ok(());
    };
    if user.is_disabled() {
        return Ok(());
    }
    // The e-mail and the event commit together: observers (the owner's
    // security notice) learn of exactly the requests that were mailed.
    let mut tx = state.db.begin().await?;
    mail_jobs::request_on::<ResetMail>(&mut tx, &user.id).await?;
    events::publish(state, &mut tx, &PasswordResetRequested { user_id: user.id.clone() }).await?;
    tx.commit().await?;
    Ok(())
}

/// Issues a reset token and mails its link; run by [`ResetMail`].
pub(crate) async fn send_reset(state: &AppState, user: &User) -> Result<(), AppError> {
    let ttl_ms = state.settings.auth.reset_ttl_minutes * 60_000;
    let token = issue_token(state, user, Purpose::ResetPassword, ttl_ms, None).await?;
    mail::send_reset(state, user, &token).await
}

/// Whether a reset link can still be used (to decide between form and "expired" page).
pub async fn reset_link_is_live(state: &AppState, token: &str) -> Result<bool, AppError> {
    Ok(reset_link_owner(state, token).await?.is_some())
}

async fn reset_link_owner(state: &AppState, token: &str) -> Result<Option<String>, sqlx::Error> {
    let mut conn = state.db.pool().acquire().await?;
    email_tokens::live_owner(&mut conn, Purpose::ResetPassword, &secrets::token_hash(token)).await
}

/// Sets a new password from a reset link. Ends every session and API token of
/// the account (whoever had them may be the reason for the reset) and marks the
/// address verified, since the link proved it.
pub async fn reset_password(state: &AppState, token: &str, new_password: &str) -> Result<(), AccountError> {
    let new_password = match (missing_token(token), Password::parse("password", new_password)) {
        (None, Ok(p)) => p,
        (token, password) => {
            return Err(AppError::validation(token.into_iter().chain(password.err()).collect()).into());
        }
    };
    if let Some(owner) = reset_link_owner(state, token).await? {
        passwords::refuse_reuse(state, &owner, "password", new_password.expose()).await?;
    }
    let new = passwords::NewPassword::hash(&new_password).await?;
    let mut tx = state.db.begin().await?;
    let user_id = email_tokens::consume(&mut tx, Purpose::ResetPassword, &secrets::token_hash(token))
        .await?
        .ok_or(AccountError::LinkExpired)?;
    passwords::set(&mut tx, &user_id, &new, passwords::Effects::END_ALL).await?;
    users::mark_verified(&mut tx, &user_id).await?;
    tx.commit().await?;
    super::session::forget_sessions(state).await;
    tracing::info!(%user_id, "password reset");
    Ok(())
}
