//! Jobs through RabbitMQ (`[amqp]`): the outbox relay with publisher confirms,
//! consumers with manual ack, retry through the outbox, dead letters, a broker
//! outage, several consumers, and mode selection in `serve`. Against the real
//! broker named by `LYCEUM_TEST_AMQP_URL` (e.g. `amqp://guest:guest@127.0.0.1:5672/%2f`);
//! each test uses its own prefix, so its exchanges and queues are its own.

use crate::{amqp_kit, common, forwarder, jobs_kit};

use std::time::Duration;

use amqp_kit::*;
use common::{Backend, TestApp, spawn_with};
use forwarder::{Forwarder, broker_addr};
use jobs_kit::{Blocks, Count, Fails, enqueue, row, runs, started, tag};
use lyceum_platform::{
    config::Secret,
    db,
    jobs::{
        self, Job,
        amqp::{
            Relay, RelayError,
            lapin::{
                BasicProperties,
                options::{BasicGetOptions, BasicPublishOptions, QueueDeclareOptions},
                types::FieldTable,
            },
        },
    },
};

async fn jobs_go_through_the_broker_and_run_once(backend: Backend) {
    let Some(url) = amqp_url("jobs_go_through_the_broker_and_run_once") else { return };
    let app = spawn(backend, &url).await;
    let tags = enqueue_many(&app, 25).await;
    let consumers = worker(&app).spawn_consumers(3);
    let relay = Relay::new(&worker(&app));
    assert_eq!(relay.relay_once().await.unwrap(), 25);
    assert_eq!(relay.relay_once().await.unwrap(), 0, "confirmed jobs are marked and not published again");
    wait_until("all 25 jobs are done", async || count(&app, "done").await == 25).await;
    assert_each_ran_once(&tags);
    consumers.shutdown(Duration::from_secs(5)).await;
    relay.close().await;
    finish(app, &url).await;
}

async fn a_rolled_back_transaction_relays_nothing(backend: Backend) {
    let Some(url) = amqp_url("a_rolled_back_transaction_relays_nothing") else { return };
    let app = spawn(backend, &url).await;
    let mut tx = app.state().db.begin().await.unwrap();
    jobs::enqueue::<Count>(&mut tx, &tag()).await.unwrap();
    tx.rollback().await.unwrap();
    let relay = Relay::new(&worker(&app));
    assert_eq!(relay.relay_once().await.unwrap(), 0);
    let connection = jobs::amqp::connect(&url).await.unwrap();
    let channel = connection.create_channel().await.unwrap();
    let passive = QueueDeclareOptions { passive: true, ..Default::default() };
    let queue =
        channel.queue_declare(topology(&app).queue("default").into(), passive, FieldTable::default()).await.unwrap();
    assert_eq!(queue.message_count(), 0, "nothing reached the broker");
    relay.close().await;
    finish(app, &url).await;
}

async fn relayed_messages_are_persistent_and_name_the_job(backend: Backend) {
    let Some(url) = amqp_url("relayed_messages_are_persistent_and_name_the_job") else { return };
    let app = spawn(backend, &url).await;
    let id = enqueue::<Count>(&app, &tag()).await.unwrap();
    let relay = Relay::new(&worker(&app));
    let before = db::now_ms();
    assert_eq!(relay.relay_once().await.unwrap(), 1);
    let until = relayed_until(&app, &id).await.expect("marked after the confirm");
    assert!(until >= before + 600_000, "relayed for amqp.relay_timeout_secs: {until}");
    let connection = jobs::amqp::connect(&url).await.unwrap();
    let channel = connection.create_channel().await.unwrap();
    let queue = topology(&app).queue("default");
    let message = channel.basic_get(queue.into(), BasicGetOptions { no_ack: true }).await.unwrap().expect("queued");
    let props = &message.delivery.properties;
    assert_eq!(*props.delivery_mode(), Some(2), "persistent");
    assert_eq!(props.message_id().as_ref().map(|m| m.as_str()), Some(id.as_str()));
    let body: serde_json::Value = serde_json::from_slice(&message.delivery.data).unwrap();
    assert_eq!(body, serde_json::json!({ "id": id }));
    relay.close().await;
    finish(app, &url).await;
}

