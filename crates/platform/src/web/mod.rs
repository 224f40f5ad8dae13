//! Server-rendered pages: the page context every template gets, CSRF,
//! flash messages, translations, navigation links and badges, and embedded
//! static assets.

pub mod assets;
pub mod badge;
pub mod csrf;
pub mod flash;
pub mod form;
pub mod guard;
pub mod i18n;
pub mod nav;
pub mod page;
pub mod page_cache;

pub use flash::{Flash, FlashKind, redirect_with_flash};
pub use form::{FormErrors, Refused, Reply};
pub use page::{NavItem, Page};

/// Percent-encodes a value for a query string or `?next=` link.
pub fn encode_query(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// Renders an askama template into an HTML response, turning a template fault into a 500.
pub fn render<T: askama::Template>(template: &T) -> crate::AppResult<axum::response::Html<String>> {
    template.render().map(axum::response::Html).map_err(crate::AppError::internal)
}
