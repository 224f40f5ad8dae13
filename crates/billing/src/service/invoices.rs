//! Invoices: every paid order gets one, numbered without gaps per site
//! (`INV-000042`), with the seller's details from the settings and the
//! buyer's as they were at payment. Issued in the transaction that makes the
//! order paid ([`issue`]), so a payment and its invoice commit together.

use lyceum_accounts::service::directory;
use lyceum_platform::{AppError, AppState, auth::Viewer, ids::UserId};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;

use crate::{
    model::{Order, OrderLine, subscriptions::PaidPeriod},
    repo::{invoices, orders},
    settings::{BillingSettings, Seller},
};

/// The buyer as printed on the invoice.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Buyer {
    pub name: String,
    pub email: String,
    pub country: Option<String>,
    pub vat_number: Option<String>,
}

/// An issued invoice with the order it is for.
#[derive(Debug, Clone)]
pub struct Invoice {
    pub number: i64,
    pub issued_at: i64,
    pub seller: Seller,
    pub buyer: Buyer,
    pub order: Order,
    pub lines: Vec<OrderLine>,
    /// For a subscription's order: the period it paid for.
    pub period: Option<PaidPeriod>,
}

impl Invoice {
    /// The number as printed: `INV-000042`.
    pub fn label(&self) -> String {
        label(self.number)
    }
}

pub fn label(number: i64) -> String {
    format!("INV-{number:06}")
}

/// Issues the order's invoice on `conn` (the paying transaction) unless it
/// has one. The buyer is read through accounts' directory on that same
/// connection: the paying transaction never waits for a second one from the
/// pool (a busy pool would hold it, and its row locks, meanwhile).
pub async fn issue(state: &AppState, conn: &mut AnyConnection, order: &Order) -> Result<(), sqlx::Error> {
    if invoices::exists_for(conn, &order.id).await? {
        return Ok(());
    }
    let seller = state.settings.section::<BillingSettings>().seller;
    let user_id = UserId::from(order.user_id.as_str());
    let user = directory::people(conn, std::slice::from_ref(&user_id)).await?.remove(order.user_id.as_str());
    let buyer = Buyer {
        name: user.as_ref().map(|u| u.display_name.clone()).unwrap_or_default(),
        email: user.map(|u| u.email).unwrap_or_default(),
        country: order.country.clone(),
        vat_number: order.vat_number.clone(),
    };
    let number = invoices::next_number(conn).await?;
    let encode = |e: serde_json::Error| sqlx::Error::Encode(Box::new(e));
    let (seller, buyer) =
        (serde_json::to_string(&seller).map_err(encode)?, serde_json::to_string(&buyer).map_err(encode)?);
    invoices::insert(conn, number, &order.id, &seller, &buyer).await
}

/// The invoice of an order: its owner's, or any for an administrator; 404 otherwise or before payment.
pub async fn get(state: &AppState, viewer: &Viewer, order_id: &str) -> Result<Invoice, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let order = orders::by_id(&mut conn, order_id).await?.ok_or_else(AppError::not_found)?;
    super::check_owner(viewer, &order)?;
    let row = invoices::of_order(&mut conn, order_id).await?.ok_or_else(AppError::not_found)?;
    let lines = orders::lines(&mut conn, order_id).await?;
    let period = super::subscriptions::period_of_order(&mut conn, order_id).await?;
    Ok(Invoice {
        number: row.number,
        issued_at: row.issued_at,
        seller: serde_json::from_str(&row.seller_json).unwrap_or_default(),
        buyer: serde_json::from_str(&row.buyer_json).unwrap_or_default(),
        order,
        lines,
        period,
    })
}
