//! The account e-mails, rendered from templates (plain text and HTML).

use askama::Template;
use lyceum_platform::{AppError, AppState, mail::Email};

#[derive(Template)]
#[template(path = "accounts/mail/verify.txt")]
struct VerifyText<'a> {
    name: &'a str,
    link: &'a str,
    hours: i64,
}

#[derive(Template)]
#[template(path = "accounts/mail/verify.html")]
struct VerifyHtml<'a> {
    name: &'a str,
    link: &'a str,
    hours: i64,
}

#[derive(Template)]
#[template(path = "accounts/mail/reset.txt")]
struct ResetText<'a> {
    name: &'a str,
    link: &'a str,
    minutes: i64,
}

#[derive(Template)]
#[template(path = "accounts/mail/reset.html")]
struct ResetHtml<'a> {
    name: &'a str,
    link: &'a str,
    minutes: i64,
}

pub async fn send_verification(state: &AppState, to: &str, name: &str, token: &str) -> Result<(), AppError> {
    let link = format!("{}/verify-email?token={token}", state.settings.public_url);
    let hours = state.settings.auth.verification_ttl_hours;
    let email = Email {
        to: to.to_string(),
        subject: "Confirm your e-mail address for Lyceum".into(),
        text: VerifyText { name, link: &link, hours }.render().map_err(AppError::internal)?,
        html: VerifyHtml { name, link: &link, hours }.render().map_err(AppError::internal)?,
        // Account mail answers the user's own action: there is nothing to unsubscribe from.
        unsubscribe: None,
    };
    deliver(state, email).await
}

pub async fn send_reset(state: &AppState, to: &str, name: &str, token: &str) -> Result<(), AppError> {
    let link = format!("{}/password-reset/confirm?token={token}", state.settings.public_url);
    let minutes = state.settings.auth.reset_ttl_minutes;
    let email = Email {
        to: to.to_string(),
        subject: "Reset your Lyceum password".into(),
        text: ResetText { name, link: &link, minutes }.render().map_err(AppError::internal)?,
        html: ResetHtml { name, link: &link, minutes }.render().map_err(AppError::internal)?,
        // Account mail answers the user's own action: there is nothing to unsubscribe from.
        unsubscribe: None,
    };
    deliver(state, email).await
}

#[derive(Template)]
#[template(path = "accounts/mail/already_registered.txt")]
struct AlreadyText<'a> {
    name: &'a str,
    base: &'a str,
}

#[derive(Template)]
#[template(path = "accounts/mail/already_registered.html")]
struct AlreadyHtml<'a> {
    name: &'a str,
    base: &'a str,
}

/// Sent instead of an error when someone signs up with a registered address.
pub async fn send_already_registered(state: &AppState, to: &str, name: &str) -> Result<(), AppError> {
    let base = &state.settings.public_url;
    let email = Email {
        to: to.to_string(),
        subject: "You already have a Lyceum account".into(),
        text: AlreadyText { name, base }.render().map_err(AppError::internal)?,
        html: AlreadyHtml { name, base }.render().map_err(AppError::internal)?,
        // Account mail answers the user's own action: there is nothing to unsubscribe from.
        unsubscribe: None,
    };
    deliver(state, email).await
}

#[derive(Template)]
#[template(path = "accounts/mail/password_changed.txt")]
struct PasswordChangedText<'a> {
    name: &'a str,
    base: &'a str,
}

#[derive(Template)]
#[template(path = "accounts/mail/password_changed.html")]
struct PasswordChangedHtml<'a> {
    name: &'a str,
    base: &'a str,
}

/// Tells the owner their password was changed (and what to do if it wasn't them).
pub async fn send_password_changed(state: &AppState, to: &str, name: &str) -> Result<(), AppError> {
    let base = &state.settings.public_url;
    let email = Email {
        to: to.to_string(),
        subject: "Your Lyceum password was changed".into(),
        text: PasswordChangedText { name, base }.render().map_err(AppError::internal)?,
        html: PasswordChangedHtml { name, base }.render().map_err(AppError::internal)?,
        // A security notice about the account: there is nothing to unsubscribe from.
        unsubscribe: None,
    };
    deliver(state, email).await
}

async fn deliver(state: &AppState, email: Email) -> Result<(), AppError> {
    state.mailer.send(email).await.map_err(AppError::internal)
}
