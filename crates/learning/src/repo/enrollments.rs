//! Reads of the `enrollments` table (filled by the enrollment service): the
//! pages of enrollments that "my courses" and the staff progress table walk.
//! Keyset-paginated on (created_at, id), newest first. They join progress,
//! which is this module's, so they live here rather than in `lyceum-enrollment`.

use sqlx::AnyConnection;

/// One of my active enrollments, with what the list shows of its course.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MyEnrollment {
    pub id: String,
    pub created_at: i64,
    pub course_id: String,
    pub slug: String,
    pub title: String,
    pub state: String,
}

/// My active enrollments in courses I may open (published or archived).
pub async fn mine(
    conn: &mut AnyConnection,
    user_id: &str,
    before: Option<(i64, &str)>,
    limit: i64,
) -> Result<Vec<MyEnrollment>, sqlx::Error> {
    let (at, id) = before.map(|(at, id)| (Some(at), Some(id))).unwrap_or((None, None));
    sqlx::query_as(
        "SELECT e.id, e.created_at, c.id AS course_id, c.slug, c.title, c.state FROM enrollments e \
         JOIN courses c ON c.id = e.course_id \
         WHERE e.user_id = $1 AND e.status = 'active' AND c.state IN ('published', 'archived') \
           AND ($2 IS NULL OR e.created_at < $2 OR (e.created_at = $2 AND e.id < $3)) \
         ORDER BY e.created_at DESC, e.id DESC LIMIT $4",
    )
    .bind(user_id)
    .bind(at)
    .bind(id)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// One learner of a course, with their course-level progress row if any.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Learner {
    pub enrollment_id: String,
    pub enrolled_at: i64,
    pub user_id: String,
    pub display_name: String,
    pub last_activity_at: Option<i64>,
    pub completed_at: Option<i64>,
}

/// A page of a course's active learners (the staff table's one page query).
pub async fn learners(
    conn: &mut AnyConnection,
    course_id: &str,
    before: Option<(i64, &str)>,
    limit: i64,
) -> Result<Vec<Learner>, sqlx::Error> {
    let (at, id) = before.map(|(at, id)| (Some(at), Some(id))).unwrap_or((None, None));
    sqlx::query_as(
        "SELECT e.id AS enrollment_id, e.created_at AS enrolled_at, e.user_id, u.display_name, \
                p.last_activity_at, p.completed_at FROM enrollments e \
         JOIN users u ON u.id = e.user_id \
         LEFT JOIN course_progress p ON p.user_id = e.user_id AND p.course_id = e.course_id \
         WHERE e.course_id = $1 AND e.status = 'active' \
           AND ($2 IS NULL OR e.created_at < $2 OR (e.created_at = $2 AND e.id < $3)) \
         ORDER BY e.created_at DESC, e.id DESC LIMIT $4",
    )
    .bind(course_id)
    .bind(at)
    .bind(id)
    .bind(limit)
    .fetch_all(conn)
    .await
}
