//! Billing over HTTP: `/api/v1/orders…`, `/api/v1/payments/…`,
//! `/api/v1/subscriptions…`, `/api/v1/subscription-plans…`, the checkout, the
//! learner's orders and subscription, and the administrators' pages.

pub(crate) mod api;
mod pages;

use axum::{
    Router,
    routing::{get, post},
};
use lyceum_platform::AppState;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn api_routes() -> OpenApiRouter<AppState> {
    use api::{coupons as c, orders as o, reports as r, tax_rates as t, webhooks as w};
    OpenApiRouter::new()
        .routes(routes!(o::list_gateways))
        .routes(routes!(o::quote))
        .routes(routes!(o::list_orders, o::place_order))
        .routes(routes!(o::list_all_orders))
        .routes(routes!(o::get_order))
        .routes(routes!(o::verify_order))
        .routes(routes!(o::cancel_order))
        .routes(routes!(o::mark_paid))
        .routes(routes!(o::refund_order))
        .routes(routes!(w::receive))
        .routes(routes!(r::revenue_report))
        .routes(routes!(r::audit_log))
        .routes(routes!(c::list_coupons, c::create_coupon))
        .routes(routes!(c::get_coupon, c::update_coupon))
        .routes(routes!(t::list_tax_rates))
        .routes(routes!(t::put_tax_rate, t::delete_tax_rate))
        .merge(subscription_routes())
}

fn subscription_routes() -> OpenApiRouter<AppState> {
    use api::{plans as p, subscriptions as s};
    OpenApiRouter::new()
        .routes(routes!(p::list_plans, p::create_plan))
        .routes(routes!(p::update_plan))
        .routes(routes!(p::list_included))
        .routes(routes!(p::include_course, p::exclude_course))
        .routes(routes!(s::subscribe))
        .routes(routes!(s::my_subscription))
        .routes(routes!(s::get_subscription))
        .routes(routes!(s::cancel_subscription))
        .routes(routes!(s::resume_subscription))
        .routes(routes!(s::enroll_with_subscription))
        .routes(routes!(s::list_all_subscriptions))
}

pub fn page_routes() -> Router<AppState> {
    use pages::{
        admin as a, admin_coupons as ac, admin_tax as at, checkout as c, invoice as i, orders as o, reports as r,
    };
    Router::new()
        .route("/checkout/{slug}", get(c::show).post(c::place))
        .route("/orders", get(o::list))
        .route("/orders/{id}", get(o::show))
        .route("/orders/{id}/return", get(o::back_from_gateway))
        .route("/orders/{id}/invoice", get(i::html))
        .route("/orders/{id}/invoice.pdf", get(i::pdf))
        .route("/orders/{id}/verify", post(o::verify))
        .route("/orders/{id}/cancel", post(o::cancel))
        .route("/admin/orders", get(a::list))
        .route("/admin/orders/{id}", get(a::show))
        .route("/admin/orders/{id}/mark-paid", post(a::mark_paid))
        .route("/admin/orders/{id}/refund", post(a::refund))
        .route("/admin/revenue", get(r::revenue))
        .route("/admin/revenue.csv", get(r::revenue_csv))
        .route("/admin/money-audit", get(r::audit))
        .route("/admin/coupons", get(ac::list).post(ac::create))
        .route("/admin/coupons/new", get(ac::new))
        .route("/admin/coupons/{id}", get(ac::edit).post(ac::save))
        .route("/admin/coupons/{id}/active", post(ac::set_active))
        .route("/admin/tax-rates", get(at::list).post(at::set))
        .route("/admin/tax-rates/{country}/remove", post(at::remove))
        .merge(subscription_pages())
}

fn subscription_pages() -> Router<AppState> {
    use pages::{admin_subscriptions as a, subscriptions as s};
    Router::new()
        .route("/subscribe", get(s::plans_page).post(s::subscribe))
        .route("/subscription", get(s::mine))
        .route("/subscription/cancel", post(s::cancel))
        .route("/subscription/resume", post(s::resume))
        .route("/subscriptions/enroll/{slug}", post(s::enroll))
        .route("/admin/subscriptions", get(a::list))
        .route("/admin/subscription-plans", get(a::plans_page).post(a::create_plan))
        .route("/admin/subscription-plans/{id}", post(a::update_plan))
        .route("/admin/subscription-plans/included", post(a::include))
        .route("/admin/subscription-plans/included/{course_id}/remove", post(a::exclude))
}
