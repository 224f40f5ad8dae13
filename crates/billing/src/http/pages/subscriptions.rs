//! The learner's subscription pages: `/subscribe` (the plans and what they
//! include; choosing one places its first order and leads to the order's
//! page), `/subscription` ("My subscription" in the settings: plan, status,
//! next renewal, cancel or resume, the included courses to enroll in, the
//! payment history), and `POST /subscriptions/enroll/{slug}`.

use std::collections::HashMap;

use askama::Template;
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use lyceum_platform::{
    AppResult, AppState,
    http::extract::PageForm,
    web::{FlashKind, Page, Reply, guard::SignedIn, redirect_with_flash},
};

use super::order_url;
use crate::{
    BillingError,
    gateway::GatewayError,
    model::subscriptions::{Plan, SubscriptionStatus},
    service::subscriptions::{
        self, SubscriptionView, access,
        plans::{self, IncludedCourse},
        subscribe,
    },
};

#[derive(Template)]
#[template(path = "billing/subscribe.html")]
struct SubscribePage {
    page: Page,
    plans: Vec<Plan>,
    courses: Vec<IncludedCourse>,
    gateways: Vec<&'static str>,
    /// The viewer's subscription, when it gives access (no new one then).
    current: Option<SubscriptionView>,
    chosen_plan: String,
    chosen_gateway: String,
    error: Option<String>,
}

impl SubscribePage {
    fn plan_chosen(&self, id: &str) -> bool {
        self.chosen_plan == id || (self.chosen_plan.is_empty() && self.plans.first().is_some_and(|p| p.id == id))
    }
    fn gateway_chosen(&self, id: &str) -> bool {
        self.chosen_gateway == id || (self.chosen_gateway.is_empty() && self.gateways.first() == Some(&id))
    }
}

#[derive(Template)]
#[template(path = "billing/subscription.html")]
struct SubscriptionPage {
    page: Page,
    view: Option<SubscriptionView>,
    courses: Vec<IncludedCourse>,
}

impl SubscriptionPage {
    fn status(&self) -> Option<SubscriptionStatus> {
        self.view.as_ref().map(|v| v.subscription.status())
    }
    fn gives_access(&self) -> bool {
        self.status().is_some_and(SubscriptionStatus::gives_access)
    }
    fn can_cancel(&self) -> bool {
        self.view.as_ref().is_some_and(|v| {
            let s = &v.subscription;
            matches!(s.status(), SubscriptionStatus::Pending | SubscriptionStatus::PastDue)
                || (s.status() == SubscriptionStatus::Active && !s.cancels_at_period_end())
        })
    }
    fn can_resume(&self) -> bool {
        self.view.as_ref().is_some_and(|v| {
            v.subscription.status() == SubscriptionStatus::Active && v.subscription.cancels_at_period_end()
        })
    }
    /// Never subscribed, ended, or waiting on a first order that was cancelled.
    fn can_subscribe_again(&self) -> bool {
        match &self.view {
            None => true,
            Some(v) => match v.subscription.status() {
                SubscriptionStatus::Cancelled | SubscriptionStatus::Lapsed => true,
                SubscriptionStatus::Pending => v.open_order().is_none(),
                _ => false,
            },
        }
    }
}

pub async fn plans_page(State(state): State<AppState>, s: SignedIn) -> AppResult<Response> {
    render_plans(&state, s, String::new(), String::new(), None, StatusCode::OK).await
}

async fn render_plans(
    state: &AppState,
    s: SignedIn,
    chosen_plan: String,
    chosen_gateway: String,
    error: Option<String>,
    status: StatusCode,
) -> AppResult<Response> {
    let plans = plans::active(state).await?;
    let courses = published(plans::included(state).await?);
    let gateways = subscribe::gateways(state).iter().map(|g| g.id()).collect();
    let current = subscriptions::mine(state, &s.viewer).await?.filter(|v| v.subscription.status().gives_access());
    let page = SubscribePage { page: s.page, plans, courses, gateways, current, chosen_plan, chosen_gateway, error };
    Reply::status(status).render(&page)
}

