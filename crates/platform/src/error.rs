//! One error type for the HTTP edge. Services return their own typed errors and
//! convert into [`AppError`] through `From`; handlers just use `?`.
//!
//! `AppError::into_response` does not choose a body: it stores the error in the
//! response, and [`crate::http::errors::render`] turns it into RFC 9457
//! `application/problem+json` under `/api/` or a friendly HTML page elsewhere.

use std::sync::Arc;

use axum::response::{IntoResponse, Response};
use http::StatusCode;
use serde::Serialize;

use crate::text::{Message, Text};

/// A problem with one input field, shown beside that field.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    /// In English (the API's language).
    pub message: String,
    /// The message's key and arguments, for a page in another language.
    #[serde(skip)]
    #[schema(ignore)]
    pub text: Option<Text>,
}

impl FieldError {
    /// `message` is a [`Text`] (translated on pages) or, rarely, plain text.
    pub fn new(field: impl Into<String>, message: impl Into<Message>) -> Self {
        let Message { english, text } = message.into();
        Self { field: field.into(), message: english, text }
    }

    /// The message in `locale` (plain text as it is).
    pub fn in_lang(&self, locale: &str) -> String {
        self.text.as_ref().map_or_else(|| self.message.clone(), |t| t.in_lang(locale))
    }
}

#[derive(Debug, Clone)]
pub struct AppError {
    pub status: StatusCode,
    /// Stable machine-readable kind, e.g. `validation`; becomes `urn:lyceum:problem:<kind>`.
    pub kind: &'static str,
    pub title: &'static str,
    /// In English (the API's language).
    pub detail: String,
    /// `detail`'s key and arguments when it has them, for a page in another
    /// language ([`AppError::detail_in`]).
    pub detail_text: Option<Box<Text>>,
    pub fields: Vec<FieldError>,
    pub retry_after_secs: Option<u32>,
    /// Logged with the request id, never sent to the client.
    /// (A boxed `str`, with `detail_text` boxed, keeps `AppError` small.)
    pub internal: Option<Box<str>>,
    /// SQLite's write lock stayed taken past the busy timeout: not the
    /// caller's fault, so a job postpones instead of spending an attempt.
    database_busy: bool,
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    fn new(status: StatusCode, kind: &'static str, title: &'static str, detail: impl Into<Message>) -> Self {
        let Message { english, text } = detail.into();
        Self {
            status,
            kind,
            title,
            detail: english,
            detail_text: text.map(Box::new),
            fields: Vec::new(),
            retry_after_secs: None,
            internal: None,
            database_busy: false,
        }
    }

