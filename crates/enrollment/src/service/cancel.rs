//! Unenrolling: the learner themself, the course's staff or an admin, or
//! billing suspending a lapsed subscription's enrollments. The
//! enrollment row stays (status `cancelled`) so enrolling again reactivates it.

use lyceum_platform::ids::{CourseId, UserId};
use lyceum_platform::{AppError, AppState, auth::Viewer, events};

use super::visible_enrollment;
use crate::{
    events::EnrollmentCancelled,
    model::{Enrollment, Offer},
    repo::enrollments,
    service::seats,
};

/// Cancels enrollment `id`; cancelling a cancelled one changes nothing.
pub async fn unenroll(state: &AppState, viewer: &Viewer, id: &str) -> Result<Enrollment, AppError> {
    let (enrollment, offer) = {
        let mut conn = state.db.pool().acquire().await?;
        let enrollment = visible_enrollment(&mut conn, viewer, id).await?;
        let offer =
            seats::offer(&mut conn, &CourseId::from(&enrollment.course_id)).await?.ok_or_else(AppError::not_found)?;
        (enrollment, offer)
    };
    let by_staff = enrollment.user_id != viewer.user_id;
    cancel(state, &offer, &enrollment, by_staff).await?;
    let mut conn = state.db.pool().acquire().await?;
    enrollments::by_id(&mut conn, id).await?.ok_or_else(AppError::not_found)
}

/// The viewer leaves the course at `slug` (the course page's form); 404 when
/// they are not enrolled.
pub async fn unenroll_by_slug(state: &AppState, viewer: &Viewer, slug: &str) -> Result<(), AppError> {
    let (enrollment, offer) = {
        let mut conn = state.db.pool().acquire().await?;
        let offer = seats::offer_by_slug(&mut conn, slug).await?.ok_or_else(AppError::not_found)?;
        let enrollment = enrollments::of(&mut conn, &offer.id, &viewer.user_id)
            .await?
            .filter(Enrollment::is_active)
            .ok_or_else(AppError::not_found)?;
        (enrollment, offer)
    };
    cancel(state, &offer, &enrollment, false).await.map(|_| ())
}

/// Suspends an enrollment billing opened for a subscription that lapsed or
/// ended (billing decided; no staff check): cancelled like any other — the
/// row and the learner's progress stay, and billing's payment makes it
/// active again through [`super::enroll::admit_paid`]. The learner hears it
/// from billing's own notice, once, not once per course: the event says
/// `by_staff: false`. True when it was active.
pub async fn suspend(state: &AppState, course_id: &CourseId, user_id: &UserId) -> Result<bool, AppError> {
    let (enrollment, offer) = {
        let mut conn = state.db.pool().acquire().await?;
        let Some(enrollment) =
            enrollments::of(&mut conn, course_id.as_str(), user_id.as_str()).await?.filter(Enrollment::is_active)
        else {
            return Ok(false);
        };
        let offer = seats::offer(&mut conn, course_id).await?.ok_or_else(AppError::not_found)?;
        (enrollment, offer)
    };
    cancel(state, &offer, &enrollment, false).await
}

/// Status → cancelled and the seat back, in one transaction: the status update
/// succeeds for one of concurrent cancels only, so one seat comes back. True
/// when it was active. `by_staff`: someone other than the learner removed them.
pub(crate) async fn cancel(
    state: &AppState,
    offer: &Offer,
    enrollment: &Enrollment,
    by_staff: bool,
) -> Result<bool, AppError> {
    let mut tx = state.db.begin().await?;
    if !enrollments::cancel(&mut tx, &enrollment.id).await? {
        tx.rollback().await?;
        return Ok(false);
    }
    seats::give_back(&mut tx, &CourseId::from(&enrollment.course_id)).await?;
    let event = EnrollmentCancelled {
        enrollment_id: enrollment.id.clone(),
        course_id: enrollment.course_id.clone(),
        course_slug: offer.slug.clone(),
        course_title: offer.title.clone(),
        user_id: enrollment.user_id.clone(),
        by_staff,
    };
    events::publish(state, &mut tx, &event).await?;
    tx.commit().await?;
    super::forget_active(state).await;
    Ok(true)
}
