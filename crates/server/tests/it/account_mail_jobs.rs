//! Account e-mails through the jobs queue: enqueued with the change, sent once
//! per delivery key, retried when the transport fails, no secret in payloads.

use crate::common;

use common::{Backend, PASSWORD, TestApp, spawn};
use lyceum_accounts::events::UserRegistered;
use lyceum_platform::events;
use serde_json::json;

async fn jobs_of(app: &TestApp, kind: &str) -> Vec<(String, String, i64)> {
    sqlx::query_as("SELECT id, state, attempts FROM jobs WHERE kind = $1 ORDER BY created_at")
        .bind(kind)
        .fetch_all(app.state().db.pool())
        .await
        .unwrap()
}

async fn job_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM jobs").fetch_one(app.state().db.pool()).await.unwrap()
}

async fn register(app: &TestApp, email: &str) {
    let body = json!({"email": email, "password": PASSWORD, "display_name": "Mail Test"});
    let reply = app.client().post("/api/v1/auth/register", body).await;
    assert_eq!(reply.status, 202, "{}", reply.text);
}

async fn registering_enqueues_and_one_drain_sends_one_verification_mail(backend: Backend) {
    let app = spawn(backend).await;
    register(&app, "queued@example.org").await;
    let jobs = jobs_of(&app, "accounts.verification_mail").await;
    assert_eq!(jobs.len(), 1, "one subscriber job for user.registered");
    assert_eq!(jobs[0].1, "queued", "nothing was sent inside the request");
    assert_eq!(app.drain_jobs().await, 2, "the verification mail and the welcome notice");
    let mails = app.mails_to("queued@example.org").await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0].text.contains("/verify-email?token="), "{}", mails[0].text);
    assert_eq!(jobs_of(&app, "accounts.verification_mail").await[0].1, "done");
    assert_eq!(app.drain_jobs().await, 0, "nothing left to run");
    app.stop().await;
}

async fn a_failed_or_rolled_back_registration_leaves_no_job(backend: Backend) {
    let app = spawn(backend).await;
    let bad = json!({"email": "not-an-address", "password": PASSWORD, "display_name": "Bad"});
    assert_eq!(app.client().post("/api/v1/auth/register", bad).await.status, 422);
    assert_eq!(job_count(&app).await, 0);

    let mut tx = app.state().db.begin().await.unwrap();
    let event = UserRegistered { user_id: "someone".into() };
    let subscribers = events::publish(app.state(), &mut tx, &event).await.unwrap();
    assert_eq!(subscribers, 2, "the verification mail and the welcome notice");
    tx.rollback().await.unwrap();
    assert_eq!(job_count(&app).await, 0, "the event rolled back with its transaction");
    app.stop().await;
}

async fn a_duplicated_delivery_sends_no_second_mail(backend: Backend) {
    let app = spawn(backend).await;
    let token = app.register("twice@example.org", PASSWORD, "Twice").await;
    let reset = app.client().post("/api/v1/auth/password-reset", json!({"email": "twice@example.org"})).await;
    assert_eq!(reset.status, 202);
    assert_eq!(app.mails_to("twice@example.org").await.len(), 2, "verification and reset");

    // Deliver every job again, as after a worker that died before recording success.
    app.exec("UPDATE jobs SET state = 'queued', finished_at = NULL").await;
    // The two mails, the welcome notice and the reset's security notice.
    assert_eq!(app.drain_jobs().await, 4, "every job ran again");
    assert_eq!(app.mails_to("twice@example.org").await.len(), 2, "no second e-mail");
    let verified = app.client().post("/api/v1/auth/verify", json!({"token": token})).await;
    assert_eq!(verified.status, 200, "the mailed link was not voided by the rerun: {}", verified.text);
    app.stop().await;
}

async fn a_failing_mail_transport_is_retried_then_delivered(backend: Backend) {
    let app = spawn(backend).await;
    // A plain file where the mail folder should be: the file transport cannot write.
    let mail_dir = app.dir.path().join("mail");
    std::fs::write(&mail_dir, b"in the way").unwrap();
    register(&app, "retry@example.org").await;
    assert_eq!(app.drain_jobs().await, 2, "the verification mail (failed) and the welcome notice");
    let (id, state, attempts) = jobs_of(&app, "accounts.verification_mail").await.remove(0);
    assert_eq!((state.as_str(), attempts), ("queued", 1), "failed once, queued for a retry");
    let error: Option<String> = sqlx::query_scalar("SELECT last_error FROM jobs WHERE id = $1")
        .bind(&id)
        .fetch_one(app.state().db.pool())
        .await
        .unwrap();
    assert!(error.is_some_and(|e| !e.is_empty()));

    std::fs::remove_file(&mail_dir).unwrap();
    app.exec("UPDATE jobs SET run_at = 0 WHERE state = 'queued'").await; // the backoff is over
    assert_eq!(app.mails_to("retry@example.org").await.len(), 1);
    let (_, state, attempts) = jobs_of(&app, "accounts.verification_mail").await.remove(0);
    assert_eq!((state.as_str(), attempts), ("done", 2));
    app.stop().await;
}

async fn job_payloads_hold_no_link_token(backend: Backend) {
    let app = spawn(backend).await;
    let mut tokens = vec![app.register("secret@example.org", PASSWORD, "Secret").await];
    let client = app.client();
    let resend = client.post("/api/v1/auth/verify/resend", json!({"email": "secret@example.org"})).await;
    assert_eq!(resend.status, 202);
    tokens.push(app.last_token("secret@example.org", "/verify-email").await);
    let reset = client.post("/api/v1/auth/password-reset", json!({"email": "secret@example.org"})).await;
    assert_eq!(reset.status, 202);
    tokens.push(app.last_token("secret@example.org", "/password-reset/confirm").await);
    register(&app, "secret@example.org").await; // already registered
    assert_eq!(app.mails_to("secret@example.org").await.len(), 4);

    let payloads: Vec<String> = sqlx::query_scalar("SELECT payload FROM jobs WHERE kind LIKE 'accounts.%'")
        .fetch_all(app.state().db.pool())
        .await
        .unwrap();
    assert_eq!(payloads.len(), 4, "one accounts job per e-mail");
    for token in &tokens {
        assert_eq!(token.len(), 43, "{token}");
        assert!(payloads.iter().all(|p| !p.contains(token.as_str())), "a token leaked into {payloads:?}");
    }
    assert!(payloads.iter().all(|p| !p.contains("token")), "{payloads:?}");
    app.stop().await;
}

/// A newcomer may open the `.eml` in a text editor: the link must stand whole
/// in the raw file (no quoted-printable `=3D` or soft line breaks).
async fn the_raw_mail_file_holds_the_whole_link(backend: Backend) {
    let app = spawn(backend).await;
    app.register("raw@example.org", common::PASSWORD, "Raw Reader").await;
    let token = app.last_token("raw@example.org", "/verify-email").await;
    let dir = app.dir.path().join("mail");
    let raw: String =
        std::fs::read_dir(&dir).unwrap().map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap()).collect();
    assert!(raw.contains(&format!("/verify-email?token={token}")), "{raw}");
    app.stop().await;
}

on_both_backends!(
    the_raw_mail_file_holds_the_whole_link,
    registering_enqueues_and_one_drain_sends_one_verification_mail,
    a_failed_or_rolled_back_registration_leaves_no_job,
    a_duplicated_delivery_sends_no_second_mail,
    a_failing_mail_transport_is_retried_then_delivered,
    job_payloads_hold_no_link_token,
);
