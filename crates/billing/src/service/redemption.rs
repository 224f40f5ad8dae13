//! Using a coupon at checkout: whether it applies to this course, price and
//! learner; counting its redemption when the order is placed; giving it back
//! when the order is cancelled.
//!
//! The count is taken inside the order's transaction ([`take`]): one
//! conditional UPDATE that never passes the coupon's maximum under
//! concurrency, then the per-learner check (exact, because that UPDATE holds
//! the coupon's row until the transaction ends), then the redemption row
//! ([`record`]) once the order exists. A refusal anywhere rolls all of it
//! back with the order. A failed order keeps its redemption (the learner may
//! retry); a cancelled one — by the learner, an administrator, the gateway, or
//! a new checkout that replaces it — gives it back ([`release`]).

use lyceum_platform::money::Currency;
use sqlx::AnyConnection;

use crate::{
    BillingError, CouponRefusal,
    model::{Coupon, Discount, Order},
    repo::coupons,
};

/// A code as typed, trimmed and upper case (codes match ignoring case); `None` when blank.
pub fn normalise_code(raw: Option<&str>) -> Option<String> {
    raw.map(str::trim).filter(|c| !c.is_empty()).map(str::to_uppercase)
}

/// What the coupon would apply to.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub course_id: &'a str,
    pub currency: Currency,
    pub now: i64,
}

/// A coupon that applies, and what it takes off.
#[derive(Debug, Clone)]
pub struct Applied {
    pub coupon: Coupon,
    pub discount: Discount,
}

/// Whether the coupon's own terms allow it here: active, within its dates,
/// for this course, in this currency. `courses` is its course list.
pub fn terms_allow(coupon: &Coupon, courses: &[String], target: &Target) -> Result<Discount, CouponRefusal> {
    if !coupon.is_active() {
        return Err(CouponRefusal::Inactive);
    }
    if let Some(from) = coupon.valid_from.filter(|from| target.now < *from) {
        return Err(CouponRefusal::NotYetValid { from });
    }
    if coupon.valid_until.is_some_and(|until| target.now >= until) {
        return Err(CouponRefusal::Expired);
    }
    if !coupon.for_all_courses() && !courses.iter().any(|c| c == target.course_id) {
        return Err(CouponRefusal::NotForCourse);
    }
    match coupon.discount() {
        Some(Discount::Fixed(amount)) if amount.currency != target.currency => Err(CouponRefusal::OtherCurrency {
            coupon: amount.currency.as_str().to_string(),
            course: target.currency.as_str().to_string(),
        }),
        Some(discount) => Ok(discount),
        None => Err(CouponRefusal::Inactive),
    }
}

/// Whether the coupon's limits leave a redemption for this learner:
/// `redeemed` in all, `learner` by them, of which `held` sit on their open
/// orders for this course (given back when they check out again).
pub fn limits_allow(coupon: &Coupon, redeemed: i64, learner: i64, held: i64) -> Result<(), CouponRefusal> {
    if coupon.max_redemptions.is_some_and(|max| redeemed - held >= i64::from(max)) {
        return Err(CouponRefusal::UsedUp);
    }
    if coupon.max_per_learner.is_some_and(|max| learner - held >= i64::from(max)) {
        return Err(CouponRefusal::AlreadyUsed);
    }
    Ok(())
}

fn refused(code: &str, refusal: CouponRefusal) -> BillingError {
    BillingError::Coupon { code: code.to_string(), refusal }
}

/// The coupon `code` as it would apply to `user_id`'s checkout of the target
/// now (the quote; nothing is counted).
pub async fn preview(
    conn: &mut AnyConnection,
    code: &str,
    user_id: &str,
    target: &Target<'_>,
) -> Result<Applied, BillingError> {
    let coupon = coupons::by_code(conn, code).await?.ok_or_else(|| refused(code, CouponRefusal::Unknown))?;
    let courses = coupons::courses(conn, &coupon.id).await?;
    let discount = terms_allow(&coupon, &courses, target).map_err(|r| refused(code, r))?;
    let learner = coupons::learner_redemptions(conn, &coupon.id, user_id).await?;
    let held = coupons::held_for_course(conn, &coupon.id, user_id, target.course_id).await?;
    limits_allow(&coupon, i64::from(coupon.redeemed_count), learner, held).map_err(|r| refused(code, r))?;
    Ok(Applied { coupon, discount })
}

