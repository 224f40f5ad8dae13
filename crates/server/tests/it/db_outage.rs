//! A PostgreSQL outage, as a network fault between the app and a real server
//! (a TCP forwarder the test cuts): a request in flight and the requests made
//! during the outage are told 503 — never 500 — `/readyz` says so within a
//! probe's budget, and the app recovers when the path is back.

use crate::{common, forwarder};

use std::time::Duration;

use common::{Backend, TestApp, postgres_url, spawn_with};
use forwarder::{Forwarder, broker_addr};
use lyceum_platform::config::Secret;
use serde_json::json;
use sqlx::{Connection, PgConnection};

const LOGIN: &str = "/api/v1/auth/login";

/// A direct connection (not through the forwarder) to the app's database.
async fn direct(app: &TestApp) -> PgConnection {
    let through_forwarder = url::Url::parse(app.state().settings.database_url.expose()).unwrap();
    let name = through_forwarder.path().trim_start_matches('/');
    PgConnection::connect(&common::with_database(&postgres_url().unwrap(), name)).await.expect("direct connection")
}

/// Polls until one of the app's queries waits for a lock, within a bound.
async fn wait_until_a_query_waits_for_a_lock(conn: &mut PgConnection) {
    for _ in 0..200 {
        let waiting: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        )
        .fetch_one(&mut *conn)
        .await
        .unwrap();
        if waiting > 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the request never reached the database");
}

/// `/readyz` as a probe with a 2 s timeout sees it: its status, or a failed probe.
async fn probe(app: &TestApp) -> Option<u16> {
    let client = reqwest::Client::builder().timeout(Duration::from_secs(2)).build().unwrap();
    client.get(format!("{}/readyz", app.url)).send().await.ok().map(|r| r.status().as_u16())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_outage_is_unavailable_not_an_internal_error() {
    let Some(url) = postgres_url() else {
        lyceum_platform::testing::skip("db_outage: LYCEUM_TEST_POSTGRES_URL is not set");
        return;
    };
    let forwarder = Forwarder::start(broker_addr(&url)).await;
    let app = spawn_with(Backend::Postgres, |s| {
        s.database_url = Secret::new(forwarder.url(s.database_url.expose()));
    })
    .await;
    let client = app.client();
    let login = json!({"email": "nobody@example.org", "password": "wrong password"});
    assert_eq!(client.post(LOGIN, login.clone()).await.status, 401, "the path works");

    // A request in flight: its query waits for a lock the test holds, then the path is cut.
    let mut holder = direct(&app).await;
    sqlx::raw_sql("BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE").execute(&mut holder).await.unwrap();
    let in_flight = tokio::spawn({
        let client = app.client();
        let login = login.clone();
        async move { client.post(LOGIN, login).await }
    });
    wait_until_a_query_waits_for_a_lock(&mut holder).await;
    forwarder.set(false);
    in_flight.await.unwrap().assert_problem(503, "unavailable");
    sqlx::raw_sql("ROLLBACK").execute(&mut holder).await.unwrap();

    // During the outage: 503 with Retry-After, and a probe is answered in time.
    let reply = client.post(LOGIN, login.clone()).await;
    reply.assert_problem(503, "unavailable");
    assert_eq!(reply.header("retry-after"), "1");
    assert_eq!(probe(&app).await, Some(503), "/readyz answers 503 within the probe's timeout");

    // The path is back: ready again, and requests are served.
    forwarder.set(true);
    let mut ready = false;
    for _ in 0..100 {
        if probe(&app).await == Some(200) {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(ready, "/readyz recovers");
    assert_eq!(client.post(LOGIN, login).await.status, 401, "served again");
    app.stop().await;
}

/// The app's connections closed by the server (a restart, an idle-session
/// timeout, an administrator) while they sat in the pool are not handed out
/// dead: one idle for a second or more is pinged first and replaced, so the
/// next requests are served (`Db::connect_url`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_closed_while_idle_are_replaced() {
    if postgres_url().is_none() {
        lyceum_platform::testing::skip("db_outage: LYCEUM_TEST_POSTGRES_URL is not set");
        return;
    }
    let app = spawn_with(Backend::Postgres, |_| {}).await;
    let client = app.client();
    let login = json!({"email": "nobody@example.org", "password": "wrong password"});
    assert_eq!(client.post(LOGIN, login.clone()).await.status, 401, "the path works");

    let mut admin = direct(&app).await;
    let closed: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid()) AS terminated",
    )
    .fetch_one(&mut admin)
    .await
    .unwrap();
    assert!(closed >= 1, "the app's pooled connections were closed by the server");

    // Not a wait for something to happen: the pool pings connections idle
    // for at least a second (`PING_IDLE_AFTER`), so this lets them age past it.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    for attempt in 1..=5 {
        assert_eq!(client.post(LOGIN, login.clone()).await.status, 401, "request {attempt} after the close is served");
    }
    app.stop().await;
}
