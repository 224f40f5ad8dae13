//! The `notifications` table.

use lyceum_platform::db;
use sqlx::{AnyConnection, AnyPool};

use crate::model::{Channel, Notification};

const COLUMNS: &str = "id, user_id, kind, message, link, channel, created_at, read_at, subject, actor, thread_id";

pub struct New<'a> {
    pub user_id: &'a str,
    pub kind: &'a str,
    pub message: &'a str,
    pub link: &'a str,
    pub channel: Channel,
    pub source_key: &'a str,
    pub subject: &'a str,
    pub actor: &'a str,
    pub thread_id: Option<&'a str>,
}

/// Inserts a notification unless one with the same `source_key` exists;
/// returns the new id, or `None` for a repeated delivery.
pub async fn insert(conn: &mut AnyConnection, new: &New<'_>) -> Result<Option<String>, sqlx::Error> {
    let id = db::new_id();
    let inserted = sqlx::query(
        "INSERT INTO notifications (id, user_id, kind, message, link, channel, source_key, created_at, subject, actor, \
         thread_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (source_key) DO NOTHING",
    )
    .bind(&id)
    .bind(new.user_id)
    .bind(new.kind)
    .bind(new.message)
    .bind(new.link)
    .bind(new.channel.as_str())
    .bind(new.source_key)
    .bind(db::now_ms())
    .bind(new.subject)
    .bind(new.actor)
    .bind(new.thread_id)
    .execute(conn)
    .await?
    .rows_affected();
    Ok((inserted == 1).then_some(id))
}

pub struct Filter<'a> {
    pub user_id: &'a str,
    pub unread_only: bool,
    /// Keyset cursor: notifications created before this (created_at, id).
    pub before: Option<(i64, &'a str)>,
    pub limit: i64,
}

/// Newest first, keyset-paginated.
pub async fn list(pool: &AnyPool, f: Filter<'_>) -> Result<Vec<Notification>, sqlx::Error> {
    let (before_at, before_id) = f.before.map(|(at, id)| (Some(at), Some(id))).unwrap_or((None, None));
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM notifications \
         WHERE user_id = $1 AND ($2 = 0 OR read_at IS NULL) \
           AND ($3 IS NULL OR created_at < $3 OR (created_at = $3 AND id < $4)) \
         ORDER BY created_at DESC, id DESC LIMIT $5"
    )))
    .bind(f.user_id)
    .bind(i64::from(f.unread_only))
    .bind(before_at)
    .bind(before_id)
    .bind(f.limit)
    .fetch_all(pool)
    .await
}

/// One of `user_id`'s notifications (another user's id is not found).
pub async fn get(pool: &AnyPool, user_id: &str, id: &str) -> Result<Option<Notification>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM notifications WHERE id = $1 AND user_id = $2")))
        .bind(id)
        .bind(user_id)
        .fetch_optional(pool)
        .await
}

pub async fn by_id(pool: &AnyPool, id: &str) -> Result<Option<Notification>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM notifications WHERE id = $1")))
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// The header badge's count: one indexed COUNT over (user_id, read_at).
pub async fn unread_count(pool: &AnyPool, user_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL")
        .bind(user_id)
        .fetch_one(pool)
        .await
}

/// Marks one notification read (a read one keeps its first `read_at`); returns rows matched.
pub async fn mark_read(conn: &mut AnyConnection, user_id: &str, id: &str) -> Result<u64, sqlx::Error> {
    sqlx::query("UPDATE notifications SET read_at = COALESCE(read_at, $1) WHERE id = $2 AND user_id = $3")
        .bind(db::now_ms())
        .bind(id)
        .bind(user_id)
        .execute(&mut *conn)
        .await
        .map(|r| r.rows_affected())
}

/// Marks every unread notification of the user read; returns how many.
pub async fn mark_all_read(conn: &mut AnyConnection, user_id: &str) -> Result<u64, sqlx::Error> {
    sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
        .bind(db::now_ms())
        .bind(user_id)
        .execute(&mut *conn)
        .await
        .map(|r| r.rows_affected())
}

/// Users with notifications waiting for the digest.
pub async fn digest_users(pool: &AnyPool) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT DISTINCT user_id FROM notifications WHERE channel = 'digest' AND digested_at IS NULL ORDER BY user_id",
    )
    .fetch_all(pool)
    .await
}

/// A user's notifications waiting for the digest, oldest first.
pub async fn undigested(pool: &AnyPool, user_id: &str) -> Result<Vec<Notification>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM notifications WHERE user_id = $1 AND channel = 'digest' AND digested_at IS NULL \
         ORDER BY created_at, id"
    )))
    .bind(user_id)
    .fetch_all(pool)
    .await
}

pub async fn mark_digested(conn: &mut AnyConnection, id: &str, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE notifications SET digested_at = $1 WHERE id = $2 AND digested_at IS NULL")
        .bind(at)
        .bind(id)
        .execute(conn)
        .await
        .map(drop)
}
