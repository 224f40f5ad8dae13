//! `/admin/orders`: every order by state, an order with its history and
//! refunds, confirming a manual payment and refunding.

use std::collections::HashMap;

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::Response,
};
use lyceum_platform::{
    AppError, AppResult, AppState, db,
    http::extract::PageForm,
    keyset::{PageRequest, Paged},
    money::Money,
    web::{FlashKind, Page, Reply, guard::AdminPage, redirect_with_flash},
};
use serde::Deserialize;

use crate::{
    BillingError,
    model::{Order, OrderStatus},
    repo::refunds::Refund,
    service::{
        query::{self, OrderView},
        refunds::{self, RefundRequest},
        settle,
    },
};

#[derive(Deserialize)]
pub struct Filters {
    status: Option<String>,
    cursor: Option<String>,
}

#[derive(Template)]
#[template(path = "billing/admin_orders.html")]
struct AdminOrders {
    page: Page,
    orders: Paged<Order>,
    /// Orders waiting for their payment longer than the reconciliation threshold.
    stuck: i64,
    status: String,
    statuses: Vec<&'static str>,
}

#[derive(Template)]
#[template(path = "billing/admin_order.html")]
struct AdminOrder {
    page: Page,
    view: OrderView,
    refunds: Vec<Refund>,
}

impl AdminOrder {
    fn can_mark_paid(&self) -> bool {
        self.view.order.gateway == "manual" && self.view.order.status().is_open()
    }
    fn can_refund(&self) -> bool {
        self.view.order.status().is_paid()
    }
    /// What may still be refunded, as a person types it (`12.50`).
    fn refundable_major(&self) -> String {
        let left = self.view.order.refundable();
        let exp = left.currency.exponent();
        if exp == 0 {
            return left.minor.to_string();
        }
        let unit = 10_i64.pow(exp);
        format!("{}.{:0width$}", left.minor / unit, left.minor % unit, width = exp as usize)
    }
}

const STATUSES: &[&str] = &["pending", "paid", "failed", "refunded", "partially_refunded", "cancelled"];

pub async fn list(State(state): State<AppState>, a: AdminPage, Query(f): Query<Filters>) -> AppResult<Response> {
    let status = f.status.as_deref().and_then(OrderStatus::parse);
    let page = PageRequest::new(Some(50), f.cursor.as_deref())?;
    let orders = query::all(&state, &a.viewer, status, &page).await?;
    let status = status.map(|s| s.as_str().to_string()).unwrap_or_default();
    let stuck = query::stuck_pending(&state).await?;
    Reply::OK.render(&AdminOrders { page: a.page, orders, stuck, status, statuses: STATUSES.to_vec() })
}

pub async fn show(State(state): State<AppState>, a: AdminPage, Path(id): Path<String>) -> AppResult<Response> {
    let view = query::get(&state, &a.viewer, &id).await?;
    let refunds = query::refunds(&state, &id).await?;
    Reply::OK.render(&AdminOrder { page: a.page, view, refunds })
}

fn admin_url(id: &str) -> String {
    format!("/admin/orders/{id}")
}

pub async fn mark_paid(
    State(state): State<AppState>,
    a: AdminPage,
    Path(id): Path<String>,
    PageForm(form): PageForm<HashMap<String, String>>,
) -> AppResult<Response> {
    let note = form.get("note").map(String::as_str).unwrap_or("");
    match settle::mark_paid_by_admin(&state, &a.viewer, &id, note).await {
        Ok(_) => Ok(redirect_with_flash(&admin_url(&id), FlashKind::Success, "billing.flash.marked_paid")),
        Err(BillingError::OrderState(_)) => {
            Ok(redirect_with_flash(&admin_url(&id), FlashKind::Error, "billing.flash.not_manual"))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn refund(
    State(state): State<AppState>,
    a: AdminPage,
    Path(id): Path<String>,
    PageForm(form): PageForm<HashMap<String, String>>,
) -> AppResult<Response> {
    let view = query::get(&state, &a.viewer, &id).await?;
    let currency = view.order.currency();
    let raw = form.get("amount").map(|v| v.trim()).unwrap_or("");
    let amount_minor = if raw.is_empty() {
        None
    } else {
        match Money::parse_major(raw, currency) {
            Ok(m) => Some(m.minor),
            Err(_) => return Ok(redirect_with_flash(&admin_url(&id), FlashKind::Error, "billing.flash.bad_amount")),
        }
    };
    let req = RefundRequest {
        amount_minor,
        reason: form.get("reason").cloned().unwrap_or_default(),
        remove_enrollment: form.contains_key("remove_enrollment"),
    };
    let key = format!("{}:{}", a.viewer.user_id, db::new_id());
    match refunds::refund(&state, &a.viewer, &id, &req, &key).await {
        Ok(_) => Ok(redirect_with_flash(&admin_url(&id), FlashKind::Success, "billing.flash.refunded")),
        Err(BillingError::Invalid { .. }) => {
            Ok(redirect_with_flash(&admin_url(&id), FlashKind::Error, "billing.flash.refund_too_much"))
        }
        Err(BillingError::OrderState(_)) => {
            Ok(redirect_with_flash(&admin_url(&id), FlashKind::Error, "billing.flash.refund_state"))
        }
        Err(BillingError::Gateway(_)) => {
            Ok(redirect_with_flash(&admin_url(&id), FlashKind::Error, "billing.flash.gateway_refused"))
        }
        Err(e) => Err(AppError::from(e)),
    }
}
