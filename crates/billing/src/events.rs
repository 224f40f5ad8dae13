//! What billing tells other modules, through the outbox in the same
//! transaction as the change.

use lyceum_platform::events::Event;
use serde::{Deserialize, Serialize};

/// An order became paid: its courses are to be opened to its learner
/// (`service::fulfil` does it, once, whatever announced the payment first).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OrderPaid {
    pub order_id: String,
    pub user_id: String,
    pub course_ids: Vec<String>,
    pub gateway: String,
    pub total_minor: i64,
    pub currency: String,
}

impl Event for OrderPaid {
    const NAME: &'static str = "billing.order_paid";
}
