//! Coupons as the administrators keep them: create, read, change the terms,
//! deactivate. A coupon's code and value never change (orders were priced
//! with them) and a coupon is never deleted (orders name it): a different
//! offer is a new coupon, an old one is deactivated. Every change is audited.

use lyceum_courses::service::read;
use lyceum_platform::{
    AppError, AppState, FieldError, Text,
    auth::Viewer,
    db,
    ids::CourseId,
    keyset::{PageRequest, Paged},
    money::{self, Currency},
};
use serde_json::json;
use sqlx::AnyConnection;

use crate::{
    model::Coupon,
    repo::{audit, coupons},
    service::redemption::normalise_code,
};

/// Codes: 3 to 32 letters, digits, `-` or `_` (stored upper case).
pub const CODE_MAX: usize = 32;

/// What a coupon takes off, as asked.
#[derive(Debug, Clone)]
pub enum Value {
    Percent(i64),
    /// Minor units of `currency` (its code as given).
    Fixed {
        amount_minor: i64,
        currency: String,
    },
}

/// A new coupon as asked (by the API or the page), checked by [`create`].
#[derive(Debug, Clone)]
pub struct Draft {
    pub code: String,
    pub value: Value,
    /// `None`: every course.
    pub courses: Option<Vec<CourseId>>,
    pub valid_from: Option<i64>,
    pub valid_until: Option<i64>,
    pub max_redemptions: Option<i64>,
    pub max_per_learner: Option<i64>,
    pub active: bool,
}

/// A change of a coupon's terms; `None` leaves a term as it is (`Some(None)` clears it).
#[derive(Debug, Clone, Default)]
pub struct Change {
    pub active: Option<bool>,
    /// `Some(None)`: every course.
    pub courses: Option<Option<Vec<CourseId>>>,
    pub valid_from: Option<Option<i64>>,
    pub valid_until: Option<Option<i64>>,
    pub max_redemptions: Option<Option<i64>>,
    pub max_per_learner: Option<Option<i64>>,
}

/// A course a coupon is limited to.
#[derive(Debug, Clone)]
pub struct CourseRef {
    pub id: String,
    pub slug: String,
    pub title: String,
}

/// A coupon with the courses it is limited to (empty: every course).
#[derive(Debug, Clone)]
pub struct CouponView {
    pub coupon: Coupon,
    pub courses: Vec<CourseRef>,
}

fn admin_only(viewer: &Viewer) -> Result<(), AppError> {
    if viewer.is_admin() { Ok(()) } else { Err(AppError::forbidden(Text::new("billing.errors.admin_only"))) }
}

/// Coupons newest first (administrators).
pub async fn list(state: &AppState, viewer: &Viewer, page: &PageRequest) -> Result<Paged<Coupon>, AppError> {
    admin_only(viewer)?;
    let before = page.before()?;
    let before = before.as_ref().map(|(at, id)| (*at, id.as_str()));
    let mut conn = state.db.pool().acquire().await?;
    let rows = coupons::page(&mut conn, before, page.fetch()).await?;
    Ok(Paged::from_rows(rows, page, |c| (c.created_at, c.id.as_str())))
}

/// One coupon (administrators); 404 when there is none.
pub async fn get(state: &AppState, viewer: &Viewer, id: &str) -> Result<CouponView, AppError> {
    admin_only(viewer)?;
    let mut conn = state.db.pool().acquire().await?;
    view(&mut conn, id).await?.ok_or_else(AppError::not_found)
}

async fn view(conn: &mut AnyConnection, id: &str) -> Result<Option<CouponView>, AppError> {
    let Some(coupon) = coupons::by_id(conn, id).await? else {
        return Ok(None);
    };
    let ids: Vec<CourseId> = coupons::courses(conn, id).await?.into_iter().map(CourseId::from).collect();
    let found = read::courses(conn, &ids).await?;
    let courses = ids
        .iter()
        .filter_map(|id| found.get(id.as_str()))
        .map(|c| CourseRef { id: c.id.clone(), slug: c.slug.clone(), title: c.title.clone() })
        .collect();
    Ok(Some(CouponView { coupon, courses }))
}

