mod common;

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

on_both_backends!(home_page_and_health);
