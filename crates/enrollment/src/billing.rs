//! The seam between enrollment and billing: the ONE place that decides whether
//! a learner may enroll in a course that costs money.
//!
//! A learner enrolls in a paid course only by buying it: enrolling directly
//! answers 402 `payment-required` naming the price and the checkout (the
//! billing module's `/checkout/{slug}` page and `POST /api/v1/orders`). The
//! billing module depends on this one, not the other way round: when an order
//! is paid it enrolls the learner through [`crate::service::enroll::admit_paid`].
//! Enrollment itself (seats, the row, events) does not look at prices
//! otherwise. Staff enrolling a learner from the roster bypass this on purpose.

use lyceum_platform::{AppState, auth::Viewer};

use crate::{EnrollError, model::Offer};

/// Why the learner may enroll directly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Admission {
    /// The course is free.
    Free,
}

/// Decides admission to `course` for `viewer`; `PaymentRequired` (402) when payment is needed.
pub async fn checkout(_state: &AppState, _viewer: &Viewer, course: &Offer) -> Result<Admission, EnrollError> {
    if course.is_free() {
        return Ok(Admission::Free);
    }
    Err(EnrollError::PaymentRequired(Box::new(course.clone())))
}
