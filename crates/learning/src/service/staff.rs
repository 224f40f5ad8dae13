//! The instructors' progress table: per learner of a course, lessons
//! completed of the total, last activity and completion, a page at a time.

use std::collections::HashMap;

use lyceum_courses::{model::Course, repo as courses_repo, service::access};
use lyceum_platform::{AppError, AppState, auth::Viewer, keyset};

use crate::{model, repo};

pub struct LearnerRow {
    pub user_id: String,
    pub display_name: String,
    pub enrolled_at: i64,
    pub completed: i64,
    pub total: i64,
    pub percent: u8,
    pub last_activity_at: Option<i64>,
    pub completed_at: Option<i64>,
}

pub struct ProgressTable {
    pub course: Course,
    pub rows: Vec<LearnerRow>,
    pub next_cursor: Option<String>,
}

/// For the course's staff (owner, co-instructors, admins; others 403/404 as
/// in authoring). Constant queries per page, whatever its size: the access
/// check, one count of the course's lessons, the page of enrollments (joined
/// with names and course-level progress) and ONE `GROUP BY user_id` counting
/// completed lessons for the page's learners — never a query per learner.
pub async fn table(
    state: &AppState,
    viewer: &Viewer,
    course_id: &str,
    cursor: Option<&str>,
    limit: i64,
) -> Result<ProgressTable, AppError> {
    let before = keyset::before(cursor)?;
    let before_ref = before.as_ref().map(|(at, id)| (*at, id.as_str()));
    let mut conn = state.db.pool().acquire().await?;
    let course = access::editable(&mut conn, viewer, course_id).await?.course;
    let total = courses_repo::outline::lesson_count(&mut conn, course_id).await?;
    let mut page = repo::enrollments::learners(&mut conn, course_id, before_ref, limit + 1).await?;
    let next_cursor = keyset::next_cursor(&mut page, limit, |l| (l.enrolled_at, l.enrollment_id.as_str()));
    let user_ids: Vec<String> = page.iter().map(|l| l.user_id.clone()).collect();
    let counts: HashMap<String, i64> =
        repo::progress::completed_counts(&mut conn, course_id, &user_ids).await?.into_iter().collect();
    let rows = page
        .into_iter()
        .map(|l| {
            let completed = counts.get(&l.user_id).copied().unwrap_or(0);
            LearnerRow {
                percent: model::percent(completed as usize, total as usize),
                completed,
                total,
                user_id: l.user_id,
                display_name: l.display_name,
                enrolled_at: l.enrolled_at,
                last_activity_at: l.last_activity_at,
                completed_at: l.completed_at,
            }
        })
        .collect();
    Ok(ProgressTable { course, rows, next_cursor })
}
