//! The `course_modules` and `lessons` tables.

use lyceum_platform::db;
use sqlx::AnyConnection;

use crate::model::{Lesson, LessonRef, Module};

const MODULE_COLUMNS: &str = "id, course_id, title, position";
const LESSON_COLUMNS: &str = "id, module_id, course_id, title, kind, body_md, video_url, media_key, media_type, \
     media_size, file_name, duration_minutes, is_preview, position, created_at, updated_at, activity";

pub async fn module(conn: &mut AnyConnection, id: &str) -> Result<Option<Module>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {MODULE_COLUMNS} FROM course_modules WHERE id = $1")))
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn modules(conn: &mut AnyConnection, course_id: &str) -> Result<Vec<Module>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {MODULE_COLUMNS} FROM course_modules WHERE course_id = $1 ORDER BY position, id"
    )))
    .bind(course_id)
    .fetch_all(conn)
    .await
}

/// Every lesson of a course, by module position then lesson position (one query for the outline).
pub async fn lessons_of_course(conn: &mut AnyConnection, course_id: &str) -> Result<Vec<Lesson>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {LESSON_COLUMNS} FROM lessons WHERE course_id = $1 ORDER BY position, id"
    )))
    .bind(course_id)
    .fetch_all(conn)
    .await
}

/// The lessons of several courses in outline order (module position, then
/// lesson position), without their bodies: one query for progress summaries
/// of a page of courses. An empty `course_ids` reads nothing.
pub async fn lesson_refs(conn: &mut AnyConnection, course_ids: &[String]) -> Result<Vec<LessonRef>, sqlx::Error> {
    if course_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut args = db::Args::default();
    let sql = format!(
        "SELECT l.id, l.course_id, l.module_id, l.title, l.kind FROM lessons l \
         JOIN course_modules m ON m.id = l.module_id WHERE l.course_id IN ({}) \
         ORDER BY l.course_id, m.position, m.id, l.position, l.id",
        args.list(course_ids)
    );
    args.query_as(sql).fetch_all(conn).await
}

pub async fn lesson_ids_of_module(conn: &mut AnyConnection, module_id: &str) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM lessons WHERE module_id = $1 ORDER BY position, id")
        .bind(module_id)
        .fetch_all(conn)
        .await
}

pub async fn lesson(conn: &mut AnyConnection, id: &str) -> Result<Option<Lesson>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {LESSON_COLUMNS} FROM lessons WHERE id = $1")))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// The lessons with these ids (any course); missing ones are left out.
pub async fn lessons_by_ids(conn: &mut AnyConnection, ids: &[String]) -> Result<Vec<Lesson>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut args = db::Args::default();
    let sql = format!("SELECT {LESSON_COLUMNS} FROM lessons WHERE id IN ({})", args.list(ids));
    args.query_as(sql).fetch_all(conn).await
}

pub async fn lesson_count(conn: &mut AnyConnection, course_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM lessons WHERE course_id = $1").bind(course_id).fetch_one(conn).await
}

/// Moves a lesson to the end of another module (of the same course: the caller checks).
pub async fn move_lesson_to(conn: &mut AnyConnection, id: &str, module_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE lessons SET module_id = $2, \
         position = (SELECT COALESCE(MAX(position), 0) + 1 FROM lessons WHERE module_id = $2), updated_at = $3 \
         WHERE id = $1",
    )
    .bind(id)
    .bind(module_id)
    .bind(db::now_ms())
    .execute(conn)
    .await
    .map(|_| ())
}

/// Titles of the lessons that have nothing to show yet: video lessons with
/// neither a file nor an address, file lessons without a file (outline order).
pub async fn empty_media_lessons(conn: &mut AnyConnection, course_id: &str) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT l.title FROM lessons l JOIN course_modules m ON m.id = l.module_id WHERE l.course_id = $1 AND l.media_key IS NULL \
         AND (l.kind = 'file' OR (l.kind = 'video' AND (l.video_url IS NULL OR l.video_url = ''))) \
         ORDER BY m.position, l.position",
    )
    .bind(course_id)
    .fetch_all(conn)
    .await
}

