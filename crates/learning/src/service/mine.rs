//! "My courses": the viewer's enrolled courses with their progress, a page at
//! a time, in a constant number of queries per page (the page of enrollments,
//! then one query each for the lessons, completions, course rows and
//! certificates of the whole page).

use std::collections::{HashMap, HashSet};

use lyceum_courses::repo as courses_repo;
use lyceum_platform::{AppError, AppState, auth::Viewer, keyset};

use crate::{
    model::{self, Certificate, Summary},
    repo::{self, enrollments::MyEnrollment},
};

pub struct MyCourse {
    pub enrollment: MyEnrollment,
    pub summary: Summary,
    pub last_activity_at: Option<i64>,
    pub completed_at: Option<i64>,
    pub certificate: Option<Certificate>,
}

pub struct MyCourses {
    pub items: Vec<MyCourse>,
    pub next_cursor: Option<String>,
}

pub async fn list(state: &AppState, viewer: &Viewer, cursor: Option<&str>, limit: i64) -> Result<MyCourses, AppError> {
    let before = keyset::before(cursor)?;
    let before_ref = before.as_ref().map(|(at, id)| (*at, id.as_str()));
    let mut conn = state.db.pool().acquire().await?;
    let user = viewer.user_id.as_str();
    let mut page = repo::enrollments::mine(&mut conn, user, before_ref, limit + 1).await?;
    let next_cursor = keyset::next_cursor(&mut page, limit, |e| (e.created_at, e.id.as_str()));
    let ids: Vec<String> = page.iter().map(|e| e.course_id.clone()).collect();
    let refs = courses_repo::outline::lesson_refs(&mut conn, &ids).await?;
    let completed: HashSet<String> =
        repo::progress::completed_in(&mut conn, user, &ids).await?.into_iter().map(|(_, lesson)| lesson).collect();
    let rows: HashMap<String, _> =
        repo::progress::courses(&mut conn, user, &ids).await?.into_iter().map(|r| (r.course_id.clone(), r)).collect();
    let mut certificates: HashMap<String, Certificate> = repo::certificates::of_user_courses(&mut conn, user, &ids)
        .await?
        .into_iter()
        .filter_map(|c| Some((c.course_id.clone()?, c)))
        .collect();
    let outlines = model::by_course(&refs);
    let items = page
        .into_iter()
        .map(|enrollment| {
            let outline = outlines.get(enrollment.course_id.as_str()).cloned().unwrap_or_default();
            let row = rows.get(&enrollment.course_id);
            let summary = model::summarize(&outline, &completed, row.and_then(|r| r.last_lesson_id.as_deref()));
            MyCourse {
                summary,
                last_activity_at: row.map(|r| r.last_activity_at),
                completed_at: row.and_then(|r| r.completed_at),
                certificate: certificates.remove(&enrollment.course_id),
                enrollment,
            }
        })
        .collect();
    Ok(MyCourses { items, next_cursor })
}