fn published(courses: Vec<IncludedCourse>) -> Vec<IncludedCourse> {
    courses.into_iter().filter(|c| c.state == "published").collect()
}

pub async fn subscribe(
    State(state): State<AppState>,
    s: SignedIn,
    PageForm(form): PageForm<HashMap<String, String>>,
) -> AppResult<Response> {
    let field = |k: &str| form.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
    let (plan, gateway) = (field("plan"), field("gateway"));
    if !plans::active(&state).await?.iter().any(|p| p.id == plan) {
        let message = s.page.t("billing.subscribe.choose_plan");
        return render_plans(&state, s, plan, gateway, Some(message), StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    match subscribe::subscribe(&state, &s.viewer, &plan, &gateway).await {
        Ok(done) => Ok(Redirect::to(&order_url(&done.order.id)).into_response()),
        Err(BillingError::SubscriptionState(_)) => {
            Ok(redirect_with_flash("/subscription", FlashKind::Info, "billing.flash.already_subscribed"))
        }
        Err(BillingError::Invalid { message, .. }) => {
            let message = message.in_lang(s.page.locale);
            render_plans(&state, s, plan, gateway, Some(message), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(BillingError::Gateway(g @ GatewayError::Unavailable(_))) => {
            let message = g.to_string();
            render_plans(&state, s, plan, gateway, Some(message), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(BillingError::Gateway(g)) => {
            let message = g.to_string();
            render_plans(&state, s, plan, gateway, Some(message), StatusCode::BAD_GATEWAY).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn mine(State(state): State<AppState>, s: SignedIn) -> AppResult<Response> {
    let view = subscriptions::mine(&state, &s.viewer).await?;
    let courses = published(plans::included(&state).await?);
    Reply::OK.render(&SubscriptionPage { page: s.page, view, courses })
}

pub async fn cancel(State(state): State<AppState>, s: SignedIn) -> AppResult<Response> {
    let Some(view) = subscriptions::mine(&state, &s.viewer).await? else {
        return Ok(Redirect::to("/subscription").into_response());
    };
    let after = subscriptions::cancel(&state, &s.viewer, &view.subscription.id).await?;
    let key = if after.subscription.cancels_at_period_end() {
        "billing.flash.cancels_at_period_end"
    } else {
        "billing.flash.subscription_cancelled"
    };
    Ok(redirect_with_flash("/subscription", FlashKind::Success, key))
}

pub async fn resume(State(state): State<AppState>, s: SignedIn) -> AppResult<Response> {
    let Some(view) = subscriptions::mine(&state, &s.viewer).await? else {
        return Ok(Redirect::to("/subscription").into_response());
    };
    match subscriptions::resume(&state, &s.viewer, &view.subscription.id).await {
        Ok(_) => Ok(redirect_with_flash("/subscription", FlashKind::Success, "billing.flash.resumed")),
        Err(BillingError::SubscriptionState(_)) => {
            Ok(redirect_with_flash("/subscription", FlashKind::Error, "billing.flash.cannot_resume"))
        }
        Err(e) => Err(e.into()),
    }
}

/// Enrolls through the subscription and opens the course; a refusal goes
/// back where the learner can act on it.
pub async fn enroll(State(state): State<AppState>, s: SignedIn, Path(slug): Path<String>) -> AppResult<Response> {
    let course = format!("/courses/{slug}");
    Ok(match access::enroll_by_slug(&state, &s.viewer, &slug).await {
        Ok(_) => {
            redirect_with_flash(&format!("/learn/{slug}"), FlashKind::Success, "billing.flash.enrolled_subscription")
        }
        Err(BillingError::SubscriptionRequired) => {
            redirect_with_flash("/subscribe", FlashKind::Info, "billing.flash.subscription_required")
        }
        Err(BillingError::NotIncluded) => redirect_with_flash(&course, FlashKind::Error, "billing.flash.not_included"),
        Err(BillingError::NotOpen) => redirect_with_flash(&course, FlashKind::Error, "billing.flash.not_open"),
        Err(BillingError::CourseFull) => redirect_with_flash(&course, FlashKind::Error, "billing.flash.full"),
        Err(e) => return Err(e.into()),
    })
}
