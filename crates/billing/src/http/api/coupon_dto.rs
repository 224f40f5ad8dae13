//! What the API shows of coupons and tax rates and takes to change them.
//! Times are RFC 3339; amounts integer minor units.

use lyceum_platform::{AppError, FieldError, Text, db::rfc3339, ids::CourseId};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;

use crate::{
    model::{Coupon, Discount, TaxRate},
    service::coupons::{Change, CouponView, Draft, Value},
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CouponKind {
    /// A percentage of the price (`percent`).
    Percent,
    /// A fixed amount (`amount_minor` of `currency`), for prices in that currency only.
    Fixed,
}

fn yes() -> bool {
    true
}

/// `Some(None)` for an explicit `null`, `None` when the field is absent (with `#[serde(default)]`).
fn nullable<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// A new coupon.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCouponBody {
    /// 3–32 letters, digits, `-` or `_`, unique; matched ignoring case (stored upper case).
    pub code: String,
    pub kind: CouponKind,
    /// `percent` coupons: 1–100 (rounded half-up to the currency's minor unit).
    #[serde(default)]
    pub percent: Option<i64>,
    /// `fixed` coupons: the amount taken off, in minor units of `currency` (never more than the price).
    #[serde(default)]
    pub amount_minor: Option<i64>,
    /// `fixed` coupons: ISO 4217 code; the coupon applies to prices in this currency only.
    #[serde(default)]
    pub currency: Option<String>,
    /// The courses it applies to; absent or `null`: every course.
    #[serde(default)]
    pub course_ids: Option<Vec<String>>,
    /// Usable from this time (RFC 3339); absent: at once.
    #[serde(default)]
    #[schema(format = DateTime)]
    pub valid_from: Option<String>,
    /// Usable until this time, exclusive (RFC 3339); absent: no end.
    #[serde(default)]
    #[schema(format = DateTime)]
    pub valid_until: Option<String>,
    /// Redemptions in all, at least 1; absent: no limit.
    #[serde(default)]
    pub max_redemptions: Option<i64>,
    /// Redemptions per learner, at least 1; absent: no limit.
    #[serde(default)]
    pub max_per_learner: Option<i64>,
    /// Default `true`.
    #[serde(default = "yes")]
    pub active: bool,
}

impl NewCouponBody {
    /// The draft to create, or a 422 naming each field that cannot be read.
    pub fn into_draft(self) -> Result<Draft, AppError> {
        let mut errors = Vec::new();
        let valid_from = epoch_ms("valid_from", self.valid_from.as_deref(), &mut errors);
        let valid_until = epoch_ms("valid_until", self.valid_until.as_deref(), &mut errors);
        let value = match self.kind {
            CouponKind::Percent => {
                unexpected("amount_minor", self.amount_minor.is_some(), &mut errors);
                unexpected("currency", self.currency.is_some(), &mut errors);
                Value::Percent(required("percent", self.percent, &mut errors).unwrap_or(0))
            }
            CouponKind::Fixed => {
                unexpected("percent", self.percent.is_some(), &mut errors);
                let amount_minor = required("amount_minor", self.amount_minor, &mut errors).unwrap_or(0);
                let currency = required("currency", self.currency, &mut errors).unwrap_or_default();
                Value::Fixed { amount_minor, currency }
            }
        };
        if !errors.is_empty() {
            return Err(AppError::validation(errors));
        }
        Ok(Draft {
            code: self.code,
            value,
            courses: self.course_ids.map(|ids| ids.into_iter().map(CourseId::from).collect()),
            valid_from,
            valid_until,
            max_redemptions: self.max_redemptions,
            max_per_learner: self.max_per_learner,
            active: self.active,
        })
    }
}

fn required<T>(field: &str, value: Option<T>, errors: &mut Vec<FieldError>) -> Option<T> {
    if value.is_none() {
        errors.push(FieldError::new(field, Text::new("billing.errors.required_for_kind")));
    }
    value
}

fn unexpected(field: &str, present: bool, errors: &mut Vec<FieldError>) {
    if present {
        errors.push(FieldError::new(field, Text::new("billing.errors.not_for_kind")));
    }
}

fn epoch_ms(field: &str, raw: Option<&str>, errors: &mut Vec<FieldError>) -> Option<i64> {
    let raw = raw?.trim();
    match raw.parse::<jiff::Timestamp>() {
        Ok(t) => Some(t.as_millisecond()),
        Err(_) => {
            errors.push(FieldError::new(field, Text::new("billing.errors.bad_rfc3339")));
            None
        }
    }
}

