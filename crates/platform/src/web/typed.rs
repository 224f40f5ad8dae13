//! What a page's form types, read once: a local date and time (a
//! `datetime-local` input, in the viewer's time zone) and a whole number,
//! each refusal a message on its field; and a time shown back in such an input.

use crate::{FieldError, Text, web::Page};

/// Reads typed fields, keeping a message for each one it cannot read.
pub struct Typed<'a> {
    page: &'a Page,
    pub errors: Vec<FieldError>,
}

impl<'a> Typed<'a> {
    pub fn new(page: &'a Page) -> Self {
        Self { page, errors: Vec::new() }
    }

    /// A `datetime-local` value as epoch ms in the viewer's zone; blank is None.
    pub fn local_time(&mut self, field: &str, raw: &str) -> Option<i64> {
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        let parsed = raw
            .parse::<jiff::civil::DateTime>()
            .ok()
            .and_then(|dt| dt.to_zoned(self.page.time_zone.clone()).ok())
            .map(|z| z.timestamp().as_millisecond());
        if parsed.is_none() {
            self.errors.push(FieldError::new(field, Text::new("errors.bad_datetime")));
        }
        parsed
    }

    /// A whole number; blank is None.
    pub fn whole(&mut self, field: &str, raw: &str) -> Option<i64> {
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        let n = raw.parse::<i64>().ok();
        if n.is_none() {
            self.errors.push(FieldError::new(field, Text::new("errors.bad_number")));
        }
        n
    }
}

/// A time as a `datetime-local` input shows it, in the viewer's zone; None is blank.
pub fn local_input(page: &Page, ms: Option<i64>) -> String {
    ms.and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok())
        .map(|ts| ts.to_zoned(page.time_zone.clone()).strftime("%Y-%m-%dT%H:%M").to_string())
        .unwrap_or_default()
}

/// A select's value for an enum option (its serde name, `snake_case` here).
pub fn enum_name<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// The enum option a select sent; the default for anything else.
pub fn parse_enum<T: serde::de::DeserializeOwned + Default>(raw: &str) -> T {
    serde_json::from_value(serde_json::Value::String(raw.to_string())).unwrap_or_default()
}