/// A job whose queue no consumer here serves still gets a broker queue, where it waits.
async fn jobs_of_a_queue_nobody_consumes_wait_in_its_own_broker_queue(backend: Backend) {
    let Some(url) = amqp_url("jobs_of_a_queue_nobody_consumes_wait_in_its_own_broker_queue") else { return };
    let app = spawn(backend, &url).await;
    let id = enqueue::<Elsewhere>(&app, &tag()).await.unwrap();
    let relay = Relay::new(&worker(&app));
    assert_eq!(relay.relay_once().await.unwrap(), 1);
    assert!(relayed_until(&app, &id).await.is_some());
    let connection = jobs::amqp::connect(&url).await.unwrap();
    let channel = connection.create_channel().await.unwrap();
    let elsewhere = topology(&app).queue("elsewhere");
    let passive = QueueDeclareOptions { passive: true, ..Default::default() };
    let queue = channel.queue_declare(elsewhere.clone().into(), passive, FieldTable::default()).await.unwrap();
    assert_eq!(queue.message_count(), 1);
    channel.queue_delete(elsewhere.into(), Default::default()).await.unwrap();
    relay.close().await;
    finish(app, &url).await;
}

/// A message the broker does not take (here: unroutable, its binding removed
/// behind the relay's back) is not confirmed, so its job stays unmarked.
async fn a_job_the_broker_does_not_take_stays_in_the_outbox(backend: Backend) {
    let Some(url) = amqp_url("a_job_the_broker_does_not_take_stays_in_the_outbox") else { return };
    let app = spawn(backend, &url).await;
    let relay = Relay::new(&worker(&app));
    assert_eq!(relay.relay_once().await.unwrap(), 0, "connected and declared");
    let connection = jobs::amqp::connect(&url).await.unwrap();
    let channel = connection.create_channel().await.unwrap();
    let t = topology(&app);
    channel
        .queue_unbind(t.queue("default").into(), t.exchange().into(), "default".into(), FieldTable::default())
        .await
        .unwrap();
    let id = enqueue::<Count>(&app, &tag()).await.unwrap();
    let err = relay.relay_once().await.unwrap_err();
    assert!(matches!(err, RelayError::Refused(1)), "{err}");
    assert_eq!(relayed_until(&app, &id).await, None);
    assert_eq!(row(&app, &id).await.state, "queued");
    relay.close().await;
    finish(app, &url).await;
}

async fn unrelayed(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE state = 'queued' AND relayed_until IS NULL")
        .fetch_one(app.state().db.pool())
        .await
        .unwrap()
}

async fn a_broker_outage_loses_nothing(backend: Backend) {
    let Some(url) = amqp_url("a_broker_outage_loses_nothing") else { return };
    let forwarder = Forwarder::start(broker_addr(&url)).await;
    let app = spawn(backend, &forwarder.url(&url)).await;
    let consumers = worker(&app).spawn_consumers(2);
    let relay = Relay::new(&worker(&app));

    forwarder.set(false);
    let first = enqueue_many(&app, 10).await;
    assert!(relay.relay_once().await.is_err(), "the broker is unreachable");
    assert!(relay.relay_once().await.is_err(), "still unreachable");
    assert_eq!(unrelayed(&app).await, 10, "all kept in the outbox, none marked relayed");
    assert!(first.iter().all(|t| runs(&t.id) == 0), "nothing ran during the outage");

    forwarder.set(true);
    assert_eq!(relay.relay_once().await.unwrap(), 10, "relayed once the broker is back");
    wait_until("the first 10 jobs are done", async || count(&app, "done").await == 10).await;

    // Cut again with connections open (relay and consumers mid-stream).
    forwarder.set(false);
    let second = enqueue_many(&app, 10).await;
    assert!(relay.relay_once().await.is_err(), "the open connection was cut");
    assert_eq!(unrelayed(&app).await, 10);
    forwarder.set(true);
    assert_eq!(relay.relay_once().await.unwrap(), 10);
    wait_until("all 20 jobs are done", async || count(&app, "done").await == 20).await;
    assert_each_ran_once(&first);
    assert_each_ran_once(&second);
    let metrics = {
        let _metrics = common::METRICS.lock().await;
        app.client().get("/metrics").await.text
    };
    assert!(metrics.contains("jobs_relayed_total") && metrics.contains("jobs_relay_failures_total"), "{metrics}");

    consumers.shutdown(Duration::from_secs(5)).await;
    relay.close().await;
    finish(app, &url).await;
}

