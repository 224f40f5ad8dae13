//! The `lesson_progress` and `course_progress` tables.

use sqlx::AnyConnection;

use crate::model::{CourseProgress, LessonProgress};
use lyceum_platform::db::Args;

/// Records activity in a course (and takes the row's lock on PostgreSQL, which
/// serialises one learner's progress writes in one course: see the migration).
pub async fn touch_course(
    conn: &mut AnyConnection,
    user_id: &str,
    course_id: &str,
    lesson_id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO course_progress (user_id, course_id, last_lesson_id, last_activity_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id, course_id) DO UPDATE SET last_lesson_id = $3, last_activity_at = $4",
    )
    .bind(user_id)
    .bind(course_id)
    .bind(lesson_id)
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Sets completion (`Some(true)` keeps an earlier completion time) and/or the position.
pub async fn upsert_lesson(
    conn: &mut AnyConnection,
    user_id: &str,
    lesson_id: &str,
    course_id: &str,
    completed: Option<bool>,
    position_seconds: Option<i64>,
    now: i64,
) -> Result<(), sqlx::Error> {
    // $4: 1 complete, 0 incomplete, NULL unchanged; $5: position or NULL for unchanged.
    sqlx::query(
        "INSERT INTO lesson_progress (user_id, lesson_id, course_id, completed_at, position_seconds, updated_at) \
         VALUES ($1, $2, $3, CASE WHEN $4 = 1 THEN $6 ELSE NULL END, COALESCE($5, 0), $6) \
         ON CONFLICT (user_id, lesson_id) DO UPDATE SET \
           completed_at = CASE WHEN $4 IS NULL THEN lesson_progress.completed_at \
                               WHEN $4 = 1 THEN COALESCE(lesson_progress.completed_at, $6) ELSE NULL END, \
           position_seconds = COALESCE($5, lesson_progress.position_seconds), updated_at = $6",
    )
    .bind(user_id)
    .bind(lesson_id)
    .bind(course_id)
    .bind(completed.map(i64::from))
    .bind(position_seconds)
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ())
}

/// One learner's progress in one course in one query: the course row (if
/// any) and every lesson row. The two tables' rows come back as one result
/// (`kind` 1 is the course row), so a lesson view pays one round trip.
pub async fn of_course(
    conn: &mut AnyConnection,
    user_id: &str,
    course_id: &str,
) -> Result<(Option<CourseProgress>, Vec<LessonProgress>), sqlx::Error> {
    // (kind, lesson id or last lesson id, completed_at, position, updated_at or last activity)
    type Row = (i64, Option<String>, Option<i64>, i64, i64);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT CAST(0 AS BIGINT), lesson_id, completed_at, position_seconds, updated_at FROM lesson_progress \
         WHERE user_id = $1 AND course_id = $2 \
         UNION ALL \
         SELECT CAST(1 AS BIGINT), last_lesson_id, completed_at, CAST(0 AS BIGINT), last_activity_at \
         FROM course_progress WHERE user_id = $1 AND course_id = $2",
    )
    .bind(user_id)
    .bind(course_id)
    .fetch_all(conn)
    .await?;
    let mut course = None;
    let mut lessons = Vec::with_capacity(rows.len());
    for (kind, id, completed_at, position_seconds, at) in rows {
        if kind == 1 {
            let (course_id, last_lesson_id) = (course_id.to_string(), id);
            course = Some(CourseProgress { course_id, last_lesson_id, last_activity_at: at, completed_at });
        } else if let Some(lesson_id) = id {
            lessons.push(LessonProgress { lesson_id, completed_at, position_seconds, updated_at: at });
        }
    }
    Ok((course, lessons))
}

/// (course_id, lesson_id) of one learner's completed lessons in several courses.
pub async fn completed_in(
    conn: &mut AnyConnection,
    user_id: &str,
    course_ids: &[String],
) -> Result<Vec<(String, String)>, sqlx::Error> {
    if course_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut args = Args::default();
    let sql = format!(
        "SELECT course_id, lesson_id FROM lesson_progress WHERE user_id = {} AND completed_at IS NOT NULL \
         AND course_id IN ({})",
        args.text(user_id),
        args.list(course_ids)
    );
    args.query_as(sql).fetch_all(conn).await
}

/// One learner's course rows for several courses.
pub async fn courses(
    conn: &mut AnyConnection,
    user_id: &str,
    course_ids: &[String],
) -> Result<Vec<CourseProgress>, sqlx::Error> {
    if course_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut args = Args::default();
    let sql = format!(
        "SELECT course_id, last_lesson_id, last_activity_at, completed_at FROM course_progress \
         WHERE user_id = {} AND course_id IN ({})",
        args.text(user_id),
        args.list(course_ids)
    );
    args.query_as(sql).fetch_all(conn).await
}

/// Several learners' course-level progress in one course: `(user_id,
/// last_activity_at, completed_at)` for those who have a row.
pub async fn course_rows_of_users(
    conn: &mut AnyConnection,
    course_id: &str,
    user_ids: &[String],
) -> Result<Vec<(String, i64, Option<i64>)>, sqlx::Error> {
    if user_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut args = Args::default();
    let sql = format!(
        "SELECT user_id, last_activity_at, completed_at FROM course_progress \
         WHERE course_id = {} AND user_id IN ({})",
        args.text(course_id),
        args.list(user_ids)
    );
    args.query_as(sql).fetch_all(conn).await
}

/// Marks the course complete once (an earlier completion time is kept).
pub async fn set_course_completed(
    conn: &mut AnyConnection,
    user_id: &str,
    course_id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE course_progress SET completed_at = COALESCE(completed_at, $3) WHERE user_id = $1 AND course_id = $2",
    )
    .bind(user_id)
    .bind(course_id)
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Completed lessons that still exist in the course, per learner, for a page
/// of learners: the staff table's one GROUP BY (no query per learner).
pub async fn completed_counts(
    conn: &mut AnyConnection,
    course_id: &str,
    user_ids: &[String],
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    if user_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut args = Args::default();
    let sql = format!(
        "SELECT user_id, COUNT(*) FROM lesson_progress WHERE course_id = {} AND completed_at IS NOT NULL \
         AND user_id IN ({}) GROUP BY user_id",
        args.text(course_id),
        args.list(user_ids)
    );
    args.query_as(sql).fetch_all(conn).await
}

/// Takes the learner's course_progress row lock (PostgreSQL; SQLite's write
/// lock is held since `begin`) and returns when the course was completed:
/// a certificate issued outside a progress write serialises with the writes
/// that complete the course, as they take this row first (`touch_course`).
pub async fn lock_completed_at(
    conn: &mut AnyConnection,
    user_id: &str,
    course_id: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query("UPDATE course_progress SET completed_at = completed_at WHERE user_id = $1 AND course_id = $2")
        .bind(user_id)
        .bind(course_id)
        .execute(&mut *conn)
        .await?;
    let at: Option<Option<i64>> =
        sqlx::query_scalar("SELECT completed_at FROM course_progress WHERE user_id = $1 AND course_id = $2")
            .bind(user_id)
            .bind(course_id)
            .fetch_optional(conn)
            .await?;
    Ok(at.flatten())
}
