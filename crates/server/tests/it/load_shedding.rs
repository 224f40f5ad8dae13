//! Load shedding: past `max_in_flight` requests at once, the next is answered
//! 503 with `Retry-After` at once; health checks and metrics still answer, and
//! once a request finishes the next one is served again. One test in this
//! binary, on SQLite (shedding happens before any database work): it reads
//! the process-wide `http_requests_in_flight` gauge, which no other app moves.

mod common;

use common::{Backend, spawn_with};
use std::time::Duration;
use tokio::{io::AsyncWriteExt, net::TcpStream};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_past_the_limit_are_shed_at_once() {
    let app = spawn_with(Backend::Sqlite, |s| s.max_in_flight = 1).await;
    let client = app.client();
    assert_eq!(client.get("/").await.status, 200, "one at a time is served");

    // A request that stays in flight: its handler waits for a body that is slow to come.
    let addr = app.url.trim_start_matches("http://").to_string();
    let mut slow = TcpStream::connect(&addr).await.unwrap();
    slow.write_all(
        b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 64\r\n\r\n{",
    )
    .await
    .unwrap();
    // Watched through the metrics scrape, which takes no place itself: a probe
    // that did could take the place first and get the slow request shed.
    common::poll_until(Duration::from_secs(10), "the slow request holds the only place", async || {
        client.get("/metrics").await.text.contains("http_requests_in_flight 1")
    })
    .await;
    assert_eq!(client.get("/").await.status, 503);

    let shed = client.get("/api/v1/categories").await;
    shed.assert_problem(503, "unavailable");
    assert_eq!(shed.header("retry-after"), "1");
    assert_eq!(client.get("/livez").await.status, 200, "health checks are never shed");
    assert_eq!(client.get("/readyz").await.status, 200);
    let metrics = client.get("/metrics").await;
    assert_eq!(metrics.status, 200, "the metrics scrape is never shed");
    assert!(metrics.text.contains("http_requests_shed_total"), "{}", metrics.text);

    drop(slow);
    common::poll_until(Duration::from_secs(10), "the place is free again", async || {
        client.get("/").await.status == 200
    })
    .await;
    app.stop().await;
}