    pub fn validation(fields: Vec<FieldError>) -> Self {
        let mut e = Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            "Some fields need attention",
            "Correct the fields listed in `errors` and try again.",
        );
        e.fields = fields;
        e
    }

    pub fn field(field: &str, message: impl Into<Message>) -> Self {
        Self::validation(vec![FieldError::new(field, message)])
    }

    pub fn bad_request(detail: impl Into<Message>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad-request", "The request could not be read", detail)
    }

    pub fn unauthorized(detail: impl Into<Message>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", "Sign-in required", detail)
    }

    pub fn forbidden(detail: impl Into<Message>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", "Not allowed", detail)
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not-found", "Not found", "There is nothing at this address.")
    }

    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method-not-allowed",
            "Method not allowed",
            "This address does not accept that HTTP method.",
        )
    }

    pub fn conflict(detail: impl Into<Message>) -> Self {
        Self::new(StatusCode::CONFLICT, "conflict", "Conflict", detail)
    }

    /// 402: the action needs a payment first (paid enrollment until billing exists).
    pub fn payment_required(detail: impl Into<Message>) -> Self {
        Self::new(StatusCode::PAYMENT_REQUIRED, "payment-required", "Payment required", detail)
    }

    /// A link or token that has expired or was already used.
    pub fn gone(detail: impl Into<Message>) -> Self {
        Self::new(StatusCode::GONE, "link-expired", "Link expired", detail)
    }

    /// Refused for a reason specific to the account, with a stable `kind`.
    pub fn forbidden_kind(kind: &'static str, title: &'static str, detail: impl Into<Message>) -> Self {
        Self::new(StatusCode::FORBIDDEN, kind, title, detail)
    }

    pub fn payload_too_large(detail: impl Into<Message>) -> Self {
        Self::new(StatusCode::PAYLOAD_TOO_LARGE, "payload-too-large", "Too large", detail)
    }

    pub fn unsupported_media_type(detail: impl Into<Message>) -> Self {
        Self::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported content type", detail)
    }

    pub fn rate_limited(retry_after_secs: u32) -> Self {
        let mut e = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate-limited",
            "Too many attempts",
            Text::new("errors.rate_limited").arg("seconds", retry_after_secs),
        );
        e.retry_after_secs = Some(retry_after_secs);
        e
    }

    /// 408: the client did not send its request (body) in time.
    pub fn request_timeout(detail: impl Into<Message>) -> Self {
        Self::new(StatusCode::REQUEST_TIMEOUT, "request-timeout", "Request timed out", detail)
    }

    /// 502: a service we depend on (a payment provider) refused or failed.
    pub fn bad_gateway(detail: impl Into<Message>) -> Self {
        Self::new(StatusCode::BAD_GATEWAY, "gateway-error", "Payment provider error", detail)
    }

    pub fn unavailable(detail: impl Into<Message>) -> Self {
        Self::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", "Temporarily unavailable", detail)
    }

    pub fn csrf() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "csrf",
            "Form expired",
            "This form has expired or was sent from another site. Reload the page and try again.",
        )
    }

    /// An unexpected fault: the client sees a generic 500, the log sees `cause`.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        let mut e = Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Something went wrong",
            "An unexpected error occurred. It has been logged; quote the request id if you report it.",
        );
        e.internal = Some(cause.to_string().into());
        e
    }

    /// The same error with another `detail`.
    pub fn with_detail(mut self, detail: impl Into<Message>) -> Self {
        let Message { english, text } = detail.into();
        (self.detail, self.detail_text) = (english, text.map(Box::new));
        self
    }

    /// `detail` in `locale` (plain text as it is).
    pub fn detail_in(&self, locale: &str) -> String {
        self.detail_text.as_ref().map_or_else(|| self.detail.clone(), |t| t.in_lang(locale))
    }

    /// The same error with a more specific stable `kind`.
    pub fn with_kind(mut self, kind: &'static str) -> Self {
        self.kind = kind;
        self
    }

    pub fn type_uri(&self) -> String {
        format!("urn:lyceum:problem:{}", self.kind)
    }

    /// A fault outside the request that passes — the database busy or out of
    /// reach, the server shedding load (503): the same call may succeed later.
    pub fn is_unavailable(&self) -> bool {
        self.status == StatusCode::SERVICE_UNAVAILABLE
    }

    /// SQLite's write lock was not free within the busy timeout (a kind of
    /// [`is_unavailable`](Self::is_unavailable)).
    pub fn is_database_busy(&self) -> bool {
        self.database_busy
    }

    /// A refusal of the request itself (4xx): asked again unchanged, it is
    /// refused again — unlike "not yet" (408 request timeout, 429 rate limited),
    /// which passes, and unlike a fault (5xx).
    pub fn is_refusal(&self) -> bool {
        self.status.is_client_error()
            && !matches!(self.status, StatusCode::REQUEST_TIMEOUT | StatusCode::TOO_MANY_REQUESTS)
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.status.as_u16(), self.kind, self.internal.as_deref().unwrap_or(&self.detail))
    }
}

impl std::error::Error for AppError {}

impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        match &err {
            sqlx::Error::RowNotFound => Self::not_found(),
            // No free connection (below: or SQLite's write lock not free within the busy timeout).
            sqlx::Error::PoolTimedOut => {
                Self::database_unavailable("The service is busy. Try again in a moment.", &err)
            }
            _ if crate::db::is_busy(&err) => {
                let mut e = Self::database_unavailable("The service is busy. Try again in a moment.", &err);
                e.database_busy = true;
                e
            }
            _ if is_connection_fault(&err) => {
                Self::database_unavailable("The database cannot be reached just now. Try again in a moment.", &err)
            }
            _ if crate::db::is_unstorable_text(&err) => {
                let mut e = Self::validation(Vec::new()).with_detail(Text::new("errors.unstorable_text"));
                e.internal = Some(err.to_string().into());
                e
            }
            _ if crate::db::is_unique_violation(&err) => {
                let mut e = Self::conflict(Text::new("errors.already_exists"));
                e.internal = Some(err.to_string().into());
                e
            }
            _ => Self::internal(err),
        }
    }
}

impl AppError {
    /// 503 with `Retry-After`: the database is busy or out of reach, which passes.
    fn database_unavailable(detail: &str, err: &sqlx::Error) -> Self {
        let mut e = Self::unavailable(detail);
        e.internal = Some(err.to_string().into());
        e.retry_after_secs = Some(1);
        e
    }
}

