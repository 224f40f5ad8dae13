//! Billing pages: the checkout, "my orders" with each order's page (which
//! follows a pending payment until it settles), the administrators' orders,
//! and subscriptions (the learner's and the administrators').

pub mod admin;
pub mod admin_coupons;
pub mod admin_subscriptions;
pub mod admin_tax;
pub mod checkout;
pub mod invoice;
pub mod orders;
pub mod reports;
pub mod subscriptions;

/// An order's page.
pub(crate) fn order_url(id: &str) -> String {
    format!("/orders/{id}")
}

/// What an order's line says it buys, in the reader's language: the course's
/// title, or for a subscription the plan, its interval and the period paid
/// for ("All access — monthly, 7 December 2026 – 7 January 2027").
pub(crate) fn line_text(
    page: &lyceum_platform::web::Page,
    line: &crate::model::OrderLine,
    period: Option<&crate::model::subscriptions::PaidPeriod>,
) -> String {
    let Some(period) = period.filter(|_| line.is_subscription()) else { return line.description.clone() };
    let interval = page.t_in("billing.line_interval", period.interval.as_str());
    match period.days {
        Some((start, end)) => {
            format!("{} — {interval}, {} – {}", line.description, page.date(&start), page.date(&end))
        }
        None => format!("{} — {interval}", line.description),
    }
}
