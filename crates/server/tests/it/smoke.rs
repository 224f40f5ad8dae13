use crate::common;

use common::{Backend, spawn};

async fn home_page_and_health(backend: Backend) {
    let app = spawn(backend).await;
    let client = app.client();
    let home = client.get("/").await;
    assert_eq!(home.status, 200);
    assert!(home.text.contains("Lyceum"));
    assert_eq!(client.get("/readyz").await.status, 200);
    app.stop().await;
}

/// The CSRF cookie is made only for responses with a form, so assets and
/// anonymous pages stay cacheable by a CDN and API or health calls carry no cookie.
async fn only_pages_with_forms_set_the_csrf_cookie(backend: Backend) {
    let app = spawn(backend).await;
    let client = app.client();
    let home = client.get("/").await;
    let css = home.text.split("href=\"/assets/").nth(1).and_then(|r| r.split('"').next()).expect("stylesheet link");
    let pages_without_forms = ["/".to_string(), "/nope".into()];
    let others = [format!("/assets/{css}"), "/livez".into(), "/api/openapi.json".into(), "/api/v1/nope".into()];
    for path in pages_without_forms.iter().chain(&others) {
        let reply = app.client().get(path).await;
        assert!(reply.headers.get("set-cookie").is_none(), "{path} set a cookie: {:?}", reply.headers);
    }
    let asset = app.client().get(&format!("/assets/{css}")).await;
    assert_eq!(asset.header("cache-control"), "public, max-age=31536000, immutable");
    let login = app.client().get("/login").await;
    assert!(login.header("set-cookie").starts_with("lyceum_csrf="), "{:?}", login.headers);
    app.stop().await;
}

on_both_backends!(home_page_and_health, only_pages_with_forms_set_the_csrf_cookie);
