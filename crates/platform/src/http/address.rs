//! Addresses no route can serve: a path or query holding a NUL (`%00`) is
//! refused with `400` before any handler runs. No id, slug or search term
//! contains one, and PostgreSQL cannot even compare a text that does — so
//! without this rule every route reading an id from its address answered
//! such a request with whatever its database made of it.

use axum::{
    extract::Request,
    middleware::Next,
    response::{IntoResponse, Response},
};

use crate::{AppError, Text};

pub async fn refuse_nul(req: Request, next: Next) -> Response {
    let uri = req.uri();
    if holds_nul(uri.path()) || uri.query().is_some_and(holds_nul) {
        return AppError::bad_request(Text::new("errors.nul_in_address")).into_response();
    }
    next.run(req).await
}

/// A NUL can only arrive percent-encoded: the HTTP parser refuses a raw one.
fn holds_nul(part: &str) -> bool {
    part.contains("%00")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_an_encoded_nul_and_nothing_else() {
        assert!(holds_nul("/api/v1/things/ab%00cd"));
        assert!(holds_nul("q=%00"));
        assert!(!holds_nul("/api/v1/things/ab%2500cd"), "an encoded percent sign followed by 00 is not a NUL");
        assert!(!holds_nul("q=100%25"));
    }
}
