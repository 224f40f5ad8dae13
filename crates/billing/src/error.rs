//! Why a billing action is refused: the module's own error, matched by its
//! pages and turned into HTTP only at the edge (`From<BillingError> for AppError`).

use lyceum_platform::{AppError, Message, Text};

use crate::gateway::GatewayError;

#[derive(Debug, thiserror::Error)]
pub enum BillingError {
    /// The course is free: enroll instead (409 `course-free`).
    #[error("this course is free: enroll directly")]
    Free,
    /// The learner is enrolled already (409 `already-enrolled`).
    #[error("you are already enrolled in this course")]
    AlreadyEnrolled,
    /// The course does not take enrollments now (409 `course-not-open`).
    #[error("this course is not open for enrollment")]
    NotOpen,
    /// Every seat is taken (409 `course-full`).
    #[error("this course is full: every seat is taken")]
    CourseFull,
    /// The order is not in a state that allows this (409 `order-state`).
    #[error("{0}")]
    OrderState(String),
    /// No subscription gives access now (402 `subscription-required`).
    #[error("you have no active subscription: subscribe at /subscribe (POST /api/v1/subscriptions)")]
    SubscriptionRequired,
    /// The course is not among those the subscription opens (409 `not-included`).
    #[error("this course is not included in the subscription: buy it from its checkout page")]
    NotIncluded,
    /// The subscription is not in a state that allows this (409 `subscription-state`).
    #[error("{0}")]
    SubscriptionState(String),
    /// A field of the request is wrong (422 naming it, with a message a person can act on).
    #[error("{field}: {}", message.english)]
    Invalid { field: &'static str, message: Message },
    /// The coupon `code` cannot be used for this order (422 on the field `coupon`).
    #[error("coupon {code}: {refusal:?}")]
    Coupon { code: String, refusal: CouponRefusal },
    /// The gateway refused or is unavailable (502 `gateway-error`, or 422 when not offered).
    #[error(transparent)]
    Gateway(#[from] GatewayError),
    /// Anything else on the way: not found, validation, a database fault.
    #[error(transparent)]
    Other(#[from] AppError),
}

impl From<sqlx::Error> for BillingError {
    fn from(e: sqlx::Error) -> Self {
        Self::Other(e.into())
    }
}

impl From<BillingError> for AppError {
    fn from(e: BillingError) -> Self {
        let message = e.to_string();
        match e {
            BillingError::Free => AppError::conflict(message).with_kind("course-free"),
            BillingError::AlreadyEnrolled => AppError::conflict(message).with_kind("already-enrolled"),
            BillingError::NotOpen => AppError::conflict(message).with_kind("course-not-open"),
            BillingError::CourseFull => AppError::conflict(message).with_kind("course-full"),
            BillingError::OrderState(_) => AppError::conflict(message).with_kind("order-state"),
            BillingError::SubscriptionRequired => {
                AppError::payment_required(message).with_kind("subscription-required")
            }
            BillingError::NotIncluded => AppError::conflict(message).with_kind("not-included"),
            BillingError::SubscriptionState(_) => AppError::conflict(message).with_kind("subscription-state"),
            BillingError::Invalid { field, message } => AppError::field(field, message),
            BillingError::Coupon { code, refusal } => AppError::field("coupon", refusal.text(&code)),
            BillingError::Gateway(GatewayError::Unavailable(id)) => AppError::field(
                "gateway",
                format!("the payment method \u{201c}{id}\u{201d} is not offered on this site"),
            ),
            BillingError::Gateway(GatewayError::BadWebhook(why)) => AppError::bad_request(why),
            BillingError::Gateway(g) => AppError::bad_gateway(g.to_string()),
            BillingError::Other(e) => e,
        }
    }
}

/// Why a coupon cannot be used, each with a message that says what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CouponRefusal {
    /// No coupon has this code.
    Unknown,
    /// Deactivated by an administrator.
    Inactive,
    /// Valid from this time (epoch ms) only.
    NotYetValid {
        from: i64,
    },
    Expired,
    /// Limited to other courses.
    NotForCourse,
    /// Redeemed as many times as it allows.
    UsedUp,
    /// This learner redeemed it as many times as it allows per learner.
    AlreadyUsed,
    /// A fixed amount in `coupon` currency, for a course priced in `course`.
    OtherCurrency {
        coupon: String,
        course: String,
    },
}

impl CouponRefusal {
    /// The message, naming the code as the learner typed it (upper case).
    pub fn text(&self, code: &str) -> Text {
        let text = match self {
            Self::Unknown => Text::new("billing.errors.coupon_unknown"),
            Self::Inactive => Text::new("billing.errors.coupon_inactive"),
            Self::NotYetValid { from } => {
                Text::new("billing.errors.coupon_not_yet_valid").arg("from", utc_minute(*from))
            }
            Self::Expired => Text::new("billing.errors.coupon_expired"),
            Self::NotForCourse => Text::new("billing.errors.coupon_not_for_course"),
            Self::UsedUp => Text::new("billing.errors.coupon_used_up"),
            Self::AlreadyUsed => Text::new("billing.errors.coupon_already_used"),
            Self::OtherCurrency { coupon, course } => {
                Text::new("billing.errors.coupon_other_currency").arg("coupon_currency", coupon).arg("currency", course)
            }
        };
        text.arg("code", code)
    }
}

/// `2026-12-20 09:00 UTC`: a time in a message every language reads.
fn utc_minute(epoch_ms: i64) -> String {
    jiff::Timestamp::from_millisecond(epoch_ms)
        .map(|t| t.strftime("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default()
}
