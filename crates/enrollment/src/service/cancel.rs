//! Unenrolling: the learner themself, the course's staff or an admin. The
//! enrollment row stays (status `cancelled`) so enrolling again reactivates it.

use lyceum_platform::{AppError, AppState, auth::Viewer, events};

use super::visible_enrollment;
use crate::{
    events::EnrollmentCancelled,
    model::Enrollment,
    repo::{enrollments, seats},
};

/// Cancels enrollment `id`; cancelling a cancelled one changes nothing.
pub async fn unenroll(state: &AppState, viewer: &Viewer, id: &str) -> Result<Enrollment, AppError> {
    let enrollment = {
        let mut conn = state.db.pool().acquire().await?;
        visible_enrollment(&mut conn, viewer, id).await?
    };
    cancel(state, &enrollment).await?;
    let mut conn = state.db.pool().acquire().await?;
    enrollments::by_id(&mut conn, id).await?.ok_or_else(AppError::not_found)
}

/// The viewer leaves the course at `slug` (the course page's form); 404 when
/// they are not enrolled.
pub async fn unenroll_by_slug(state: &AppState, viewer: &Viewer, slug: &str) -> Result<(), AppError> {
    let enrollment = {
        let mut conn = state.db.pool().acquire().await?;
        let offer = crate::repo::seats::offer_by_slug(&mut conn, slug).await?.ok_or_else(AppError::not_found)?;
        enrollments::of(&mut conn, &offer.id, &viewer.user_id)
            .await?
            .filter(Enrollment::is_active)
            .ok_or_else(AppError::not_found)?
    };
    cancel(state, &enrollment).await.map(|_| ())
}

/// Status → cancelled and the seat back, in one transaction: the status update
/// succeeds for one of concurrent cancels only, so one seat comes back. True
/// when it was active.
pub(crate) async fn cancel(state: &AppState, enrollment: &Enrollment) -> Result<bool, AppError> {
    let mut tx = state.db.begin().await?;
    if !enrollments::cancel(&mut tx, &enrollment.id).await? {
        tx.rollback().await?;
        return Ok(false);
    }
    seats::give_back(&mut tx, &enrollment.course_id).await?;
    let event = EnrollmentCancelled {
        enrollment_id: enrollment.id.clone(),
        course_id: enrollment.course_id.clone(),
        user_id: enrollment.user_id.clone(),
    };
    events::publish(state, &mut tx, &event).await?;
    tx.commit().await?;
    Ok(true)
}
