//! `/admin/coupons`: the coupons with their redemptions (used / maximum), a
//! new coupon, and a coupon's terms to edit or deactivate. The same service
//! as the API checks and audits every change.

use std::collections::HashMap;

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::Response,
};
use lyceum_platform::{
    AppResult, AppState, FieldError,
    http::extract::PageForm,
    keyset::{PageParams, Paged},
    money::{Currency, Money},
    web::{
        FlashKind, FormErrors, Page, Refused, Reply,
        guard::AdminPage,
        redirect_with_flash,
        typed::{Typed, local_input},
    },
};

use crate::{
    model::{Coupon, Discount},
    service::coupons::{self, Change, CouponView, Draft, Value},
};

#[derive(Template)]
#[template(path = "billing/admin_coupons.html")]
struct CouponsPage {
    page: Page,
    coupons: Paged<Coupon>,
}

impl CouponsPage {
    fn value(&self, c: &Coupon) -> String {
        describe(&self.page, c)
    }
}

/// "20 %" or "€5.00": what a coupon takes off, as a person reads it.
fn describe(page: &Page, c: &Coupon) -> String {
    match c.discount() {
        Some(Discount::Percent(p)) => format!("{p} %"),
        Some(Discount::Fixed(amount)) => page.money(amount),
        None => String::new(),
    }
}

/// The fields of the coupon form, as typed.
#[derive(Debug, Default, Clone)]
struct Fields {
    code: String,
    /// A fixed amount (rather than a percentage).
    fixed: bool,
    percent: String,
    amount: String,
    currency: String,
    courses: String,
    valid_from: String,
    valid_until: String,
    max_redemptions: String,
    max_per_learner: String,
}

impl Fields {
    fn from_form(form: &HashMap<String, String>) -> Self {
        let get = |k: &str| form.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
        Fields {
            code: get("code"),
            fixed: form.get("kind").is_some_and(|k| k == "fixed"),
            percent: get("percent"),
            amount: get("amount"),
            currency: get("currency"),
            courses: get("courses"),
            valid_from: get("valid_from"),
            valid_until: get("valid_until"),
            max_redemptions: get("max_redemptions"),
            max_per_learner: get("max_per_learner"),
        }
    }

    /// The terms of `v` as its edit form shows them.
    fn of(page: &Page, v: &CouponView) -> Self {
        let c = &v.coupon;
        let number = |n: Option<i32>| n.map(|n| n.to_string()).unwrap_or_default();
        Fields {
            code: c.code.clone(),
            fixed: matches!(c.discount(), Some(Discount::Fixed(_))),
            courses: v.courses.iter().map(|c| c.slug.as_str()).collect::<Vec<_>>().join(", "),
            valid_from: local_input(page, c.valid_from),
            valid_until: local_input(page, c.valid_until),
            max_redemptions: number(c.max_redemptions),
            max_per_learner: number(c.max_per_learner),
            ..Fields::default()
        }
    }