/// Verification-mail jobs in `state` (or queued and never relayed, for "unrelayed").
async fn verification_jobs(app: &TestApp, state: &str) -> i64 {
    let relayed = if state == "unrelayed" { "relayed_until IS NULL" } else { "TRUE" };
    let state = if state == "unrelayed" { "queued" } else { state };
    let sql =
        format!("SELECT COUNT(*) FROM jobs WHERE kind = 'accounts.verification_mail' AND state = $1 AND {relayed}");
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(state).fetch_one(app.state().db.pool()).await.unwrap()
}

fn mail_files(app: &TestApp) -> Vec<String> {
    let dir = app.dir.path().join("mail");
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    entries.map(|e| String::from_utf8_lossy(&std::fs::read(e.unwrap().path()).unwrap()).into_owned()).collect()
}

/// The issue's outage test, end to end through `serve`: domain events
/// (`user.registered` → verification e-mail) published while the broker is
/// unreachable all wait in the outbox, and each is delivered once when it is back.
async fn events_from_an_outage_are_all_delivered_once_the_broker_is_back(backend: Backend) {
    let Some(url) = amqp_url("events_from_an_outage_are_all_delivered_once_the_broker_is_back") else { return };
    let forwarder = Forwarder::start(broker_addr(&url)).await;
    forwarder.set(false);
    let prefix = format!("lyceum-test-{}", uuid::Uuid::new_v4().simple());
    let app = spawn_with(backend, |s| {
        s.jobs.workers = 2;
        s.amqp.url = Secret::new(forwarder.url(&url));
        s.amqp.prefix = prefix;
    })
    .await;
    let emails: Vec<String> = (0..3).map(|n| format!("outage{n}@example.org")).collect();
    for email in &emails {
        let body = serde_json::json!({"email": email, "password": common::PASSWORD, "display_name": "Outage"});
        assert_eq!(app.client().post("/api/v1/auth/register", body).await.status, 202);
    }
    // Other observers (the welcome notice) and scheduled housekeeping share the
    // outbox; this test follows the verification mails.
    assert_eq!(verification_jobs(&app, "queued").await, 3, "one verification job per event, kept in the outbox");
    assert_eq!(verification_jobs(&app, "unrelayed").await, 3, "none relayed while the broker is unreachable");
    assert!(mail_files(&app).is_empty(), "nothing delivered while the broker is unreachable");

    forwarder.set(true);
    wait_until("every event's job is done", async || verification_jobs(&app, "done").await == 3).await;
    let mails = mail_files(&app);
    assert_eq!(mails.len(), 3, "one e-mail per event");
    for email in &emails {
        assert_eq!(mails.iter().filter(|m| m.contains(email.as_str())).count(), 1, "exactly one mail to {email}");
    }
    finish(app, &url).await;
}

/// Two relays and two consumer sets (as two worker processes would be) on one
/// database and one prefix.
async fn several_consumers_run_each_job_once(backend: Backend) {
    let Some(url) = amqp_url("several_consumers_run_each_job_once") else { return };
    let app = spawn(backend, &url).await;
    let tags = enqueue_many(&app, 60).await;
    let (a, b) = (worker(&app).with_id("process-a"), worker(&app).with_id("process-b"));
    let (relay_a, relay_b) = (Relay::new(&a), Relay::new(&b));
    let pools = [a.spawn_consumers(2), b.spawn_consumers(2)];
    let (sent_a, sent_b) = tokio::join!(relay_a.relay_once(), relay_b.relay_once());
    let sent = sent_a.unwrap() + sent_b.unwrap();
    match backend {
        Backend::Postgres => assert_eq!(sent, 60, "locked rows are skipped, so no job is published twice"),
        // One process per SQLite database holds no lock across the network:
        // two relays may both publish a row; consumers then run it once.
        Backend::Sqlite => assert!(sent >= 60, "every job is published at least once, not {sent}"),
    }
    wait_until("all 60 jobs are done", async || count(&app, "done").await == 60).await;
    assert_each_ran_once(&tags);
    for pool in pools {
        pool.shutdown(Duration::from_secs(5)).await;
    }
    relay_a.close().await;
    relay_b.close().await;
    finish(app, &url).await;
}

