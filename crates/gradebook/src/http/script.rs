//! The grid's keyboard script, served by the module itself (the platform's
//! asset table is the platform's): `/teach/gradebook/grid.js?v=<digest>`,
//! cached for a year — a new script has a new digest, so a new address.

use std::sync::LazyLock;

use axum::{
    http::header,
    response::{IntoResponse, Response},
};

const GRID_JS: &str = include_str!("../../assets/grid.js");

/// The script's address, with the digest of its content.
pub static GRID_JS_URL: LazyLock<String> = LazyLock::new(|| {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in GRID_JS.bytes() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    format!("/teach/gradebook/grid.js?v={:08x}", hash >> 32)
});

pub async fn grid_js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        GRID_JS,
    )
        .into_response()
}
