//! Settings → API tokens: list, create (the secret is shown once), revoke.

use askama::Template;
use axum::{
    extract::{Path, State},
    http::{HeaderValue, header},
    response::Response,
};
use lyceum_platform::ids::TokenId;
use lyceum_platform::{
    AppResult, AppState,
    http::extract::PageForm,
    web::{FlashKind, FormErrors, Page, Refused, Reply, redirect_with_flash},
};
use serde::Deserialize;

use super::forms::refused;
use crate::{model::ApiToken, service::tokens};
use lyceum_platform::web::guard::SignedIn;

/// The expiry choices offered, in days ("" is no expiry).
const EXPIRY_CHOICES: [&str; 4] = ["", "30", "90", "365"];

#[derive(Template)]
#[template(path = "accounts/tokens.html")]
struct TokensPage {
    page: Page,
    errors: FormErrors,
    tokens: Vec<ApiToken>,
    /// The token just created, shown this once.
    secret: Option<String>,
    name: String,
    expires_in_days: String,
    choices: [&'static str; 4],
}

impl TokensPage {
    fn new(page: Page, tokens: Vec<ApiToken>) -> Self {
        Self {
            page,
            errors: FormErrors::none(),
            tokens,
            secret: None,
            name: String::new(),
            expires_in_days: "90".into(),
            choices: EXPIRY_CHOICES,
        }
    }
}

pub async fn list(State(state): State<AppState>, SignedIn { page, viewer }: SignedIn) -> AppResult<Response> {
    let live = tokens::list(&state, &viewer.id()).await?;
    Reply::OK.render(&TokensPage::new(page, live))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CreateForm {
    name: String,
    expires_in_days: String,
}

/// Answers with the page itself (not a redirect): the secret must never
/// travel in a cookie or an address.
pub async fn create(
    State(state): State<AppState>,
    SignedIn { page, viewer }: SignedIn,
    PageForm(form): PageForm<CreateForm>,
) -> AppResult<Response> {
    let days = match form.expires_in_days.trim() {
        "" => Ok(None),
        raw => raw.parse::<i64>().map(Some),
    };
    let result = match days {
        Ok(days) => tokens::create(&state, &viewer.id(), &form.name, days).await,
        Err(_) => Err(lyceum_platform::AppError::field(
            "expires_in_days",
            lyceum_platform::Text::new("accounts.tokens.expiry_invalid"),
        )),
    };
    match result {
        Ok(created) => {
            let live = tokens::list(&state, &viewer.id()).await?;
            let tpl = TokensPage { secret: Some(created.secret), ..TokensPage::new(page, live) };
            let mut response = Reply::OK.render(&tpl)?;
            response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            Ok(response)
        }
        Err(e) => {
            let Refused { errors, reply, .. } = refused(&page, e)?;
            let live = tokens::list(&state, &viewer.id()).await?;
            let tpl = TokensPage {
                errors,
                name: form.name,
                expires_in_days: form.expires_in_days,
                ..TokensPage::new(page, live)
            };
            reply.render(&tpl)
        }
    }
}

pub async fn revoke(
    State(state): State<AppState>,
    SignedIn { viewer, .. }: SignedIn,
    Path(id): Path<TokenId>,
) -> AppResult<Response> {
    tokens::revoke(&state, &viewer.id(), &id).await?;
    Ok(redirect_with_flash("/settings/tokens", FlashKind::Success, "accounts.flash.token_revoked"))
}
