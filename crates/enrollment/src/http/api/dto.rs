//! What the API shows of enrollments and rosters.

use lyceum_platform::db::rfc3339;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    model::{Enrollment, MyEnrollment, RosterEntry, Status},
    service::query::StatusView,
};

#[derive(Serialize, Deserialize, ToSchema)]
pub struct EnrollBody {
    pub course_id: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct RosterBody {
    /// The learner's account e-mail address.
    pub email: String,
}

#[derive(Serialize, ToSchema)]
pub struct EnrollmentDto {
    pub id: String,
    pub course_id: String,
    pub user_id: String,
    pub status: Status,
    /// When the current enrollment began.
    pub enrolled_at: String,
    pub updated_at: String,
}

impl From<&Enrollment> for EnrollmentDto {
    fn from(e: &Enrollment) -> Self {
        Self {
            id: e.id.clone(),
            course_id: e.course_id.clone(),
            user_id: e.user_id.clone(),
            status: e.status(),
            enrolled_at: rfc3339(e.created_at),
            updated_at: rfc3339(e.updated_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CourseRefDto {
    pub id: String,
    pub slug: String,
    pub title: String,
}

/// One of your enrollments, with its course.
#[derive(Serialize, ToSchema)]
pub struct MyEnrollmentDto {
    #[serde(flatten)]
    pub enrollment: EnrollmentDto,
    pub course: CourseRefDto,
}

impl From<&MyEnrollment> for MyEnrollmentDto {
    fn from(e: &MyEnrollment) -> Self {
        Self {
            enrollment: (&e.enrollment()).into(),
            course: CourseRefDto {
                id: e.course_id.clone(),
                slug: e.course_slug.clone(),
                title: e.course_title.clone(),
            },
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct EnrollmentList {
    pub items: Vec<MyEnrollmentDto>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// Where you stand with a course.
#[derive(Serialize, ToSchema)]
pub struct EnrollmentStatusDto {
    pub course_id: String,
    /// You hold an active enrollment.
    pub enrolled: bool,
    /// Your enrollment, active or cancelled, if you ever enrolled.
    pub enrollment_id: Option<String>,
    pub status: Option<Status>,
    /// The course takes enrollments (it is published).
    pub open: bool,
    /// Absent when the course has no seat limit.
    pub seat_limit: Option<i64>,
    pub seats_left: Option<i64>,
    /// Price in minor units (0 = free) and its ISO 4217 currency.
    pub price_minor: i64,
    pub currency: Option<String>,
    /// Enrolling needs a payment first (402 `payment-required` until billing exists).
    pub payment_required: bool,
}

impl From<&StatusView> for EnrollmentStatusDto {
    fn from(v: &StatusView) -> Self {
        Self {
            course_id: v.offer.id.clone(),
            enrolled: v.enrolled(),
            enrollment_id: v.enrollment.as_ref().map(|e| e.id.clone()),
            status: v.enrollment.as_ref().map(Enrollment::status),
            open: v.open(),
            seat_limit: v.offer.seat_limit,
            seats_left: v.offer.seats_left(),
            price_minor: v.offer.price_minor,
            currency: v.offer.currency.clone(),
            payment_required: v.payment_required(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RosterEntryDto {
    pub enrollment_id: String,
    pub user_id: String,
    pub display_name: String,
    pub email: String,
    pub status: Status,
    pub enrolled_at: String,
}

impl From<&RosterEntry> for RosterEntryDto {
    fn from(r: &RosterEntry) -> Self {
        Self {
            enrollment_id: r.enrollment_id.clone(),
            user_id: r.user_id.clone(),
            display_name: r.display_name.clone(),
            email: r.email.clone(),
            status: Status::parse(&r.status).unwrap_or(Status::Cancelled),
            enrolled_at: rfc3339(r.created_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RosterList {
    pub items: Vec<RosterEntryDto>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RosterParams {
    /// Page size, 1–100 (default 25); outside that range is a 422.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Only `active` or only `cancelled` enrollments (default: both).
    pub status: Option<Status>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatusParams {
    pub course_id: String,
}
