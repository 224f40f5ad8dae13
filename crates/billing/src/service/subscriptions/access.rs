//! The courses a subscription opens: enrolling in an included course without
//! paying, suspending those enrollments when the subscription lapses or
//! ends, restoring them when a payment arrives. Enrollments are enrollment's:
//! this asks its public service (`admit_covered`, `cancel::suspend`,
//! `admit_paid`), so a suspended enrollment keeps its row and the learner's
//! progress, and comes back as it was.

use lyceum_enrollment::{
    EnrollError,
    service::{cancel, enroll, enroll::Enrolled, query},
};
use lyceum_platform::{
    AppState,
    auth::Viewer,
    db,
    events::Delivery,
    ids::{CourseId, UserId},
    jobs::{Job, JobError},
};

use crate::{
    BillingError,
    events::SubscriptionEnded,
    repo::{plans, subscription_enrollments as opened, subscriptions as rows},
};

/// The viewer enrolls in `course_id` through their subscription: 402
/// `subscription-required` without one that gives access now, 409
/// `not-included` for a course it does not open, and the course's own
/// refusals (not open, full). Already enrolled (bought, or enrolled before):
/// the existing enrollment, unchanged.
pub async fn enroll(state: &AppState, viewer: &Viewer, course_id: &CourseId) -> Result<Enrolled, BillingError> {
    let status = query::status(state, viewer, course_id).await?;
    let subscription = {
        let mut conn = state.db.pool().acquire().await?;
        let subscription = rows::of_user(&mut conn, &viewer.user_id).await?;
        let subscription =
            subscription.filter(|s| s.status().gives_access()).ok_or(BillingError::SubscriptionRequired)?;
        if !plans::is_included(&mut conn, course_id.as_str()).await? {
            return Err(BillingError::NotIncluded);
        }
        subscription
    };
    if status.enrolled() {
        // Bought or enrolled otherwise: not the subscription's to suspend later.
        return enroll::admit_covered(state, viewer, course_id).await.map_err(refused);
    }
    // Recorded first: if enrolling fails, the suspension finds no active enrollment and forgets it.
    opened::add_enrollment(&mut *state.db.autocommit().await?, &subscription.id, course_id.as_str()).await?;
    enroll::admit_covered(state, viewer, course_id).await.map_err(refused)
}

/// [`enroll`] for the course at `slug` (the page's form): the course's id and the outcome.
pub async fn enroll_by_slug(state: &AppState, viewer: &Viewer, slug: &str) -> Result<Enrolled, BillingError> {
    let status = query::status_by_slug(state, viewer, slug).await?;
    enroll(state, viewer, &CourseId::from(&status.offer.id)).await
}

fn refused(e: EnrollError) -> BillingError {
    match e {
        EnrollError::CourseFull(_) => BillingError::CourseFull,
        EnrollError::NotOpen(_) => BillingError::NotOpen,
        other => BillingError::Other(other.into()),
    }
}

/// `billing.subscription_ended` → the subscription's enrollments are
/// suspended. Idempotent: each suspended one is marked, and a subscription
/// that gives access again (a payment arrived meanwhile) is left alone.
pub struct SuspendAccess;

impl Job for SuspendAccess {
    const KIND: &'static str = "billing.suspend_access";
    const MAX_ATTEMPTS: u32 = 12;
    type Payload = Delivery<SubscriptionEnded>;

    async fn run(state: &AppState, delivery: Self::Payload) -> Result<(), JobError> {
        suspend(state, &delivery.event.subscription_id).await
    }
}

/// Cancels the active enrollments opened through the subscription, unless it gives access again.
pub async fn suspend(state: &AppState, subscription_id: &str) -> Result<(), JobError> {
    let (subscription, courses) = {
        let mut conn = state.db.pool().acquire().await?;
        let Some(subscription) = rows::by_id(&mut conn, subscription_id).await? else { return Ok(()) };
        let courses = opened::enrollments(&mut conn, subscription_id, false).await?;
        (subscription, courses)
    };
    if subscription.status().gives_access() {
        return Ok(());
    }
    let user = UserId::from(subscription.user_id.as_str());
    for course in courses {
        let was_active = cancel::suspend(state, &CourseId::from(&course), &user).await?;
        let mut conn = state.db.autocommit().await?;
        if was_active {
            opened::set_suspended(&mut conn, subscription_id, &course, Some(db::now_ms())).await?;
        } else {
            // The learner had left it: nothing to give back later.
            opened::drop_enrollment(&mut conn, subscription_id, &course).await?;
        }
    }
    Ok(())
}

/// Makes the suspended enrollments active again (with their progress), once
/// the subscription gives access again. Idempotent: enrolling an enrolled
/// learner changes nothing, and each restored one is unmarked.
pub async fn restore(state: &AppState, subscription_id: &str) -> Result<(), JobError> {
    let (subscription, courses) = {
        let mut conn = state.db.pool().acquire().await?;
        let Some(subscription) = rows::by_id(&mut conn, subscription_id).await? else { return Ok(()) };
        let courses = opened::enrollments(&mut conn, subscription_id, true).await?;
        (subscription, courses)
    };
    if !subscription.status().gives_access() {
        return Ok(());
    }
    let user = UserId::from(subscription.user_id.as_str());
    for course in courses {
        let restored = match enroll::admit_paid(state, &CourseId::from(&course), &user).await {
            Ok(_) => true,
            Err(EnrollError::Other(e)) if !e.is_refusal() => return Err(e.into()),
            Err(refusal) => {
                tracing::warn!(course = %course, error = ?refusal, "a suspended enrollment could not be restored");
                false
            }
        };
        let mut conn = state.db.autocommit().await?;
        if restored {
            opened::set_suspended(&mut conn, subscription_id, &course, None).await?;
        } else {
            opened::drop_enrollment(&mut conn, subscription_id, &course).await?;
        }
    }
    Ok(())
}
