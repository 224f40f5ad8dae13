//! Periodic jobs: each period is enqueued once however many processes tick,
//! and the purge jobs remove exactly what is spent.

use crate::common;

use common::{Backend, spawn};
use lyceum_platform::{
    db,
    jobs::{purge, schedule},
};

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

async fn jobs_of_kind(app: &common::TestApp, kind: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE kind = $1")
        .bind(kind)
        .fetch_one(app.state().db.pool())
        .await
        .unwrap()
}

async fn count(app: &common::TestApp, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(app.state().db.pool()).await.unwrap()
}

async fn each_period_is_enqueued_once_across_processes(backend: Backend) {
    let app = spawn(backend).await;
    // A second process on the same database, as `lyceum worker` would be.
    let other = lyceum::build_state(app.state().settings.clone()).await.expect("second process");
    let now = db::now_ms();

    let (a, b) = tokio::join!(schedule::tick(app.state(), now), schedule::tick(&other, now));
    let (a, b) = (a.unwrap(), b.unwrap());
    for kind in ["jobs.purge_finished", "accounts.purge_expired"] {
        let claimed = a.iter().chain(&b).filter(|k| **k == kind).count();
        assert_eq!(claimed, 1, "{kind} claimed by exactly one process: {a:?} / {b:?}");
        assert_eq!(jobs_of_kind(&app, kind).await, 1, "{kind} enqueued once");
    }

    // Ticking again in the same period does nothing, from either process.
    assert!(schedule::tick(app.state(), now + 1).await.unwrap().is_empty());
    assert!(schedule::tick(&other, now + 1).await.unwrap().is_empty());

    // The next period is claimed once more; the runs of the first are done by then.
    app.drain_jobs().await;
    let next = schedule::tick(&other, now + HOUR).await.unwrap();
    assert!(next.contains(&"jobs.purge_finished") && next.contains(&"accounts.purge_expired"), "{next:?}");
    assert_eq!(jobs_of_kind(&app, "jobs.purge_finished").await, 2);
    other.db.close().await;
    app.stop().await;
}

async fn a_period_whose_last_run_is_still_pending_merges_into_it(backend: Backend) {
    let app = spawn(backend).await;
    let now = db::now_ms();
    schedule::tick(app.state(), now).await.unwrap();
    // Nothing ran the first run; the next period's tick merges instead of piling up.
    let next = schedule::tick(app.state(), now + HOUR).await.unwrap();
    assert!(next.contains(&"jobs.purge_finished"));
    assert_eq!(jobs_of_kind(&app, "jobs.purge_finished").await, 1);
    app.stop().await;
}

async fn purges_remove_spent_rows_and_keep_live_ones(backend: Backend) {
    let app = spawn(backend).await;
    let now = db::now_ms();
    let pool = app.state().db.pool();
    let old_done = now - purge::KEEP_DONE_MS - HOUR;
    for (id, state, finished) in [
        ("old-done", "done", old_done),
        ("new-done", "done", now - HOUR),
        ("old-dead", "dead", now - purge::KEEP_DEAD_MS - HOUR),
        ("young-dead", "dead", old_done),
    ] {
        sqlx::query(
            "INSERT INTO jobs (id, queue, kind, payload, state, attempts, max_attempts, run_at, created_at, \
             updated_at, finished_at) VALUES ($1, 'default', 'test.kind', 'null', $2, 1, 1, $3, $3, $3, $3)",
        )
        .bind(id)
        .bind(state)
        .bind(finished)
        .execute(pool)
        .await
        .unwrap();
    }
    for (key, at) in [("old", now - purge::KEEP_MAIL_DELIVERIES_MS - HOUR), ("new", now - DAY)] {
        sqlx::query("INSERT INTO mail_deliveries (delivery_key, sent_at) VALUES ($1, $2)")
            .bind(key)
            .bind(at)
            .execute(pool)
            .await
            .unwrap();
    }

    let purged = purge::purge(app.state(), now).await.unwrap();
    assert_eq!(purged, purge::Purged { jobs: 2, mail_deliveries: 1 });
    let left: Vec<String> =
        sqlx::query_scalar("SELECT id FROM jobs WHERE kind = 'test.kind' ORDER BY id").fetch_all(pool).await.unwrap();
    assert_eq!(left, ["new-done", "young-dead"]);
    let keys: Vec<String> =
        sqlx::query_scalar("SELECT delivery_key FROM mail_deliveries").fetch_all(pool).await.unwrap();
    assert_eq!(keys, ["new"]);
    assert_eq!(purge::purge(app.state(), now).await.unwrap(), purge::Purged::default(), "a repeat deletes nothing");
    app.stop().await;
}

