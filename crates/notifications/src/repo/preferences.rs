//! The `notification_preferences` table: only choices that differ from a kind's default.

use std::collections::HashMap;

use lyceum_platform::db;
use sqlx::{AnyConnection, AnyPool};

use crate::model::Channel;

/// The user's stored choices, kind id → channel (unknown channel text is skipped).
pub async fn for_user(pool: &AnyPool, user_id: &str) -> Result<HashMap<String, Channel>, sqlx::Error> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT kind, channel FROM notification_preferences WHERE user_id = $1")
            .bind(user_id)
            .fetch_all(pool)
            .await?;
    Ok(rows.into_iter().filter_map(|(kind, channel)| Some((kind, Channel::parse(&channel)?))).collect())
}

/// The stored choices of each of `user_ids` for `kind`, user id → channel
/// (users who kept the default are absent).
pub async fn for_users(
    conn: &mut AnyConnection,
    user_ids: &[&str],
    kind: &str,
) -> Result<HashMap<String, Channel>, sqlx::Error> {
    let mut args = db::Args::default();
    let kind = args.text(kind);
    let users = args.list(user_ids);
    let rows: Vec<(String, String)> = args
        .query_as(format!(
            "SELECT user_id, channel FROM notification_preferences WHERE kind = {kind} AND user_id IN ({users})"
        ))
        .fetch_all(conn)
        .await?;
    Ok(rows.into_iter().filter_map(|(user, channel)| Some((user, Channel::parse(&channel)?))).collect())
}

pub async fn set(conn: &mut AnyConnection, user_id: &str, kind: &str, channel: Channel) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO notification_preferences (user_id, kind, channel, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id, kind) DO UPDATE SET channel = excluded.channel, updated_at = excluded.updated_at",
    )
    .bind(user_id)
    .bind(kind)
    .bind(channel.as_str())
    .bind(db::now_ms())
    .execute(conn)
    .await
    .map(drop)
}

/// Back to the kind's default.
pub async fn clear(conn: &mut AnyConnection, user_id: &str, kind: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM notification_preferences WHERE user_id = $1 AND kind = $2")
        .bind(user_id)
        .bind(kind)
        .execute(conn)
        .await
        .map(drop)
}
