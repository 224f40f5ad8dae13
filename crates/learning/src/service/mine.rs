//! "My courses": the viewer's enrolled courses with their progress, a page at
//! a time, in a constant number of queries per page (the page of enrollments
//! from the enrollment module, their courses in one batch from the courses
//! module, then one query each for the lessons, completions, progress rows and
//! certificates of the whole page).

use std::collections::{HashMap, HashSet};

use lyceum_courses::{model::CourseState, service::read};
use lyceum_enrollment::service::query as enrollments;
use lyceum_platform::ids::{CourseId, UserId};
use lyceum_platform::{
    AppError, AppState,
    auth::Viewer,
    keyset::{PageRequest, Paged},
};
use sqlx::AnyConnection;

use crate::{
    model::{self, Certificate, Summary},
    repo,
};

/// One of my active enrollments, with what the list shows of its course.
#[derive(Debug, Clone)]
pub struct MyEnrollment {
    pub id: String,
    pub created_at: i64,
    pub course_id: String,
    pub slug: String,
    pub title: String,
    pub state: String,
}

pub struct MyCourse {
    pub enrollment: MyEnrollment,
    pub summary: Summary,
    pub last_activity_at: Option<i64>,
    pub completed_at: Option<i64>,
    pub certificate: Option<Certificate>,
}

impl MyCourse {
    /// Where "continue" leads: the next lesson to do, else the course's own resume route.
    pub fn continue_url(&self) -> String {
        match &self.summary.continue_lesson_id {
            Some(id) => format!("/learn/{}/lessons/{id}", self.enrollment.slug),
            None => format!("/learn/{}", self.enrollment.slug),
        }
    }
}

pub async fn list(state: &AppState, viewer: &Viewer, page: &PageRequest) -> Result<Paged<MyCourse>, AppError> {
    let before = page.before()?;
    let before_ref = before.as_ref().map(|(at, id)| (*at, id.as_str()));
    let mut conn = state.db.pool().acquire().await?;
    let user = viewer.user_id.as_str();
    let rows = openable(&mut conn, user, before_ref, page.fetch()).await?;
    let Paged { items: page, next_cursor } = Paged::from_rows(rows, page, |e| (e.created_at, e.id.as_str()));
    let ids: Vec<String> = page.iter().map(|e| e.course_id.clone()).collect();
    let refs = read::lesson_refs(&mut conn, &ids.iter().map(CourseId::from).collect::<Vec<_>>()).await?;
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
    Ok(Paged { items, next_cursor })
}

/// Up to `want` of my active enrollments in courses I may open (published or
/// archived), newest first, before `before`. An enrollment in a course taken
/// back to draft is skipped, so the enrollments are read in batches until
/// `want` are found or none are left.
async fn openable(
    conn: &mut AnyConnection,
    user_id: &str,
    before: Option<(i64, &str)>,
    want: i64,
) -> Result<Vec<MyEnrollment>, AppError> {
    let mut found = Vec::new();
    let mut after: Option<(i64, String)> = before.map(|(at, id)| (at, id.to_string()));
    loop {
        let at = after.as_ref().map(|(at, id)| (*at, id.as_str()));
        let batch = enrollments::active_of_user(conn, &UserId::from(user_id), at, want).await?;
        let exhausted = (batch.len() as i64) < want;
        after = batch.last().map(|e| (e.created_at, e.id.clone()));
        let ids: Vec<CourseId> = batch.iter().map(|e| CourseId::from(&e.course_id)).collect();
        let courses = read::courses(conn, &ids).await?;
        for e in batch {
            let Some(course) = courses.get(&e.course_id) else { continue };
            if matches!(course.state(), CourseState::Published | CourseState::Archived) {
                found.push(MyEnrollment {
                    id: e.id,
                    created_at: e.created_at,
                    course_id: e.course_id,
                    slug: course.slug.clone(),
                    title: course.title.clone(),
                    state: course.state.clone(),
                });
            }
        }
        if found.len() as i64 >= want || exhausted {
            found.truncate(want as usize);
            return Ok(found);
        }
    }
}
