//! The `question_categories` table.

use lyceum_platform::db;
use sqlx::AnyConnection;

use crate::model::{Category, CategoryCount};

const COLUMNS: &str = "id, course_id, parent_id, name, position, created_at";

pub async fn by_id(conn: &mut AnyConnection, id: &str) -> Result<Option<Category>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM question_categories WHERE id = $1")))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// The category named `name` under `parent_id` (None: top level).
pub async fn named(
    conn: &mut AnyConnection,
    course_id: &str,
    parent_id: Option<&str>,
    name: &str,
) -> Result<Option<Category>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM question_categories \
         WHERE course_id = $1 AND COALESCE(parent_id, '') = COALESCE($2, '') AND name = $3"
    )))
    .bind(course_id)
    .bind(parent_id)
    .bind(name)
    .fetch_optional(conn)
    .await
}

/// A course's categories with their live question counts, in tree order's
/// raw material (position, then name); the service nests them.
pub async fn of_course(conn: &mut AnyConnection, course_id: &str) -> Result<Vec<CategoryCount>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.id, c.parent_id, c.name, c.position, \
           (SELECT COUNT(*) FROM questions q WHERE q.category_id = c.id AND q.deleted_at IS NULL) AS questions \
         FROM question_categories c WHERE c.course_id = $1 ORDER BY c.position, c.name, c.id",
    )
    .bind(course_id)
    .fetch_all(conn)
    .await
}

/// Inserts a category unless one of that name exists under the same parent
/// (the unique index decides); returns the one that is there either way.
pub async fn ensure(
    conn: &mut AnyConnection,
    course_id: &str,
    parent_id: Option<&str>,
    name: &str,
) -> Result<Category, sqlx::Error> {
    sqlx::query(
        "INSERT INTO question_categories (id, course_id, parent_id, name, position, created_at) \
         VALUES ($1, $2, $3, $4, 0, $5) ON CONFLICT DO NOTHING",
    )
    .bind(db::new_id())
    .bind(course_id)
    .bind(parent_id)
    .bind(name)
    .bind(db::now_ms())
    .execute(&mut *conn)
    .await?;
    named(conn, course_id, parent_id, name).await?.ok_or(sqlx::Error::RowNotFound)
}

pub async fn insert(
    conn: &mut AnyConnection,
    course_id: &str,
    parent_id: Option<&str>,
    name: &str,
) -> Result<String, sqlx::Error> {
    let id = db::new_id();
    sqlx::query(
        "INSERT INTO question_categories (id, course_id, parent_id, name, position, created_at) \
         VALUES ($1, $2, $3, $4, 0, $5)",
    )
    .bind(&id)
    .bind(course_id)
    .bind(parent_id)
    .bind(name)
    .bind(db::now_ms())
    .execute(conn)
    .await?;
    Ok(id)
}

pub async fn update(
    conn: &mut AnyConnection,
    id: &str,
    parent_id: Option<&str>,
    name: &str,
    position: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE question_categories SET parent_id = $2, name = $3, position = $4 WHERE id = $1")
        .bind(id)
        .bind(parent_id)
        .bind(name)
        .bind(position)
        .execute(conn)
        .await?;
    Ok(())
}

/// Live questions and child categories in the category: it may be deleted when both are 0.
pub async fn contents(conn: &mut AnyConnection, id: &str) -> Result<(i64, i64), sqlx::Error> {
    let questions: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM questions WHERE category_id = $1 AND deleted_at IS NULL")
            .bind(id)
            .fetch_one(&mut *conn)
            .await?;
    let children: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM question_categories WHERE parent_id = $1")
        .bind(id)
        .fetch_one(conn)
        .await?;
    Ok((questions, children))
}

pub async fn delete(conn: &mut AnyConnection, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM question_categories WHERE id = $1").bind(id).execute(conn).await?;
    Ok(())
}
