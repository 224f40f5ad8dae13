//! `/api/v1/subscription-plans…` (tag `subscriptions`): the plans learners
//! subscribe to and the courses the subscription includes; administrators
//! create, edit and deactivate plans and mark courses included.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use lyceum_platform::{
    AppError, AppResult, AppState,
    auth::{AdminUser, MaybeUser},
    http::{
        errors::Problem,
        extract::{ApiJson, ApiQuery},
    },
    ids::CourseId,
};

use super::subscription_dto::*;
use crate::service::subscriptions::plans::{self, PlanInput};

/// The plans you may subscribe to, by price. Administrators may ask for
/// every plan (`all=true`, deactivated ones last); anyone else asking that: 403.
#[utoipa::path(get, path = "/api/v1/subscription-plans", tag = "subscriptions",
    params(PlanParams),
    responses((status = 200, body = PlanList), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem)))]
pub async fn list_plans(
    State(state): State<AppState>,
    MaybeUser(viewer): MaybeUser,
    ApiQuery(p): ApiQuery<PlanParams>,
) -> AppResult<Json<PlanList>> {
    let plans = if p.all {
        let viewer = viewer.ok_or_else(|| AppError::unauthorized("Sign in as an administrator to see every plan."))?;
        plans::all(&state, &viewer).await?
    } else {
        plans::active(&state).await?
    };
    Ok(Json(PlanList { items: plans.iter().map(Into::into).collect() }))
}

/// Administrators: a new plan (a price per month or per year). 422 naming
/// the field for an empty name, an unknown currency or a price that is not positive.
#[utoipa::path(post, path = "/api/v1/subscription-plans", security(("bearer" = []), ("session" = [])), tag = "subscriptions",
    request_body = PlanBody,
    responses((status = 201, body = PlanDto), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_plan(
    State(state): State<AppState>,
    AdminUser(v): AdminUser,
    ApiJson(body): ApiJson<PlanBody>,
) -> AppResult<(StatusCode, Json<PlanDto>)> {
    let input = PlanInput { name: body.name, price_minor: body.price_minor, currency: body.currency, active: true };
    let plan = plans::create(&state, &v, &input, body.interval).await?;
    Ok((StatusCode::CREATED, Json((&plan).into())))
}

/// Administrators: rename, reprice (from each subscriber's next renewal),
/// deactivate (`active: false`: no new subscribers; existing ones keep
/// renewing) or reactivate a plan. Audited.
#[utoipa::path(patch, path = "/api/v1/subscription-plans/{id}", security(("bearer" = []), ("session" = [])), tag = "subscriptions",
    params(("id" = String, Path)),
    request_body = PlanPatch,
    responses((status = 200, body = PlanDto), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update_plan(
    State(state): State<AppState>,
    AdminUser(v): AdminUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<PlanPatch>,
) -> AppResult<Json<PlanDto>> {
    let current = plans::get(&state, &id).await?;
    let input = PlanInput {
        name: body.name.unwrap_or(current.name.clone()),
        price_minor: body.price_minor.unwrap_or(current.price_minor),
        currency: body.currency.unwrap_or(current.currency.clone()),
        active: body.active.unwrap_or(current.is_active()),
    };
    Ok(Json((&plans::update(&state, &v, &id, &input).await?).into()))
}

/// The courses the subscription opens (every plan opens all of them).
#[utoipa::path(get, path = "/api/v1/subscription-plans/included-courses", tag = "subscriptions",
    responses((status = 200, body = IncludedCourseList)))]
pub async fn list_included(State(state): State<AppState>) -> AppResult<Json<IncludedCourseList>> {
    let courses = plans::included(&state).await?;
    let items = courses.iter().filter(|c| c.state == "published").map(Into::into).collect();
    Ok(Json(IncludedCourseList { items }))
}

/// Administrators: include a course in the subscription (repeating it changes nothing).
#[utoipa::path(put, path = "/api/v1/subscription-plans/included-courses/{course_id}", security(("bearer" = []), ("session" = [])), tag = "subscriptions",
    params(("course_id" = String, Path)),
    responses((status = 200, body = IncludedCourseDto), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn include_course(
    State(state): State<AppState>,
    AdminUser(v): AdminUser,
    Path(course_id): Path<CourseId>,
) -> AppResult<Json<IncludedCourseDto>> {
    Ok(Json((&plans::set_included(&state, &v, &course_id, true).await?).into()))
}

/// Administrators: leave a course out of the subscription. Learners who
/// enrolled through it keep their enrollment.
#[utoipa::path(delete, path = "/api/v1/subscription-plans/included-courses/{course_id}", security(("bearer" = []), ("session" = [])), tag = "subscriptions",
    params(("course_id" = String, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn exclude_course(
    State(state): State<AppState>,
    AdminUser(v): AdminUser,
    Path(course_id): Path<CourseId>,
) -> AppResult<StatusCode> {
    plans::set_included(&state, &v, &course_id, false).await?;
    Ok(StatusCode::NO_CONTENT)
}