pub async fn insert_module(
    conn: &mut AnyConnection,
    id: &str,
    course_id: &str,
    title: &str,
) -> Result<(), sqlx::Error> {
    let now = db::now_ms();
    sqlx::query(
        "INSERT INTO course_modules (id, course_id, title, position, created_at, updated_at) \
         VALUES ($1, $2, $3, (SELECT COALESCE(MAX(position), 0) + 1 FROM course_modules WHERE course_id = $2), $4, $4)",
    )
    .bind(id)
    .bind(course_id)
    .bind(title)
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn rename_module(conn: &mut AnyConnection, id: &str, title: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE course_modules SET title = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(title)
        .bind(db::now_ms())
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn delete_module(conn: &mut AnyConnection, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM course_modules WHERE id = $1").bind(id).execute(conn).await.map(|_| ())
}

/// Rewrites positions 1..n in the order given (the caller holds the transaction
/// and has checked the ids are exactly the set being ordered).
pub async fn set_positions(conn: &mut AnyConnection, table: Table, ids: &[String]) -> Result<(), sqlx::Error> {
    let sql = match table {
        Table::Modules => "UPDATE course_modules SET position = $2 WHERE id = $1",
        Table::Lessons => "UPDATE lessons SET position = $2 WHERE id = $1",
    };
    for (i, id) in ids.iter().enumerate() {
        sqlx::query(sql).bind(id).bind(i as i64 + 1).execute(&mut *conn).await?;
    }
    Ok(())
}

#[derive(Clone, Copy)]
pub enum Table {
    Modules,
    Lessons,
}

/// What a lesson edit writes (media has its own setter).
pub struct LessonFields<'a> {
    pub title: &'a str,
    pub kind: &'a str,
    pub body_md: &'a str,
    pub video_url: Option<&'a str>,
    pub duration_minutes: i64,
    pub is_preview: bool,
}

pub async fn insert_lesson(
    conn: &mut AnyConnection,
    id: &str,
    module: &Module,
    f: &LessonFields<'_>,
) -> Result<(), sqlx::Error> {
    let now = db::now_ms();
    sqlx::query(
        "INSERT INTO lessons (id, module_id, course_id, title, kind, body_md, video_url, duration_minutes, is_preview, \
         position, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, \
         (SELECT COALESCE(MAX(position), 0) + 1 FROM lessons WHERE module_id = $2), $10, $10)",
    )
    .bind(id)
    .bind(&module.id)
    .bind(&module.course_id)
    .bind(f.title)
    .bind(f.kind)
    .bind(f.body_md)
    .bind(f.video_url)
    .bind(f.duration_minutes)
    .bind(i64::from(f.is_preview))
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Marks a lesson as completed by another module's activity (`"quiz"`, `"assignment"`).
pub async fn set_activity(conn: &mut AnyConnection, id: &str, activity: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE lessons SET activity = $2 WHERE id = $1")
        .bind(id)
        .bind(activity)
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn update_lesson(conn: &mut AnyConnection, id: &str, f: &LessonFields<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE lessons SET title = $2, kind = $3, body_md = $4, video_url = $5, duration_minutes = $6, \
         is_preview = $7, updated_at = $8 WHERE id = $1",
    )
    .bind(id)
    .bind(f.title)
    .bind(f.kind)
    .bind(f.body_md)
    .bind(f.video_url)
    .bind(f.duration_minutes)
    .bind(i64::from(f.is_preview))
    .bind(db::now_ms())
    .execute(conn)
    .await
    .map(|_| ())
}

pub struct Media<'a> {
    pub key: &'a str,
    pub content_type: &'a str,
    pub size: i64,
    pub file_name: &'a str,
    /// The lesson's kind with this file (a text lesson becomes a video lesson).
    pub kind: &'a str,
    /// A video's length read from the file: the lesson's duration when it has none.
    pub duration_minutes: Option<i64>,
}

pub async fn set_media(conn: &mut AnyConnection, id: &str, m: Option<&Media<'_>>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE lessons SET media_key = $2, media_type = $3, media_size = $4, file_name = $5, updated_at = $6, \
         duration_minutes = CASE WHEN duration_minutes = 0 THEN COALESCE($7, 0) ELSE duration_minutes END, \
         kind = COALESCE($8, kind) WHERE id = $1",
    )
    .bind(id)
    .bind(m.map(|m| m.key))
    .bind(m.map(|m| m.content_type))
    .bind(m.map(|m| m.size))
    .bind(m.map(|m| m.file_name))
    .bind(db::now_ms())
    .bind(m.and_then(|m| m.duration_minutes))
    .bind(m.map(|m| m.kind))
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn delete_lesson(conn: &mut AnyConnection, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM lessons WHERE id = $1").bind(id).execute(conn).await.map(|_| ())
}

/// Storage keys of every media file of a course (to delete the files after the rows).
pub async fn media_keys_of_course(conn: &mut AnyConnection, course_id: &str) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT media_key FROM lessons WHERE course_id = $1 AND media_key IS NOT NULL")
        .bind(course_id)
        .fetch_all(conn)
        .await
}

pub async fn media_keys_of_module(conn: &mut AnyConnection, module_id: &str) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT media_key FROM lessons WHERE module_id = $1 AND media_key IS NOT NULL")
        .bind(module_id)
        .fetch_all(conn)
        .await
}