async fn a_failed_job_is_republished_when_due_and_then_done(backend: Backend) {
    let Some(url) = amqp_url("a_failed_job_is_republished_when_due_and_then_done") else { return };
    let app = spawn(backend, &url).await;
    let payload = tag();
    let key = payload.id.clone();
    let id = enqueue::<FailsOnce>(&app, &payload).await.unwrap();
    let consumers = worker(&app).spawn_consumers(1);
    let relay = Relay::new(&worker(&app));
    assert_eq!(relay.relay_once().await.unwrap(), 1);
    wait_until("the first run failed", async || {
        row(&app, &id).await.attempts == 1 && row(&app, &id).await.state == "queued"
    })
    .await;
    assert_eq!(relayed_until(&app, &id).await, None, "a retry is unrelayed again");
    assert_eq!(relay.relay_once().await.unwrap(), 0, "not before its backoff");
    make_due(&app, &id).await;
    assert_eq!(relay.relay_once().await.unwrap(), 1);
    wait_until("the retry is done", async || row(&app, &id).await.state == "done").await;
    assert_eq!((row(&app, &id).await.attempts, FAILS_ONCE.lock().unwrap()[&key]), (2, 2));
    consumers.shutdown(Duration::from_secs(5)).await;
    relay.close().await;
    finish(app, &url).await;
}

async fn a_job_failing_past_its_attempts_is_dead_and_dead_lettered(backend: Backend) {
    let Some(url) = amqp_url("a_job_failing_past_its_attempts_is_dead_and_dead_lettered") else { return };
    let app = spawn(backend, &url).await;
    let id = enqueue::<Fails>(&app, &tag()).await.unwrap();
    let consumers = worker(&app).spawn_consumers(1);
    let relay = Relay::new(&worker(&app));
    for attempt in 1..=i64::from(Fails::MAX_ATTEMPTS) {
        make_due(&app, &id).await;
        assert_eq!(relay.relay_once().await.unwrap(), 1, "attempt {attempt} is published");
        wait_until("the attempt is recorded", async || {
            row(&app, &id).await.attempts == attempt && row(&app, &id).await.state != "running"
        })
        .await;
    }
    let job = row(&app, &id).await;
    assert_eq!(job.state, "dead");
    assert!(job.last_error.as_deref().unwrap_or_default().contains("boom"), "{job:?}");
    assert_eq!(relay.relay_once().await.unwrap(), 0, "dead jobs are not published");

    let connection = jobs::amqp::connect(&url).await.unwrap();
    let channel = connection.create_channel().await.unwrap();
    let dead = topology(&app).dead();
    let mut copy = None;
    wait_until("the dead job's copy is in the dead-letter queue", async || {
        copy = channel.basic_get(dead.clone().into(), BasicGetOptions { no_ack: true }).await.unwrap();
        copy.is_some()
    })
    .await;
    let copy = copy.unwrap().delivery;
    assert_eq!(copy.properties.message_id().as_ref().map(|m| m.as_str()), Some(id.as_str()));

    // A message that names no job is rejected and dead-lettered by the broker.
    let foreign = br#"{"id":"no-such-job"}"#;
    channel
        .basic_publish(
            topology(&app).exchange().into(),
            "default".into(),
            BasicPublishOptions::default(),
            foreign,
            BasicProperties::default(),
        )
        .await
        .unwrap();
    let mut rejected = None;
    wait_until("the foreign message is dead-lettered", async || {
        rejected = channel.basic_get(dead.clone().into(), BasicGetOptions { no_ack: true }).await.unwrap();
        rejected.is_some()
    })
    .await;
    assert_eq!(rejected.unwrap().delivery.data, foreign);
    consumers.shutdown(Duration::from_secs(5)).await;
    relay.close().await;
    finish(app, &url).await;
}

