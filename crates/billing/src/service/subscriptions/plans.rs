//! Plans and the courses the subscription includes, kept by administrators
//! (audited, like every money action). Learners read the active plans.

use lyceum_courses::service::read;
use lyceum_platform::{
    AppError, AppState, Text,
    auth::Viewer,
    db,
    ids::CourseId,
    money::{Currency, Money},
};
use serde_json::json;

use crate::{
    BillingError,
    model::subscriptions::{Interval, Plan},
    repo::{audit, plans},
};

/// The longest plan name.
pub const NAME_MAX: usize = 100;

/// A plan as an administrator writes it.
#[derive(Debug, Clone)]
pub struct PlanInput {
    pub name: String,
    pub price_minor: i64,
    pub currency: String,
    /// Taking new subscribers (edits only; a new plan is active).
    pub active: bool,
}

/// A course the subscription opens, as listed.
#[derive(Debug, Clone)]
pub struct IncludedCourse {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub state: String,
}

fn admin_only(viewer: &Viewer) -> Result<(), AppError> {
    if viewer.is_admin() { Ok(()) } else { Err(AppError::forbidden(Text::new("billing.errors.plans_admin_only"))) }
}

/// The plans learners may subscribe to.
pub async fn active(state: &AppState) -> Result<Vec<Plan>, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    Ok(plans::list(&mut conn, false).await?)
}

/// Every plan, deactivated ones last (administrators).
pub async fn all(state: &AppState, viewer: &Viewer) -> Result<Vec<Plan>, AppError> {
    admin_only(viewer)?;
    let mut conn = state.db.pool().acquire().await?;
    Ok(plans::list(&mut conn, true).await?)
}

pub async fn get(state: &AppState, id: &str) -> Result<Plan, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    plans::by_id(&mut conn, id).await?.ok_or_else(AppError::not_found)
}

/// Checks a plan's name and price: (trimmed name, price).
fn checked(input: &PlanInput) -> Result<(String, Money), BillingError> {
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > NAME_MAX {
        let message = Text::new("billing.errors.plan_name").arg("max", NAME_MAX).into();
        return Err(BillingError::Invalid { field: "name", message });
    }
    let currency = Currency::parse(input.currency.trim())
        .map_err(|e| BillingError::Invalid { field: "currency", message: e.text().into() })?;
    let price = Money::new(input.price_minor, currency)
        .map_err(|e| BillingError::Invalid { field: "price_minor", message: e.text().into() })?;
    if price.minor <= 0 {
        let message = Text::new("billing.errors.plan_price_positive").into();
        return Err(BillingError::Invalid { field: "price_minor", message });
    }
    Ok((name.to_string(), price))
}

pub async fn create(
    state: &AppState,
    viewer: &Viewer,
    input: &PlanInput,
    interval: Interval,
) -> Result<Plan, BillingError> {
    admin_only(viewer)?;
    let (name, price) = checked(input)?;
    let id = db::new_id();
    let mut tx = state.db.begin().await?;
    let new =
        plans::NewPlan { id: &id, name: &name, interval, price_minor: price.minor, currency: price.currency.as_str() };
    plans::insert(&mut tx, &new).await?;
    let after = json!({ "name": name, "interval": interval.as_str(), "price_minor": price.minor, "currency": price.currency.as_str() });
    audit::record(&mut tx, entry(viewer, "plan.create", "plan", &id, None, Some(after))).await?;
    let plan = plans::by_id(&mut tx, &id).await?.ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(plan)
}

/// Renames, reprices, deactivates or reactivates a plan. A new price applies
/// from each subscription's next renewal; a deactivated plan takes no new
/// subscribers and keeps renewing the existing ones.
pub async fn update(state: &AppState, viewer: &Viewer, id: &str, input: &PlanInput) -> Result<Plan, BillingError> {
    admin_only(viewer)?;
    let (name, price) = checked(input)?;
    let mut tx = state.db.begin().await?;
    let before = plans::by_id(&mut tx, id).await?.ok_or_else(AppError::not_found)?;
    plans::update(&mut tx, id, &name, price.minor, price.currency.as_str(), input.active).await?;
    let after = plans::by_id(&mut tx, id).await?.ok_or_else(AppError::not_found)?;
    let shown = |p: &Plan| json!({ "name": p.name, "price_minor": p.price_minor, "currency": p.currency, "active": p.is_active() });
    audit::record(&mut tx, entry(viewer, "plan.update", "plan", id, Some(shown(&before)), Some(shown(&after)))).await?;
    tx.commit().await?;
    Ok(after)
}

fn entry<'a>(
    viewer: &'a Viewer,
    action: &'a str,
    kind: &'a str,
    id: &'a str,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> audit::Entry<'a> {
    audit::Entry { actor_id: Some(&viewer.user_id), action, subject_kind: kind, subject_id: id, before, after }
}

/// Marks a course included in (`true`) or left out of the subscription. A
/// course left out stays open to those who enrolled through the subscription.
pub async fn set_included(
    state: &AppState,
    viewer: &Viewer,
    course_id: &CourseId,
    included: bool,
) -> Result<IncludedCourse, BillingError> {
    admin_only(viewer)?;
    let mut tx = state.db.begin().await?;
    let course = read::course(&mut tx, course_id).await?.ok_or_else(AppError::not_found)?;
    let changed = if included {
        plans::include(&mut tx, &course.id, &viewer.user_id).await?
    } else {
        plans::exclude(&mut tx, &course.id).await?
    };
    if changed {
        let action = if included { "course.include" } else { "course.exclude" };
        let after = json!({ "included": included, "title": course.title });
        audit::record(&mut tx, entry(viewer, action, "course", &course.id, None, Some(after))).await?;
    }
    tx.commit().await?;
    Ok(IncludedCourse { id: course.id, slug: course.slug, title: course.title, state: course.state })
}

/// The courses the subscription includes, most recently included first (any state; a
/// learner enrolls only in published ones).
pub async fn included(state: &AppState) -> Result<Vec<IncludedCourse>, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let ids = plans::included(&mut conn).await?;
    let typed: Vec<CourseId> = ids.iter().map(CourseId::from).collect();
    let mut courses = read::courses(&mut conn, &typed).await?;
    Ok(ids
        .iter()
        .filter_map(|id| courses.remove(id))
        .map(|c| IncludedCourse { id: c.id, slug: c.slug, title: c.title, state: c.state })
        .collect())
}

/// Whether the course is included in the subscription.
pub async fn is_included(state: &AppState, course_id: &CourseId) -> Result<bool, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    Ok(plans::is_included(&mut conn, course_id.as_str()).await?)
}
