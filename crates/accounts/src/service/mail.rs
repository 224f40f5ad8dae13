//! The account e-mails, rendered from templates (plain text and HTML) in the
//! recipient's language (`users.locale`), with the strings under `accounts.mail`.

use askama::Template;
use lyceum_platform::{AppError, AppState, mail::Email, web::i18n};

use crate::model::User;

/// What an account e-mail's templates read: the recipient's language and
/// name, the link it carries (empty when none), and the values of its
/// strings' `{placeholders}`.
struct Letter<'a> {
    locale: &'static str,
    name: &'a str,
    link: String,
    fills: Vec<(&'static str, String)>,
}

impl<'a> Letter<'a> {
    fn to(user: &'a User, link: String, fills: Vec<(&'static str, String)>) -> Self {
        Self { locale: i18n::supported(&user.locale), name: &user.display_name, link, fills }
    }

    /// `key` in the recipient's language with its `{placeholders}` filled in.
    /// A key ending in `_html` is HTML, written unescaped by the templates
    /// (`|safe`), so the values put into it are escaped here.
    fn t(&self, key: &str) -> String {
        let html = key.ends_with("_html");
        self.fills.iter().fold(i18n::t(self.locale, key), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), &if html { escape(value) } else { value.clone() })
        })
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// The plain-text and HTML templates of one e-mail, both reading `mail`.
macro_rules! letters {
    ($($ty:ident = $path:literal),* $(,)?) => {$(
        #[derive(Template)]
        #[template(path = $path)]
        struct $ty<'a> {
            mail: &'a Letter<'a>,
        }
    )*};
}
letters!(
    VerifyText = "accounts/mail/verify.txt",
    VerifyHtml = "accounts/mail/verify.html",
    ResetText = "accounts/mail/reset.txt",
    ResetHtml = "accounts/mail/reset.html",
    AlreadyText = "accounts/mail/already_registered.txt",
    AlreadyHtml = "accounts/mail/already_registered.html",
    PasswordChangedText = "accounts/mail/password_changed.txt",
    PasswordChangedHtml = "accounts/mail/password_changed.html",
    EmailChangeText = "accounts/mail/email_change.txt",
    EmailChangeHtml = "accounts/mail/email_change.html",
    EmailChangedText = "accounts/mail/email_changed.txt",
    EmailChangedHtml = "accounts/mail/email_changed.html",
);

pub async fn send_verification(state: &AppState, user: &User, token: &str) -> Result<(), AppError> {
    let link = format!("{}/verify-email?token={token}", state.settings.public_url);
    let mail = Letter::to(user, link, vec![("hours", state.settings.auth.verification_ttl_hours.to_string())]);
    let (text, html) = (VerifyText { mail: &mail }.render(), VerifyHtml { mail: &mail }.render());
    deliver(state, user, mail.t("accounts.mail.verify.subject"), text, html).await
}

pub async fn send_reset(state: &AppState, user: &User, token: &str) -> Result<(), AppError> {
    let link = format!("{}/password-reset/confirm?token={token}", state.settings.public_url);
    let mail = Letter::to(user, link, vec![("minutes", state.settings.auth.reset_ttl_minutes.to_string())]);
    let (text, html) = (ResetText { mail: &mail }.render(), ResetHtml { mail: &mail }.render());
    deliver(state, user, mail.t("accounts.mail.reset.subject"), text, html).await
}

/// Sent instead of an error when someone signs up with a registered address.
pub async fn send_already_registered(state: &AppState, user: &User) -> Result<(), AppError> {
    let base = &state.settings.public_url;
    let fills = vec![("login", format!("{base}/login")), ("reset", format!("{base}/password-reset"))];
    let mail = Letter::to(user, String::new(), fills);
    let (text, html) = (AlreadyText { mail: &mail }.render(), AlreadyHtml { mail: &mail }.render());
    deliver(state, user, mail.t("accounts.mail.already_registered.subject"), text, html).await
}

