//! The home page.

use askama::Template;
use axum::response::Html;
use lyceum_platform::{
    AppResult,
    web::{Page, render},
};

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    page: Page,
}

pub async fn page(page: Page) -> AppResult<Html<String>> {
    render(&Home { page })
}
