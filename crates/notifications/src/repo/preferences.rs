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

pub async fn one(conn: &mut AnyConnection, user_id: &str, kind: &str) -> Result<Option<Channel>, sqlx::Error> {
    let row: Option<String> =
        sqlx::query_scalar("SELECT channel FROM notification_preferences WHERE user_id = $1 AND kind = $2")
            .bind(user_id)
            .bind(kind)
            .fetch_optional(conn)
            .await?;
    Ok(row.as_deref().and_then(Channel::parse))
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
