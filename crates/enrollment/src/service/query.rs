//! Reading enrollments: one by id, the viewer's own list, and the enrollment
//! status of a course for the viewer.

use lyceum_courses::model::CourseState;
use lyceum_platform::ids::{CourseId, UserId};
use lyceum_platform::{
    AppError, AppState,
    auth::Viewer,
    keyset::{PageRequest, Paged},
};

use lyceum_courses::service::read;
use sqlx::AnyConnection;

use super::{seats, visible_enrollment, visible_offer};
use crate::{
    model::{Enrollment, MyEnrollment, Offer},
    repo::enrollments,
};

pub async fn get(state: &AppState, viewer: &Viewer, id: &str) -> Result<Enrollment, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    visible_enrollment(&mut conn, viewer, id).await
}

/// The viewer's active enrollments, newest first.
pub async fn mine(state: &AppState, viewer: &Viewer, page: &PageRequest) -> Result<Paged<MyEnrollment>, AppError> {
    let before = page.before()?;
    let mut conn = state.db.pool().acquire().await?;
    let before = before.as_ref().map(|(at, id)| (*at, id.as_str()));
    let rows = enrollments::active_of_user(&mut conn, &viewer.user_id, before, page.fetch()).await?;
    let Paged { items: rows, next_cursor } = Paged::from_rows(rows, page, |r| (r.created_at, r.id.as_str()));
    let ids: Vec<CourseId> = rows.iter().map(|e| CourseId::from(&e.course_id)).collect();
    let courses = read::courses(&mut conn, &ids).await?;
    let items = rows
        .into_iter()
        .filter_map(|e| {
            let course = courses.get(&e.course_id)?;
            Some(MyEnrollment {
                course_slug: course.slug.clone(),
                course_title: course.title.clone(),
                id: e.id,
                course_id: e.course_id,
                user_id: e.user_id,
                status: e.status,
                created_at: e.created_at,
                updated_at: e.updated_at,
            })
        })
        .collect();
    Ok(Paged { items, next_cursor })
}

/// A page of a learner's active enrollments, newest first (for other modules:
/// learning's "my courses"). `before` is the last row's `(created_at, id)`.
pub async fn active_of_user(
    conn: &mut AnyConnection,
    user_id: &UserId,
    before: Option<(i64, &str)>,
    limit: i64,
) -> Result<Vec<Enrollment>, AppError> {
    let user_id = user_id.as_str();
    Ok(enrollments::active_of_user(conn, user_id, before, limit).await?)
}

/// A page of a course's active enrollments, newest first (for other modules:
/// learning's progress table). No access check: the caller has made it.
pub async fn active_of_course(
    conn: &mut AnyConnection,
    course_id: &CourseId,
    before: Option<(i64, &str)>,
    limit: i64,
) -> Result<Vec<Enrollment>, AppError> {
    let course_id = course_id.as_str();
    Ok(enrollments::of_course(conn, course_id, Some("active"), before, limit).await?)
}

/// Where the viewer stands with a course.
pub struct StatusView {
    pub offer: Offer,
    /// The viewer's enrollment, active or cancelled, if they ever enrolled.
    pub enrollment: Option<Enrollment>,
}

impl StatusView {
    pub fn enrolled(&self) -> bool {
        self.enrollment.as_ref().is_some_and(Enrollment::is_active)
    }
    /// Whether a learner may enroll now (published; seats are counted apart).
    pub fn open(&self) -> bool {
        self.offer.state() == CourseState::Published
    }
    /// Whether enrolling would need a payment (not when already enrolled).
    pub fn payment_required(&self) -> bool {
        !self.enrolled() && !self.offer.is_free()
    }
}

pub async fn status(state: &AppState, viewer: &Viewer, course_id: &CourseId) -> Result<StatusView, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let offer = visible_offer(&mut conn, viewer, course_id).await?;
    let enrollment = enrollments::of(&mut conn, course_id.as_str(), &viewer.user_id).await?;
    Ok(StatusView { offer, enrollment })
}

/// [`status`] for the course at `slug` (the course page's forms).
pub async fn status_by_slug(state: &AppState, viewer: &Viewer, slug: &str) -> Result<StatusView, AppError> {
    let id = {
        let mut conn = state.db.pool().acquire().await?;
        seats::offer_by_slug(&mut conn, slug).await?.ok_or_else(AppError::not_found)?.id
    };
    status(state, viewer, &CourseId::from(id)).await
}
