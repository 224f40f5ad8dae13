//! Administrators' subscription pages: `/admin/subscriptions` (every
//! subscription by state, with its learner) and `/admin/subscription-plans`
//! (plans: create, rename, reprice, deactivate; the courses included).

use std::collections::HashMap;

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::Response,
};
use lyceum_accounts::service::directory::{self, Person};
use lyceum_courses::service::read;
use lyceum_platform::{
    AppResult, AppState,
    http::extract::PageForm,
    ids::{CourseId, UserId},
    keyset::{PageRequest, Paged},
    money::{Currency, Money},
    web::{FlashKind, Page, Reply, guard::AdminPage, redirect_with_flash},
};
use serde::Deserialize;

use crate::{
    BillingError,
    model::subscriptions::{Interval, Plan, Subscription, SubscriptionStatus},
    service::subscriptions::{
        self,
        plans::{self, IncludedCourse, PlanInput},
    },
};

const PLANS_URL: &str = "/admin/subscription-plans";

#[derive(Deserialize)]
pub struct Filters {
    status: Option<String>,
    cursor: Option<String>,
}

#[derive(Template)]
#[template(path = "billing/admin_subscriptions.html")]
struct AdminSubscriptions {
    page: Page,
    subscriptions: Paged<Subscription>,
    people: HashMap<String, Person>,
    plans: HashMap<String, Plan>,
    status: String,
    statuses: Vec<&'static str>,
}

impl AdminSubscriptions {
    fn learner(&self, user_id: &str) -> String {
        self.people.get(user_id).map(|p| format!("{} <{}>", p.display_name, p.email)).unwrap_or_default()
    }
    fn plan_name(&self, plan_id: &str) -> String {
        self.plans.get(plan_id).map(|p| p.name.clone()).unwrap_or_default()
    }
}

pub async fn list(State(state): State<AppState>, a: AdminPage, Query(f): Query<Filters>) -> AppResult<Response> {
    let status = f.status.as_deref().and_then(SubscriptionStatus::parse);
    let page = PageRequest::new(Some(50), f.cursor.as_deref())?;
    let subscriptions = subscriptions::all(&state, &a.viewer, status, &page).await?;
    let ids: Vec<UserId> = subscriptions.items.iter().map(|s| UserId::from(s.user_id.as_str())).collect();
    let people = {
        let mut conn = state.db.pool().acquire().await?;
        directory::people(&mut conn, &ids).await?
    };
    let plans = plans::all(&state, &a.viewer).await?.into_iter().map(|p| (p.id.clone(), p)).collect();
    let status = status.map(|s| s.as_str().to_string()).unwrap_or_default();
    let statuses = SubscriptionStatus::ALL.iter().map(|s| s.as_str()).collect();
    Reply::OK.render(&AdminSubscriptions { page: a.page, subscriptions, people, plans, status, statuses })
}

#[derive(Template)]
#[template(path = "billing/admin_plans.html")]
struct AdminPlans {
    page: Page,
    plans: Vec<Plan>,
    courses: Vec<IncludedCourse>,
    currencies: Vec<&'static str>,
}

impl AdminPlans {
    /// A plan's price as a person types it (`19.99`).
    fn major(&self, plan: &Plan) -> String {
        plan.price().decimal()
    }
}

pub async fn plans_page(State(state): State<AppState>, a: AdminPage) -> AppResult<Response> {
    let plans = plans::all(&state, &a.viewer).await?;
    let courses = plans::included(&state).await?;
    let currencies = Currency::ALL.iter().map(|c| c.as_str()).collect();
    Reply::OK.render(&AdminPlans { page: a.page, plans, courses, currencies })
}

/// The plan fields of a form; a price that cannot be read is the flash `billing.flash.bad_amount`.
fn plan_input(form: &HashMap<String, String>) -> Option<PlanInput> {
    let field = |k: &str| form.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
    let currency = Currency::parse(&field("currency")).ok()?;
    let price = Money::parse_major(&field("price"), currency).ok()?;
    Some(PlanInput {
        name: field("name"),
        price_minor: price.minor,
        currency: currency.as_str().to_string(),
        active: form.contains_key("active"),
    })
}

/// A refused plan goes back to the plans page saying why.
fn plan_refused(e: BillingError) -> AppResult<Response> {
    match e {
        BillingError::Invalid { field: "name", .. } => {
            Ok(redirect_with_flash(PLANS_URL, FlashKind::Error, "billing.flash.plan_name"))
        }
        BillingError::Invalid { .. } => {
            Ok(redirect_with_flash(PLANS_URL, FlashKind::Error, "billing.flash.bad_amount"))
        }
        other => Err(other.into()),
    }
}

pub async fn create_plan(
    State(state): State<AppState>,
    a: AdminPage,
    PageForm(form): PageForm<HashMap<String, String>>,
) -> AppResult<Response> {
    let Some(mut input) = plan_input(&form) else {
        return Ok(redirect_with_flash(PLANS_URL, FlashKind::Error, "billing.flash.bad_amount"));
    };
    input.active = true;
    let interval = form.get("interval").and_then(|i| Interval::parse(i)).unwrap_or(Interval::Month);
    match plans::create(&state, &a.viewer, &input, interval).await {
        Ok(_) => Ok(redirect_with_flash(PLANS_URL, FlashKind::Success, "billing.flash.plan_saved")),
        Err(e) => plan_refused(e),
    }
}

pub async fn update_plan(
    State(state): State<AppState>,
    a: AdminPage,
    Path(id): Path<String>,
    PageForm(form): PageForm<HashMap<String, String>>,
) -> AppResult<Response> {
    let Some(input) = plan_input(&form) else {
        return Ok(redirect_with_flash(PLANS_URL, FlashKind::Error, "billing.flash.bad_amount"));
    };
    match plans::update(&state, &a.viewer, &id, &input).await {
        Ok(_) => Ok(redirect_with_flash(PLANS_URL, FlashKind::Success, "billing.flash.plan_saved")),
        Err(e) => plan_refused(e),
    }
}

/// Includes the course whose address (slug) the administrator typed.
pub async fn include(
    State(state): State<AppState>,
    a: AdminPage,
    PageForm(form): PageForm<HashMap<String, String>>,
) -> AppResult<Response> {
    let slug = form.get("slug").map(|s| s.trim().trim_matches('/').rsplit('/').next().unwrap_or("")).unwrap_or("");
    let course = {
        let mut conn = state.db.pool().acquire().await?;
        read::course_by_slug(&mut conn, slug).await?
    };
    let Some(course) = course else {
        return Ok(redirect_with_flash(PLANS_URL, FlashKind::Error, "billing.flash.no_such_course"));
    };
    plans::set_included(&state, &a.viewer, &CourseId::from(&course.id), true).await?;
    Ok(redirect_with_flash(PLANS_URL, FlashKind::Success, "billing.flash.course_included"))
}

pub async fn exclude(
    State(state): State<AppState>,
    a: AdminPage,
    Path(course_id): Path<CourseId>,
) -> AppResult<Response> {
    plans::set_included(&state, &a.viewer, &course_id, false).await?;
    Ok(redirect_with_flash(PLANS_URL, FlashKind::Success, "billing.flash.course_excluded"))
}
