//! Checkout: pricing a course for a learner and placing the order.
//!
//! The amount is always computed here from the course's stored price (a
//! tampered form or API body cannot lower it). Placing writes the order, its
//! line and its first history entry in one transaction, then asks the chosen
//! gateway to start the payment; an order that costs nothing (a 100 % coupon)
//! is paid at once without a gateway.

use lyceum_enrollment::{
    model::Offer,
    service::query::{self, StatusView},
};
use lyceum_platform::{AppError, AppState, auth::Viewer, db, ids::CourseId};

use crate::{
    BillingError,
    gateway::{self, Charge, NextStep},
    model::{Order, OrderStatus, Quote, Source},
    repo::orders,
    service::settle::{self, Reporter},
};

/// What the learner chose at checkout.
#[derive(Debug, Clone, Default)]
pub struct Choice {
    pub gateway: String,
    /// ISO 3166 alpha-2 code of the buyer's country (for tax), if given.
    pub country: Option<String>,
    /// A business buyer's VAT number, recorded on the invoice.
    pub vat_number: Option<String>,
}

/// A course ready to be bought by the viewer, with its price.
#[derive(Debug, Clone)]
pub struct Priced {
    pub offer: Offer,
    pub quote: Quote,
}

/// Prices `course_id` for the viewer, refusing what cannot be bought: a
/// course they cannot see (404), a free one, one they are enrolled in, one
/// not open or full.
pub async fn price(state: &AppState, viewer: &Viewer, course_id: &CourseId) -> Result<Priced, BillingError> {
    let status = query::status(state, viewer, course_id).await?;
    check_buyable(&status)?;
    let price = status.offer.price().ok_or(BillingError::Free)?;
    Ok(Priced { quote: Quote::of(price), offer: status.offer })
}

/// [`price`] for the course at `slug` (the checkout page).
pub async fn price_by_slug(state: &AppState, viewer: &Viewer, slug: &str) -> Result<Priced, BillingError> {
    let status = query::status_by_slug(state, viewer, slug).await?;
    price(state, viewer, &CourseId::from(&status.offer.id)).await
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

/// Places an order for `course_id` and starts its payment with the chosen gateway.
pub async fn place(
    state: &AppState,
    viewer: &Viewer,
    course_id: &CourseId,
    choice: &Choice,
) -> Result<Placed, BillingError> {
    let Priced { offer, quote } = price(state, viewer, course_id).await?;
    let gateway = gateway::by_id(state, &choice.gateway)?;
    let country = normalise_country(choice.country.as_deref())?;
    let vat_number = choice.vat_number.as_deref().map(str::trim).filter(|v| !v.is_empty());
    let id = db::new_id();
    let mut tx = state.db.begin().await?;
    supersede_open_orders(&mut tx, viewer, &offer.id).await?;
    let new = orders::NewOrder {
        id: &id,
        user_id: &viewer.user_id,
        quote: &quote,
        country: country.as_deref(),
        vat_number,
        coupon_id: None,
        gateway: gateway.id(),
    };
    orders::insert(&mut tx, &new).await?;
    orders::insert_course_line(&mut tx, &id, &offer.id, &offer.title, quote.subtotal_minor).await?;
    orders::record(&mut tx, &id, None, OrderStatus::Pending, Source::Learner, Some(&viewer.user_id), "").await?;
    let order = orders::by_id(&mut tx, &id).await?.ok_or_else(AppError::not_found)?;
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
/// history. A payment that still arrives for a cancelled order makes it paid.
async fn supersede_open_orders(
    conn: &mut sqlx::AnyConnection,
    viewer: &Viewer,
    course_id: &str,
) -> Result<(), sqlx::Error> {
    while let Some(old) = orders::open_for_course(conn, &viewer.user_id, course_id).await? {
        let from = [OrderStatus::Pending, OrderStatus::Failed];
        if orders::transition(conn, &old.id, &from, OrderStatus::Cancelled).await? {
            let detail = "replaced by a new checkout";
            orders::record(conn, &old.id, Some(old.status()), OrderStatus::Cancelled, Source::Learner, None, detail)
                .await?;
        }
    }
    Ok(())
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

/// A country as ISO 3166-1 alpha-2 (two letters, upper case), or a 422 naming the field.
fn normalise_country(raw: Option<&str>) -> Result<Option<String>, BillingError> {
    let Some(raw) = raw.map(str::trim).filter(|c| !c.is_empty()) else {
        return Ok(None);
    };
    if raw.len() == 2 && raw.chars().all(|c| c.is_ascii_alphabetic()) {
        Ok(Some(raw.to_ascii_uppercase()))
    } else {
        Err(BillingError::Invalid {
            field: "country",
            message: "Give the country as its two-letter code, such as FR, DE or US.".into(),
        })
    }
}
