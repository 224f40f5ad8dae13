//! The token of a multipart upload form, read from its first field without
//! reading the file behind it: the body is streamed to storage, so only the
//! first few kilobytes are looked at, and put back in front of the rest.

use axum::{body::Body, extract::Request};
use bytes::Bytes;
use futures::{StreamExt, stream};

use super::FIELD;

/// How far into the body the first field must have ended.
const PEEK_LIMIT: usize = 8 * 1024;

/// The `boundary` parameter of a `multipart/form-data` content type.
pub(super) fn boundary(content_type: &str) -> Option<String> {
    let (mime, params) = content_type.split_once(';')?;
    if !mime.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.split(';').find_map(|param| {
        let (key, value) = param.trim().split_once('=')?;
        let value = value.trim().trim_matches('"');
        (key.trim().eq_ignore_ascii_case("boundary") && !value.is_empty()).then(|| value.to_string())
    })
}

/// The value of the body's first field when it is named `csrf`, and the request
/// with its body whole again (what was read, then the rest of the stream).
pub(super) async fn first_field_token(req: Request, boundary: &str) -> (Option<String>, Request) {
    let (parts, body) = req.into_parts();
    let mut rest = body.into_data_stream();
    let mut read: Vec<Result<Bytes, axum::Error>> = Vec::new();
    let mut seen = Vec::new();
    let token = loop {
        if let Some(found) = first_field(&seen, boundary) {
            break found;
        }
        if seen.len() >= PEEK_LIMIT {
            break None;
        }
        match rest.next().await {
            Some(Ok(chunk)) => {
                seen.extend_from_slice(&chunk);
                read.push(Ok(chunk));
            }
            Some(Err(e)) => {
                read.push(Err(e));
                break None;
            }
            None => break None,
        }
    };
    let body = Body::from_stream(stream::iter(read).chain(rest));
    (token, Request::from_parts(parts, body))
}

/// `Some(token)` once the first part is complete and is the `csrf` field,
/// `Some(None)` once it is complete and is another field, `None` while incomplete.
fn first_field(body: &[u8], boundary: &str) -> Option<Option<String>> {
    let delimiter = format!("--{boundary}");
    let start = find(body, delimiter.as_bytes())? + delimiter.len();
    let headers_start = start + body.get(start..)?.strip_prefix(b"\r\n").map(|_| 2)?;
    let headers_len = find(&body[headers_start..], b"\r\n\r\n")?;
    let headers = &body[headers_start..headers_start + headers_len];
    let value_start = headers_start + headers_len + 4;
    let value_len = find(&body[value_start..], format!("\r\n{delimiter}").as_bytes())?;
    if !names_the_token(headers) {
        return Some(None);
    }
    Some(std::str::from_utf8(&body[value_start..value_start + value_len]).ok().map(|v| v.trim().to_string()))
}

/// Whether a part's headers say `Content-Disposition: form-data; name="csrf"`.
fn names_the_token(headers: &[u8]) -> bool {
    let Ok(headers) = std::str::from_utf8(headers) else { return false };
    let wanted = format!("name=\"{FIELD}\"");
    headers.split("\r\n").any(|line| {
        let Some((name, value)) = line.split_once(':') else { return false };
        name.trim().eq_ignore_ascii_case("content-disposition") && value.split(';').any(|p| p.trim() == wanted)
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntok123\r\n--XyZ\r\n\
        Content-Disposition: form-data; name=\"cover\"; filename=\"c.png\"\r\n\r\nPNGDATA\r\n--XyZ--\r\n";

    #[test]
    fn the_boundary_comes_from_the_content_type() {
        assert_eq!(boundary("multipart/form-data; boundary=XyZ").as_deref(), Some("XyZ"));
        assert_eq!(boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b\"").as_deref(), Some("a b"));
        assert_eq!(boundary("multipart/form-data"), None);
        assert_eq!(boundary("application/json; boundary=x"), None);
    }

    #[test]
    fn the_first_field_named_csrf_is_the_token() {
        assert_eq!(first_field(BODY, "XyZ"), Some(Some("tok123".to_string())));
    }

    #[test]
    fn an_incomplete_first_field_asks_for_more() {
        for cut in [3, 20, 60, 66] {
            assert_eq!(first_field(&BODY[..cut], "XyZ"), None, "cut at {cut}");
        }
    }

    #[test]
    fn a_file_first_or_a_look_alike_name_is_no_token() {
        let file_first =
            b"--XyZ\r\nContent-Disposition: form-data; name=\"cover\"; filename=\"csrf\"\r\n\r\nx\r\n--XyZ--";
        assert_eq!(first_field(file_first, "XyZ"), Some(None));
        let look_alike = b"--XyZ\r\nContent-Disposition: form-data; filename=\"x\"; xname=\"csrf\"\r\n\r\nx\r\n--XyZ--";
        assert_eq!(first_field(look_alike, "XyZ"), Some(None));
    }

    #[tokio::test]
    async fn the_body_is_whole_again_after_the_peek() {
        let chunks: Vec<Result<Bytes, std::io::Error>> =
            BODY.chunks(7).map(|c| Ok(Bytes::copy_from_slice(c))).collect();
        let req = Request::builder().body(Body::from_stream(stream::iter(chunks))).unwrap();
        let (token, req) = first_field_token(req, "XyZ").await;
        assert_eq!(token.as_deref(), Some("tok123"));
        let body = axum::body::to_bytes(req.into_body(), usize::MAX).await.unwrap();
        assert_eq!(&body[..], BODY);
    }
}
