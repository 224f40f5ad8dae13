//! Webhook deliveries: verified by the gateway (signature over the raw body,
//! timestamp), recorded in the inbox and acted on in one transaction, so a
//! redelivered event is acknowledged and ignored, and a failure leaves it
//! unrecorded for the gateway's next delivery.

use axum::http::HeaderMap;
use lyceum_platform::AppState;

use crate::{
    BillingError,
    gateway::{self, News},
    model::Source,
    repo::{inbox, orders},
    service::settle::{self, Reporter},
};

/// What became of a delivery (the answer is 200 in every case but a bad signature).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Received {
    /// Acted on (or nothing to do for it).
    Processed,
    /// Seen before: ignored.
    Duplicate,
    /// About no order of ours.
    Unknown,
}

pub async fn receive(
    state: &AppState,
    gateway_id: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Received, BillingError> {
    let gateway = gateway::by_id(state, gateway_id)?;
    let notice = gateway.webhook(headers, body).await?;
    let mut tx = state.db.begin().await?;
    if !inbox::claim(&mut tx, gateway_id, &notice.event_id, &notice.kind).await? {
        tx.rollback().await?;
        return Ok(Received::Duplicate);
    }
    let order = match &notice.gateway_ref {
        Some(r) => orders::by_gateway_ref(&mut tx, gateway_id, r).await?,
        None => None,
    };
    let Some(order) = order else {
        tx.commit().await?;
        return Ok(Received::Unknown);
    };
    let by = Reporter::new(Source::Webhook, None);
    match &notice.news {
        News::Settled(settlement) => {
            settle::apply(state, &mut tx, &order, settlement, by).await?;
        }
        News::RefundedTotal(total) => {
            crate::service::refunds::seen_in_gateway(&mut tx, &order, total.minor, by).await?;
            crate::service::subscriptions::end_if_refunded(state, &mut tx, &order.id, by).await?;
        }
        News::Ignored => {}
    }
    tx.commit().await?;
    Ok(Received::Processed)
}