/// True when `err` says the database could not be reached or the connection
/// to it broke — a fault outside the request that passes (503), unlike a bug
/// such as bad SQL or a violated constraint (500).
pub fn is_connection_fault(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        // A connection dropped mid-message shows as a protocol error.
        | sqlx::Error::Protocol(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(e) => e.code().is_some_and(|code| is_unavailable_sqlstate(&code)),
        _ => false,
    }
}

/// PostgreSQL SQLSTATEs of a server that cannot serve now: class 08
/// (connection exception), 57P01–57P03 (shutting down, crashed, starting up),
/// 53300 (too many connections). SQLite's numeric codes never match.
fn is_unavailable_sqlstate(code: &str) -> bool {
    code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03" | "53300")
}

/// Marker stored in a response's extensions; the renderer turns it into a body.
#[derive(Clone, Debug)]
pub struct ErrorMarker(pub Arc<AppError>);

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut response = self.status.into_response();
        if let Some(secs) = self.retry_after_secs {
            response.headers_mut().insert(http::header::RETRY_AFTER, secs.into());
        }
        response.extensions_mut().insert(ErrorMarker(Arc::new(self)));
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_faults_are_unavailable() {
        let reset = || std::io::Error::from(std::io::ErrorKind::ConnectionReset);
        for err in [
            sqlx::Error::Io(reset()),
            sqlx::Error::PoolTimedOut,
            sqlx::Error::PoolClosed,
            sqlx::Error::WorkerCrashed,
            sqlx::Error::Tls("handshake failed".into()),
            sqlx::Error::Protocol("unexpected end of stream".into()),
        ] {
            assert!(is_connection_fault(&err), "{err}");
            let e = AppError::from(err);
            assert_eq!(
                (e.status, e.kind, e.retry_after_secs),
                (StatusCode::SERVICE_UNAVAILABLE, "unavailable", Some(1))
            );
            assert!(e.is_unavailable() && !e.is_database_busy() && !e.is_refusal(), "{e}");
        }
    }

    #[test]
    fn refusals_are_the_client_errors_that_do_not_pass() {
        for e in [
            AppError::not_found(),
            AppError::conflict("taken"),
            AppError::field("email", "bad"),
            AppError::forbidden("no"),
            AppError::gone("used"),
        ] {
            assert!(e.is_refusal() && !e.is_unavailable(), "{e}");
        }
        for e in [
            AppError::rate_limited(5),
            AppError::request_timeout("slow"),
            AppError::internal("bug"),
            AppError::unavailable("later"),
        ] {
            assert!(!e.is_refusal(), "{e}");
        }
        assert!(AppError::from(sqlx::Error::RowNotFound).is_refusal(), "a missing row is a 404");
    }

    #[test]
    fn server_states_that_pass_are_unavailable_and_bugs_are_not() {
        for code in ["08006", "08001", "08P01", "57P01", "57P02", "57P03", "53300"] {
            assert!(is_unavailable_sqlstate(code), "{code}");
        }
        // Syntax error, unique and foreign-key violation, SQLite "constraint" and "busy".
        for code in ["42601", "23505", "23503", "19", "5", "2067"] {
            assert!(!is_unavailable_sqlstate(code), "{code}");
        }
        for err in [sqlx::Error::RowNotFound, sqlx::Error::ColumnNotFound("x".into())] {
            assert!(!is_connection_fault(&err), "{err}");
        }
        assert_eq!(AppError::from(sqlx::Error::ColumnNotFound("x".into())).status, StatusCode::INTERNAL_SERVER_ERROR);
    }

    /// SQLite's write lock held past the busy timeout is a busy service (503),
    /// not a bug: a real lock, held by one transaction while another begins —
    /// in another process (a second handle on the file: SQLite's busy handler
    /// answers) and in this one (the write queue answers).
    #[tokio::test]
    async fn sqlite_busy_is_unavailable() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("busy.db").display());
        let second = std::time::Duration::from_secs(1);
        let connect = || crate::db::Db::connect_url(&url, 2, second, std::time::Duration::ZERO);
        let (db, other_process_db) = (connect().await.unwrap(), connect().await.unwrap());
        let _holder = db.begin().await.unwrap();
        for err in [
            other_process_db.begin().await.expect_err("the write lock is taken"),
            db.begin().await.expect_err("this process's write turn is taken"),
        ] {
            assert!(crate::db::is_busy(&err), "{err}");
            let e = AppError::from(err);
            let status = (e.status, e.kind, e.retry_after_secs);
            assert_eq!(status, (StatusCode::SERVICE_UNAVAILABLE, "unavailable", Some(1)));
            assert!(e.is_database_busy() && e.is_unavailable());
        }
    }
}
