//! Serving a stored file over HTTP: byte ranges (video seeking), validators
//! (`ETag`, `Last-Modified`) and conditional requests, caching headers, HEAD.
//! The body is streamed from storage, never read whole into memory.
//!
//! Only single ranges are served as 206; a multi-range request gets the whole
//! file as 200 (RFC 9110 allows ignoring `Range`; players ask for one range).
//! Who may see a file is the caller's decision, made before calling [`serve`].

use std::ops::Range;

use axum::{
    body::Body,
    response::{IntoResponse, Response},
};
use http::{HeaderMap, HeaderValue, Method, StatusCode, header};

use crate::{
    AppError,
    storage::{ObjectInfo, Storage, StorageError},
};

/// Who may keep a copy: the browser only (lesson media), or shared caches too.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Caching {
    Private { max_age_secs: u32 },
    Public { max_age_secs: u32 },
}

impl Caching {
    fn header(self) -> HeaderValue {
        let value = match self {
            Caching::Private { max_age_secs } => format!("private, max-age={max_age_secs}"),
            Caching::Public { max_age_secs } => format!("public, max-age={max_age_secs}"),
        };
        HeaderValue::try_from(value).expect("digits and ASCII")
    }
}

/// What to serve: the storage key, its media type (kept by the caller's
/// record, detected on upload) and the caching policy.
#[derive(Clone, Copy, Debug)]
pub struct Media<'a> {
    pub key: &'a str,
    pub content_type: &'a str,
    pub caching: Caching,
}

/// Answers a GET or HEAD for `media` given the request's headers.
pub async fn serve(
    storage: &Storage,
    media: Media<'_>,
    method: &Method,
    headers: &HeaderMap,
) -> Result<Response, AppError> {
    // The object may change between `head` and the read; the read is pinned to
    // the `head`'s ETag, and a change restarts once with the new version.
    for _ in 0..2 {
        match respond(storage, media, method, headers).await {
            Err(StorageError::Changed) => continue,
            // A key that fails the storage check names no file that could exist.
            Err(StorageError::Key(_)) => return Err(AppError::not_found()),
            other => return other.map_err(AppError::from),
        }
    }
    Err(AppError::unavailable("The file is being replaced; try again."))
}

/// `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266 / 8187): an ASCII
/// fallback without quotes, backslashes or control characters, and the exact
/// name percent-encoded.
pub fn content_disposition(name: &str) -> String {
    let fallback: String =
        name.chars().map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' { c } else { '_' }).collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

async fn respond(
    storage: &Storage,
    media: Media<'_>,
    method: &Method,
    headers: &HeaderMap,
) -> Result<Response, StorageError> {
    let info = storage.head(media.key).await?;
    let validators = Validators::of(&info);
    let mut response = if validators.not_modified(headers) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        match requested_range(headers, &validators, info.size) {
            Requested::Unsatisfiable => unsatisfiable(info.size),
            Requested::Whole => body(storage, media, &info, method, None).await?,
            Requested::Part(range) => body(storage, media, &info, method, Some(range)).await?,
        }
    };
    let h = response.headers_mut();
    h.insert(header::ETAG, validators.etag_header());
    h.insert(header::LAST_MODIFIED, validators.last_modified_header());
    h.insert(header::CACHE_CONTROL, media.caching.header());
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    Ok(response)
}

/// 200 with the whole file or 206 with `range`; no body for HEAD.
async fn body(
    storage: &Storage,
    media: Media<'_>,
    info: &ObjectInfo,
    method: &Method,
    range: Option<Range<u64>>,
) -> Result<Response, StorageError> {
    let served = range.clone().unwrap_or(0..info.size);
    let body = if method == Method::HEAD || served.is_empty() {
        Body::empty()
    } else {
        let stream = storage.stream(media.key, range.clone(), info.etag.as_deref()).await?;
        Body::from_stream(stream.body)
    };
    let mut response = Response::new(body);
    let h = response.headers_mut();
    let content_type = HeaderValue::try_from(media.content_type)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    h.insert(header::CONTENT_TYPE, content_type);
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(served.end - served.start));
    if range.is_some() {
        *response.status_mut() = StatusCode::PARTIAL_CONTENT;
        let content_range = format!("bytes {}-{}/{}", served.start, served.end - 1, info.size);
        response.headers_mut().insert(header::CONTENT_RANGE, HeaderValue::try_from(content_range).expect("digits"));
    }
    Ok(response)
}

fn unsatisfiable(size: u64) -> Response {
    let mut response = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
    let value = HeaderValue::try_from(format!("bytes */{size}")).expect("digits");
    response.headers_mut().insert(header::CONTENT_RANGE, value);
    response
}

/// The validators of one version of a file, in their header forms.
struct Validators {
    /// Quoted strong entity tag.
    etag: String,
    /// IMF-fixdate, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
    last_modified: String,
    last_modified_secs: i64,
}

