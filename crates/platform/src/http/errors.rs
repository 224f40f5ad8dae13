//! The one place errors become bodies: problem+json under `/api/`, an HTML
//! page elsewhere. Also gives unknown routes, wrong methods, timeouts and
//! over-large bodies (answered by the router or tower layers) the same shapes.

use std::any::Any;

use askama::Template;
use axum::{
    Json,
    extract::Request,
    http::{HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{Html, IntoResponse, Redirect, Response},
};
use serde::Serialize;

use super::REQUEST_ID;
use crate::{AppError, FieldError, auth::Caller, error::ErrorMarker, web::Page};

/// RFC 9457 problem details.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    pub instance: String,
    pub request_id: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    page: Page,
    error: &'a AppError,
    request_id: &'a str,
}

/// What the renderer keeps of the request: cheap clones only, because most
/// responses are not errors; the page context is built when one is.
struct Origin {
    method: Method,
    uri: http::Uri,
    cookie: Option<HeaderValue>,
    accept_language: Option<HeaderValue>,
    request_id: Option<HeaderValue>,
}

impl Origin {
    fn of(req: &Request) -> Self {
        let header = |name| req.headers().get(name).cloned();
        Self {
            method: req.method().clone(),
            uri: req.uri().clone(),
            cookie: header(header::COOKIE),
            accept_language: header(header::ACCEPT_LANGUAGE),
            request_id: header(REQUEST_ID),
        }
    }

    fn is_api(&self) -> bool {
        self.uri.path().starts_with("/api/")
    }

    /// Where to come back after signing in: a page is reopened; a form post is not replayed.
    fn return_to(&self) -> &str {
        match self.method {
            Method::GET | Method::HEAD => self.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/"),
            _ => "/",
        }
    }

    fn page(&self) -> Page {
        let mut req = http::Request::builder().uri(self.uri.clone());
        for (name, value) in [(header::COOKIE, &self.cookie), (header::ACCEPT_LANGUAGE, &self.accept_language)] {
            if let Some(value) = value {
                req = req.header(name, value.clone());
            }
        }
        let (parts, ()) = req.body(()).unwrap_or_default().into_parts();
        Page::from_parts(&parts)
    }
}

pub async fn render(req: Request, next: Next) -> Response {
    let origin = Origin::of(&req);
    let mut response = next.run(req).await;

    let error = match response.extensions_mut().remove::<ErrorMarker>() {
        Some(ErrorMarker(error)) => error,
        None => match unrendered_status(&response) {
            Some(error) => error.into(),
            None => return response,
        },
    };
    let request_id = origin.request_id.as_ref().and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    log(&error, &request_id);
    let is_api = origin.is_api();
    if !is_api && error.status == StatusCode::UNAUTHORIZED {
        // A page that needs a signed-in user: go sign in, then come back.
        let next = crate::web::encode_query(origin.return_to());
        return Redirect::to(&format!("/login?next={next}")).into_response();
    }

    let status = error.status;
    let mut body = if is_api {
        let problem = Problem {
            kind: error.type_uri(),
            title: error.title.to_string(),
            status: status.as_u16(),
            detail: error.detail.clone(),
            instance: origin.uri.path().to_string(),
            request_id: request_id.clone(),
            errors: error.fields.clone(),
        };
        let mut r = Json(problem).into_response();
        r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        r
    } else {
        let mut page = origin.page();
        // Who is signed in is only known inside the auth layer; it hands it back.
        if let Some(Caller::User(viewer)) = response.extensions().get::<Caller>() {
            page.viewer = Some((**viewer).clone());
        }
        let html = ErrorPage { page, error: &error, request_id: &request_id }
            .render()
            .unwrap_or_else(|_| format!("<h1>{}</h1>", status.as_u16()));
        Html(html).into_response()
    };
    *body.status_mut() = status;
    // Keep headers the handler or router set (Allow, Retry-After, Set-Cookie,
    // WWW-Authenticate, and Connection: close after a body that never came).
    for name in [header::ALLOW, header::RETRY_AFTER, header::SET_COOKIE, header::WWW_AUTHENTICATE, header::CONNECTION] {
        for value in response.headers().get_all(&name) {
            body.headers_mut().append(name.clone(), value.clone());
        }
    }
    body
}

/// Status-only responses from the router or tower layers (no body of ours).
fn unrendered_status(response: &Response) -> Option<AppError> {
    if response.headers().contains_key(header::CONTENT_TYPE) && response.status() != StatusCode::PAYLOAD_TOO_LARGE {
        return None;
    }
    match response.status() {
        StatusCode::NOT_FOUND => Some(AppError::not_found()),
        StatusCode::METHOD_NOT_ALLOWED => Some(AppError::method_not_allowed()),
        StatusCode::PAYLOAD_TOO_LARGE => {
            Some(AppError::payload_too_large("The request body is larger than the server accepts."))
        }
        StatusCode::SERVICE_UNAVAILABLE => {
            Some(AppError::unavailable("The request took too long and was stopped. Try again."))
        }
        _ => None,
    }
}

fn log(error: &AppError, request_id: &str) {
    if error.status.is_server_error() {
        tracing::error!(request_id, status = error.status.as_u16(), kind = error.kind, cause = ?error.internal, "request failed");
    } else {
        tracing::debug!(request_id, status = error.status.as_u16(), kind = error.kind, "request refused");
    }
}

pub fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "panic".into());
    AppError::internal(format!("handler panicked: {message}")).into_response()
}
