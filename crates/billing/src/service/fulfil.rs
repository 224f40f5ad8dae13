//! Fulfilment: `billing.order_paid` → the learner is enrolled in the order's
//! courses. The event is written with the payment in one transaction, so a
//! paid order always has its fulfilment queued; the job retries until the
//! enrollment exists, and enrolling is idempotent (an active enrollment is
//! left as it is), so a redelivery or a second report of the payment enrolls once.

use lyceum_enrollment::{EnrollError, service::enroll};
use lyceum_platform::{
    AppState,
    events::Delivery,
    ids::{CourseId, UserId},
    jobs::{Job, JobError},
};

use crate::events::OrderPaid;

pub struct Fulfil;

impl Job for Fulfil {
    const KIND: &'static str = "billing.fulfil";
    /// A learner who paid must end up enrolled: retry for a long while (the
    /// backoff spreads these over hours) before the job is dead and shown to
    /// the administrators on the jobs page.
    const MAX_ATTEMPTS: u32 = 12;
    type Payload = Delivery<OrderPaid>;

    async fn run(state: &AppState, delivery: Self::Payload) -> Result<(), JobError> {
        let e = &delivery.event;
        let user = UserId::from(e.user_id.as_str());
        for course_id in &e.course_ids {
            match enroll::admit_paid(state, &CourseId::from(course_id), &user).await {
                Ok(_) => {}
                Err(EnrollError::Other(err)) => return Err(err.into()),
                Err(refused) => return Err(JobError::permanent(format!("{refused:?}"))),
            }
        }
        tracing::info!(order = %e.order_id, user = %e.user_id, courses = e.course_ids.len(), "order fulfilled");
        Ok(())
    }
}