impl Validators {
    fn of(info: &ObjectInfo) -> Self {
        let opaque = info
            .etag
            .as_deref()
            .map(|t| t.trim_start_matches("W/").trim_matches('"').to_string())
            .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_graphic() && b != b'"'))
            .unwrap_or_else(|| format!("{:x}-{:x}", info.size, info.last_modified.as_millisecond()));
        let last_modified = jiff::fmt::rfc2822::DateTimePrinter::new()
            .timestamp_to_rfc9110_string(&info.last_modified)
            .unwrap_or_default();
        Self { etag: format!("\"{opaque}\""), last_modified, last_modified_secs: info.last_modified.as_second() }
    }

    fn etag_header(&self) -> HeaderValue {
        HeaderValue::try_from(self.etag.as_str()).expect("checked to be visible ASCII")
    }

    fn last_modified_header(&self) -> HeaderValue {
        HeaderValue::try_from(self.last_modified.as_str()).expect("an HTTP date")
    }

    /// `If-None-Match` (weak comparison, `*`), or else `If-Modified-Since`.
    fn not_modified(&self, headers: &HeaderMap) -> bool {
        if let Some(tags) = header_str(headers, header::IF_NONE_MATCH) {
            return tags.split(',').map(str::trim).any(|t| t == "*" || t.trim_start_matches("W/") == self.etag);
        }
        header_str(headers, header::IF_MODIFIED_SINCE)
            .and_then(parse_http_date)
            .is_some_and(|since| self.last_modified_secs <= since)
    }

    /// `If-Range`: the range applies only to the version the client has,
    /// named by a strong ETag or by its exact `Last-Modified` date.
    fn if_range_holds(&self, headers: &HeaderMap) -> bool {
        match header_str(headers, header::IF_RANGE) {
            None => true,
            Some(v) if v.starts_with('"') => v == self.etag,
            Some(v) if v.starts_with("W/") => false,
            Some(v) => parse_http_date(v).is_some_and(|date| date == self.last_modified_secs),
        }
    }
}

fn header_str(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim)
}

fn parse_http_date(value: &str) -> Option<i64> {
    jiff::fmt::rfc2822::DateTimeParser::new().parse_timestamp(value).ok().map(|t| t.as_second())
}

#[derive(Debug, PartialEq, Eq)]
enum Requested {
    Whole,
    Part(Range<u64>),
    Unsatisfiable,
}

/// The range to serve. A missing, malformed or multi-range `Range`, or one
/// whose `If-Range` no longer holds, means the whole file.
fn requested_range(headers: &HeaderMap, validators: &Validators, size: u64) -> Requested {
    let Some(value) = header_str(headers, header::RANGE) else { return Requested::Whole };
    if !validators.if_range_holds(headers) {
        return Requested::Whole;
    }
    parse_range(value, size)
}

/// `bytes=a-b`, `bytes=a-` or `bytes=-n` against a file of `size` bytes.
fn parse_range(value: &str, size: u64) -> Requested {
    let Some(spec) = value.strip_prefix("bytes=").map(str::trim) else { return Requested::Whole };
    let Some((first, last)) = spec.split_once('-') else { return Requested::Whole };
    if spec.contains(',') {
        return Requested::Whole;
    }
    let number = |s: &str| (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse::<u64>().ok());
    match (number(first.trim()), number(last.trim())) {
        // `-n`: the last n bytes.
        (None, Some(Some(n))) if first.trim().is_empty() => match n.min(size) {
            0 => Requested::Unsatisfiable,
            n => Requested::Part(size - n..size),
        },
        // `a-`: from a to the end.
        (Some(Some(start)), None) if last.trim().is_empty() => match start < size {
            true => Requested::Part(start..size),
            false => Requested::Unsatisfiable,
        },
        // `a-b`, b inclusive and clamped to the end.
        (Some(Some(start)), Some(Some(end))) if start <= end => match start < size {
            true => Requested::Part(start..end.min(size - 1) + 1),
            false => Requested::Unsatisfiable,
        },
        // Overflowing numbers start past any file.
        (Some(None), _) => Requested::Unsatisfiable,
        _ => Requested::Whole,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_encoded_safely() {
        assert_eq!(content_disposition("notes.pdf"), "attachment; filename=\"notes.pdf\"; filename*=UTF-8''notes.pdf");
        assert_eq!(
            content_disposition("résumé \"x\".pdf"),
            "attachment; filename=\"r_sum_ _x_.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22x%22.pdf"
        );
        assert!(!content_disposition("a\r\nSet-Cookie: x").contains('\n'));
    }

    #[test]
    fn parses_single_ranges() {
        use Requested::*;
        let cases = [
            ("bytes=0-9", Part(0..10)),
            ("bytes=5-", Part(5..100)),
            ("bytes=-10", Part(90..100)),
            ("bytes=-1000", Part(0..100)),
            ("bytes=90-1000", Part(90..100)),
            ("bytes=99-99", Part(99..100)),
            ("bytes=100-", Unsatisfiable),
            ("bytes=100-200", Unsatisfiable),
            ("bytes=-0", Unsatisfiable),
            ("bytes=99999999999999999999999-", Unsatisfiable),
            ("bytes=9-1", Whole),
            ("bytes=0-1,5-6", Whole),
            ("bytes=a-b", Whole),
            ("items=0-1", Whole),
            ("bytes=-", Whole),
            ("bytes=1", Whole),
        ];
        for (header, expected) in cases {
            assert_eq!(parse_range(header, 100), expected, "{header}");
        }
        assert_eq!(parse_range("bytes=-5", 0), Unsatisfiable);
        assert_eq!(parse_range("bytes=0-", 0), Unsatisfiable);
    }
}
