//! An SMTP outage delays account e-mail but loses none: the mail job fails,
//! waits out its backoff in the queue, and is delivered once the real SMTP
//! server (`aiosmtpd`) is back — exactly once, even if delivered twice. The
//! outage is a cut network path: the app reaches the server through a
//! forwarder that the test switches off and on.

use crate::{common, forwarder, smtp_server};

use std::net::{Ipv4Addr, SocketAddr};

use common::{Backend, spawn_with};
use forwarder::Forwarder;
use lyceum_platform::config::{MailTransport, Secret};
use smtp_server::{SKIPPED, SmtpServer, aiosmtpd_installed};

const KIND: &str = "accounts.verification_mail";

async fn mail_job(app: &common::TestApp) -> (String, i64, Option<String>) {
    sqlx::query_as("SELECT state, attempts, last_error FROM jobs WHERE kind = $1")
        .bind(KIND)
        .fetch_one(app.state().db.pool())
        .await
        .unwrap()
}

/// The backoff elapsing, without waiting for it.
async fn make_due(app: &common::TestApp) {
    app.exec("UPDATE jobs SET run_at = 0 WHERE state = 'queued'").await;
}

async fn an_smtp_outage_delays_the_verification_mail_but_loses_nothing(backend: Backend) {
    if !aiosmtpd_installed() {
        lyceum_platform::testing::skip(SKIPPED);
        return;
    }
    let server = SmtpServer::start();
    let path = Forwarder::start(SocketAddr::from((Ipv4Addr::LOCALHOST, server.port))).await;
    path.set(false);
    let app = spawn_with(backend, |s| {
        s.mail.transport = MailTransport::Smtp;
        s.mail.smtp_url = Secret::new(path.url(&format!("smtp://127.0.0.1:{}", server.port)));
    })
    .await;

    // The mail server cannot be reached: sign-up still succeeds, the e-mail waits.
    let body = serde_json::json!({"email": "ada@example.org", "password": common::PASSWORD, "display_name": "Ada"});
    assert_eq!(app.client().post("/api/v1/auth/register", body).await.status, 202);
    app.drain_jobs().await;
    let (state, attempts, error) = mail_job(&app).await;
    assert_eq!((state.as_str(), attempts), ("queued", 1), "failed, queued again for a retry");
    assert!(error.is_some_and(|e| !e.is_empty()), "the failure is recorded");
    make_due(&app).await;
    app.drain_jobs().await;
    assert_eq!(mail_job(&app).await.1, 2, "still down: a second failed try");

    // The server can be reached again; the retry delivers.
    path.set(true);
    app.drain_jobs().await;
    assert_eq!(mail_job(&app).await.1, 2, "nothing runs before the backoff is over");
    assert!(server.messages().is_empty());
    make_due(&app).await;
    app.drain_jobs().await;
    let messages = server.messages();
    assert_eq!(messages.len(), 1, "delivered once; aiosmtpd log:\n{}", server.log());
    assert!(messages[0].contains("ada@example.org") && messages[0].contains("/verify-email?token="), "{}", messages[0]);
    assert_eq!(mail_job(&app).await.0, "done");

    // At-least-once: the same job delivered again sends no second e-mail.
    app.exec("UPDATE jobs SET state = 'queued', run_at = 0, finished_at = NULL WHERE state = 'done'").await;
    app.drain_jobs().await;
    assert_eq!(mail_job(&app).await.0, "done");
    assert_eq!(server.messages().len(), 1, "a duplicated delivery sent nothing");
    app.stop().await;
}

on_both_backends!(an_smtp_outage_delays_the_verification_mail_but_loses_nothing);
