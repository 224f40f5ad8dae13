//! The media serving helper through a tiny router, against the local
//! directory and against S3 (`LYCEUM_TEST_S3_URL`, skipped when unset).

use crate::s3;

use axum::{
    Router,
    body::Body,
    extract::{Path, State},
    http::{HeaderMap, Method, Request, StatusCode, header},
    response::Response,
    routing,
};
use bytes::Bytes;
use http_body_util::BodyExt;
use lyceum_platform::{
    AppResult,
    http::media::{self, Caching, Media},
    storage::Storage,
};
use tower::ServiceExt;

const LEN: usize = 1000;

fn content() -> Bytes {
    (0..LEN).map(|i| (i % 251) as u8).collect::<Vec<_>>().into()
}

/// `/private/<key>` serves as lesson media would; `/public/<key>` as a public asset.
fn router(storage: Storage) -> Router {
    async fn private(
        State(s): State<Storage>,
        Path(key): Path<String>,
        m: Method,
        h: HeaderMap,
    ) -> AppResult<Response> {
        let media = Media { key: &key, content_type: "video/mp4", caching: Caching::Private { max_age_secs: 60 } };
        media::serve(&s, media, &m, &h).await
    }
    async fn public(State(s): State<Storage>, Path(key): Path<String>, m: Method, h: HeaderMap) -> AppResult<Response> {
        let media = Media { key: &key, content_type: "image/png", caching: Caching::Public { max_age_secs: 86400 } };
        media::serve(&s, media, &m, &h).await
    }
    Router::new()
        .route("/private/{*key}", routing::get(private))
        .route("/public/{*key}", routing::get(public))
        .with_state(storage)
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Reply {
    fn header(&self, name: header::HeaderName) -> &str {
        self.headers.get(&name).map(|v| v.to_str().unwrap()).unwrap_or_else(|| panic!("no {name} header"))
    }
}

async fn send(app: &Router, method: Method, path: &str, headers: &[(header::HeaderName, &str)]) -> Reply {
    let mut req = Request::builder().method(method).uri(path);
    for (name, value) in headers {
        req = req.header(name, *value);
    }
    let res = app.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
    let (parts, body) = res.into_parts();
    Reply { status: parts.status, headers: parts.headers, body: body.collect().await.unwrap().to_bytes() }
}

async fn get(app: &Router, path: &str, headers: &[(header::HeaderName, &str)]) -> Reply {
    send(app, Method::GET, path, headers).await
}

async fn serves_media(storage: Storage) {
    let data = content();
    storage.put("lessons/1/video.mp4", data.clone()).await.unwrap();
    let app = router(storage);
    let path = "/private/lessons/1/video.mp4";

    // The whole file, with validators and caching headers.
    let whole = get(&app, path, &[]).await;
    assert_eq!(whole.status, StatusCode::OK);
    assert_eq!(whole.body, data);
    assert_eq!(whole.header(header::CONTENT_LENGTH), LEN.to_string());
    assert_eq!(whole.header(header::CONTENT_TYPE), "video/mp4");
    assert_eq!(whole.header(header::ACCEPT_RANGES), "bytes");
    assert_eq!(whole.header(header::CACHE_CONTROL), "private, max-age=60");
    assert_eq!(whole.header(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    let etag = whole.header(header::ETAG).to_string();
    assert!(etag.len() > 2 && etag.starts_with('"') && etag.ends_with('"'), "{etag}");
    let last_modified = whole.header(header::LAST_MODIFIED).to_string();
    assert!(last_modified.ends_with(" GMT"), "{last_modified}");
    assert!(whole.headers.get(header::CONTENT_RANGE).is_none());

    // Single ranges: a-b, a-, -n.
    for (range, expected, content_range) in [
        ("bytes=0-9", 0..10, "bytes 0-9/1000"),
        ("bytes=990-", 990..1000, "bytes 990-999/1000"),
        ("bytes=-5", 995..1000, "bytes 995-999/1000"),
        ("bytes=500-2000", 500..1000, "bytes 500-999/1000"),
    ] {
        let part = get(&app, path, &[(header::RANGE, range)]).await;
        assert_eq!(part.status, StatusCode::PARTIAL_CONTENT, "{range}");
        assert_eq!(part.body, data.slice(expected.clone()), "{range}");
        assert_eq!(part.header(header::CONTENT_RANGE), content_range, "{range}");
        assert_eq!(part.header(header::CONTENT_LENGTH), expected.len().to_string(), "{range}");
        assert_eq!(part.header(header::ETAG), etag, "{range}");
    }

    // Past the end: 416 naming the length.
    for range in ["bytes=1000-", "bytes=5000-6000", "bytes=-0"] {
        let refused = get(&app, path, &[(header::RANGE, range)]).await;
        assert_eq!(refused.status, StatusCode::RANGE_NOT_SATISFIABLE, "{range}");
        assert_eq!(refused.header(header::CONTENT_RANGE), "bytes */1000", "{range}");
        assert!(refused.body.is_empty());
    }

    // Several ranges, or a malformed one: the whole file (documented choice).
    for range in ["bytes=0-1,5-6", "bytes=x-y", "pages=1-2"] {
        let all = get(&app, path, &[(header::RANGE, range)]).await;
        assert_eq!((all.status, all.body.len()), (StatusCode::OK, LEN), "{range}");
    }

    // Revalidation.
    let same = get(&app, path, &[(header::IF_NONE_MATCH, &etag)]).await;
    assert_eq!(same.status, StatusCode::NOT_MODIFIED);
    assert!(same.body.is_empty());
    assert_eq!(same.header(header::ETAG), etag);
    assert_eq!(same.header(header::CACHE_CONTROL), "private, max-age=60");
    let listed = format!("\"other\", W/{etag}");
    assert_eq!(get(&app, path, &[(header::IF_NONE_MATCH, &listed)]).await.status, StatusCode::NOT_MODIFIED);
    assert_eq!(get(&app, path, &[(header::IF_NONE_MATCH, "\"other\"")]).await.status, StatusCode::OK);
    let since = get(&app, path, &[(header::IF_MODIFIED_SINCE, &last_modified)]).await;
    assert_eq!(since.status, StatusCode::NOT_MODIFIED);
    let long_ago = "Sun, 06 Nov 1994 08:49:37 GMT";
    assert_eq!(get(&app, path, &[(header::IF_MODIFIED_SINCE, long_ago)]).await.status, StatusCode::OK);

    // If-Range: the range only for the version the client holds.
    let resumed = get(&app, path, &[(header::RANGE, "bytes=10-19"), (header::IF_RANGE, &etag)]).await;
    assert_eq!((resumed.status, resumed.body.clone()), (StatusCode::PARTIAL_CONTENT, data.slice(10..20)));
    let by_date = get(&app, path, &[(header::RANGE, "bytes=10-19"), (header::IF_RANGE, &last_modified)]).await;
    assert_eq!(by_date.status, StatusCode::PARTIAL_CONTENT);
    let stale = get(&app, path, &[(header::RANGE, "bytes=10-19"), (header::IF_RANGE, "\"old-version\"")]).await;
    assert_eq!((stale.status, stale.body.len()), (StatusCode::OK, LEN));
    let old_date = get(&app, path, &[(header::RANGE, "bytes=10-19"), (header::IF_RANGE, long_ago)]).await;
    assert_eq!(old_date.status, StatusCode::OK);

    // HEAD: the same headers, no body.
    let head = send(&app, Method::HEAD, path, &[]).await;
    assert_eq!(head.status, StatusCode::OK);
    assert_eq!(head.header(header::CONTENT_LENGTH), LEN.to_string());
    assert_eq!(head.header(header::ETAG), etag);
    assert!(head.body.is_empty());
    let head_part = send(&app, Method::HEAD, path, &[(header::RANGE, "bytes=0-9")]).await;
    assert_eq!(head_part.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(head_part.header(header::CONTENT_RANGE), "bytes 0-9/1000");
    assert!(head_part.body.is_empty());

    // Public caching is the caller's choice.
    let public = get(&app, "/public/lessons/1/video.mp4", &[]).await;
    assert_eq!(public.header(header::CACHE_CONTROL), "public, max-age=86400");
    assert_eq!(public.header(header::CONTENT_TYPE), "image/png");

    // Missing files and bad keys.
    assert_eq!(get(&app, "/private/lessons/1/none.mp4", &[]).await.status, StatusCode::NOT_FOUND);
    // A key that could escape the storage root names nothing: 404, not an error.
    assert_eq!(get(&app, "/private/lessons/1/../../etc/passwd", &[]).await.status, StatusCode::NOT_FOUND);
}

/// A new version of the file gets a new ETag, so old validators stop matching.
async fn replaced_file_gets_a_new_etag(storage: Storage) {
    storage.put("a/file.bin", Bytes::from_static(b"first version")).await.unwrap();
    let app = router(storage.clone());
    let etag = get(&app, "/private/a/file.bin", &[]).await.header(header::ETAG).to_string();
    storage.put("a/file.bin", Bytes::from_static(b"second, longer version")).await.unwrap();
    let after = get(&app, "/private/a/file.bin", &[(header::IF_NONE_MATCH, &etag)]).await;
    assert_eq!(after.status, StatusCode::OK);
    assert_eq!(after.body, Bytes::from_static(b"second, longer version"));
    assert_ne!(after.header(header::ETAG), etag);
}

async fn empty_file(storage: Storage) {
    storage.put("a/empty.txt", Bytes::new()).await.unwrap();
    let app = router(storage);
    let whole = get(&app, "/private/a/empty.txt", &[]).await;
    assert_eq!((whole.status, whole.header(header::CONTENT_LENGTH)), (StatusCode::OK, "0"));
    let range = get(&app, "/private/a/empty.txt", &[(header::RANGE, "bytes=0-")]).await;
    assert_eq!(range.status, StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(range.header(header::CONTENT_RANGE), "bytes */0");
}

fn local() -> (tempfile::TempDir, Storage) {
    let dir = tempfile::tempdir().unwrap();
    let storage = Storage::local(dir.path()).unwrap();
    (dir, storage)
}

#[tokio::test]
async fn local_storage_serves_media() {
    let (_dir, storage) = local();
    serves_media(storage.clone()).await;
    replaced_file_gets_a_new_etag(storage.clone()).await;
    empty_file(storage).await;
}

#[tokio::test]
async fn s3_storage_serves_media() {
    let Some(s3) = s3::bucket("media").await else { return };
    serves_media(s3.storage.clone()).await;
    replaced_file_gets_a_new_etag(s3.storage.clone()).await;
    empty_file(s3.storage).await;
}