/// Tells the owner their password was changed (and what to do if it wasn't them).
pub async fn send_password_changed(state: &AppState, user: &User) -> Result<(), AppError> {
    let base = &state.settings.public_url;
    let fills = vec![("reset", format!("{base}/password-reset")), ("sessions", format!("{base}/settings/sessions"))];
    let mail = Letter::to(user, String::new(), fills);
    let (text, html) = (PasswordChangedText { mail: &mail }.render(), PasswordChangedHtml { mail: &mail }.render());
    deliver(state, user, mail.t("accounts.mail.password_changed.subject"), text, html).await
}

/// The link that confirms a new address, sent to that address.
pub async fn send_email_change_link(
    state: &AppState,
    user: &User,
    new_email: &str,
    token: &str,
) -> Result<(), AppError> {
    let link = format!("{}/confirm-email?token={token}", state.settings.public_url);
    let fills = vec![("hours", state.settings.auth.verification_ttl_hours.to_string()), ("email", new_email.into())];
    let mail = Letter::to(user, link, fills);
    let (text, html) = (EmailChangeText { mail: &mail }.render(), EmailChangeHtml { mail: &mail }.render());
    deliver_to(state, new_email, mail.t("accounts.mail.email_change.subject"), text, html).await
}

/// Tells the address an account left that it changed (and what to do if the
/// owner did not change it).
pub async fn send_email_changed(state: &AppState, user: &User, old_email: &str) -> Result<(), AppError> {
    let base = &state.settings.public_url;
    let fills = vec![("email", user.email.clone()), ("reset", format!("{base}/password-reset"))];
    let mail = Letter::to(user, String::new(), fills);
    let (text, html) = (EmailChangedText { mail: &mail }.render(), EmailChangedHtml { mail: &mail }.render());
    deliver_to(state, old_email, mail.t("accounts.mail.email_changed.subject"), text, html).await
}

async fn deliver(
    state: &AppState,
    user: &User,
    subject: String,
    text: askama::Result<String>,
    html: askama::Result<String>,
) -> Result<(), AppError> {
    deliver_to(state, &user.email, subject, text, html).await
}

async fn deliver_to(
    state: &AppState,
    to: &str,
    subject: String,
    text: askama::Result<String>,
    html: askama::Result<String>,
) -> Result<(), AppError> {
    let email = Email {
        to: to.to_string(),
        subject,
        text: text.map_err(AppError::internal)?,
        html: html.map_err(AppError::internal)?,
        // Account mail answers the user's own action or tells of a change to
        // the account: there is nothing to unsubscribe from.
        unsubscribe: None,
    };
    state.mailer.send(email).await.map_err(AppError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(locale: &str) -> User {
        User {
            id: "u1".into(),
            email: "ada@example.org".into(),
            display_name: "Ada <3".into(),
            role: crate::model::RoleColumn(lyceum_platform::auth::Role::Learner),
            locale: locale.into(),
            time_zone: "UTC".into(),
            email_verified_at: None,
            disabled_at: None,
            password_change_due_at: None,
            created_at: 0,
        }
    }

    #[test]
    fn letters_speak_the_recipients_language_and_escape_what_they_fill_in() {
        crate::module().install();
        let fills = || vec![("reset", "https://x.example/a?b=1&c=2".to_string()), ("sessions", "/s".to_string())];
        let (english, french) = (user("en"), user("fr"));
        let (en, fr) = (Letter::to(&english, String::new(), fills()), Letter::to(&french, String::new(), fills()));
        assert_eq!(en.t("accounts.mail.password_changed.subject"), "Your Lyceum password was changed");
        assert_eq!(fr.t("accounts.mail.password_changed.subject"), "Votre mot de passe Lyceum a été modifié");
        let html = PasswordChangedHtml { mail: &fr }.render().unwrap();
        assert!(html.contains(r#"<html lang="fr">"#) && html.contains("Bonjour Ada &#60;3,"), "{html}");
        assert!(html.contains(r#"<a href="https://x.example/a?b=1&amp;c=2">choisissez-en un nouveau"#), "{html}");
        let text = PasswordChangedText { mail: &fr }.render().unwrap();
        assert!(text.contains("Bonjour Ada <3,") && text.contains("sur https://x.example/a?b=1&c=2 et"), "{text}");
        assert_eq!(Letter::to(&user("pt-BR"), String::new(), vec![]).locale, "en", "a language we lack is English");
    }
}
