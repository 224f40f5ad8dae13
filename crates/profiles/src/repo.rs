//! SQL for the profiles table.

use lyceum_platform::db;
use sqlx::AnyConnection;

#[derive(Debug, sqlx::FromRow)]
pub struct Row {
    pub bio: String,
    pub avatar_key: Option<String>,
}

pub async fn get<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    conn: E,
    user_id: &str,
) -> Result<Option<Row>, sqlx::Error> {
    sqlx::query_as("SELECT bio, avatar_key FROM profiles WHERE user_id = $1").bind(user_id).fetch_optional(conn).await
}

pub async fn set_bio(conn: &mut AnyConnection, user_id: &str, bio: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO profiles (user_id, bio, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id) DO UPDATE SET bio = excluded.bio, updated_at = excluded.updated_at",
    )
    .bind(user_id)
    .bind(bio)
    .bind(db::now_ms())
    .execute(&mut *conn)
    .await
    .map(|_| ())
}

/// Sets (or clears) the avatar key and returns the previous one, to delete its file.
pub async fn set_avatar(
    conn: &mut AnyConnection,
    user_id: &str,
    key: Option<&str>,
) -> Result<Option<String>, sqlx::Error> {
    let previous = get(&mut *conn, user_id).await?.and_then(|r| r.avatar_key);
    sqlx::query(
        "INSERT INTO profiles (user_id, avatar_key, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id) DO UPDATE SET avatar_key = excluded.avatar_key, updated_at = excluded.updated_at",
    )
    .bind(user_id)
    .bind(key)
    .bind(db::now_ms())
    .execute(&mut *conn)
    .await?;
    Ok(previous)
}
