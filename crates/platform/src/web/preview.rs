//! `POST /markdown/preview`: the markdown editor's preview, rendered by the
//! server exactly as the text will be shown (sanitised, code highlighted), so
//! what an author previews is what learners get. Signed-in users only, CSRF
//! checked like every form; the answer is an HTML fragment.

use axum::{
    Router,
    response::{Html, IntoResponse, Response},
    routing::post,
};
use serde::Deserialize;

use crate::{AppResult, AppState, http::extract::PageForm, markdown, web::guard::SignedIn};

/// Longer texts are refused rather than rendered (the longest markdown field,
/// a course description, holds 50,000 characters).
const PREVIEW_MAX_CHARS: usize = 100_000;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PreviewForm {
    text: String,
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/markdown/preview", post(preview))
}

async fn preview(_: SignedIn, PageForm(form): PageForm<PreviewForm>) -> AppResult<Response> {
    if form.text.chars().count() > PREVIEW_MAX_CHARS {
        return Err(crate::AppError::field("text", crate::Text::new("errors.preview_too_long")));
    }
    let html =
        tokio::task::spawn_blocking(move || markdown::render(&form.text)).await.map_err(crate::AppError::internal)?;
    Ok(Html(html).into_response())
}
