//! Reading orders: a learner's own, and every order for the administrators.

use lyceum_platform::{
    AppError, AppState,
    auth::Viewer,
    keyset::{PageRequest, Paged},
};

use crate::{
    model::{HistoryEntry, Order, OrderLine, OrderStatus, subscriptions::PaidPeriod},
    repo::orders,
};

/// An order with its lines and history.
#[derive(Debug, Clone)]
pub struct OrderView {
    pub order: Order,
    pub lines: Vec<OrderLine>,
    pub history: Vec<HistoryEntry>,
    /// For a subscription's order: the period it pays for.
    pub period: Option<PaidPeriod>,
}

/// One order: the viewer's own, or any for an administrator; 404 otherwise.
pub async fn get(state: &AppState, viewer: &Viewer, id: &str) -> Result<OrderView, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let order = orders::by_id(&mut conn, id).await?.ok_or_else(AppError::not_found)?;
    super::check_owner(viewer, &order)?;
    let lines = orders::lines(&mut conn, id).await?;
    let history = orders::history(&mut conn, id).await?;
    let period = super::subscriptions::period_of_order(&mut conn, id).await?;
    Ok(OrderView { order, lines, history, period })
}

/// The viewer's orders, newest first.
pub async fn mine(state: &AppState, viewer: &Viewer, page: &PageRequest) -> Result<Paged<Order>, AppError> {
    list(state, Some(&viewer.user_id), None, page).await
}

/// Every order (administrators), newest first, optionally in one status.
pub async fn all(
    state: &AppState,
    viewer: &Viewer,
    status: Option<OrderStatus>,
    page: &PageRequest,
) -> Result<Paged<Order>, AppError> {
    if !viewer.is_admin() {
        return Err(AppError::forbidden("Only administrators see every order."));
    }
    list(state, None, status, page).await
}

async fn list(
    state: &AppState,
    user_id: Option<&str>,
    status: Option<OrderStatus>,
    page: &PageRequest,
) -> Result<Paged<Order>, AppError> {
    let before = page.before()?;
    let before = before.as_ref().map(|(at, id)| (*at, id.as_str()));
    let mut conn = state.db.pool().acquire().await?;
    let rows = orders::page(&mut conn, user_id, status.map(OrderStatus::as_str), before, page.fetch()).await?;
    Ok(Paged::from_rows(rows, page, |o| (o.created_at, o.id.as_str())))
}

/// An order's refunds (the administrators' order page; access checked by the caller).
pub async fn refunds(state: &AppState, order_id: &str) -> Result<Vec<crate::repo::refunds::Refund>, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    Ok(crate::repo::refunds::of_order(&mut conn, order_id).await?)
}

/// The audit of money actions (administrators), newest first.
pub async fn audit(
    state: &AppState,
    viewer: &Viewer,
    page: &PageRequest,
) -> Result<Paged<crate::repo::audit::AuditRow>, AppError> {
    if !viewer.is_admin() {
        return Err(AppError::forbidden("Only administrators see the audit of money actions."));
    }
    let before = page.before()?;
    let before = before.as_ref().map(|(at, id)| (*at, id.as_str()));
    let mut conn = state.db.pool().acquire().await?;
    let rows = crate::repo::audit::page(&mut conn, before, page.fetch()).await?;
    Ok(Paged::from_rows(rows, page, |r| (r.at, r.id.as_str())))
}

/// How many orders have waited for their payment longer than `reconcile_after_secs` (the admin's counter).
pub async fn stuck_pending(state: &AppState) -> Result<i64, AppError> {
    let after = state.settings.section::<crate::settings::BillingSettings>().reconcile_after_secs;
    let cutoff = lyceum_platform::db::now_ms() - i64::try_from(after.saturating_mul(1000)).unwrap_or(i64::MAX);
    let mut conn = state.db.pool().acquire().await?;
    Ok(orders::count_stale_pending(&mut conn, cutoff).await?)
}
