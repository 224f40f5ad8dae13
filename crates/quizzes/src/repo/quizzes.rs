//! The `quizzes` and `quiz_overrides` tables.

use lyceum_platform::db;
use sqlx::AnyConnection;

use crate::quiz::attempt::Override;

/// A quiz's row; `settings` and `slots` are JSON (see `quiz::settings`).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QuizRow {
    pub id: String,
    pub course_id: String,
    pub lesson_id: String,
    pub settings: String,
    pub slots: String,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, course_id, lesson_id, settings, slots, created_at, updated_at";

pub async fn insert(conn: &mut AnyConnection, row: &QuizRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO quizzes (id, course_id, lesson_id, settings, slots, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&row.id)
    .bind(&row.course_id)
    .bind(&row.lesson_id)
    .bind(&row.settings)
    .bind(&row.slots)
    .bind(row.created_at)
    .bind(row.updated_at)
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn by_id(conn: &mut AnyConnection, id: &str) -> Result<Option<QuizRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM quizzes WHERE id = $1")))
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn by_lesson(conn: &mut AnyConnection, lesson_id: &str) -> Result<Option<QuizRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM quizzes WHERE lesson_id = $1")))
        .bind(lesson_id)
        .fetch_optional(conn)
        .await
}

pub async fn of_course(conn: &mut AnyConnection, course_id: &str) -> Result<Vec<QuizRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM quizzes WHERE course_id = $1 ORDER BY created_at, id"
    )))
    .bind(course_id)
    .fetch_all(conn)
    .await
}

pub async fn update(conn: &mut AnyConnection, id: &str, settings: &str, slots: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE quizzes SET settings = $2, slots = $3, updated_at = $4 WHERE id = $1")
        .bind(id)
        .bind(settings)
        .bind(slots)
        .bind(db::now_ms())
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn override_of(
    conn: &mut AnyConnection,
    quiz_id: &str,
    user_id: &str,
) -> Result<Option<Override>, sqlx::Error> {
    sqlx::query_as(
        "SELECT close_at, time_limit_minutes, attempts_allowed FROM quiz_overrides WHERE quiz_id = $1 AND user_id = $2",
    )
    .bind(quiz_id)
    .bind(user_id)
    .fetch_optional(conn)
    .await
}

/// A learner's override with whom it is for.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OverrideRow {
    pub user_id: String,
    pub close_at: Option<i64>,
    pub time_limit_minutes: Option<i64>,
    pub attempts_allowed: Option<i64>,
    pub updated_at: i64,
}

pub async fn overrides(conn: &mut AnyConnection, quiz_id: &str) -> Result<Vec<OverrideRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT user_id, close_at, time_limit_minutes, attempts_allowed, updated_at FROM quiz_overrides \
         WHERE quiz_id = $1 ORDER BY updated_at, user_id",
    )
    .bind(quiz_id)
    .fetch_all(conn)
    .await
}

pub async fn set_override(
    conn: &mut AnyConnection,
    quiz_id: &str,
    user_id: &str,
    o: &Override,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO quiz_overrides (quiz_id, user_id, close_at, time_limit_minutes, attempts_allowed, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (quiz_id, user_id) DO UPDATE SET close_at = $3, \
         time_limit_minutes = $4, attempts_allowed = $5, updated_at = $6",
    )
    .bind(quiz_id)
    .bind(user_id)
    .bind(o.close_at)
    .bind(o.time_limit_minutes)
    .bind(o.attempts_allowed)
    .bind(db::now_ms())
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn delete_override(conn: &mut AnyConnection, quiz_id: &str, user_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM quiz_overrides WHERE quiz_id = $1 AND user_id = $2")
        .bind(quiz_id)
        .bind(user_id)
        .execute(conn)
        .await
        .map(|_| ())
}
