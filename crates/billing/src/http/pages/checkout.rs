//! `/checkout/{slug}`: the course, its price with the coupon and the
//! buyer's country's tax, the VAT number and the payment methods.
//!
//! "Apply" posts the form like "Place order" (one form, so nothing typed is
//! lost) and is sent back to `GET /checkout/{slug}?coupon=…&country=…`,
//! which shows the total recomputed; a coupon or country that does not work
//! is shown beside its field (422). Placing recomputes everything on the
//! server and leads to the order's page.

use std::collections::HashMap;

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use lyceum_enrollment::model::Offer;
use lyceum_platform::{
    AppError, AppResult, AppState,
    http::extract::PageForm,
    ids::CourseId,
    web::{FlashKind, FormErrors, Page, Refused, Reply, guard::SignedIn, redirect_with_flash},
};

use super::order_url;
use crate::{
    BillingError,
    gateway::{self, GatewayError},
    model::{Coupon, Quote, TaxRate},
    service::{
        checkout::{self, Choice, Priced},
        pricing, subscriptions,
    },
};

#[derive(Template)]
#[template(path = "billing/checkout.html")]
struct CheckoutPage {
    page: Page,
    offer: Offer,
    quote: Quote,
    coupon: Option<Coupon>,
    tax: Option<TaxRate>,
    gateways: Vec<&'static str>,
    choice: Choice,
    errors: FormErrors,
    /// The viewer's subscription includes this course.
    covered: bool,
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
    fn coupon_code(&self) -> &str {
        self.choice.coupon.as_deref().unwrap_or("")
    }
    /// "20" or "5,5": the tax rate as a percentage in the page's language.
    fn rate(&self, t: &TaxRate) -> String {
        pricing::format_rate_percent(t.rate_bp, self.page.locale)
    }
    fn nothing_to_pay(&self) -> bool {
        self.quote.total_minor == 0
    }
}

/// What the page's query or form carries.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Terms {
    coupon: Option<String>,
    country: Option<String>,
    vat_number: Option<String>,
    gateway: Option<String>,
}

impl Terms {
    fn choice(self) -> Choice {
        let clean = |v: Option<String>| v.map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        Choice {
            gateway: clean(self.gateway).unwrap_or_default(),
            country: clean(self.country),
            vat_number: clean(self.vat_number),
            coupon: clean(self.coupon),
        }
    }
}

pub async fn show(
    State(state): State<AppState>,
    s: SignedIn,
    Path(slug): Path<String>,
    Query(terms): Query<Terms>,
) -> AppResult<Response> {
    let base = match checkout::price_by_slug(&state, &s.viewer, &slug).await {
        Ok(base) => base,
        Err(e) => return refused(&slug, e),
    };
    let choice = terms.choice();
    match checkout::with_terms(&state, &s.viewer, base.clone(), &choice).await {
        Ok(priced) => render(&state, s.page, priced, choice, FormErrors::none(), Reply::OK).await,
        Err(e) => {
            let (errors, reply) = match on_form(e, s.page.locale, &slug)? {
                Shown::Form(errors, reply) => (errors, reply),
                Shown::Elsewhere(response) => return Ok(response),
            };
            // Show what can be priced: the country's tax without the refused coupon.
            let without_coupon = Choice { coupon: None, ..choice.clone() };
            let shown = checkout::with_terms(&state, &s.viewer, base.clone(), &without_coupon).await.unwrap_or(base);
            render(&state, s.page, shown, choice, errors, reply).await
        }
    }
}

pub async fn place(
    State(state): State<AppState>,
    s: SignedIn,
    Path(slug): Path<String>,
    PageForm(mut form): PageForm<HashMap<String, String>>,
) -> AppResult<Response> {
    let apply = form.get("intent").is_some_and(|i| i == "apply");
    let terms = Terms {
        coupon: form.remove("coupon"),
        country: form.remove("country"),
        vat_number: form.remove("vat_number"),
        gateway: form.remove("gateway"),
    };
    let choice = terms.choice();
    if apply {
        return Ok(Redirect::to(&checkout_url(&slug, &choice)).into_response());
    }
    let base = match checkout::price_by_slug(&state, &s.viewer, &slug).await {
        Ok(base) => base,
        Err(e) => return refused(&slug, e),
    };
    let course_id = CourseId::from(&base.offer.id);
    match checkout::place(&state, &s.viewer, &course_id, &choice).await {
        Ok(placed) => Ok(Redirect::to(&order_url(&placed.order.id)).into_response()),
        Err(e) => match on_form(e, s.page.locale, &slug)? {
            Shown::Form(errors, reply) => render(&state, s.page, base, choice, errors, reply).await,
            Shown::Elsewhere(response) => Ok(response),
        },
    }
}

/// The page again with the learner's terms in its address (what "Apply" leads to).
fn checkout_url(slug: &str, choice: &Choice) -> String {
    let pairs = [
        ("coupon", choice.coupon.as_deref()),
        ("country", choice.country.as_deref()),
        ("vat_number", choice.vat_number.as_deref()),
        ("gateway", Some(choice.gateway.as_str()).filter(|g| !g.is_empty())),
    ];
    let given = pairs.into_iter().filter_map(|(k, v)| v.map(|v| (k, v)));
    let query = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(given).finish();
    if query.is_empty() { format!("/checkout/{slug}") } else { format!("/checkout/{slug}?{query}") }
}

/// Where a refusal is shown.
enum Shown {
    /// On the form: its messages, answered with the refusal's status.
    Form(FormErrors, Reply),
    /// Elsewhere, with a message (already enrolled, free, closed, full).
    Elsewhere(Response),
}

/// A refusal the form shows (a coupon, the country, the payment method, the
/// gateway down) as its messages; what cannot be bought at all leads away.
fn on_form(e: BillingError, locale: &str, slug: &str) -> AppResult<Shown> {
    let shown = match e {
        BillingError::Gateway(GatewayError::Unavailable(_))
        | BillingError::Coupon { .. }
        | BillingError::Invalid { .. } => AppError::from(e),
        BillingError::Gateway(g) => {
            let errors = FormErrors { general: Some(g.to_string()), fields: Vec::new() };
            return Ok(Shown::Form(errors, Reply::status(StatusCode::BAD_GATEWAY)));
        }
        other => return refused(slug, other).map(Shown::Elsewhere),
    };
    let refused = Refused::from_error(shown, locale)?;
    Ok(Shown::Form(refused.errors, refused.reply))
}

async fn render(
    state: &AppState,
    page: Page,
    Priced { offer, quote, coupon, tax }: Priced,
    choice: Choice,
    errors: FormErrors,
    reply: Reply,
) -> AppResult<Response> {
    let gateways = gateway::offered(state).iter().map(|g| g.id()).collect();
    // A subscriber enrolls in an included course without buying it.
    let covered = match &page.viewer {
        Some(viewer) => subscriptions::covers(state, viewer, &CourseId::from(&offer.id)).await?,
        None => false,
    };
    reply.render(&CheckoutPage { page, offer, quote, coupon, tax, gateways, choice, errors, covered })
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