/// A change of a coupon's terms: a field left out stays as it is, `null`
/// clears it. The code and the value never change (create another coupon).
#[derive(Serialize, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct CouponPatchBody {
    /// `false` deactivates the coupon (it is kept: orders name it).
    #[serde(default)]
    pub active: Option<bool>,
    /// The courses it applies to; `null`: every course.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Vec<String>>)]
    pub course_ids: Option<Option<Vec<String>>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub valid_from: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub valid_until: Option<Option<String>>,
    /// At least what is already redeemed; `null`: no limit.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    pub max_redemptions: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    pub max_per_learner: Option<Option<i64>>,
}

impl CouponPatchBody {
    pub fn into_change(self) -> Result<Change, AppError> {
        let mut errors = Vec::new();
        let mut time = |field: &str, raw: Option<Option<String>>| {
            raw.map(|value| value.and_then(|v| epoch_ms(field, Some(&v), &mut errors)))
        };
        let valid_from = time("valid_from", self.valid_from);
        let valid_until = time("valid_until", self.valid_until);
        if !errors.is_empty() {
            return Err(AppError::validation(errors));
        }
        Ok(Change {
            active: self.active,
            courses: self.course_ids.map(|ids| ids.map(|ids| ids.into_iter().map(CourseId::from).collect())),
            valid_from,
            valid_until,
            max_redemptions: self.max_redemptions,
            max_per_learner: self.max_per_learner,
        })
    }
}

#[derive(Serialize, ToSchema)]
pub struct CouponDto {
    pub id: String,
    /// Upper case.
    pub code: String,
    pub kind: CouponKind,
    pub percent: Option<i32>,
    pub amount_minor: Option<i64>,
    pub currency: Option<String>,
    /// `true`: every course; `false`: the listed ones (`GET /api/v1/coupons/{id}`).
    pub all_courses: bool,
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    pub max_redemptions: Option<i32>,
    /// Redemptions held by orders not cancelled.
    pub redeemed_count: i32,
    pub max_per_learner: Option<i32>,
    pub active: bool,
    pub created_at: String,
    pub updated_at: String,
}

impl From<&Coupon> for CouponDto {
    fn from(c: &Coupon) -> Self {
        Self {
            id: c.id.clone(),
            code: c.code.clone(),
            kind: match c.discount() {
                Some(Discount::Fixed(_)) => CouponKind::Fixed,
                _ => CouponKind::Percent,
            },
            percent: c.percent,
            amount_minor: c.amount_minor,
            currency: c.currency.clone(),
            all_courses: c.for_all_courses(),
            valid_from: c.valid_from.map(rfc3339),
            valid_until: c.valid_until.map(rfc3339),
            max_redemptions: c.max_redemptions,
            redeemed_count: c.redeemed_count,
            max_per_learner: c.max_per_learner,
            active: c.is_active(),
            created_at: rfc3339(c.created_at),
            updated_at: rfc3339(c.updated_at),
        }
    }
}

/// A coupon with the courses it is limited to.
#[derive(Serialize, ToSchema)]
pub struct CouponDetailDto {
    #[serde(flatten)]
    pub coupon: CouponDto,
    /// Empty when it applies to every course.
    pub course_ids: Vec<String>,
}

impl From<&CouponView> for CouponDetailDto {
    fn from(v: &CouponView) -> Self {
        Self { coupon: (&v.coupon).into(), course_ids: v.courses.iter().map(|c| c.id.clone()).collect() }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CouponList {
    pub items: Vec<CouponDto>,
    pub next_cursor: Option<String>,
}

/// Sets a country's tax rate.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaxRateBody {
    /// Basis points, 0–10,000: 2000 is 20 %.
    pub rate_bp: i32,
    /// What the invoice calls it ("VAT", "GST"…), up to 40 characters.
    #[serde(default)]
    pub label: String,
}

#[derive(Serialize, ToSchema)]
pub struct TaxRateDto {
    /// ISO 3166-1 alpha-2, upper case.
    pub country: String,
    /// Basis points: 2000 is 20 %.
    pub rate_bp: i32,
    pub label: String,
    pub updated_at: String,
}

impl From<&TaxRate> for TaxRateDto {
    fn from(t: &TaxRate) -> Self {
        Self {
            country: t.country.clone(),
            rate_bp: t.rate_bp,
            label: t.label.clone(),
            updated_at: rfc3339(t.updated_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TaxRateList {
    pub items: Vec<TaxRateDto>,
}
