//! Checkout: pricing a course for a learner and placing the order.
//!
//! The amount is always computed here from the course's stored price, the
//! coupon's terms and the buyer's country's tax rate (a tampered form or API
//! body cannot lower it): subtotal − discount + tax on what is left.
//! Placing writes the order, its line, its coupon's redemption and its first
//! history entry in one transaction, recomputing the quote there, then asks
//! the chosen gateway to start the payment; an order that costs nothing (a
//! 100 % coupon) is paid at once, whatever gateway was chosen, or none.

use lyceum_enrollment::{
    model::Offer,
    service::query::{self, StatusView},
};
use lyceum_platform::{AppError, AppState, auth::Viewer, db, ids::CourseId, money::Money};

use crate::{
    BillingError,
    gateway::{self, Charge, NextStep},
    model::{Coupon, Order, OrderStatus, Quote, Source, TaxRate},
    repo::orders,
    service::{
        pricing,
        redemption::{self, Applied, Target},
        settle::{self, Reporter},
        tax,
    },
};

/// The gateway recorded on an order that had nothing to pay.
pub const NO_GATEWAY: &str = "none";

/// What the learner chose at checkout.
#[derive(Debug, Clone, Default)]
pub struct Choice {
    /// Needed only when there is something to pay.
    pub gateway: String,
    /// ISO 3166 alpha-2 code of the buyer's country (for tax), if given.
    pub country: Option<String>,
    /// A business buyer's VAT number, recorded on the invoice.
    pub vat_number: Option<String>,
    /// A coupon code as typed (any case).
    pub coupon: Option<String>,
}

/// A course ready to be bought by the viewer, with its price.
#[derive(Debug, Clone)]
pub struct Priced {
    pub offer: Offer,
    pub quote: Quote,
    /// The coupon that applies, if one was given.
    pub coupon: Option<Coupon>,
    /// The buyer's country's tax, if it has a rate.
    pub tax: Option<TaxRate>,
}

/// Prices `course_id` for the viewer with their coupon and country (a
/// preview: nothing is counted), refusing what cannot be bought: a course
/// they cannot see (404), a free one, one they are enrolled in, one not open
/// or full; and a coupon that does not apply (422 on `coupon`).
pub async fn price(
    state: &AppState,
    viewer: &Viewer,
    course_id: &CourseId,
    choice: &Choice,
) -> Result<Priced, BillingError> {
    let base = buyable(state, viewer, course_id).await?;
    with_terms(state, viewer, base, choice).await
}

/// The course at `slug` at its price before coupon and tax (the checkout
/// page shows it even when the coupon typed is refused).
pub async fn price_by_slug(state: &AppState, viewer: &Viewer, slug: &str) -> Result<Priced, BillingError> {
    let status = query::status_by_slug(state, viewer, slug).await?;
    buyable(state, viewer, &CourseId::from(&status.offer.id)).await
}

async fn buyable(state: &AppState, viewer: &Viewer, course_id: &CourseId) -> Result<Priced, BillingError> {
    let status = query::status(state, viewer, course_id).await?;
    check_buyable(&status)?;
    let price = status.offer.price().ok_or(BillingError::Free)?;
    Ok(Priced { quote: Quote::of(price), offer: status.offer, coupon: None, tax: None })
}

/// `base` with the viewer's coupon and country applied.
pub async fn with_terms(
    state: &AppState,
    viewer: &Viewer,
    base: Priced,
    choice: &Choice,
) -> Result<Priced, BillingError> {
    let country = tax::normalise_country(choice.country.as_deref())?;
    let price = base.quote.money(base.quote.subtotal_minor);
    let mut conn = state.db.pool().acquire().await?;
    let applied = match redemption::normalise_code(choice.coupon.as_deref()) {
        Some(code) => {
            let target = Target { course_id: &base.offer.id, currency: price.currency, now: db::now_ms() };
            Some(redemption::preview(&mut conn, &code, &viewer.user_id, &target).await?)
        }
        None => None,
    };
    let tax = tax::rate_for(&mut conn, country.as_deref()).await?;
    Ok(priced(base.offer, price, applied, tax))
}

fn priced(offer: Offer, price: Money, applied: Option<Applied>, tax: Option<TaxRate>) -> Priced {
    let quote = pricing::quote(price, applied.as_ref().map(|a| a.discount), tax.as_ref().map_or(0, |t| t.rate_bp));
    Priced { offer, quote, coupon: applied.map(|a| a.coupon), tax }
}

fn check_buyable(status: &StatusView) -> Result<(), BillingError> {
    if status.enrolled() {
        return Err(BillingError::AlreadyEnrolled);
    }
    if status.offer.is_free() {
        return Err(BillingError::Free);
    }
    if !status.open() {
        return Err(BillingError::NotOpen);
    }
    if status.offer.seats_left() == Some(0) {
        return Err(BillingError::CourseFull);
    }
    Ok(())
}

/// An order just placed and what the learner does next.
#[derive(Debug, Clone)]
pub struct Placed {
    pub order: Order,
    pub next: Option<NextStep>,
}

