//! The `assignment_attachments` table: files the staff attach to an
//! assignment's instructions.

use sqlx::AnyConnection;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttachmentRow {
    pub id: String,
    pub assignment_id: String,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub storage_key: String,
    pub created_at: i64,
}

impl AttachmentRow {
    /// The row of a file just stored for `assignment_id`'s instructions.
    pub(crate) fn of(file: &crate::service::files::Stored, assignment_id: &str) -> Self {
        Self {
            id: file.id.clone(),
            assignment_id: assignment_id.to_string(),
            name: file.name.clone(),
            content_type: file.content_type.clone(),
            size: file.size,
            storage_key: file.storage_key.clone(),
            created_at: file.created_at,
        }
    }
}

const COLUMNS: &str = "id, assignment_id, name, content_type, size, storage_key, created_at";

pub async fn insert(conn: &mut AnyConnection, a: &AttachmentRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO assignment_attachments (id, assignment_id, name, content_type, size, storage_key, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&a.id)
    .bind(&a.assignment_id)
    .bind(&a.name)
    .bind(&a.content_type)
    .bind(a.size)
    .bind(&a.storage_key)
    .bind(a.created_at)
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn of_assignment(conn: &mut AnyConnection, assignment_id: &str) -> Result<Vec<AttachmentRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM assignment_attachments WHERE assignment_id = $1 ORDER BY created_at, id"
    )))
    .bind(assignment_id)
    .fetch_all(conn)
    .await
}

pub async fn count(conn: &mut AnyConnection, assignment_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM assignment_attachments WHERE assignment_id = $1")
        .bind(assignment_id)
        .fetch_one(conn)
        .await
}

pub async fn get(
    conn: &mut AnyConnection,
    assignment_id: &str,
    id: &str,
) -> Result<Option<AttachmentRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM assignment_attachments WHERE assignment_id = $1 AND id = $2"
    )))
    .bind(assignment_id)
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Deletes an attachment's row; its storage key when there was one.
pub async fn delete(conn: &mut AnyConnection, assignment_id: &str, id: &str) -> Result<Option<String>, sqlx::Error> {
    let key = get(conn, assignment_id, id).await?.map(|a| a.storage_key);
    sqlx::query("DELETE FROM assignment_attachments WHERE assignment_id = $1 AND id = $2")
        .bind(assignment_id)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(key)
}

/// Takes the assignment's row lock (touching it: its instructions'
/// files changed), so the count of its attachments read next is not raced.
pub async fn lock_assignment(conn: &mut AnyConnection, assignment_id: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE assignments SET updated_at = $2 WHERE id = $1")
        .bind(assignment_id)
        .bind(now)
        .execute(conn)
        .await
        .map(|_| ())
}
