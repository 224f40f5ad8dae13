//! The payer's side: `GET /checkoutnow?token={order id}`, the page PayPal's
//! approval link opens. "Pay now" approves the order (CHECKOUT.ORDER.APPROVED)
//! and sends the browser to the merchant's return URL with `token` and
//! `PayerID`; "Cancel" sends it to the cancel URL with `token`, the order
//! left as it was (as PayPal does).

use std::collections::HashMap;

use axum::{
    Form, Router,
    extract::{Query, State},
    http::{StatusCode, header},
    response::{Html, IntoResponse, Response},
    routing::{get, post},
};

use crate::{
    json,
    state::{OrderStatus, Shared},
    webhooks::{self, Kind},
};

pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route("/checkoutnow", get(page))
        .route("/checkoutnow/approve", post(approve))
        .route("/checkoutnow/cancel", post(cancel))
}

async fn page(State(shared): State<Shared>, Query(q): Query<HashMap<String, String>>) -> Response {
    let sim = shared.lock();
    let token = q.get("token").map(String::as_str).unwrap_or("");
    let Some(order) = sim.orders.get(token) else {
        return message(StatusCode::NOT_FOUND, "This payment link is not valid.");
    };
    if !order.state.awaits_payer() {
        return message(
            StatusCode::CONFLICT,
            &format!("This order is {}: there is nothing to approve.", order.state.as_str()),
        );
    }
    let what = order.description.as_deref().unwrap_or("Your purchase");
    let amount = format!("{} {}", order.amount.value(), order.amount.currency);
    let token = escape(token);
    let body = format!(
        r#"<h1>Pay with PayPal</h1>
<p class="note">PayPal test server: no money moves.</p>
<p id="purchase">{what}</p>
<p>Total: <strong id="amount">{amount}</strong></p>
<form method="post" action="/checkoutnow/approve">
  <input type="hidden" name="token" value="{token}">
  <button type="submit" id="pay-now">Pay now</button>
</form>
<form method="post" action="/checkoutnow/cancel">
  <input type="hidden" name="token" value="{token}">
  <button type="submit" id="cancel">Cancel and return to the merchant</button>
</form>"#,
        what = escape(what),
        amount = escape(&amount),
    );
    document(StatusCode::OK, &body)
}

/// "Pay now": the order is APPROVED, the merchant is told by webhook, and
/// the browser goes back to the merchant's return URL.
async fn approve(State(shared): State<Shared>, Form(form): Form<HashMap<String, String>>) -> Response {
    let mut guard = shared.lock();
    let sim = &mut *guard;
    let token = form.get("token").cloned().unwrap_or_default();
    let payer_id = sim.new_id("", 13);
    let Some(order) = sim.orders.get_mut(&token) else {
        return message(StatusCode::NOT_FOUND, "This payment link is not valid.");
    };
    if !order.state.awaits_payer() {
        return message(
            StatusCode::CONFLICT,
            &format!("This order is {}: there is nothing to approve.", order.state.as_str()),
        );
    }
    order.state = OrderStatus::Approved;
    order.payer_id = Some(payer_id.clone());
    let back = order.return_url.clone();
    let resource = json::order(sim, &sim.orders[&token]);
    webhooks::emit(&shared, sim, Kind::OrderApproved, resource);
    match back {
        Some(url) => see_other(&with_query(&url, &[("token", &token), ("PayerID", &payer_id)])),
        None => message(StatusCode::OK, "Payment approved. You can close this window."),
    }
}

/// "Cancel": back to the merchant; the order stays unapproved.
async fn cancel(State(shared): State<Shared>, Form(form): Form<HashMap<String, String>>) -> Response {
    let sim = shared.lock();
    let token = form.get("token").cloned().unwrap_or_default();
    let Some(order) = sim.orders.get(&token) else {
        return message(StatusCode::NOT_FOUND, "This payment link is not valid.");
    };
    match &order.cancel_url {
        Some(url) => see_other(&with_query(url, &[("token", &token)])),
        None => message(StatusCode::OK, "Payment cancelled. You can close this window."),
    }
}

fn see_other(location: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, location.to_string())]).into_response()
}

/// `url` with `pairs` appended to its query (the values are ids: letters and digits).
fn with_query(url: &str, pairs: &[(&str, &str)]) -> String {
    let query: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}{}", query.join("&"))
}

fn message(status: StatusCode, text: &str) -> Response {
    document(status, &format!("<h1>PayPal test server</h1>\n<p>{}</p>", escape(text)))
}

fn document(status: StatusCode, body: &str) -> Response {
    let html = format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>PayPal test server</title>
<style>body{{font-family:sans-serif;max-width:30rem;margin:2rem auto;padding:0 1rem}}button{{font-size:1rem;padding:.6rem 1rem;margin:.3rem 0}}.note{{color:#555}}</style>
</head><body><main>
{body}
</main></body></html>"#
    );
    (status, Html(html)).into_response()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_return_url_keeps_its_own_query() {
        assert_eq!(with_query("http://a/orders/1/return", &[("token", "T")]), "http://a/orders/1/return?token=T");
        assert_eq!(
            with_query("http://a/r?x=1", &[("token", "T"), ("PayerID", "P")]),
            "http://a/r?x=1&token=T&PayerID=P"
        );
    }
}
