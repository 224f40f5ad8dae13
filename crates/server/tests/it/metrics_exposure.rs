//! Who may read `/metrics`: by default loopback clients on the main port; with
//! `metrics.token`, holders of the token; with `metrics.bind`, a listener of its
//! own (and none on the main port) that starts and stops with the server.
//! Refusing a remote client on the main port is covered by the unit tests of
//! `lyceum_platform::http::metrics::admits` (every test client here is loopback).

use crate::common;

use common::{Backend, spawn, spawn_with};

async fn by_default_this_machine_may_scrape_the_main_port(backend: Backend) {
    let app = spawn(backend).await;
    let _metrics = common::METRICS.lock().await;
    let reply = app.client().get("/metrics").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert!(reply.text.contains("db_pool_max_connections"), "{}", reply.text);
    app.stop().await;
}

async fn with_a_token_only_its_holders_may_scrape(backend: Backend) {
    let app = spawn_with(backend, |s| s.metrics.token = lyceum_platform::config::Secret::new("scrape-me")).await;
    let _metrics = common::METRICS.lock().await;
    assert_eq!(app.client().get("/metrics").await.status, 401, "no token, even from loopback");
    assert_eq!(app.bearer_client("wrong").get("/metrics").await.status, 401, "a wrong token");
    let reply = app.bearer_client("scrape-me").get("/metrics").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert!(reply.text.contains("http_requests_total"), "{}", reply.text);
    app.stop().await;
}

async fn with_a_bind_address_metrics_leave_the_main_port(backend: Backend) {
    let app = spawn_with(backend, |s| s.metrics.bind = "127.0.0.1:0".into()).await;
    let _metrics = common::METRICS.lock().await;
    assert_eq!(app.client().get("/metrics").await.status, 404, "not on the public port");
    let own = app.running.as_ref().unwrap().metrics.as_ref().expect("own metrics listener").addr;
    let url = format!("http://{own}/metrics");
    let reply = reqwest::get(&url).await.expect("scrape the own listener");
    assert_eq!(reply.status(), 200);
    assert!(reply.text().await.unwrap().contains("db_pool_max_connections"));
    app.stop().await;
    assert!(reqwest::get(&url).await.is_err(), "the metrics listener stops with the server");
}

on_both_backends!(
    by_default_this_machine_may_scrape_the_main_port,
    with_a_token_only_its_holders_may_scrape,
    with_a_bind_address_metrics_leave_the_main_port,
);
