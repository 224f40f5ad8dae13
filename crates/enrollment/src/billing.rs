//! The seam between enrollment and billing: the ONE place that decides whether
//! a learner may enroll in a course that costs money.
//!
//! Today there is no billing module, so a paid course answers 402
//! `payment-required` naming the price. When billing lands (roadmap step 6) it
//! replaces the body of [`checkout`]: look up a settled payment, order or
//! subscription for this learner and course and answer `Ok(Admission::Paid)`,
//! or start a checkout and answer 402 with where to pay. Enrollment itself
//! (seats, the row, events) does not change: [`crate::service::enroll`] calls
//! `checkout` before it claims a seat and never looks at prices otherwise.
//! Staff enrolling a learner from the roster bypass this on purpose.

use lyceum_platform::{AppState, auth::Viewer};

use crate::{EnrollError, model::Offer};

/// Why the learner may enroll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Admission {
    /// The course is free.
    Free,
    /// Billing found a settled payment (its reference), once billing exists.
    Paid { reference: String },
}

/// Decides admission to `course` for `viewer`; `PaymentRequired` (402) when payment is needed.
pub async fn checkout(_state: &AppState, _viewer: &Viewer, course: &Offer) -> Result<Admission, EnrollError> {
    if course.is_free() {
        return Ok(Admission::Free);
    }
    Err(EnrollError::PaymentRequired(Box::new(course.clone())))
}