    fn slugs(&self) -> Vec<String> {
        self.courses.split([',', ' ', '\n']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
    }
}

#[derive(Template)]
#[template(path = "billing/admin_coupon.html")]
struct CouponForm {
    page: Page,
    /// `None`: a new coupon.
    existing: Option<CouponView>,
    fields: Fields,
    errors: FormErrors,
    currencies: &'static [Currency],
}

impl CouponForm {
    fn value(&self, c: &Coupon) -> String {
        describe(&self.page, c)
    }
    fn is_fixed(&self) -> bool {
        self.fields.fixed
    }
}

pub async fn list(State(state): State<AppState>, a: AdminPage, Query(p): Query<PageParams>) -> AppResult<Response> {
    let coupons = coupons::list(&state, &a.viewer, &p.request()?).await?;
    Reply::OK.render(&CouponsPage { page: a.page, coupons })
}

pub async fn new(a: AdminPage) -> AppResult<Response> {
    let fields = Fields::default();
    form(a.page, None, fields, FormErrors::none(), Reply::OK)
}

pub async fn create(
    State(state): State<AppState>,
    a: AdminPage,
    PageForm(form_data): PageForm<HashMap<String, String>>,
) -> AppResult<Response> {
    let fields = Fields::from_form(&form_data);
    let draft = match draft(&state, &a.page, &fields).await? {
        Ok(draft) => draft,
        Err(errors) => {
            return form(a.page, None, fields, errors, Reply::status(http::StatusCode::UNPROCESSABLE_ENTITY));
        }
    };
    match coupons::create(&state, &a.viewer, &draft).await {
        Ok(_) => Ok(redirect_with_flash("/admin/coupons", FlashKind::Success, "billing.flash.coupon_created")),
        Err(e) => {
            let refused = Refused::from_error(e, a.page.locale)?;
            form(a.page, None, fields, page_fields(refused.errors), refused.reply)
        }
    }
}

pub async fn edit(State(state): State<AppState>, a: AdminPage, Path(id): Path<String>) -> AppResult<Response> {
    let view = coupons::get(&state, &a.viewer, &id).await?;
    let fields = Fields::of(&a.page, &view);
    form(a.page, Some(view), fields, FormErrors::none(), Reply::OK)
}

pub async fn save(
    State(state): State<AppState>,
    a: AdminPage,
    Path(id): Path<String>,
    PageForm(form_data): PageForm<HashMap<String, String>>,
) -> AppResult<Response> {
    let view = coupons::get(&state, &a.viewer, &id).await?;
    let fixed = matches!(view.coupon.discount(), Some(Discount::Fixed(_)));
    let fields = Fields { code: view.coupon.code.clone(), fixed, ..Fields::from_form(&form_data) };
    let change = match terms(&state, Typed::new(&a.page), &fields).await? {
        Ok(change) => change,
        Err(errors) => {
            let reply = Reply::status(http::StatusCode::UNPROCESSABLE_ENTITY);
            return form(a.page, Some(view), fields, errors, reply);
        }
    };
    match coupons::update(&state, &a.viewer, &id, &change).await {
        Ok(_) => Ok(redirect_with_flash(&edit_url(&id), FlashKind::Success, "billing.flash.coupon_saved")),
        Err(e) => {
            let refused = Refused::from_error(e, a.page.locale)?;
            form(a.page, Some(view), fields, page_fields(refused.errors), refused.reply)
        }
    }
}

/// Deactivates (`active=0`) or reactivates (`active=1`) a coupon.
pub async fn set_active(
    State(state): State<AppState>,
    a: AdminPage,
    Path(id): Path<String>,
    PageForm(form_data): PageForm<HashMap<String, String>>,
) -> AppResult<Response> {
    let active = form_data.get("active").is_some_and(|v| v == "1");
    coupons::update(&state, &a.viewer, &id, &Change { active: Some(active), ..Change::default() }).await?;
    let key = if active { "billing.flash.coupon_activated" } else { "billing.flash.coupon_deactivated" };
    Ok(redirect_with_flash(&edit_url(&id), FlashKind::Success, key))
}

fn edit_url(id: &str) -> String {
    format!("/admin/coupons/{id}")
}

fn form(
    page: Page,
    existing: Option<CouponView>,
    fields: Fields,
    errors: FormErrors,
    reply: Reply,
) -> AppResult<Response> {
    reply.render(&CouponForm { page, existing, fields, errors, currencies: Currency::ALL })
}

/// The service names the API's fields; the form's are named for what a person types.
fn page_fields(mut errors: FormErrors) -> FormErrors {
    for f in &mut errors.fields {
        f.field = match f.field.as_str() {
            "amount_minor" => "amount".into(),
            "course_ids" => "courses".into(),
            other => other.into(),
        };
    }
    errors
}

/// The new coupon the form describes, or the messages for what cannot be read.
async fn draft(state: &AppState, page: &Page, f: &Fields) -> AppResult<Result<Draft, FormErrors>> {
    let mut typed = Typed::new(page);
    let value = if f.fixed {
        match Currency::parse(&f.currency) {
            Ok(currency) => match Money::parse_major(&f.amount, currency) {
                Ok(m) => Some(Value::Fixed { amount_minor: m.minor, currency: currency.as_str().into() }),
                Err(e) => {
                    typed.errors.push(FieldError::new("amount", e.text()));
                    None
                }
            },
            Err(e) => {
                typed.errors.push(FieldError::new("currency", e.text()));
                None
            }
        }
    } else {
        Some(Value::Percent(typed.whole("percent", &f.percent).unwrap_or(0)))
    };
    // A value that cannot be read left its message in `typed`: the terms come back refused.
    let (terms, value) = match (terms(state, typed, f).await?, value) {
        (Ok(terms), Some(value)) => (terms, value),
        (Err(errors), _) => return Ok(Err(errors)),
        (Ok(_), None) => return Ok(Err(FormErrors::none())),
    };
    Ok(Ok(Draft {
        code: f.code.clone(),
        value,
        courses: terms.courses.flatten(),
        valid_from: terms.valid_from.flatten(),
        valid_until: terms.valid_until.flatten(),
        max_redemptions: terms.max_redemptions.flatten(),
        max_per_learner: terms.max_per_learner.flatten(),
        active: true,
    }))
}

/// The terms the form sets (every one of them, as shown), or the messages
/// for what cannot be read (including any `typed` holds already).
async fn terms(state: &AppState, mut typed: Typed<'_>, f: &Fields) -> AppResult<Result<Change, FormErrors>> {
    let valid_from = typed.local_time("valid_from", &f.valid_from);
    let valid_until = typed.local_time("valid_until", &f.valid_until);
    let max_redemptions = typed.whole("max_redemptions", &f.max_redemptions);
    let max_per_learner = typed.whole("max_per_learner", &f.max_per_learner);
    let slugs = f.slugs();
    let courses = if slugs.is_empty() {
        None
    } else {
        match coupons::courses_by_slug(state, "courses", &slugs).await {
            Ok(ids) => Some(ids),
            Err(e) if !e.fields.is_empty() => {
                typed.errors.extend(e.fields);
                None
            }
            Err(e) => return Err(e),
        }
    };
    if !typed.errors.is_empty() {
        return Ok(Err(FormErrors { general: None, fields: std::mem::take(&mut typed.errors) }));
    }
    Ok(Ok(Change {
        active: None,
        courses: Some(courses),
        valid_from: Some(valid_from),
        valid_until: Some(valid_until),
        max_redemptions: Some(max_redemptions),
        max_per_learner: Some(max_per_learner),
    }))
}
