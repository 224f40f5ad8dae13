//! The manual gateway (bank transfer, invoice, cash at the school): nothing
//! happens online. The order waits until an administrator marks it paid
//! (`service::settle::mark_paid_by_admin`, audited); a refund is money given
//! back outside Lyceum and only recorded here.

use async_trait::async_trait;
use axum::http::HeaderMap;
use lyceum_platform::{db, money::Money};

use super::{Charge, Gateway, GatewayError, NextStep, Notice, Refunded, Settlement, Started};

pub struct Manual;

#[async_trait]
impl Gateway for Manual {
    fn id(&self) -> &'static str {
        "manual"
    }

    async fn start(&self, _charge: &Charge<'_>) -> Result<Started, GatewayError> {
        Ok(Started { reference: None, next: NextStep::Wait })
    }

    async fn resume(&self, _gateway_ref: &str) -> Result<Option<NextStep>, GatewayError> {
        Ok(Some(NextStep::Wait))
    }

    /// Only an administrator settles a manual order, so the gateway always says pending.
    async fn settlement(&self, _gateway_ref: &str) -> Result<Settlement, GatewayError> {
        Ok(Settlement::Pending)
    }

    async fn refund(&self, _payment_ref: &str, _amount: Money, _key: &str) -> Result<Refunded, GatewayError> {
        Ok(Refunded { reference: format!("manual-{}", db::new_id()) })
    }

    async fn webhook(&self, _headers: &HeaderMap, _body: &[u8]) -> Result<Notice, GatewayError> {
        Err(GatewayError::BadWebhook("the manual gateway has no webhooks".into()))
    }
}
