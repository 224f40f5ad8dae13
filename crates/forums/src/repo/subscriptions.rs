//! `forum_subscriptions`, `forum_thread_mutes`, `forum_preferences` and
//! `forum_unsubscribe_tokens`: who follows what, the threads they muted,
//! whether they follow what they write in, and the one-click links of
//! their forum e-mails.

use lyceum_platform::db::{self, Args};
use sqlx::AnyConnection;

/// What a subscription is to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject<'a> {
    Forum(&'a str),
    Thread(&'a str),
}

impl Subject<'_> {
    fn parts(&self) -> (&'static str, &str) {
        match self {
            Subject::Forum(id) => ("forum", id),
            Subject::Thread(id) => ("thread", id),
        }
    }
}

/// Subscribes `user_id` (once; a second call changes nothing).
pub async fn add(
    conn: &mut AnyConnection,
    user_id: &str,
    subject: Subject<'_>,
    course_id: &str,
) -> Result<(), sqlx::Error> {
    let (kind, id) = subject.parts();
    sqlx::query(
        "INSERT INTO forum_subscriptions (user_id, subject_kind, subject_id, course_id, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id, subject_kind, subject_id) DO NOTHING",
    )
    .bind(user_id)
    .bind(kind)
    .bind(id)
    .bind(course_id)
    .bind(db::now_ms())
    .execute(conn)
    .await
    .map(drop)
}

pub async fn remove(conn: &mut AnyConnection, user_id: &str, subject: Subject<'_>) -> Result<(), sqlx::Error> {
    let (kind, id) = subject.parts();
    sqlx::query("DELETE FROM forum_subscriptions WHERE user_id = $1 AND subject_kind = $2 AND subject_id = $3")
        .bind(user_id)
        .bind(kind)
        .bind(id)
        .execute(conn)
        .await
        .map(drop)
}

/// Mutes the thread for `user_id` (`true`) or lifts the mute.
pub async fn set_muted(
    conn: &mut AnyConnection,
    user_id: &str,
    thread_id: &str,
    muted: bool,
) -> Result<(), sqlx::Error> {
    if !muted {
        return sqlx::query("DELETE FROM forum_thread_mutes WHERE user_id = $1 AND thread_id = $2")
            .bind(user_id)
            .bind(thread_id)
            .execute(conn)
            .await
            .map(drop);
    }
    sqlx::query(
        "INSERT INTO forum_thread_mutes (user_id, thread_id, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id, thread_id) DO NOTHING",
    )
    .bind(user_id)
    .bind(thread_id)
    .bind(db::now_ms())
    .execute(conn)
    .await
    .map(drop)
}

/// The thread's and its forum's subscribers, minus those who muted the
/// thread, in user id order after `after`, at most `limit`.
pub async fn followers(
    conn: &mut AnyConnection,
    forum_id: &str,
    thread_id: &str,
    after: &str,
    limit: i64,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT DISTINCT s.user_id FROM forum_subscriptions s \
         WHERE ((s.subject_kind = 'thread' AND s.subject_id = $2) OR (s.subject_kind = 'forum' AND s.subject_id = $1)) \
           AND s.user_id > $3 \
           AND NOT EXISTS (SELECT 1 FROM forum_thread_mutes m WHERE m.user_id = s.user_id AND m.thread_id = $2) \
         ORDER BY s.user_id LIMIT $4",
    )
    .bind(forum_id)
    .bind(thread_id)
    .bind(after)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Which of `user_ids` muted the thread.
pub async fn muted_among(
    conn: &mut AnyConnection,
    thread_id: &str,
    user_ids: &[String],
) -> Result<Vec<String>, sqlx::Error> {
    if user_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut args = Args::default();
    let thread = args.text(thread_id);
    let list = args.list(user_ids);
    args.query_scalar(format!(
        "SELECT user_id FROM forum_thread_mutes WHERE thread_id = {thread} AND user_id IN ({list})"
    ))
    .fetch_all(conn)
    .await
}

/// Whether `user_id` follows the threads they start or reply to (the default: yes).
pub async fn auto_subscribe(conn: &mut AnyConnection, user_id: &str) -> Result<bool, sqlx::Error> {
    let stored: Option<i64> = sqlx::query_scalar("SELECT auto_subscribe FROM forum_preferences WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(conn)
        .await?;
    Ok(stored.is_none_or(|v| v != 0))
}

pub async fn set_auto_subscribe(conn: &mut AnyConnection, user_id: &str, on: bool) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO forum_preferences (user_id, auto_subscribe) VALUES ($1, $2) \
         ON CONFLICT (user_id) DO UPDATE SET auto_subscribe = excluded.auto_subscribe",
    )
    .bind(user_id)
    .bind(i64::from(on))
    .execute(conn)
    .await
    .map(drop)
}

pub async fn insert_token(
    conn: &mut AnyConnection,
    token_hash: &str,
    user_id: &str,
    thread_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO forum_unsubscribe_tokens (token_hash, user_id, thread_id, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(thread_id)
    .bind(db::now_ms())
    .execute(conn)
    .await
    .map(drop)
}

/// (user id, thread id) of a token, by its hash.
pub async fn token(conn: &mut AnyConnection, token_hash: &str) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT user_id, thread_id FROM forum_unsubscribe_tokens WHERE token_hash = $1")
        .bind(token_hash)
        .fetch_optional(conn)
        .await
}
