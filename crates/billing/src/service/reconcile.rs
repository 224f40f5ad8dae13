//! Reconciliation: every minute, ask the gateway about orders pending longer
//! than `reconcile_after_secs` and settle them. A lost webhook or a browser
//! closed before the return therefore never leaves a paid learner unenrolled
//! for more than a few minutes. Orders are asked about least recently asked
//! first, so abandoned checkouts cannot starve newer ones; one still unpaid a
//! day after it was placed is cancelled. Also keeps the stuck-orders gauge.

use std::time::Duration;

use lyceum_platform::{
    AppState, db,
    jobs::{Job, JobError},
};

use crate::{
    model::{Order, OrderStatus, Source},
    repo::orders,
    service::settle::{self, Reporter},
    settings::BillingSettings,
};

/// How many orders one run looks at (the next run takes the rest).
const BATCH: i64 = 100;
/// An order in an online gateway still unpaid this long after it was placed is abandoned.
const ABANDONED_AFTER_MS: i64 = 24 * 3600 * 1000;

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
        if reconcile_one(state, order, now).await? {
            changed += 1;
        }
    }
    Ok(changed)
}

/// Asks about one order; true when it changed. An order still pending a day
/// after it was placed is abandoned: cancelled (a payment that arrives later
/// still makes it paid). A gateway that cannot be reached is asked again at
/// the next run; the others go on.
async fn reconcile_one(state: &AppState, order: Order, now: i64) -> Result<bool, JobError> {
    let id = order.id.clone();
    let placed_at = order.created_at;
    {
        let mut conn = state.db.pool().acquire().await.map_err(JobError::from)?;
        orders::mark_checked(&mut conn, &id, now).await.map_err(JobError::from)?;
    }
    let by = Reporter::new(Source::Reconcile, None);
    let after = match settle::check(state, order, by).await {
        Ok(after) => after,
        Err(e) => {
            tracing::warn!(error = %e, order = %id, "reconciliation could not ask the gateway");
            return Ok(false);
        }
    };
    if after.status() != OrderStatus::Pending {
        return Ok(true);
    }
    if now - placed_at < ABANDONED_AFTER_MS {
        return Ok(false);
    }
    let mut tx = state.db.begin().await.map_err(JobError::from)?;
    let abandoned = settle::abandon(&mut tx, &after, by).await.map_err(JobError::from)?;
    tx.commit().await.map_err(JobError::from)?;
    Ok(abandoned)
}