/// Creates a coupon (administrators); a 422 names each field that is wrong. Audited.
pub async fn create(state: &AppState, admin: &Viewer, draft: &Draft) -> Result<CouponView, AppError> {
    admin_only(admin)?;
    let mut errors = Vec::new();
    let code = checked_code(&draft.code, &mut errors);
    let (kind, percent, amount_minor, currency) = checked_value(&draft.value, &mut errors);
    let terms = checked_terms(
        draft.courses.is_none(),
        draft.valid_from,
        draft.valid_until,
        draft.max_redemptions,
        draft.max_per_learner,
        draft.active,
        &mut errors,
    );
    let mut tx = state.db.begin().await?;
    let course_ids = checked_courses(&mut tx, draft.courses.as_deref(), &mut errors).await?;
    if coupons::by_code(&mut tx, &code).await?.is_some() {
        errors.push(FieldError::new("code", Text::new("billing.errors.code_taken")));
    }
    if !errors.is_empty() {
        return Err(AppError::validation(errors));
    }
    let id = db::new_id();
    let new = coupons::NewCoupon {
        id: &id,
        code: &code,
        kind,
        percent,
        amount_minor,
        currency: currency.as_deref(),
        all_courses: terms.all_courses,
        valid_from: terms.valid_from,
        valid_until: terms.valid_until,
        max_redemptions: terms.max_redemptions,
        max_per_learner: terms.max_per_learner,
        active: terms.active,
    };
    coupons::insert(&mut tx, &new).await.map_err(code_clash)?;
    coupons::set_courses(&mut tx, &id, &course_ids).await?;
    let after = view(&mut tx, &id).await?.ok_or_else(AppError::not_found)?;
    record(&mut tx, admin, "coupon.create", None, &after).await?;
    tx.commit().await?;
    Ok(after)
}

/// Changes a coupon's terms (administrators): dates, limits, courses,
/// active. The maximum cannot go below what is already redeemed. Audited.
pub async fn update(state: &AppState, admin: &Viewer, id: &str, change: &Change) -> Result<CouponView, AppError> {
    admin_only(admin)?;
    let mut tx = state.db.begin().await?;
    let before = view(&mut tx, id).await?.ok_or_else(AppError::not_found)?;
    let c = &before.coupon;
    let all_courses = match &change.courses {
        Some(courses) => courses.is_none(),
        None => c.for_all_courses(),
    };
    let mut errors = Vec::new();
    let terms = checked_terms(
        all_courses,
        change.valid_from.unwrap_or(c.valid_from),
        change.valid_until.unwrap_or(c.valid_until),
        change.max_redemptions.unwrap_or(c.max_redemptions.map(i64::from)),
        change.max_per_learner.unwrap_or(c.max_per_learner.map(i64::from)),
        change.active.unwrap_or(c.is_active()),
        &mut errors,
    );
    let course_ids = match &change.courses {
        Some(courses) => Some(checked_courses(&mut tx, courses.as_deref(), &mut errors).await?),
        None => None,
    };
    if !errors.is_empty() {
        return Err(AppError::validation(errors));
    }
    if !coupons::update_terms(&mut tx, id, &terms).await? {
        let message = Text::new("billing.errors.max_below_redeemed").arg("count", c.redeemed_count);
        return Err(AppError::field("max_redemptions", message));
    }
    if let Some(course_ids) = course_ids {
        coupons::set_courses(&mut tx, id, &course_ids).await?;
    }
    let after = view(&mut tx, id).await?.ok_or_else(AppError::not_found)?;
    record(&mut tx, admin, "coupon.update", Some(&before), &after).await?;
    tx.commit().await?;
    Ok(after)
}

/// The courses at these addresses, for a form that names courses by slug;
/// a 422 on `field` names the first address no course has.
pub async fn courses_by_slug(state: &AppState, field: &str, slugs: &[String]) -> Result<Vec<CourseId>, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let mut ids = Vec::new();
    for slug in slugs {
        match read::course_by_slug(&mut conn, slug).await? {
            Some(course) => ids.push(CourseId::from(&course.id)),
            None => {
                return Err(AppError::field(field, Text::new("billing.errors.no_such_course").arg("course", slug)));
            }
        }
    }
    Ok(ids)
}

fn checked_code(raw: &str, errors: &mut Vec<FieldError>) -> String {
    let code = normalise_code(Some(raw)).unwrap_or_default();
    let fits = (3..=CODE_MAX).contains(&code.chars().count())
        && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !fits {
        errors.push(FieldError::new("code", Text::new("billing.errors.code_format").arg("max", CODE_MAX)));
    }
    code
}

