//! Notification e-mails, rendered from templates (plain text and HTML) in the
//! recipient's language, each with a one-click unsubscribe link.

use askama::Template;
use lyceum_accounts::model::User;
use lyceum_platform::{AppError, AppState, mail::Email, web::i18n};

use lyceum_forums::{model::ThreadId, service::subscriptions};
use lyceum_platform::ids::UserId;

use super::unsubscribe;
use crate::model::{FORUM_ANNOUNCEMENT, FORUM_ANNOUNCEMENT_IMPORTANT, FORUM_POST, Notification};

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
    /// Empty: no unsubscribe link (an important announcement's e-mail).
    unsubscribe: &'a str,
    /// A forum post's reply form; empty for other notices.
    reply: &'a str,
    /// What the unsubscribe link stops: the kind, or (forum posts) the thread.
    unsubscribe_label: &'a str,
}

#[derive(Template)]
#[template(path = "notifications/mail/notification.html")]
struct NoticeHtml<'a> {
    locale: &'a str,
    name: &'a str,
    notice: &'a Shown,
    preferences: &'a str,
    /// Empty: no unsubscribe link (an important announcement's e-mail).
    unsubscribe: &'a str,
    /// A forum post's reply form; empty for other notices.
    reply: &'a str,
    /// What the unsubscribe link stops: the kind, or (forum posts) the thread.
    unsubscribe_label: &'a str,
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

/// E-mails one notification. Its unsubscribe link moves that kind to
/// in-app; a forum post's stops its thread (the forums' own one-click link)
/// and carries a link to the reply form; an important announcement's has none.
pub(crate) async fn send_notification(state: &AppState, user: &User, n: &Notification) -> Result<(), AppError> {
    let base = &state.settings.public_url;
    let locale = i18n::supported(&user.locale);
    let notice = Shown::of(base, n, locale);
    let (unsubscribe, label) = match (n.kind.as_str(), &n.thread_id) {
        (FORUM_ANNOUNCEMENT_IMPORTANT, _) => (None, ""),
        (FORUM_POST | FORUM_ANNOUNCEMENT, Some(thread_id)) => {
            let link =
                subscriptions::unsubscribe_link(state, &UserId::from(&user.id), &ThreadId::from(thread_id)).await?;
            (Some(link), "notifications.mail.unsubscribe_thread")
        }
        _ => (Some(unsubscribe::issue(state, &user.id, &n.kind).await?), "notifications.mail.unsubscribe"),
    };
    let reply = match &n.thread_id {
        Some(_) => format!("{base}{}#reply", n.link.split('#').next().unwrap_or_default()),
        None => String::new(),
    };
    let preferences = format!("{base}/settings/notifications");
    let (name, preferences, notice, reply) =
        (user.display_name.as_str(), preferences.as_str(), &notice, reply.as_str());
    let unsubscribe_label = &i18n::t(locale, label);
    let link = unsubscribe.as_deref().unwrap_or_default();
    let email = Email {
        to: user.email.clone(),
        subject: subject(locale, &notice.title),
        text: NoticeText { locale, name, notice, preferences, unsubscribe: link, reply, unsubscribe_label }
            .render()
            .map_err(AppError::internal)?,
        html: NoticeHtml { locale, name, notice, preferences, unsubscribe: link, reply, unsubscribe_label }
            .render()
            .map_err(AppError::internal)?,
        unsubscribe,
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