/// A worker that claimed a job and died: once the lease is over, the relay
/// publishes the job again and another consumer runs it.
async fn a_job_whose_worker_died_runs_again_after_its_lease(backend: Backend) {
    let Some(url) = amqp_url("a_job_whose_worker_died_runs_again_after_its_lease") else { return };
    let app = spawn(backend, &url).await;
    let payload = tag();
    let id = enqueue::<Count>(&app, &payload).await.unwrap();
    let relay = Relay::new(&worker(&app));
    // The dead worker's claim, and its lease running out: only time (or SQL) gets there.
    worker(&app).with_id("dead-worker").claim().await.unwrap().expect("claimed");
    sqlx::query("UPDATE jobs SET locked_until = 0 WHERE id = $1")
        .bind(&id)
        .execute(app.state().db.pool())
        .await
        .unwrap();
    let consumers = worker(&app).spawn_consumers(1);
    assert_eq!(relay.relay_once().await.unwrap(), 1, "the expired claim is published again");
    wait_until("the job ran again", async || row(&app, &id).await.state == "done").await;
    assert_eq!((row(&app, &id).await.attempts, runs(&payload.id)), (2, 1));
    consumers.shutdown(Duration::from_secs(5)).await;
    relay.close().await;
    finish(app, &url).await;
}

async fn shutdown_releases_the_job_in_hand(backend: Backend) {
    let Some(url) = amqp_url("shutdown_releases_the_job_in_hand") else { return };
    let app = spawn(backend, &url).await;
    let payload = tag();
    let id = enqueue::<Blocks>(&app, &payload).await.unwrap();
    let consumers = worker(&app).spawn_consumers(1);
    let relay = Relay::new(&worker(&app));
    assert_eq!(relay.relay_once().await.unwrap(), 1);
    started(&payload).await;
    consumers.shutdown(Duration::from_millis(100)).await;
    let job = row(&app, &id).await;
    assert_eq!((job.state.as_str(), job.attempts), ("queued", 0), "released; the attempt does not count");
    assert_eq!(relayed_until(&app, &id).await, None, "to be published again");
    relay.close().await;
    finish(app, &url).await;
}

/// `serve` with `amqp.url` and workers runs a relay and consumers itself. Its
/// registry has no test kinds, so the job fails with "no handler" — which
/// proves a broker consumer claimed it.
async fn serve_uses_the_broker_when_configured(backend: Backend) {
    let Some(url) = amqp_url("serve_uses_the_broker_when_configured") else { return };
    let prefix = format!("lyceum-test-{}", uuid::Uuid::new_v4().simple());
    let app = spawn_with(backend, |s| {
        s.jobs.workers = 1;
        s.amqp.url = Secret::new(url.as_str());
        s.amqp.prefix = prefix;
    })
    .await;
    let id = enqueue::<Count>(&app, &tag()).await.unwrap();
    wait_until("a consumer ran the job", async || {
        row(&app, &id).await.attempts >= 1 && row(&app, &id).await.state == "queued"
    })
    .await;
    let job = row(&app, &id).await;
    assert!(job.last_error.as_deref().unwrap_or_default().contains("no handler"), "{job:?}");
    finish(app, &url).await;
}

on_both_backends!(
    jobs_go_through_the_broker_and_run_once,
    a_rolled_back_transaction_relays_nothing,
    relayed_messages_are_persistent_and_name_the_job,
    jobs_of_a_queue_nobody_consumes_wait_in_its_own_broker_queue,
    a_job_the_broker_does_not_take_stays_in_the_outbox,
    a_broker_outage_loses_nothing,
    events_from_an_outage_are_all_delivered_once_the_broker_is_back,
    several_consumers_run_each_job_once,
    a_failed_job_is_republished_when_due_and_then_done,
    a_job_failing_past_its_attempts_is_dead_and_dead_lettered,
    a_job_whose_worker_died_runs_again_after_its_lease,
    shutdown_releases_the_job_in_hand,
    serve_uses_the_broker_when_configured,
);
