//! The `courses`, `course_tags` and `categories` tables.

use lyceum_platform::db;
use sqlx::AnyConnection;

use crate::model::{Category, Course};

const COLUMNS: &str = "id, slug, title, summary, description_md, cover_key, category_id, level, language, \
     price_minor, currency, seat_limit, state, published_at, created_by, created_at, updated_at, enrolled_count";

/// Every column a create or an edit writes.
pub struct Fields<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub description_md: &'a str,
    pub category_id: Option<&'a str>,
    pub level: &'a str,
    pub language: &'a str,
    pub price_minor: i64,
    pub currency: Option<&'a str>,
    pub seat_limit: Option<i64>,
}

pub async fn by_id(conn: &mut AnyConnection, id: &str) -> Result<Option<Course>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM courses WHERE id = $1")))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// Several courses by id, in no particular order; unknown ids are left out.
pub async fn by_ids(conn: &mut AnyConnection, ids: &[String]) -> Result<Vec<Course>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut args = db::Args::default();
    let sql = format!("SELECT {COLUMNS} FROM courses WHERE id IN ({})", args.list(ids));
    args.query_as(sql).fetch_all(conn).await
}

/// The course at address `slug`, in any state (callers check the state).
pub async fn by_slug(conn: &mut AnyConnection, slug: &str) -> Result<Option<Course>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM courses WHERE slug = $1")))
        .bind(slug)
        .fetch_optional(conn)
        .await
}

pub async fn slug_taken(conn: &mut AnyConnection, slug: &str, except_id: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM courses WHERE slug = $1 AND id <> $2")
        .bind(slug)
        .bind(except_id)
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}

pub async fn insert(conn: &mut AnyConnection, id: &str, f: &Fields<'_>, created_by: &str) -> Result<(), sqlx::Error> {
    let now = db::now_ms();
    sqlx::query(
        "INSERT INTO courses (id, slug, title, summary, description_md, category_id, level, language, price_minor, \
         currency, seat_limit, state, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'draft', $12, $13, $13)",
    )
    .bind(id)
    .bind(f.slug)
    .bind(f.title)
    .bind(f.summary)
    .bind(f.description_md)
    .bind(f.category_id)
    .bind(f.level)
    .bind(f.language)
    .bind(f.price_minor)
    .bind(f.currency)
    .bind(f.seat_limit)
    .bind(created_by)
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn update(conn: &mut AnyConnection, id: &str, f: &Fields<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE courses SET slug = $2, title = $3, summary = $4, description_md = $5, category_id = $6, level = $7, \
         language = $8, price_minor = $9, currency = $10, seat_limit = $11, updated_at = $12 WHERE id = $1",
    )
    .bind(id)
    .bind(f.slug)
    .bind(f.title)
    .bind(f.summary)
    .bind(f.description_md)
    .bind(f.category_id)
    .bind(f.level)
    .bind(f.language)
    .bind(f.price_minor)
    .bind(f.currency)
    .bind(f.seat_limit)
    .bind(db::now_ms())
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn set_state(
    conn: &mut AnyConnection,
    id: &str,
    state: &str,
    published_at: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE courses SET state = $2, published_at = $3, updated_at = $4 WHERE id = $1")
        .bind(id)
        .bind(state)
        .bind(published_at)
        .bind(db::now_ms())
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn set_cover(conn: &mut AnyConnection, id: &str, key: Option<&str>) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE courses SET cover_key = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(key)
        .bind(db::now_ms())
        .execute(conn)
        .await
        .map(|_| ())
}

/// Marks a course changed (its outline was edited).
pub async fn touch(conn: &mut AnyConnection, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE courses SET updated_at = $2 WHERE id = $1").bind(id).bind(db::now_ms()).execute(conn).await?;
    Ok(())
}

pub async fn delete(conn: &mut AnyConnection, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM courses WHERE id = $1").bind(id).execute(conn).await.map(|_| ())
}

pub async fn tags(conn: &mut AnyConnection, id: &str) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT tag FROM course_tags WHERE course_id = $1 ORDER BY tag").bind(id).fetch_all(conn).await
}

pub async fn set_tags(conn: &mut AnyConnection, id: &str, tags: &[String]) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM course_tags WHERE course_id = $1").bind(id).execute(&mut *conn).await?;
    for tag in tags {
        sqlx::query("INSERT INTO course_tags (course_id, tag) VALUES ($1, $2)")
            .bind(id)
            .bind(tag)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Takes a seat if one is free: one conditional UPDATE, so concurrent
/// enrollments can never pass the limit (PostgreSQL re-checks the condition
/// on the locked row; SQLite runs one writer at a time). False when full.
pub async fn take_seat(conn: &mut AnyConnection, course_id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE courses SET enrolled_count = enrolled_count + 1 \
         WHERE id = $1 AND (seat_limit IS NULL OR enrolled_count < seat_limit)",
    )
    .bind(course_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Takes a seat whatever the limit (a learner who has paid is never refused).
pub async fn take_seat_past_limit(conn: &mut AnyConnection, course_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE courses SET enrolled_count = enrolled_count + 1 WHERE id = $1")
        .bind(course_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Gives a seat back (never below 0).
pub async fn give_back_seat(conn: &mut AnyConnection, course_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE courses SET enrolled_count = enrolled_count - 1 WHERE id = $1 AND enrolled_count > 0")
        .bind(course_id)
        .execute(conn)
        .await
        .map(|_| ())
}

pub struct ListFilter<'a> {
    /// Only courses this user teaches; `None` lists every course (admins).
    pub instructor: Option<&'a str>,
    /// Keyset cursor: courses created before (created_at, id).
    pub before: Option<(i64, &'a str)>,
    pub limit: i64,
}

/// Newest first, keyset-paginated.
pub async fn list(conn: &mut AnyConnection, f: ListFilter<'_>) -> Result<Vec<Course>, sqlx::Error> {
    let (before_at, before_id) = f.before.map(|(at, id)| (Some(at), Some(id))).unwrap_or((None, None));
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM courses c \
         WHERE ($1 IS NULL OR EXISTS (SELECT 1 FROM course_instructors i WHERE i.course_id = c.id AND i.user_id = $1)) \
           AND ($2 IS NULL OR created_at < $2 OR (created_at = $2 AND id < $3)) \
         ORDER BY created_at DESC, id DESC LIMIT $4"
    )))
    .bind(f.instructor)
    .bind(before_at)
    .bind(before_id)
    .bind(f.limit)
    .fetch_all(conn)
    .await
}

pub async fn categories(conn: &mut AnyConnection) -> Result<Vec<Category>, sqlx::Error> {
    sqlx::query_as("SELECT id, slug, name, position FROM categories ORDER BY position, name").fetch_all(conn).await
}
