//! Records a notification on the channel the user chose, and queues its e-mail.

use lyceum_accounts::service::directory;
use lyceum_platform::{AppState, ids::UserId, jobs::JobError};

use super::jobs::NotificationMail;
use crate::{
    model::{Channel, Kind},
    repo::{notifications, preferences},
};

/// What a subscriber job wants to tell a user.
pub(crate) struct Notice<'a> {
    pub user_id: &'a str,
    pub kind: &'static Kind,
    pub message: &'a str,
    pub link: &'a str,
    /// Identifies the cause (`<job kind>:<event or request id>`), so a second
    /// delivery of the same job records nothing.
    pub source_key: &'a str,
}

/// What a notice carries besides its message (see [`crate::model::Notification`]).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct About<'a> {
    pub subject: &'a str,
    pub actor: &'a str,
    pub thread_id: Option<&'a str>,
}

/// [`notify_about`] with nothing more than the message.
pub(crate) async fn notify(state: &AppState, notice: Notice<'_>) -> Result<(), JobError> {
    notify_about(state, notice, About::default()).await
}

/// Records `notice` unless the user turned its kind off, and, on the e-mail
/// channel, enqueues [`NotificationMail`] in the same transaction: a batch
/// of one (see [`notify_each`]).
pub(crate) async fn notify_about(state: &AppState, notice: Notice<'_>, about: About<'_>) -> Result<(), JobError> {
    let notices = Notices {
        kind: notice.kind,
        message: notice.message,
        link: notice.link,
        recipients: vec![(notice.user_id, notice.source_key.to_string())],
    };
    notify_each(state, notices, about).await
}

/// One notice — the same kind, message and link — for each of several users:
/// a fan-out's batch.
pub(crate) struct Notices<'a> {
    pub kind: &'static Kind,
    pub message: &'a str,
    pub link: &'a str,
    /// Each recipient with the source key of their notice.
    pub recipients: Vec<(&'a str, String)>,
}

/// Records each recipient's notice unless they turned its kind off or their
/// account is gone, and enqueues [`NotificationMail`] for those on the
/// e-mail channel — all in one transaction, the accounts and choices read
/// once: a fan-out to thousands pays a commit per batch, not per person.
///
/// Idempotent: the insert is `ON CONFLICT (source_key) DO NOTHING`, and the
/// e-mail job is only enqueued with a row that was really inserted, so a
/// repeated delivery neither records nor mails twice.
pub(crate) async fn notify_each(state: &AppState, notices: Notices<'_>, about: About<'_>) -> Result<(), JobError> {
    if notices.recipients.is_empty() {
        return Ok(());
    }
    let users: Vec<&str> = notices.recipients.iter().map(|(user, _)| *user).collect();
    let ids: Vec<UserId> = users.iter().map(|user| UserId::from(user.to_string())).collect();
    let mut tx = state.db.begin().await?;
    let accounts = directory::people(&mut tx, &ids).await?;
    let chosen = preferences::for_users(&mut tx, &users, notices.kind.id).await?;
    let mut told = Vec::new();
    for (user_id, source_key) in &notices.recipients {
        if !accounts.contains_key(*user_id) {
            continue; // the account is gone
        }
        let channel = chosen.get(*user_id).copied().filter(|c| notices.kind.allows(*c)).unwrap_or(notices.kind.default);
        if channel == Channel::Off {
            continue;
        }
        let new = notifications::New {
            user_id,
            kind: notices.kind.id,
            message: notices.message,
            link: notices.link,
            channel,
            source_key,
            subject: about.subject,
            actor: about.actor,
            thread_id: about.thread_id,
        };
        let Some(id) = notifications::insert(&mut tx, &new).await? else {
            tracing::info!(key = %source_key, "notification already recorded; duplicate delivery skipped");
            continue;
        };
        if channel == Channel::Email {
            let payload = super::jobs::MailPayload { notification_id: id };
            lyceum_platform::jobs::enqueue::<NotificationMail>(&mut tx, &payload).await?;
        }
        told.push(*user_id);
    }
    tx.commit().await?;
    for user_id in told {
        super::inbox::forget_unread(state, user_id).await;
    }
    Ok(())
}