/// Counts a redemption of `code` for `user_id` in the order's transaction
/// `tx` (after the learner's earlier open orders for the course were
/// cancelled and gave theirs back). The caller records it with [`record`]
/// once the order exists; an error leaves `tx` to be rolled back.
pub async fn take(
    tx: &mut AnyConnection,
    code: &str,
    user_id: &str,
    target: &Target<'_>,
) -> Result<Applied, BillingError> {
    let coupon = coupons::by_code(tx, code).await?.ok_or_else(|| refused(code, CouponRefusal::Unknown))?;
    let courses = coupons::courses(tx, &coupon.id).await?;
    let discount = terms_allow(&coupon, &courses, target).map_err(|r| refused(code, r))?;
    if !coupons::count_redemption(tx, &coupon.id, target.now).await? {
        // Deactivated, expired or used up since it was read: say which.
        let now = coupons::by_id(tx, &coupon.id).await?.unwrap_or(coupon);
        terms_allow(&now, &courses, target).map_err(|r| refused(code, r))?;
        return Err(refused(code, CouponRefusal::UsedUp));
    }
    // Counted after the UPDATE above, which holds the coupon's row: a
    // concurrent checkout by the same learner waits for this one to end.
    let learner = coupons::learner_redemptions(tx, &coupon.id, user_id).await?;
    if coupon.max_per_learner.is_some_and(|max| learner >= i64::from(max)) {
        return Err(refused(code, CouponRefusal::AlreadyUsed));
    }
    Ok(Applied { coupon, discount })
}

/// Locks, in one global order, every coupon row a checkout is about to
/// change: those of the orders it replaces (`replaced`, whose redemptions
/// it gives back) and the coupon `code` it takes. Two checkouts swapping
/// coupons (one gives X back and takes Y, the other gives Y back and takes
/// X) would otherwise each hold one row and wait for the other's: a
/// deadlock on PostgreSQL. Every path takes an order's row before its
/// coupon's (cancelling, settling, checking out), so rows of orders first,
/// then coupons by id, is an order no two transactions can cross.
pub async fn lock_for_checkout(
    tx: &mut AnyConnection,
    replaced: &[String],
    code: Option<&str>,
) -> Result<(), sqlx::Error> {
    let mut ids = Vec::new();
    for order_id in replaced {
        ids.extend(coupons::redeemed_by(tx, order_id).await?);
    }
    if let Some(code) = code {
        ids.extend(coupons::by_code(tx, code).await?.map(|c| c.id));
    }
    ids.sort();
    ids.dedup();
    for id in &ids {
        coupons::lock(tx, id).await?;
    }
    Ok(())
}

/// A checkout's coupons, in its transaction: the orders it `replaced` give
/// their redemptions back, then the coupon `code` (if any) is counted for
/// `user_id` ([`take`]), every coupon row locked first in one order.
pub async fn swap(
    tx: &mut AnyConnection,
    replaced: &[String],
    code: Option<&str>,
    user_id: &str,
    target: &Target<'_>,
) -> Result<Option<Applied>, BillingError> {
    lock_for_checkout(tx, replaced, code).await?;
    for order_id in replaced {
        release(tx, order_id).await?;
    }
    match code {
        Some(code) => Ok(Some(take(tx, code, user_id, target).await?)),
        None => Ok(None),
    }
}

/// Records the redemption counted by [`take`] for the order just inserted.
pub async fn record(tx: &mut AnyConnection, applied: &Applied, order: &Order) -> Result<(), sqlx::Error> {
    coupons::insert_redemption(tx, &applied.coupon.id, &order.id, &order.user_id).await?;
    Ok(())
}

/// The order was cancelled: its coupon's redemption is given back (nothing
/// happens for an order without one, or one given back already).
pub async fn release(conn: &mut AnyConnection, order_id: &str) -> Result<(), sqlx::Error> {
    coupons::release(conn, order_id).await?;
    Ok(())
}