async fn the_accounts_purge_removes_spent_credentials_only(backend: Backend) {
    let app = spawn(backend).await;
    let (client, _) = app.signed_in("keeper@example.com", lyceum_platform::auth::Role::Learner).await;
    let (token, _) = client.create_token("ci").await;
    let (_, revoked) = client.create_token("old").await;
    assert_eq!(client.delete(&format!("/api/v1/tokens/{revoked}")).await.status, 204);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM api_tokens WHERE revoked_at IS NOT NULL").await, 1, "one revoked");
    client.post("/api/v1/auth/password-reset", serde_json::json!({"email": "keeper@example.com"})).await;
    app.drain_jobs().await;
    // One expired session of another user, beside the live one.
    let other = app.create_user("gone@example.com", lyceum_platform::auth::Role::Learner).await;
    let mut gone = app.client();
    gone.login("gone@example.com", common::PASSWORD).await;
    sqlx::query("UPDATE sessions SET expires_at = 1 WHERE user_id = $1")
        .bind(&other)
        .execute(app.state().db.pool())
        .await
        .unwrap();

    schedule::tick(app.state(), db::now_ms()).await.unwrap();
    app.drain_jobs().await;

    assert_eq!(count(&app, "SELECT COUNT(*) FROM sessions WHERE expires_at <= 1").await, 0, "expired session purged");
    assert_eq!(client.get("/api/v1/users/me").await.status, 200, "the live session still works");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM api_tokens WHERE revoked_at IS NOT NULL").await, 0);
    assert_eq!(app.bearer_client(&token).get("/api/v1/users/me").await.status, 200, "live token kept");
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM email_tokens WHERE used_at IS NULL").await,
        1,
        "unused reset link kept"
    );
    app.stop().await;
}

async fn the_daily_digest_waits_for_its_time_of_day(backend: Backend) {
    let app = spawn(backend).await;
    let now = db::now_ms();
    let first = schedule::tick(app.state(), now).await.unwrap();
    assert!(!first.contains(&"notifications.daily_digest"), "a new daily schedule waits: {first:?}");
    let at_seven = lyceum_notifications::DIGEST_AT.next_after(now);
    let due = schedule::tick(app.state(), at_seven).await.unwrap();
    assert!(due.contains(&"notifications.daily_digest") && due.contains(&"notifications.purge_old"), "{due:?}");
    assert!(schedule::tick(app.state(), at_seven + HOUR).await.unwrap().iter().all(|k| !k.starts_with("notif")));
    assert_eq!(jobs_of_kind(&app, "notifications.daily_digest").await, 1);
    let due_at: i64 = sqlx::query_scalar("SELECT run_at FROM jobs WHERE kind = 'notifications.daily_digest'")
        .fetch_one(app.state().db.pool())
        .await
        .unwrap();
    assert_eq!(due_at, at_seven, "due at the tick's time");
    app.stop().await;
}

async fn old_read_notifications_and_unsubscribe_links_are_purged(backend: Backend) {
    let app = spawn(backend).await;
    let user = app.create_user("reader@example.com", lyceum_platform::auth::Role::Learner).await;
    let now = db::now_ms();
    let old = now - lyceum_notifications::service::purge::KEEP_READ_MS - HOUR;
    let pool = app.state().db.pool();
    for (id, read_at) in [("old-read", Some(old)), ("old-unread", None), ("new-read", Some(now - HOUR))] {
        sqlx::query(
            "INSERT INTO notifications (id, user_id, kind, channel, source_key, created_at, read_at) \
             VALUES ($1, $2, 'admin.test', 'in_app', $1, $3, $4)",
        )
        .bind(id)
        .bind(&user)
        .bind(old)
        .bind(read_at)
        .execute(pool)
        .await
        .unwrap();
    }
    let ancient = now - lyceum_notifications::service::purge::KEEP_UNSUBSCRIBE_MS - HOUR;
    for (hash, at) in [("ancient", ancient), ("recent", now)] {
        sqlx::query(
            "INSERT INTO notification_unsubscribe_tokens (token_hash, user_id, scope, created_at) \
             VALUES ($1, $2, 'admin.test', $3)",
        )
        .bind(hash)
        .bind(&user)
        .bind(at)
        .execute(pool)
        .await
        .unwrap();
    }
    assert_eq!(lyceum_notifications::service::purge::purge(app.state(), now).await.unwrap(), (1, 1));
    let left: Vec<String> =
        sqlx::query_scalar("SELECT id FROM notifications ORDER BY id").fetch_all(pool).await.unwrap();
    assert_eq!(left, ["new-read", "old-unread"], "unread notices stay, however old");
    let tokens: Vec<String> =
        sqlx::query_scalar("SELECT token_hash FROM notification_unsubscribe_tokens").fetch_all(pool).await.unwrap();
    assert_eq!(tokens, ["recent"]);
    app.stop().await;
}

on_both_backends!(
    the_daily_digest_waits_for_its_time_of_day,
    old_read_notifications_and_unsubscribe_links_are_purged,
    each_period_is_enqueued_once_across_processes,
    a_period_whose_last_run_is_still_pending_merges_into_it,
    purges_remove_spent_rows_and_keep_live_ones,
    the_accounts_purge_removes_spent_credentials_only,
);
