//! The `certificates` table.

use lyceum_platform::db::Args;
use sqlx::AnyConnection;

use crate::model::Certificate;

const COLUMNS: &str = "id, code, user_id, course_id, learner_name, course_title, issued_at";

pub struct NewCertificate<'a> {
    pub id: &'a str,
    pub code: &'a str,
    pub user_id: &'a str,
    pub course_id: &'a str,
    pub learner_name: &'a str,
    pub course_title: &'a str,
    pub issued_at: i64,
}

/// Inserts unless the learner already has this course's certificate; true when inserted.
pub async fn insert_once(conn: &mut AnyConnection, c: &NewCertificate<'_>) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO certificates (id, code, user_id, course_id, learner_name, course_title, issued_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (user_id, course_id) DO NOTHING",
    )
    .bind(c.id)
    .bind(c.code)
    .bind(c.user_id)
    .bind(c.course_id)
    .bind(c.learner_name)
    .bind(c.course_title)
    .bind(c.issued_at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn by_code(conn: &mut AnyConnection, code: &str) -> Result<Option<Certificate>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM certificates WHERE code = $1")))
        .bind(code)
        .fetch_optional(conn)
        .await
}

pub async fn of_user_course(
    conn: &mut AnyConnection,
    user_id: &str,
    course_id: &str,
) -> Result<Option<Certificate>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM certificates WHERE user_id = $1 AND course_id = $2"
    )))
    .bind(user_id)
    .bind(course_id)
    .fetch_optional(conn)
    .await
}

/// One learner's certificates, newest first, keyset-paginated on (issued_at, id).
pub async fn of_user(
    conn: &mut AnyConnection,
    user_id: &str,
    before: Option<(i64, &str)>,
    limit: i64,
) -> Result<Vec<Certificate>, sqlx::Error> {
    let (at, id) = before.map(|(at, id)| (Some(at), Some(id))).unwrap_or((None, None));
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM certificates WHERE user_id = $1 \
         AND ($2 IS NULL OR issued_at < $2 OR (issued_at = $2 AND id < $3)) \
         ORDER BY issued_at DESC, id DESC LIMIT $4"
    )))
    .bind(user_id)
    .bind(at)
    .bind(id)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// One learner's certificates for several courses (the "my courses" page).
pub async fn of_user_courses(
    conn: &mut AnyConnection,
    user_id: &str,
    course_ids: &[String],
) -> Result<Vec<Certificate>, sqlx::Error> {
    if course_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut args = Args::default();
    let sql = format!(
        "SELECT {COLUMNS} FROM certificates WHERE user_id = {} AND course_id IN ({})",
        args.text(user_id),
        args.list(course_ids)
    );
    args.query_as(sql).fetch_all(conn).await
}
