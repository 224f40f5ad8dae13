//! Static assets embedded in the binary and served under content-hashed names
//! (`app.3f2a9c1e.css`) with a one-year immutable cache lifetime, CDN-ready.

use std::{collections::HashMap, sync::LazyLock};

use axum::{
    extract::Path,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use sha2::{Digest, Sha256};

struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static [u8],
}

const ASSETS: &[Asset] = &[
    Asset { name: "app.css", content_type: "text/css; charset=utf-8", body: include_bytes!("../../assets/app.css") },
    Asset {
        name: "app.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../../assets/app.js"),
    },
    // The lesson page's video position saver (learning).
    Asset {
        name: "learn.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../../assets/learn.js"),
    },
    // The quiz attempt page's autosave and countdown (quizzes).
    Asset {
        name: "quiz.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../../assets/quiz.js"),
    },
    // The assignment page's upload progress (assignments).
    Asset {
        name: "assignment-upload.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../../assets/assignment-upload.js"),
    },
    // The gradebook grid's keyboard navigation between cells (gradebook).
    Asset {
        name: "gradebook-grid.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../../assets/gradebook-grid.js"),
    },
    // The order page following a pending payment until it settles (billing).
    Asset {
        name: "order-status.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../../assets/order-status.js"),
    },
    // The order page's card form: Stripe.js Elements and 3-D Secure (billing).
    Asset {
        name: "stripe-card.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../../assets/stripe-card.js"),
    },
    // The markdown editor (toolbar, preview, drafts) of the authoring forms.
    Asset {
        name: "editor.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../../assets/editor.js"),
    },
    Asset { name: "logo.svg", content_type: "image/svg+xml", body: include_bytes!("../../assets/logo.svg") },
];

struct Table {
    /// logical name → hashed name
    hashed: HashMap<&'static str, String>,
    /// hashed name → asset
    by_hashed: HashMap<String, &'static Asset>,
}

static TABLE: LazyLock<Table> = LazyLock::new(|| {
    let mut hashed = HashMap::new();
    let mut by_hashed = HashMap::new();
    for asset in ASSETS {
        let digest = hex::encode(&Sha256::digest(asset.body)[..4]);
        let (stem, ext) = asset.name.rsplit_once('.').unwrap_or((asset.name, ""));
        let name = format!("{stem}.{digest}.{ext}");
        hashed.insert(asset.name, name.clone());
        by_hashed.insert(name, asset);
    }
    Table { hashed, by_hashed }
});

/// The URL of an embedded asset, e.g. `/assets/app.3f2a9c1e.css`.
pub fn url(name: &str) -> String {
    match TABLE.hashed.get(name) {
        Some(hashed) => format!("/assets/{hashed}"),
        None => format!("/assets/{name}"),
    }
}

pub async fn serve(Path(name): Path<String>) -> Response {
    match TABLE.by_hashed.get(name.as_str()) {
        Some(asset) => (
            // Content-hashed: the same bytes for every caller, signed in or not.
            axum::Extension(crate::http::caching::SameForEveryone),
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(asset.content_type)),
                (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable")),
            ],
            asset.body,
        )
            .into_response(),
        None => crate::AppError::not_found().into_response(),
    }
}
