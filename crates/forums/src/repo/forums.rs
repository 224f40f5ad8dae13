//! `forum_forums`: a course's forums.

use lyceum_platform::db;
use sqlx::AnyConnection;

use crate::model::{Forum, ForumKind};

const COLUMNS: &str = "id, course_id, kind, module_id, created_at";

pub async fn of_course(conn: &mut AnyConnection, course_id: &str) -> Result<Vec<Forum>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM forum_forums WHERE course_id = $1 ORDER BY created_at, id"
    )))
    .bind(course_id)
    .fetch_all(conn)
    .await
}

pub async fn by_id(conn: &mut AnyConnection, id: &str) -> Result<Option<Forum>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM forum_forums WHERE id = $1")))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// Creates the course's forum of `kind` (for `module_id` when a module's)
/// unless it exists. Another request creating it at the same moment wins
/// the unique index; that is not an error.
pub async fn create_missing(
    conn: &mut AnyConnection,
    course_id: &str,
    kind: ForumKind,
    module_id: Option<&str>,
) -> Result<(), sqlx::Error> {
    let inserted = sqlx::query(
        "INSERT INTO forum_forums (id, course_id, kind, module_id, created_at) \
         SELECT $1, $2, $3, $4, $5 WHERE NOT EXISTS (SELECT 1 FROM forum_forums WHERE course_id = $2 AND kind = $3 \
         AND (module_id = $4 OR (module_id IS NULL AND $4 IS NULL)))",
    )
    .bind(db::new_id())
    .bind(course_id)
    .bind(kind.as_str())
    .bind(module_id)
    .bind(db::now_ms())
    .execute(conn)
    .await;
    match inserted {
        Err(e) if db::is_unique_violation(&e) => Ok(()),
        other => other.map(|_| ()),
    }
}

/// Per forum of the course: live threads and the latest activity.
pub async fn activity(conn: &mut AnyConnection, course_id: &str) -> Result<Vec<(String, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT forum_id, COUNT(*), MAX(last_post_at) FROM forum_threads \
         WHERE course_id = $1 AND deleted_at IS NULL GROUP BY forum_id",
    )
    .bind(course_id)
    .fetch_all(conn)
    .await
}

/// Per forum of the course: threads with posts `user_id` has not read.
pub async fn unread_threads(
    conn: &mut AnyConnection,
    course_id: &str,
    user_id: &str,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT t.forum_id, COUNT(*) FROM forum_threads t \
         LEFT JOIN forum_reads r ON r.thread_id = t.id AND r.user_id = $2 \
         WHERE t.course_id = $1 AND t.deleted_at IS NULL AND t.last_seq > COALESCE(r.last_seq, 0) GROUP BY t.forum_id",
    )
    .bind(course_id)
    .bind(user_id)
    .fetch_all(conn)
    .await
}
