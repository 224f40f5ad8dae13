//! Records a notification on the channel the user chose, and queues its e-mail.

use lyceum_platform::{AppState, jobs::JobError};

use super::{jobs::NotificationMail, recipient};
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
/// channel, enqueues [`NotificationMail`] in the same transaction.
///
/// Idempotent: the insert is `ON CONFLICT (source_key) DO NOTHING`, and the
/// e-mail job is only enqueued with a row that was really inserted, so a
/// repeated delivery neither records nor mails twice.
pub(crate) async fn notify_about(state: &AppState, notice: Notice<'_>, about: About<'_>) -> Result<(), JobError> {
    if recipient(state, notice.user_id).await?.is_none() {
        return Ok(()); // the account is gone
    }
    let mut tx = state.db.begin().await?;
    let chosen = preferences::one(&mut tx, notice.user_id, notice.kind.id).await?;
    let channel = chosen.filter(|c| notice.kind.allows(*c)).unwrap_or(notice.kind.default);
    if channel == Channel::Off {
        return Ok(());
    }
    let new = notifications::New {
        user_id: notice.user_id,
        kind: notice.kind.id,
        message: notice.message,
        link: notice.link,
        channel,
        source_key: notice.source_key,
        subject: about.subject,
        actor: about.actor,
        thread_id: about.thread_id,
    };
    let Some(id) = notifications::insert(&mut tx, &new).await? else {
        tracing::info!(key = notice.source_key, "notification already recorded; duplicate delivery skipped");
        return Ok(());
    };
    if channel == Channel::Email {
        let payload = super::jobs::MailPayload { notification_id: id };
        lyceum_platform::jobs::enqueue::<NotificationMail>(&mut tx, &payload).await?;
    }
    tx.commit().await?;
    super::inbox::forget_unread(state, notice.user_id).await;
    Ok(())
}
