//! Server-rendered pages: the page context every template gets, CSRF,
//! flash messages, translations, navigation links, badges and panels, and embedded
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
pub mod panel;
pub mod preview;
pub mod typed;

pub use flash::{Flash, FlashKind, redirect_with_flash};
pub use form::{FormErrors, Refused, Reply};
pub use page::{NavItem, Page};

/// Percent-encodes a value for a query string or `?next=` link.
pub fn encode_query(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// A number of bytes as stored (sizes are `i64` columns, limits `usize`
/// settings), by value or by reference as templates hand them over.
pub trait ByteCount {
    fn byte_count(&self) -> u64;
}

impl ByteCount for i64 {
    fn byte_count(&self) -> u64 {
        u64::try_from(*self).unwrap_or(0)
    }
}

impl ByteCount for usize {
    fn byte_count(&self) -> u64 {
        *self as u64
    }
}

impl<T: ByteCount> ByteCount for &T {
    fn byte_count(&self) -> u64 {
        (**self).byte_count()
    }
}

/// A file size as people read it: "512 MB", "1.5 GB", "147 KB", "12 bytes"
/// (binary units, one decimal only where it says something).
pub fn human_size(bytes: u64) -> String {
    human_size_in(bytes, "en")
}

/// [`human_size`] in `locale`: its unit names (`size.*` strings: "Ko" in
/// French) and decimal comma.
pub fn human_size_in(bytes: u64, locale: &str) -> String {
    const UNITS: [&str; 3] = ["size.kb", "size.mb", "size.gb"];
    if bytes < 1024 {
        return format!("{bytes} {}", i18n::t(locale, "size.bytes"));
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    let shown =
        if value >= 100.0 { format!("{value:.0}") } else { format!("{value:.1}").trim_end_matches(".0").to_string() };
    let shown = if locale == "en" { shown } else { shown.replace('.', ",") };
    format!("{shown} {}", i18n::t(locale, UNITS[unit]))
}

/// Renders an askama template into an HTML response, turning a template fault into a 500.
pub fn render<T: askama::Template>(template: &T) -> crate::AppResult<axum::response::Html<String>> {
    template.render().map(axum::response::Html).map_err(crate::AppError::internal)
}

#[cfg(test)]
mod tests {
    use super::{human_size, human_size_in};

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(human_size(12), "12 bytes");
        assert_eq!(human_size(150_657), "147 KB");
        assert_eq!(human_size(2 * 1024 * 1024), "2 MB");
        assert_eq!(human_size(1536 * 1024), "1.5 MB");
        assert_eq!(human_size(524_288 * 1024), "512 MB");
        assert_eq!(human_size(3 * 1024 * 1024 * 1024 / 2), "1.5 GB");
        assert_eq!(human_size_in(12, "fr"), "12 octets");
        assert_eq!(human_size_in(1536 * 1024, "fr"), "1,5 Mo");
        assert_eq!(human_size_in(150_657, "fr"), "147 Ko");
    }
}
