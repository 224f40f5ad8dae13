//! Reconciliation: every minute, ask the gateway about orders pending longer
//! than `reconcile_after_secs` and settle them. A lost webhook or a browser
//! closed before the return therefore never leaves a paid learner unenrolled
//! for more than a few minutes. Also keeps the stuck-orders gauge.

use std::time::Duration;

use lyceum_platform::{
    AppState, db,
    jobs::{Job, JobError},
};

use crate::{
    model::Source,
    repo::orders,
    service::settle::{self, Reporter},
    settings::BillingSettings,
};

/// How many orders one run looks at (the next run takes the rest).
const BATCH: i64 = 100;

pub struct Reconcile;

impl Job for Reconcile {
    const KIND: &'static str = "billing.reconcile";
    const MAX_ATTEMPTS: u32 = 1;
    type Payload = ();

    async fn run(state: &AppState, _: ()) -> Result<(), JobError> {
        let settled = run_once(state, db::now_ms()).await?;
        if settled > 0 {
            tracing::info!(settled, "reconciliation settled orders");
        }
        Ok(())
    }
}

/// Asks about each order pending since before `now - reconcile_after_secs`;
/// returns how many changed. One order's gateway failing does not stop the others.
pub async fn run_once(state: &AppState, now: i64) -> Result<usize, JobError> {
    let after = Duration::from_secs(state.settings.section::<BillingSettings>().reconcile_after_secs);
    let cutoff = now - i64::try_from(after.as_millis()).unwrap_or(i64::MAX);
    let stale = {
        let mut conn = state.db.pool().acquire().await.map_err(JobError::from)?;
        let stuck = orders::count_stale_pending(&mut conn, cutoff).await.map_err(JobError::from)?;
        metrics::gauge!("lyceum_orders_stuck_pending").set(stuck as f64);
        orders::stale_pending(&mut conn, cutoff, BATCH).await.map_err(JobError::from)?
    };
    let mut changed = 0;
    for order in stale {
        let before = order.status();
        match settle::check(state, order, Reporter::new(Source::Reconcile, None)).await {
            Ok(after) if after.status() != before => changed += 1,
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "reconciliation could not settle an order"),
        }
    }
    Ok(changed)
}
