//! Reading enrollments: one by id, the viewer's own list, and the enrollment
//! status of a course for the viewer.

use lyceum_courses::model::CourseState;
use lyceum_platform::{AppError, AppState, auth::Viewer, keyset};

use super::{page_size, visible_enrollment, visible_offer};
use crate::{
    model::{Enrollment, MyEnrollment, Offer},
    repo::enrollments,
};

pub async fn get(state: &AppState, viewer: &Viewer, id: &str) -> Result<Enrollment, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    visible_enrollment(&mut conn, viewer, id).await
}

pub struct MyPage {
    pub items: Vec<MyEnrollment>,
    pub next_cursor: Option<String>,
}

/// The viewer's active enrollments, newest first.
pub async fn mine(state: &AppState, viewer: &Viewer, cursor: Option<&str>, limit: i64) -> Result<MyPage, AppError> {
    let limit = page_size(limit);
    let before = keyset::before(cursor)?;
    let mut conn = state.db.pool().acquire().await?;
    let before = before.as_ref().map(|(at, id)| (*at, id.as_str()));
    let mut items = enrollments::mine(&mut conn, &viewer.user_id, before, limit + 1).await?;
    let next_cursor = keyset::next_cursor(&mut items, limit, |r| (r.created_at, r.id.as_str()));
    Ok(MyPage { items, next_cursor })
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

pub async fn status(state: &AppState, viewer: &Viewer, course_id: &str) -> Result<StatusView, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let offer = visible_offer(&mut conn, viewer, course_id).await?;
    let enrollment = enrollments::of(&mut conn, course_id, &viewer.user_id).await?;
    Ok(StatusView { offer, enrollment })
}

/// [`status`] for the course at `slug` (the course page's forms).
pub async fn status_by_slug(state: &AppState, viewer: &Viewer, slug: &str) -> Result<StatusView, AppError> {
    let id = {
        let mut conn = state.db.pool().acquire().await?;
        crate::repo::seats::offer_by_slug(&mut conn, slug).await?.ok_or_else(AppError::not_found)?.id
    };
    status(state, viewer, &id).await
}
