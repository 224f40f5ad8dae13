//! The instructors' progress table: per learner of a course, lessons
//! completed of the total, last activity and completion, a page at a time.

use std::collections::HashMap;

use lyceum_accounts::service::directory;
use lyceum_courses::{
    model::Course,
    service::{access, read},
};
use lyceum_enrollment::service::query as enrollments;
use lyceum_platform::ids::{CourseId, UserId};
use lyceum_platform::{
    AppError, AppState,
    auth::Viewer,
    keyset::{PageRequest, Paged},
};

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
/// check, one count of the course's lessons, the page of enrollments (from
/// the enrollment module), the learners' names (one batch from accounts),
/// their course-level progress rows (one query) and ONE `GROUP BY user_id`
/// counting completed lessons — never a query per learner.
pub async fn table(
    state: &AppState,
    viewer: &Viewer,
    course_id: &CourseId,
    page: &PageRequest,
) -> Result<ProgressTable, AppError> {
    let before = page.before()?;
    let before_ref = before.as_ref().map(|(at, id)| (*at, id.as_str()));
    let mut conn = state.db.pool().acquire().await?;
    let course = access::editable(&mut conn, viewer, course_id).await?.course;
    let total = read::lesson_count(&mut conn, course_id).await?;
    let rows = enrollments::active_of_course(&mut conn, course_id, before_ref, page.fetch()).await?;
    let Paged { items: page, next_cursor } = Paged::from_rows(rows, page, |e| (e.created_at, e.id.as_str()));
    let user_ids: Vec<String> = page.iter().map(|e| e.user_id.clone()).collect();
    let people = directory::people(&mut conn, &user_ids.iter().map(UserId::from).collect::<Vec<_>>()).await?;
    let progress: HashMap<String, (i64, Option<i64>)> =
        repo::progress::course_rows_of_users(&mut conn, course_id.as_str(), &user_ids)
            .await?
            .into_iter()
            .map(|(user, last, completed)| (user, (last, completed)))
            .collect();
    let counts: HashMap<String, i64> =
        repo::progress::completed_counts(&mut conn, course_id.as_str(), &user_ids).await?.into_iter().collect();
    let rows = page
        .into_iter()
        .filter_map(|e| {
            let person = people.get(&e.user_id)?;
            let row = progress.get(&e.user_id);
            let completed = counts.get(&e.user_id).copied().unwrap_or(0);
            Some(LearnerRow {
                percent: model::percent(completed as usize, total as usize),
                completed,
                total,
                display_name: person.display_name.clone(),
                user_id: e.user_id,
                enrolled_at: e.created_at,
                last_activity_at: row.map(|r| r.0),
                completed_at: row.and_then(|r| r.1),
            })
        })
        .collect();
    Ok(ProgressTable { course, rows, next_cursor })
}
