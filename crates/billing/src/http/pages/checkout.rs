//! `/checkout/{slug}`: the course, its price, the buyer's country and VAT
//! number, and the payment methods; placing the order leads to its page.

use std::collections::HashMap;

use askama::Template;
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use lyceum_enrollment::model::Offer;
use lyceum_platform::{
    AppResult, AppState,
    http::extract::PageForm,
    ids::CourseId,
    web::{FlashKind, Page, Reply, guard::SignedIn, redirect_with_flash},
};

use super::order_url;
use crate::{
    BillingError,
    gateway::{self, GatewayError},
    model::Quote,
    service::checkout::{self, Choice, Priced},
};

#[derive(Template)]
#[template(path = "billing/checkout.html")]
struct CheckoutPage {
    page: Page,
    offer: Offer,
    quote: Quote,
    gateways: Vec<&'static str>,
    choice: Choice,
    error: Option<String>,
}

impl CheckoutPage {
    fn chosen(&self, gateway: &str) -> bool {
        self.choice.gateway == gateway || (self.choice.gateway.is_empty() && self.gateways.first() == Some(&gateway))
    }
    fn country(&self) -> &str {
        self.choice.country.as_deref().unwrap_or("")
    }
    fn vat_number(&self) -> &str {
        self.choice.vat_number.as_deref().unwrap_or("")
    }
}

pub async fn show(State(state): State<AppState>, s: SignedIn, Path(slug): Path<String>) -> AppResult<Response> {
    match checkout::price_by_slug(&state, &s.viewer, &slug).await {
        Ok(priced) => render(&state, s.page, priced, Choice::default(), None, StatusCode::OK),
        Err(e) => Ok(refused(&slug, e)?),
    }
}

pub async fn place(
    State(state): State<AppState>,
    s: SignedIn,
    Path(slug): Path<String>,
    PageForm(form): PageForm<HashMap<String, String>>,
) -> AppResult<Response> {
    let field = |k: &str| form.get(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let choice = Choice {
        gateway: field("gateway").unwrap_or_default(),
        country: field("country"),
        vat_number: field("vat_number"),
    };
    let priced = match checkout::price_by_slug(&state, &s.viewer, &slug).await {
        Ok(priced) => priced,
        Err(e) => return refused(&slug, e),
    };
    let course_id = CourseId::from(&priced.offer.id);
    match checkout::place(&state, &s.viewer, &course_id, &choice).await {
        Ok(placed) => Ok(Redirect::to(&order_url(&placed.order.id)).into_response()),
        Err(BillingError::Invalid { message, .. }) => {
            render(&state, s.page, priced, choice, Some(message), StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(BillingError::Gateway(g @ GatewayError::Unavailable(_))) => {
            render(&state, s.page, priced, choice, Some(g.to_string()), StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(BillingError::Gateway(g)) => {
            let message = g.to_string();
            render(&state, s.page, priced, choice, Some(message), StatusCode::BAD_GATEWAY)
        }
        Err(e) => refused(&slug, e),
    }
}

fn render(
    state: &AppState,
    page: Page,
    Priced { offer, quote }: Priced,
    choice: Choice,
    error: Option<String>,
    status: StatusCode,
) -> AppResult<Response> {
    let gateways = gateway::offered(state).iter().map(|g| g.id()).collect();
    Reply::status(status).render(&CheckoutPage { page, offer, quote, gateways, choice, error })
}

/// What cannot be bought goes back where it makes sense, with a message.
fn refused(slug: &str, e: BillingError) -> AppResult<Response> {
    let course = format!("/courses/{slug}");
    Ok(match e {
        BillingError::AlreadyEnrolled => {
            redirect_with_flash(&format!("/learn/{slug}"), FlashKind::Info, "billing.flash.already_enrolled")
        }
        BillingError::Free => redirect_with_flash(&course, FlashKind::Info, "billing.flash.free"),
        BillingError::NotOpen => redirect_with_flash(&course, FlashKind::Error, "billing.flash.not_open"),
        BillingError::CourseFull => redirect_with_flash(&course, FlashKind::Error, "billing.flash.full"),
        other => return Err(other.into()),
    })
}
