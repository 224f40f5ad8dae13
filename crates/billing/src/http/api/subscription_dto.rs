//! What the API shows of plans and subscriptions, and takes to change them.

use std::collections::HashMap;

use lyceum_enrollment::model::Enrollment;
use lyceum_platform::db::rfc3339;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::dto::{NextStepDto, OrderDto};
use crate::{
    model::subscriptions::{Interval, Plan, Subscription, SubscriptionStatus},
    service::subscriptions::{SubscriptionView, plans::IncludedCourse},
};

#[derive(Serialize, ToSchema)]
pub struct PlanDto {
    pub id: String,
    pub name: String,
    pub interval: Interval,
    /// The price of one period, in minor units of `currency`.
    pub price_minor: i64,
    pub currency: String,
    /// Whether new learners may subscribe (a deactivated plan keeps renewing its subscribers).
    pub active: bool,
    pub created_at: String,
    pub updated_at: String,
}

impl From<&Plan> for PlanDto {
    fn from(p: &Plan) -> Self {
        Self {
            id: p.id.clone(),
            name: p.name.clone(),
            interval: p.interval(),
            price_minor: p.price_minor,
            currency: p.currency.clone(),
            active: p.is_active(),
            created_at: rfc3339(p.created_at),
            updated_at: rfc3339(p.updated_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PlanList {
    pub items: Vec<PlanDto>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlanParams {
    /// Administrators: also the deactivated plans.
    #[serde(default)]
    pub all: bool,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct PlanBody {
    pub name: String,
    pub interval: Interval,
    /// In minor units of `currency` (1999 is 19.99 EUR); more than zero.
    pub price_minor: i64,
    /// ISO 4217, e.g. `EUR`.
    pub currency: String,
}

/// What to change of a plan; absent fields stay as they are.
#[derive(Serialize, Deserialize, ToSchema, Default)]
pub struct PlanPatch {
    pub name: Option<String>,
    pub price_minor: Option<i64>,
    pub currency: Option<String>,
    /// `false` deactivates the plan (no new subscribers), `true` reactivates it.
    pub active: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct IncludedCourseDto {
    pub course_id: String,
    pub slug: String,
    pub title: String,
}

impl From<&IncludedCourse> for IncludedCourseDto {
    fn from(c: &IncludedCourse) -> Self {
        Self { course_id: c.id.clone(), slug: c.slug.clone(), title: c.title.clone() }
    }
}

#[derive(Serialize, ToSchema)]
pub struct IncludedCourseList {
    pub items: Vec<IncludedCourseDto>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct SubscribeBody {
    pub plan_id: String,
    /// One of the site's gateways (`GET /api/v1/payments/gateways`).
    pub gateway: String,
}

#[derive(Serialize, ToSchema)]
pub struct SubscriptionDto {
    pub id: String,
    pub user_id: String,
    pub plan: PlanDto,
    pub status: SubscriptionStatus,
    pub gateway: String,
    pub current_period_start: Option<String>,
    pub current_period_end: Option<String>,
    /// The learner asked to stop at the end of the current period.
    pub cancel_at_period_end: bool,
    /// When the next renewal is charged; absent when it will not renew.
    pub renews_at: Option<String>,
    /// Unpaid renewal attempts so far (past due).
    pub failed_attempts: i32,
    pub next_retry_at: Option<String>,
    /// While past due: access ends then unless the renewal is paid.
    pub grace_ends_at: Option<String>,
    pub ended_at: Option<String>,
    pub created_at: String,
}

impl SubscriptionDto {
    pub fn new(s: &Subscription, plan: &Plan) -> Self {
        let renews = s.status() == SubscriptionStatus::Active && !s.cancels_at_period_end();
        Self {
            id: s.id.clone(),
            user_id: s.user_id.clone(),
            plan: plan.into(),
            status: s.status(),
            gateway: s.gateway.clone(),
            current_period_start: s.current_period_start.map(rfc3339),
            current_period_end: s.current_period_end.map(rfc3339),
            cancel_at_period_end: s.cancels_at_period_end(),
            renews_at: s.current_period_end.filter(|_| renews).map(rfc3339),
            failed_attempts: s.failed_attempts,
            next_retry_at: s.next_retry_at.map(rfc3339),
            grace_ends_at: s.grace_ends_at.map(rfc3339),
            ended_at: s.ended_at.map(rfc3339),
            created_at: rfc3339(s.created_at),
        }
    }
}

/// A subscription with its payment history (its orders, newest first).
#[derive(Serialize, ToSchema)]
pub struct SubscriptionDetailDto {
    #[serde(flatten)]
    pub subscription: SubscriptionDto,
    pub orders: Vec<OrderDto>,
}

impl From<&SubscriptionView> for SubscriptionDetailDto {
    fn from(v: &SubscriptionView) -> Self {
        Self {
            subscription: SubscriptionDto::new(&v.subscription, &v.plan),
            orders: v.orders.iter().map(Into::into).collect(),
        }
    }
}

/// Your subscription, if you ever subscribed (`null` otherwise).
#[derive(Serialize, ToSchema)]
pub struct MySubscriptionDto {
    pub subscription: Option<SubscriptionDetailDto>,
}

/// A subscription just asked for: its first order and what to do next to pay it.
#[derive(Serialize, ToSchema)]
pub struct SubscribedDto {
    pub subscription: SubscriptionDto,
    pub order: OrderDto,
    pub next: Option<NextStepDto>,
    /// Where a browser shows the order and its progress.
    pub order_url: String,
}

#[derive(Serialize, ToSchema)]
pub struct SubscriptionList {
    pub items: Vec<SubscriptionDto>,
    pub next_cursor: Option<String>,
}

impl SubscriptionList {
    /// The page's subscriptions with their plans (`plans`: every plan by id).
    pub fn new(items: &[Subscription], plans: &HashMap<String, Plan>, next_cursor: Option<String>) -> Self {
        let items =
            items.iter().filter_map(|s| plans.get(&s.plan_id).map(|plan| SubscriptionDto::new(s, plan))).collect();
        Self { items, next_cursor }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AdminSubscriptionParams {
    /// Only subscriptions in this state.
    pub status: Option<SubscriptionStatus>,
    /// Page size, 1–100 (default 25); outside that range is a 422.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct SubscriptionEnrollBody {
    pub course_id: String,
}

/// An enrollment opened through the subscription.
#[derive(Serialize, ToSchema)]
pub struct SubscriptionEnrollmentDto {
    pub enrollment_id: String,
    pub course_id: String,
    /// `active`.
    pub status: String,
    pub enrolled_at: String,
}

impl From<&Enrollment> for SubscriptionEnrollmentDto {
    fn from(e: &Enrollment) -> Self {
        Self {
            enrollment_id: e.id.clone(),
            course_id: e.course_id.clone(),
            status: e.status.clone(),
            enrolled_at: rfc3339(e.created_at),
        }
    }
}
