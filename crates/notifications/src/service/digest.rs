//! The daily digest: one e-mail per user listing their notifications on the
//! `digest` channel that no digest has listed yet.

use lyceum_platform::{
    AppState, db,
    jobs::{Job, JobError},
    mail::deliveries,
};

use super::{mail, recipient};
use crate::repo::notifications;

/// Enqueued once a day by the scheduler (`type Payload = ()`).
///
/// Idempotent per user: the delivery key `notifications.digest:<user id>:<UTC
/// date>` is recorded, in one transaction with `digested_at` on every listed
/// notification, right after the send. A rerun finds nothing undigested (or
/// the key for today) and sends nothing; only a crash between the send and
/// that commit sends twice. A user whose send fails makes the job retry; those
/// already served are skipped by their key.
pub struct DailyDigest;
impl Job for DailyDigest {
    const KIND: &'static str = "notifications.daily_digest";
    type Payload = ();
    async fn run(state: &AppState, (): ()) -> Result<(), JobError> {
        let sent = run(state).await?;
        tracing::info!(sent, "daily digest");
        Ok(())
    }
}

/// Sends every due digest; returns how many e-mails went out.
pub async fn run(state: &AppState) -> Result<usize, JobError> {
    let date = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date();
    let mut sent = 0;
    let mut failed = None;
    for user_id in notifications::digest_users(state.db.pool()).await? {
        match for_user(state, &user_id, &format!("notifications.digest:{user_id}:{date}")).await {
            Ok(true) => sent += 1,
            Ok(false) => {}
            Err(e) => {
                // Serve everyone else first; the retry skips those done.
                tracing::warn!(%user_id, error = %e, "digest not sent");
                failed = Some(e);
            }
        }
    }
    match failed {
        Some(e) => Err(e),
        None => Ok(sent),
    }
}

async fn for_user(state: &AppState, user_id: &str, key: &str) -> Result<bool, JobError> {
    if deliveries::is_sent(state.db.pool(), key).await? {
        return Ok(false); // today's digest went out; newer items wait for tomorrow's
    }
    let items = notifications::undigested(state.db.pool(), user_id).await?;
    if items.is_empty() {
        return Ok(false);
    }
    let user = recipient(state, user_id).await?;
    let mailed = match &user {
        Some(user) if !user.is_disabled() => {
            mail::send_digest(state, user, &items).await?;
            true
        }
        _ => false, // a disabled account gets no mail; its items are settled all the same
    };
    let mut tx = state.db.begin().await?;
    let now = db::now_ms();
    for n in &items {
        notifications::mark_digested(&mut tx, &n.id, now).await?;
    }
    if mailed {
        deliveries::record_sent(&mut *tx, key).await?;
    }
    tx.commit().await?;
    Ok(mailed)
}
