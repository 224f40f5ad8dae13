//! The `assignment_rubrics` table: a course's grading definitions — rubrics,
//! marking guides and scales, told apart by `kind`. Every read names the
//! kind, so one kind's id is not found as another's.

use lyceum_platform::db;
use sqlx::AnyConnection;

/// A definition's row; `criteria` is JSON (see `rubric`, `guide`, `scale`).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RubricRow {
    pub id: String,
    pub course_id: String,
    pub title: String,
    pub criteria: String,
}

const COLUMNS: &str = "id, course_id, title, criteria";

pub async fn insert(
    conn: &mut AnyConnection,
    kind: &str,
    course_id: &str,
    title: &str,
    criteria: &str,
) -> Result<String, sqlx::Error> {
    let id = db::new_id();
    let now = db::now_ms();
    sqlx::query(
        "INSERT INTO assignment_rubrics (id, course_id, title, criteria, kind, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(&id)
    .bind(course_id)
    .bind(title)
    .bind(criteria)
    .bind(kind)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(id)
}

pub async fn by_id(conn: &mut AnyConnection, kind: &str, id: &str) -> Result<Option<RubricRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM assignment_rubrics WHERE id = $1 AND kind = $2")))
        .bind(id)
        .bind(kind)
        .fetch_optional(conn)
        .await
}

pub async fn of_course(conn: &mut AnyConnection, kind: &str, course_id: &str) -> Result<Vec<RubricRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM assignment_rubrics WHERE course_id = $1 AND kind = $2 ORDER BY created_at, id"
    )))
    .bind(course_id)
    .bind(kind)
    .fetch_all(conn)
    .await
}

pub async fn update(conn: &mut AnyConnection, id: &str, title: &str, criteria: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE assignment_rubrics SET title = $2, criteria = $3, updated_at = $4 WHERE id = $1")
        .bind(id)
        .bind(title)
        .bind(criteria)
        .bind(db::now_ms())
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn delete(conn: &mut AnyConnection, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM assignment_rubrics WHERE id = $1").bind(id).execute(conn).await.map(|_| ())
}
