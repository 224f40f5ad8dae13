//! Why an enrollment is refused: the module's own error, matched by its pages
//! and turned into HTTP only at the edge (`From<EnrollError> for AppError`).

use lyceum_platform::{AppError, Text};

use crate::model::Offer;

#[derive(Debug)]
pub enum EnrollError {
    /// The course costs money and billing found no payment (402 `payment-required`).
    PaymentRequired(Box<Offer>),
    /// Every seat is taken (409 `course-full`).
    CourseFull(Box<Offer>),
    /// The course does not take enrollments now: a draft, or archived (409
    /// `course-not-open`); the key of the text that says which.
    NotOpen(&'static str),
    /// Anything else on the way: not found, a database fault, access.
    Other(AppError),
}

impl From<AppError> for EnrollError {
    fn from(e: AppError) -> Self {
        Self::Other(e)
    }
}

impl From<sqlx::Error> for EnrollError {
    fn from(e: sqlx::Error) -> Self {
        Self::Other(e.into())
    }
}

impl From<EnrollError> for AppError {
    fn from(e: EnrollError) -> Self {
        match e {
            EnrollError::PaymentRequired(offer) => AppError::payment_required(format!(
                "\u{201c}{}\u{201d} costs {}. Buy it to enroll: POST /api/v1/orders with its course_id, \
                 or the checkout page /checkout/{}.",
                offer.title,
                // The problem's text is English, like the rest of the API's messages.
                offer.price().map(|price| price.format("en")).unwrap_or_default(),
                offer.slug
            )),
            EnrollError::CourseFull(offer) => {
                let seats = offer.seat_limit.unwrap_or(offer.enrolled_count);
                let full = Text::new("enrollment.errors.full").arg("title", &offer.title).arg("seats", seats);
                AppError::conflict(full).with_kind("course-full")
            }
            EnrollError::NotOpen(key) => AppError::conflict(Text::new(key)).with_kind("course-not-open"),
            EnrollError::Other(e) => e,
        }
    }
}