/// (kind, percent, amount_minor, currency) as stored.
fn checked_value(
    value: &Value,
    errors: &mut Vec<FieldError>,
) -> (&'static str, Option<i32>, Option<i64>, Option<String>) {
    match value {
        Value::Percent(p) => {
            if !(1..=100).contains(p) {
                errors.push(FieldError::new("percent", Text::new("billing.errors.percent_range")));
            }
            ("percent", Some(i32::try_from(*p).unwrap_or(0)), None, None)
        }
        Value::Fixed { amount_minor, currency } => {
            if !(1..=money::MAX_MINOR).contains(amount_minor) {
                errors.push(FieldError::new("amount_minor", Text::new("billing.errors.amount_range")));
            }
            let currency = match Currency::parse(currency) {
                Ok(c) => Some(c.as_str().to_string()),
                Err(e) => {
                    errors.push(FieldError::new("currency", e.text()));
                    None
                }
            };
            ("fixed", None, Some(*amount_minor), currency)
        }
    }
}

fn checked_terms(
    all_courses: bool,
    valid_from: Option<i64>,
    valid_until: Option<i64>,
    max_redemptions: Option<i64>,
    max_per_learner: Option<i64>,
    active: bool,
    errors: &mut Vec<FieldError>,
) -> coupons::Terms {
    if let (Some(from), Some(until)) = (valid_from, valid_until)
        && until <= from
    {
        errors.push(FieldError::new("valid_until", Text::new("billing.errors.until_before_from")));
    }
    let mut limit = |field: &'static str, value: Option<i64>| match value {
        None => None,
        Some(n) if n >= 1 && n <= i64::from(i32::MAX) => i32::try_from(n).ok(),
        Some(_) => {
            errors.push(FieldError::new(field, Text::new("billing.errors.limit_range")));
            None
        }
    };
    let max_redemptions = limit("max_redemptions", max_redemptions);
    let max_per_learner = limit("max_per_learner", max_per_learner);
    coupons::Terms { all_courses, valid_from, valid_until, max_redemptions, max_per_learner, active }
}

/// The course ids to store for `courses` (empty for every course), each
/// one checked to exist.
async fn checked_courses(
    conn: &mut AnyConnection,
    courses: Option<&[CourseId]>,
    errors: &mut Vec<FieldError>,
) -> Result<Vec<String>, AppError> {
    let Some(courses) = courses else {
        return Ok(Vec::new());
    };
    if courses.is_empty() {
        errors.push(FieldError::new("course_ids", Text::new("billing.errors.courses_empty")));
        return Ok(Vec::new());
    }
    let found = read::courses(conn, courses).await?;
    let mut ids: Vec<String> = Vec::new();
    for id in courses {
        if !found.contains_key(id.as_str()) {
            let message = Text::new("billing.errors.no_such_course").arg("course", id.as_str());
            errors.push(FieldError::new("course_ids", message));
        } else if !ids.iter().any(|known| known == id.as_str()) {
            ids.push(id.as_str().to_string());
        }
    }
    Ok(ids)
}

/// Two administrators creating the same code at once: the second gets the form's message.
fn code_clash(e: sqlx::Error) -> AppError {
    if db::is_unique_violation(&e) { AppError::field("code", Text::new("billing.errors.code_taken")) } else { e.into() }
}

async fn record(
    conn: &mut AnyConnection,
    admin: &Viewer,
    action: &str,
    before: Option<&CouponView>,
    after: &CouponView,
) -> Result<(), sqlx::Error> {
    let entry = audit::Entry {
        actor_id: Some(&admin.user_id),
        action,
        subject_kind: "coupon",
        subject_id: &after.coupon.id,
        before: before.map(as_json),
        after: Some(as_json(after)),
    };
    audit::record(conn, entry).await
}

fn as_json(v: &CouponView) -> serde_json::Value {
    let c = &v.coupon;
    json!({
        "code": c.code, "kind": c.kind, "percent": c.percent, "amount_minor": c.amount_minor,
        "currency": c.currency, "course_ids": v.courses.iter().map(|c| &c.id).collect::<Vec<_>>(),
        "all_courses": c.for_all_courses(), "valid_from": c.valid_from, "valid_until": c.valid_until,
        "max_redemptions": c.max_redemptions, "max_per_learner": c.max_per_learner,
        "redeemed_count": c.redeemed_count, "active": c.is_active(),
    })
}
