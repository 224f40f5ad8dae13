//! Notification e-mails, rendered from templates (plain text and HTML) in the
//! recipient's language, each with a one-click unsubscribe link.

use askama::Template;
use lyceum_accounts::model::User;
use lyceum_platform::{AppError, AppState, mail::Email, web::i18n};

use super::unsubscribe;
use crate::model::Notification;

/// What both notification bodies show.
struct Shown {
    title: String,
    body: String,
    message: String,
    link: String,
}

impl Shown {
    fn of(base: &str, n: &Notification, locale: &str) -> Self {
        let link =
            if n.link.is_empty() { format!("{base}/notifications#n-{}", n.id) } else { format!("{base}{}", n.link) };
        Self { title: n.title(locale), body: n.body(locale), message: n.note().to_string(), link }
    }
}

#[derive(Template)]
#[template(path = "notifications/mail/notification.txt")]
struct NoticeText<'a> {
    locale: &'a str,
    name: &'a str,
    notice: &'a Shown,
    preferences: &'a str,
    unsubscribe: &'a str,
}

#[derive(Template)]
#[template(path = "notifications/mail/notification.html")]
struct NoticeHtml<'a> {
    locale: &'a str,
    name: &'a str,
    notice: &'a Shown,
    preferences: &'a str,
    unsubscribe: &'a str,
}

#[derive(Template)]
#[template(path = "notifications/mail/digest.txt")]
struct DigestText<'a> {
    locale: &'a str,
    name: &'a str,
    notices: &'a [Shown],
    list: &'a str,
    preferences: &'a str,
    unsubscribe: &'a str,
}

#[derive(Template)]
#[template(path = "notifications/mail/digest.html")]
struct DigestHtml<'a> {
    locale: &'a str,
    name: &'a str,
    notices: &'a [Shown],
    list: &'a str,
    preferences: &'a str,
    unsubscribe: &'a str,
}

/// `t` for the mail templates, in the recipient's language.
macro_rules! translated {
    ($($ty:ident),*) => {$(
        impl $ty<'_> {
            fn t(&self, key: &str) -> String {
                i18n::t(self.locale, key)
            }
        }
    )*};
}
translated!(NoticeText, NoticeHtml, DigestText, DigestHtml);

fn subject(locale: &str, what: &str) -> String {
    format!("{what} · {}", i18n::t(locale, "notifications.mail.platform"))
}

/// E-mails one notification; its unsubscribe link moves that kind to in-app.
pub(crate) async fn send_notification(state: &AppState, user: &User, n: &Notification) -> Result<(), AppError> {
    let base = &state.settings.public_url;
    let locale = i18n::supported(&user.locale);
    let notice = Shown::of(base, n, locale);
    let unsubscribe = unsubscribe::issue(state, &user.id, &n.kind).await?;
    let preferences = format!("{base}/settings/notifications");
    let (name, preferences, unsubscribe, notice) =
        (user.display_name.as_str(), preferences.as_str(), unsubscribe.as_str(), &notice);
    let email = Email {
        to: user.email.clone(),
        subject: subject(locale, &notice.title),
        text: NoticeText { locale, name, notice, preferences, unsubscribe }.render().map_err(AppError::internal)?,
        html: NoticeHtml { locale, name, notice, preferences, unsubscribe }.render().map_err(AppError::internal)?,
        unsubscribe: Some(unsubscribe.to_string()),
    };
    state.mailer.send(email).await.map_err(AppError::internal)
}

/// E-mails the digest of `items`; its unsubscribe link moves every kind now on
/// the digest to in-app.
pub(crate) async fn send_digest(state: &AppState, user: &User, items: &[Notification]) -> Result<(), AppError> {
    let base = &state.settings.public_url;
    let locale = i18n::supported(&user.locale);
    let notices: Vec<Shown> = items.iter().map(|n| Shown::of(base, n, locale)).collect();
    let unsubscribe = unsubscribe::issue(state, &user.id, unsubscribe::DIGEST_SCOPE).await?;
    let (list, preferences) = (format!("{base}/notifications"), format!("{base}/settings/notifications"));
    let (name, notices, list, preferences, unsubscribe) =
        (user.display_name.as_str(), notices.as_slice(), list.as_str(), preferences.as_str(), unsubscribe.as_str());
    let email = Email {
        to: user.email.clone(),
        subject: subject(locale, &i18n::t(locale, "notifications.digest.subject")),
        text: DigestText { locale, name, notices, list, preferences, unsubscribe }
            .render()
            .map_err(AppError::internal)?,
        html: DigestHtml { locale, name, notices, list, preferences, unsubscribe }
            .render()
            .map_err(AppError::internal)?,
        unsubscribe: Some(unsubscribe.to_string()),
    };
    state.mailer.send(email).await.map_err(AppError::internal)
}