/// Places an order for `course_id` and starts its payment with the chosen
/// gateway (none is needed when nothing is left to pay).
pub async fn place(
    state: &AppState,
    viewer: &Viewer,
    course_id: &CourseId,
    choice: &Choice,
) -> Result<Placed, BillingError> {
    let Priced { offer, quote: base, .. } = buyable(state, viewer, course_id).await?;
    let country = tax::normalise_country(choice.country.as_deref())?;
    let code = redemption::normalise_code(choice.coupon.as_deref());
    let vat_number = choice.vat_number.as_deref().map(str::trim).filter(|v| !v.is_empty());
    let id = db::new_id();
    let mut tx = state.db.begin().await?;
    // First: the learner's earlier open orders give their coupons back.
    let replaced = supersede_open_orders(&mut tx, viewer, &offer.id).await?;
    let target = Target { course_id: &offer.id, currency: base.currency, now: db::now_ms() };
    let applied = redemption::swap(&mut tx, &replaced, code.as_deref(), &viewer.user_id, &target).await?;
    let tax = tax::rate_to_charge(&mut tx, country.as_deref()).await?;
    let Priced { offer, quote, .. } = priced(offer, base.money(base.subtotal_minor), applied.clone(), tax);
    let gateway_id = if quote.total_minor == 0 { NO_GATEWAY } else { gateway::by_id(state, &choice.gateway)?.id() };
    let new = orders::NewOrder {
        id: &id,
        user_id: &viewer.user_id,
        quote: &quote,
        country: country.as_deref(),
        vat_number,
        coupon_id: applied.as_ref().map(|a| a.coupon.id.as_str()),
        gateway: gateway_id,
    };
    orders::insert(&mut tx, &new).await?;
    orders::insert_course_line(&mut tx, &id, &offer.id, &offer.title, quote.subtotal_minor).await?;
    orders::record(&mut tx, &id, None, OrderStatus::Pending, Source::Learner, Some(&viewer.user_id), "").await?;
    let order = orders::by_id(&mut tx, &id).await?.ok_or_else(AppError::not_found)?;
    if let Some(applied) = &applied {
        redemption::record(&mut tx, applied, &order).await?;
    }
    if quote.total_minor == 0 {
        let by = Reporter::new(Source::System, None);
        settle::paid(state, &mut tx, &order, None, by, "nothing to pay").await?;
        let order = orders::by_id(&mut tx, &id).await?.ok_or_else(AppError::not_found)?;
        tx.commit().await?;
        return Ok(Placed { order, next: None });
    }
    tx.commit().await?;
    start_payment(state, viewer, order, &offer.title).await
}

/// Asks the order's gateway to start the payment and keeps its handle. A
/// gateway that cannot start it leaves the order failed (the learner may try
/// again from the checkout).
async fn start_payment(state: &AppState, viewer: &Viewer, order: Order, title: &str) -> Result<Placed, BillingError> {
    let gateway = gateway::by_id(state, &order.gateway)?;
    // The gateway sends the learner back here: the site's public address.
    let base = state.settings.public_url.trim_end_matches('/');
    let charge = Charge {
        order_id: &order.id,
        amount: order.total(),
        description: title,
        email: &viewer.email,
        return_url: format!("{base}/orders/{}/return", order.id),
        cancel_url: format!("{base}/orders/{}", order.id),
    };
    let started = match gateway.start(&charge).await {
        Ok(started) => started,
        Err(e) => {
            let mut tx = state.db.begin().await?;
            let failed = gateway::Settlement::Failed { reason: e.to_string() };
            settle::apply(state, &mut tx, &order, &failed, Reporter::new(Source::System, None)).await?;
            tx.commit().await?;
            return Err(e.into());
        }
    };
    if let Some(reference) = &started.reference {
        let mut conn = state.db.pool().acquire().await?;
        orders::set_gateway_ref(&mut conn, &order.id, gateway.id(), reference).await?;
    }
    let mut conn = state.db.pool().acquire().await?;
    let order = orders::by_id(&mut conn, &order.id).await?.ok_or_else(AppError::not_found)?;
    Ok(Placed { order, next: Some(started.next) })
}

/// A learner has at most one open order per course: placing a new one
/// cancels the earlier ones (a changed gateway or coupon), recorded in their
/// history; the caller gives their coupons' redemptions back. A payment that
/// still arrives for a cancelled order makes it paid. Returns the orders cancelled.
async fn supersede_open_orders(
    conn: &mut sqlx::AnyConnection,
    viewer: &Viewer,
    course_id: &str,
) -> Result<Vec<String>, sqlx::Error> {
    let mut cancelled = Vec::new();
    while let Some(old) = orders::open_for_course(conn, &viewer.user_id, course_id).await? {
        let from = [OrderStatus::Pending, OrderStatus::Failed];
        if orders::transition(conn, &old.id, &from, OrderStatus::Cancelled).await? {
            let detail = "replaced by a new checkout";
            orders::record(conn, &old.id, Some(old.status()), OrderStatus::Cancelled, Source::Learner, None, detail)
                .await?;
            cancelled.push(old.id);
        }
    }
    Ok(cancelled)
}

/// What the learner does next to pay an open order (its page shown again).
pub async fn next_step(state: &AppState, order: &Order) -> Result<Option<NextStep>, BillingError> {
    if !order.status().is_open() {
        return Ok(None);
    }
    let gateway = gateway::by_id(state, &order.gateway)?;
    match &order.gateway_ref {
        Some(r) => Ok(gateway.resume(r).await?),
        None if order.gateway == "manual" => Ok(Some(NextStep::Wait)),
        None => Ok(None),
    }
}
