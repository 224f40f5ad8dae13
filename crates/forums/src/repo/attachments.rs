//! `forum_attachments`: the files of a post.

use lyceum_platform::db::Args;
use sqlx::AnyConnection;

const COLUMNS: &str = "id, post_id, course_id, uploader_id, name, content_type, size, storage_key, created_at";

/// A file attached to a post.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct AttachmentRow {
    pub id: String,
    pub post_id: String,
    pub course_id: String,
    pub uploader_id: String,
    /// The client's file name, cleaned (shown and offered on download).
    pub name: String,
    pub content_type: String,
    pub size: i64,
    #[serde(skip)]
    pub storage_key: String,
    pub created_at: i64,
}

pub async fn insert(conn: &mut AnyConnection, row: &AttachmentRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO forum_attachments (id, post_id, course_id, uploader_id, name, content_type, size, storage_key, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&row.id)
    .bind(&row.post_id)
    .bind(&row.course_id)
    .bind(&row.uploader_id)
    .bind(&row.name)
    .bind(&row.content_type)
    .bind(row.size)
    .bind(&row.storage_key)
    .bind(row.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn by_id(conn: &mut AnyConnection, id: &str) -> Result<Option<AttachmentRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM forum_attachments WHERE id = $1")))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// The files of these posts, oldest first.
pub async fn of_posts(conn: &mut AnyConnection, post_ids: &[String]) -> Result<Vec<AttachmentRow>, sqlx::Error> {
    if post_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut args = Args::default();
    let list = args.list(post_ids);
    args.query_as(format!("SELECT {COLUMNS} FROM forum_attachments WHERE post_id IN ({list}) ORDER BY created_at, id"))
        .fetch_all(conn)
        .await
}

pub async fn count(conn: &mut AnyConnection, post_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM forum_attachments WHERE post_id = $1").bind(post_id).fetch_one(conn).await
}

/// Takes the post's row lock, so two uploads racing for its last place
/// queue and the second counts the first.
pub async fn lock_post(conn: &mut AnyConnection, post_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE forum_posts SET helpful_count = helpful_count WHERE id = $1")
        .bind(post_id)
        .execute(conn)
        .await?;
    Ok(())
}
