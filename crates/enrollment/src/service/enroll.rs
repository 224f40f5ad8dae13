//! Enrolling: a learner themself (free courses at once, paid ones through
//! [`crate::billing::checkout`]), or staff adding a learner (see `roster`).
//!
//! Seats are `courses.enrolled_count`, taken by one conditional UPDATE in the
//! same transaction as the enrollment row, so a limit holds however many
//! requests race, and the unique index (course, learner) keeps one row per
//! learner.

use lyceum_courses::model::CourseState;
use lyceum_platform::ids::{CourseId, UserId};
use lyceum_platform::{AppError, AppState, auth::Viewer, events};

use super::check_visible;
use crate::{
    EnrollError, billing,
    events::EnrollmentCreated,
    model::{Enrollment, Offer},
    repo::enrollments,
    service::seats,
};

/// The outcome of an enrollment request.
#[derive(Debug, Clone)]
pub enum Enrolled {
    /// A new enrollment, or a cancelled one made active again.
    Created(Enrollment),
    /// The learner was already enrolled; nothing changed.
    Existing(Enrollment),
}

impl Enrolled {
    pub fn enrollment(&self) -> &Enrollment {
        match self {
            Enrolled::Created(e) | Enrolled::Existing(e) => e,
        }
    }
    pub fn is_new(&self) -> bool {
        matches!(self, Enrolled::Created(_))
    }
}

/// The viewer enrolls in `course_id`.
pub async fn enroll(state: &AppState, viewer: &Viewer, course_id: &CourseId) -> Result<Enrolled, EnrollError> {
    let offer = {
        let mut conn = state.db.pool().acquire().await?;
        let offer = seats::offer(&mut conn, course_id).await?.ok_or_else(AppError::not_found)?;
        check_visible(&mut conn, viewer, &offer).await?;
        // Already enrolled: the same answer whatever the course's state or price now.
        if let Some(existing) =
            enrollments::of(&mut conn, course_id.as_str(), &viewer.user_id).await?.filter(Enrollment::is_active)
        {
            return Ok(Enrolled::Existing(existing));
        }
        offer
    };
    check_open(&offer)?;
    billing::checkout(state, viewer, &offer).await?;
    admit(state, &offer, &viewer.user_id, Via::Learner).await
}

/// The viewer enrolls in the course at `slug` (the course page's form).
pub async fn enroll_by_slug(state: &AppState, viewer: &Viewer, slug: &str) -> Result<(Offer, Enrolled), EnrollError> {
    let offer = {
        let mut conn = state.db.pool().acquire().await?;
        seats::offer_by_slug(&mut conn, slug).await?.ok_or_else(AppError::not_found)?
    };
    let enrolled = enroll(state, viewer, &CourseId::from(&offer.id)).await?;
    Ok((offer, enrolled))
}

/// Enrolls a learner who has paid for the course (billing's fulfilment of a
/// paid order): no price or state check — the sale was checked when the order
/// was placed — and a seat is taken even past the limit, since a learner who
/// paid is never refused. Idempotent: an active enrollment is `Existing`.
pub async fn admit_paid(state: &AppState, course_id: &CourseId, user_id: &UserId) -> Result<Enrolled, EnrollError> {
    let offer = {
        let mut conn = state.db.pool().acquire().await?;
        seats::offer(&mut conn, course_id).await?.ok_or_else(AppError::not_found)?
    };
    admit(state, &offer, user_id.as_str(), Via::Payment).await
}

/// Enrolls the viewer in a course their subscription covers (billing's
/// `service::subscriptions` decided it does): no payment, but otherwise as
/// the learner enrolling themself — a course they may see, published,
/// within the seat limit. Idempotent: an active enrollment is `Existing`; a
/// cancelled one is made active again, with its progress.
pub async fn admit_covered(state: &AppState, viewer: &Viewer, course_id: &CourseId) -> Result<Enrolled, EnrollError> {
    let offer = {
        let mut conn = state.db.pool().acquire().await?;
        let offer = seats::offer(&mut conn, course_id).await?.ok_or_else(AppError::not_found)?;
        check_visible(&mut conn, viewer, &offer).await?;
        if let Some(existing) =
            enrollments::of(&mut conn, course_id.as_str(), &viewer.user_id).await?.filter(Enrollment::is_active)
        {
            return Ok(Enrolled::Existing(existing));
        }
        offer
    };
    check_open(&offer)?;
    admit(state, &offer, &viewer.user_id, Via::Learner).await
}

/// Who admits the learner, which decides the seat rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Via {
    /// The learner themself: within the seat limit.
    Learner,
    /// The course's staff from the roster: within the seat limit.
    Staff,
    /// A paid order (billing): past the limit if need be.
    Payment,
}

/// Learners enroll in published courses only.
fn check_open(offer: &Offer) -> Result<(), EnrollError> {
    match offer.state() {
        CourseState::Published => Ok(()),
        CourseState::Archived => Err(EnrollError::NotOpen("enrollment.errors.archived")),
        CourseState::Draft => Err(EnrollError::NotOpen("enrollment.errors.not_published")),
    }
}

/// Enrolls `user_id` (admission already decided): claims the row, then a
/// seat, then publishes `enrollment.created` — one transaction.
///
/// SQLite: the transaction holds the write lock from its start (`Db::begin`),
/// so concurrent admissions run one after the other. PostgreSQL: the insert
/// waits on a concurrent insert of the same (course, learner) and then does
/// nothing; the seat UPDATE waits on the course row and re-checks its condition.
pub(crate) async fn admit(state: &AppState, offer: &Offer, user_id: &str, via: Via) -> Result<Enrolled, EnrollError> {
    let mut tx = state.db.begin().await?;
    let claimed = enrollments::insert_new(&mut tx, &offer.id, user_id).await?
        || enrollments::reactivate(&mut tx, &offer.id, user_id).await?;
    if !claimed {
        let existing = enrollments::of(&mut tx, &offer.id, user_id).await?.ok_or_else(AppError::not_found)?;
        tx.rollback().await?;
        return Ok(Enrolled::Existing(existing));
    }
    let course_id = CourseId::from(&offer.id);
    if via == Via::Payment {
        seats::take_past_limit(&mut tx, &course_id).await?;
    } else if !seats::take(&mut tx, &course_id).await? {
        tx.rollback().await?;
        return Err(EnrollError::CourseFull(Box::new(offer.clone())));
    }
    let enrollment = enrollments::of(&mut tx, &offer.id, user_id).await?.ok_or_else(AppError::not_found)?;
    let event = EnrollmentCreated {
        enrollment_id: enrollment.id.clone(),
        course_id: offer.id.clone(),
        course_slug: offer.slug.clone(),
        course_title: offer.title.clone(),
        user_id: user_id.to_string(),
        by_staff: via == Via::Staff,
    };
    events::publish(state, &mut tx, &event).await?;
    tx.commit().await?;
    Ok(Enrolled::Created(enrollment))
}
