//! Changing one's e-mail address: asked for with the current password, it
//! takes effect only when a link sent to the new address is opened (so nobody
//! can move an account to an address they do not hold, or mistype it), and
//! the old address is told at once, with what to do if it was not its owner.
//!
//! Whether the new address is taken is answered only when the link is opened:
//! answering it when asked would tell anyone with an account which addresses
//! have one.

use lyceum_platform::{AppError, AppState, Text, auth::Viewer, db, secrets};

use super::{Client, links, mail, mail_jobs, session};
use crate::{
    AccountError,
    model::{Email, User},
    password,
    repo::{
        email_tokens::{self, Purpose},
        users,
    },
};

/// Checks the current password and sends a confirmation link to `raw_new`.
pub async fn request(
    state: &AppState,
    viewer: &Viewer,
    raw_new: &str,
    current_password: &str,
    client: &Client,
) -> Result<(), AppError> {
    let new = Email::parse(raw_new).map_err(|e| AppError::validation(vec![e]))?;
    state.limits.email.check(&[format!("email:{}", new.as_str()), format!("ip:{}", client.ip)])?;
    let stored = users::password_hash(state.db.pool(), &viewer.user_id).await?;
    if !password::verify(current_password, Some(stored)).await? {
        return Err(AppError::field("current_password", Text::new("accounts.errors.current_password_wrong")));
    }
    if new.as_str() == viewer.email {
        return Err(AppError::field("email", Text::new("accounts.errors.email_unchanged")));
    }
    mail_jobs::request_email_change(state, &viewer.user_id, new.as_str()).await
}

/// Issues the link token for `new_email` and mails it there; run by the mail job.
pub(crate) async fn send_link(state: &AppState, user: &User, new_email: &str) -> Result<(), AppError> {
    let ttl_ms = state.settings.auth.verification_ttl_hours * 3_600_000;
    let token = links::issue_token(state, user, Purpose::ChangeEmail, ttl_ms, Some(new_email)).await?;
    mail::send_email_change_link(state, user, new_email, &token).await
}

/// Opens the link: the account takes the new address (409 when another
/// account took it meanwhile), and the old address gets a notice.
pub async fn confirm(state: &AppState, token: &str) -> Result<User, AccountError> {
    if token.trim().is_empty() {
        return Err(AppError::field("token", Text::new("accounts.errors.link_token_required")).into());
    }
    let hash = secrets::token_hash(token);
    let mut tx = state.db.begin().await?;
    let user_id =
        email_tokens::consume(&mut tx, Purpose::ChangeEmail, &hash).await?.ok_or(AccountError::LinkExpired)?;
    let new_email = email_tokens::new_email_of(&mut tx, &hash).await?.ok_or(AccountError::LinkExpired)?;
    let old = users::by_id(&mut tx, &user_id).await?.ok_or(AccountError::NoSuchUser)?;
    match users::set_email(&mut tx, &user_id, &new_email).await {
        Err(e) if db::is_unique_violation(&e) => {
            return Err(AppError::conflict(Text::new("accounts.errors.email_taken_meanwhile")).into());
        }
        other => other?,
    }
    mail_jobs::request_email_changed_on(&mut tx, &user_id, &old.email).await?;
    let user = users::by_id(&mut tx, &user_id).await?.ok_or(AccountError::NoSuchUser)?;
    tx.commit().await?;
    // Signed-in requests carry the account's address: read it anew.
    session::forget_sessions(state).await;
    Ok(user)
}