/// The order became paid: its redemption stands. A payment that arrives for
/// an order cancelled meanwhile (its redemption given back) counts it again,
/// even past the maximum — the learner paid the discounted price.
pub async fn keep_for_paid(conn: &mut AnyConnection, order: &Order) -> Result<(), sqlx::Error> {
    let Some(coupon_id) = &order.coupon_id else {
        return Ok(());
    };
    if coupons::insert_redemption(conn, coupon_id, &order.id, &order.user_id).await? {
        coupons::count_redemption_anyway(conn, coupon_id).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coupon() -> Coupon {
        Coupon {
            id: "c".into(),
            code: "SPRING".into(),
            kind: "percent".into(),
            percent: Some(20),
            amount_minor: None,
            currency: None,
            all_courses: 1,
            valid_from: None,
            valid_until: None,
            max_redemptions: None,
            redeemed_count: 0,
            max_per_learner: None,
            active: 1,
            created_at: 0,
            updated_at: 0,
        }
    }

    fn target(now: i64) -> Target<'static> {
        Target { course_id: "course-a", currency: Currency::EUR, now }
    }

    #[test]
    fn a_coupon_applies_within_its_dates_only() {
        let c = Coupon { valid_from: Some(100), valid_until: Some(200), ..coupon() };
        assert_eq!(terms_allow(&c, &[], &target(99)), Err(CouponRefusal::NotYetValid { from: 100 }));
        assert_eq!(terms_allow(&c, &[], &target(100)), Ok(Discount::Percent(20)), "from is inclusive");
        assert_eq!(terms_allow(&c, &[], &target(199)), Ok(Discount::Percent(20)));
        assert_eq!(terms_allow(&c, &[], &target(200)), Err(CouponRefusal::Expired), "until is exclusive");
        let off = Coupon { active: 0, ..coupon() };
        assert_eq!(terms_allow(&off, &[], &target(150)), Err(CouponRefusal::Inactive));
    }

    #[test]
    fn a_coupon_for_listed_courses_applies_to_those_only() {
        let c = Coupon { all_courses: 0, ..coupon() };
        let listed = vec!["course-a".to_string(), "course-b".to_string()];
        assert!(terms_allow(&c, &listed, &target(0)).is_ok());
        assert_eq!(terms_allow(&c, &listed[1..], &target(0)), Err(CouponRefusal::NotForCourse));
        assert_eq!(terms_allow(&c, &[], &target(0)), Err(CouponRefusal::NotForCourse));
    }

    #[test]
    fn a_fixed_amount_applies_in_its_own_currency_only() {
        let c = Coupon {
            kind: "fixed".into(),
            percent: None,
            amount_minor: Some(500),
            currency: Some("USD".into()),
            ..coupon()
        };
        let refusal = CouponRefusal::OtherCurrency { coupon: "USD".into(), course: "EUR".into() };
        assert_eq!(terms_allow(&c, &[], &target(0)), Err(refusal));
        let dollars = Target { currency: Currency::USD, ..target(0) };
        assert!(matches!(terms_allow(&c, &[], &dollars), Ok(Discount::Fixed(m)) if m.minor == 500));
    }

    #[test]
    fn limits_count_what_a_new_checkout_would_not_give_back() {
        let c = Coupon { max_redemptions: Some(5), max_per_learner: Some(1), ..coupon() };
        assert_eq!(limits_allow(&c, 4, 0, 0), Ok(()));
        assert_eq!(limits_allow(&c, 5, 0, 0), Err(CouponRefusal::UsedUp));
        assert_eq!(limits_allow(&c, 5, 1, 1), Ok(()), "the last one is theirs, on the order they replace");
        assert_eq!(limits_allow(&c, 3, 1, 0), Err(CouponRefusal::AlreadyUsed));
        assert_eq!(limits_allow(&coupon(), 1_000, 1_000, 0), Ok(()), "no limits");
    }

    #[test]
    fn codes_match_ignoring_case_and_spaces() {
        assert_eq!(normalise_code(Some("  spring-26 ")), Some("SPRING-26".into()));
        assert_eq!(normalise_code(Some("   ")), None);
        assert_eq!(normalise_code(None), None);
    }
}
