//! `/orders` (the learner's orders) and `/orders/{id}`: an order, what to do
//! next to pay it (the card form runs `stripe-card.js`), and — while its
//! payment is pending — a page that follows it (`order-status.js` asks the
//! API and reloads when it settles; without script, a "check again" button
//! does the same).

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use lyceum_platform::{
    AppResult, AppState,
    keyset::{PageParams, Paged},
    web::{FlashKind, Page, Reply, guard::SignedIn, redirect_with_flash},
};

use super::order_url;
use crate::{
    gateway::NextStep,
    model::{Order, OrderLine, OrderStatus, Source},
    service::{
        checkout, query,
        query::OrderView,
        settle::{self, Reporter},
    },
    settings::BillingSettings,
};

#[derive(Template)]
#[template(path = "billing/orders.html")]
struct OrdersPage {
    page: Page,
    orders: Paged<Order>,
}

#[derive(Template)]
#[template(path = "billing/order.html")]
struct OrderPage {
    page: Page,
    view: OrderView,
    next: Option<NextStep>,
    instructions: String,
}

impl OrderPage {
    fn pending(&self) -> bool {
        self.view.order.status() == OrderStatus::Pending
    }
    fn can_cancel(&self) -> bool {
        self.view.order.status().is_open()
    }
    /// Paid (refunds included): the course is open and the invoice exists.
    fn paid(&self) -> bool {
        let status = self.view.order.status();
        status.is_paid() || status == OrderStatus::Refunded
    }
    /// The order pays a subscription's period (not a course).
    fn pays_subscription(&self) -> bool {
        self.view.period.is_some()
    }
    /// What the order's status means for the learner: a course's order
    /// enrolls, a subscription's opens the included courses.
    fn explain(&self) -> String {
        let group = if self.pays_subscription() { "billing.explain_subscription" } else { "billing.explain" };
        self.page.t_in(group, &self.view.order.status)
    }
    fn line_text(&self, line: &OrderLine) -> String {
        super::line_text(&self.page, line, self.view.period.as_ref())
    }
}

pub async fn list(State(state): State<AppState>, s: SignedIn, Query(p): Query<PageParams>) -> AppResult<Response> {
    let orders = query::mine(&state, &s.viewer, &p.request()?).await?;
    Reply::OK.render(&OrdersPage { page: s.page, orders })
}

pub async fn show(State(state): State<AppState>, s: SignedIn, Path(id): Path<String>) -> AppResult<Response> {
    let view = query::get(&state, &s.viewer, &id).await?;
    // A gateway that cannot be asked now still shows the order.
    let next = checkout::next_step(&state, &view.order).await.unwrap_or_else(|e| {
        tracing::warn!(error = %e, order = %id, "could not ask the gateway for the next step");
        None
    });
    let instructions = state.settings.section::<BillingSettings>().manual_instructions;
    // A card form's script, frames and API calls are allowed on this answer only.
    let csp = match &next {
        Some(NextStep::CardForm { csp, .. }) => Some(csp.clone()),
        _ => None,
    };
    let mut response = Reply::OK.render(&OrderPage { page: s.page, view, next, instructions })?;
    if let Some(csp) = csp {
        response.extensions_mut().insert(csp);
    }
    Ok(response)
}

/// Where the gateway sends the learner back: ask it and settle, then show
/// the order. A bookmarked or repeated return only asks again; it never
/// enrolls anyone by itself.
pub async fn back_from_gateway(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<String>,
) -> AppResult<Response> {
    verify_and_show(&state, &s, &id).await
}

pub async fn verify(State(state): State<AppState>, s: SignedIn, Path(id): Path<String>) -> AppResult<Response> {
    verify_and_show(&state, &s, &id).await
}

async fn verify_and_show(state: &AppState, s: &SignedIn, id: &str) -> AppResult<Response> {
    let view = query::get(state, &s.viewer, id).await?;
    let by = Reporter::new(Source::Learner, Some(&s.viewer.user_id));
    let order = match settle::check(state, view.order, by).await {
        Ok(order) => order,
        Err(e) => {
            tracing::warn!(error = %e, order = %id, "could not ask the gateway");
            return Ok(redirect_with_flash(&order_url(id), FlashKind::Error, "billing.flash.gateway_unreachable"));
        }
    };
    Ok(match order.status() {
        OrderStatus::Paid => redirect_with_flash(&order_url(id), FlashKind::Success, "billing.flash.paid"),
        OrderStatus::Failed => redirect_with_flash(&order_url(id), FlashKind::Error, "billing.flash.failed"),
        _ => Redirect::to(&order_url(id)).into_response(),
    })
}

pub async fn cancel(State(state): State<AppState>, s: SignedIn, Path(id): Path<String>) -> AppResult<Response> {
    settle::cancel(&state, &s.viewer, &id).await?;
    Ok(redirect_with_flash(&order_url(&id), FlashKind::Success, "billing.flash.cancelled"))
}
