//! The `notification_unsubscribe_tokens` table: hashes of one-click unsubscribe tokens.

use lyceum_platform::db;
use sqlx::{AnyConnection, AnyPool};

pub async fn insert(conn: &mut AnyConnection, token_hash: &str, user_id: &str, scope: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO notification_unsubscribe_tokens (token_hash, user_id, scope, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(scope)
    .bind(db::now_ms())
    .execute(conn)
    .await
    .map(drop)
}

/// (user id, scope) of a token, by its hash.
pub async fn find(pool: &AnyPool, token_hash: &str) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT user_id, scope FROM notification_unsubscribe_tokens WHERE token_hash = $1")
        .bind(token_hash)
        .fetch_optional(pool)
        .await
}
