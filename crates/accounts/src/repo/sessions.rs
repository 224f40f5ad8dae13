use lyceum_platform::db;
use sqlx::{AnyConnection, AnyPool};

use std::sync::LazyLock;

use super::users;
use crate::model::User;

pub async fn insert(
    conn: &mut AnyConnection,
    id_hash: &str,
    user_id: &str,
    expires_at: i64,
    user_agent: &str,
    ip: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sessions (id_hash, public_id, user_id, created_at, expires_at, user_agent, ip) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id_hash)
    .bind(db::new_id())
    .bind(user_id)
    .bind(db::now_ms())
    .bind(expires_at)
    .bind(user_agent)
    .bind(ip)
    .execute(&mut *conn)
    .await
    .map(|_| ())
}

/// The user behind a live session of an enabled account, in one query.
pub async fn user_for(pool: &AnyPool, id_hash: &str) -> Result<Option<User>, sqlx::Error> {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        format!(
            "SELECT {} FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.id_hash = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL",
            users::columns_of("u")
        )
    });
    sqlx::query_as(sqlx::AssertSqlSafe(SQL.as_str())).bind(id_hash).bind(db::now_ms()).fetch_optional(pool).await
}

pub async fn delete(conn: &mut AnyConnection, id_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(id_hash).execute(&mut *conn).await.map(|_| ())
}

/// Ends every session of a user except `keep` (the one making the request, if any).
pub async fn delete_for_user(conn: &mut AnyConnection, user_id: &str, keep: Option<&str>) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND ($2 IS NULL OR id_hash <> $2)")
        .bind(user_id)
        .bind(keep)
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn purge_expired(conn: &mut AnyConnection) -> Result<u64, sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(db::now_ms())
        .execute(&mut *conn)
        .await
        .map(|r| r.rows_affected())
}

/// A signed-in browser, as its owner sees it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub public_id: String,
    pub id_hash: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub user_agent: String,
    pub ip: String,
}

/// A user's live sessions, newest first.
pub async fn list_for_user(pool: &AnyPool, user_id: &str) -> Result<Vec<SessionRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT public_id, id_hash, created_at, expires_at, user_agent, ip FROM sessions \
         WHERE user_id = $1 AND expires_at > $2 ORDER BY created_at DESC, public_id DESC",
    )
    .bind(user_id)
    .bind(db::now_ms())
    .fetch_all(pool)
    .await
}

/// Ends one session, only if it belongs to `user_id`; returns whether one ended.
pub async fn delete_public(conn: &mut AnyConnection, user_id: &str, public_id: &str) -> Result<bool, sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE public_id = $1 AND user_id = $2")
        .bind(public_id)
        .bind(user_id)
        .execute(&mut *conn)
        .await
        .map(|r| r.rows_affected() == 1)
}
