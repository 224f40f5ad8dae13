use lyceum_platform::db;
use sqlx::{AnyConnection, AnyPool};

use std::sync::LazyLock;

use crate::model::{ApiToken, User};

pub async fn insert(
    conn: &mut AnyConnection,
    user_id: &str,
    name: &str,
    token_hash: &str,
    prefix: &str,
    expires_at: Option<i64>,
) -> Result<ApiToken, sqlx::Error> {
    let (id, now) = (db::new_id(), db::now_ms());
    sqlx::query(
        "INSERT INTO api_tokens (id, user_id, name, token_hash, prefix, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(name)
    .bind(token_hash)
    .bind(prefix)
    .bind(now)
    .bind(expires_at)
    .execute(&mut *conn)
    .await?;
    Ok(ApiToken { id, name: name.into(), prefix: prefix.into(), created_at: now, last_used_at: None, expires_at })
}

/// Live (unrevoked, unexpired) tokens of a user, newest first.
pub async fn list(pool: &AnyPool, user_id: &str) -> Result<Vec<ApiToken>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name, prefix, created_at, last_used_at, expires_at FROM api_tokens \
         WHERE user_id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2) \
         ORDER BY created_at DESC, id DESC",
    )
    .bind(user_id)
    .bind(db::now_ms())
    .fetch_all(pool)
    .await
}

/// Revokes a token only if it belongs to `user_id`; returns whether one was revoked.
pub async fn revoke(conn: &mut AnyConnection, user_id: &str, id: &str) -> Result<bool, sqlx::Error> {
    sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL")
        .bind(db::now_ms())
        .bind(id)
        .bind(user_id)
        .execute(&mut *conn)
        .await
        .map(|r| r.rows_affected() == 1)
}

pub async fn revoke_all(conn: &mut AnyConnection, user_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
        .bind(db::now_ms())
        .bind(user_id)
        .execute(conn)
        .await
        .map(|_| ())
}

#[derive(sqlx::FromRow)]
pub struct TokenOwner {
    pub token_id: String,
    pub last_used_at: Option<i64>,
    pub expires_at: Option<i64>,
    #[sqlx(flatten)]
    pub user: User,
}

/// The enabled user behind a live token, in one query.
pub async fn owner(pool: &AnyPool, token_hash: &str) -> Result<Option<TokenOwner>, sqlx::Error> {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        format!(
            "SELECT t.id AS token_id, t.last_used_at, t.expires_at, {} \
             FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $2) \
               AND u.disabled_at IS NULL",
            super::users::columns_of("u")
        )
    });
    sqlx::query_as(sqlx::AssertSqlSafe(SQL.as_str())).bind(token_hash).bind(db::now_ms()).fetch_optional(pool).await
}

pub async fn touch(conn: &mut AnyConnection, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
        .bind(db::now_ms())
        .bind(id)
        .execute(&mut *conn)
        .await
        .map(|_| ())
}

/// Deletes revoked and expired API tokens (they authenticate nothing and are
/// no longer listed); returns how many.
pub async fn purge_spent(conn: &mut AnyConnection, now: i64) -> Result<u64, sqlx::Error> {
    sqlx::query("DELETE FROM api_tokens WHERE revoked_at IS NOT NULL OR expires_at <= $1")
        .bind(now)
        .execute(&mut *conn)
        .await
        .map(|r| r.rows_affected())
}
