//! The SMTP mail adapter against a real SMTP server: Python's `aiosmtpd`
//! (`pip install aiosmtpd`), started per test on a port the OS picks, with its
//! `Mailbox` handler, which stores every received message in a Maildir.
//! Tests that need the server report themselves skipped when the module is
//! not importable; `.ci/run` installs it.

use crate::smtp_server;

use std::{path::Path, time::Duration};

use lyceum_platform::{
    config::Settings,
    mail::{self, Email, MailError},
};
use smtp_server::{ClosedPort, SKIPPED, SmtpServer, aiosmtpd_installed};

/// Settings as an operator would give them: through `LYCEUM_*` variables.
fn smtp_settings(smtp_url: &str, data_dir: &Path) -> Settings {
    let empty = tempfile::Builder::new().suffix(".toml").tempfile().expect("temp file");
    let env = [
        ("LYCEUM_DATA_DIR", data_dir.display().to_string()),
        ("LYCEUM_MAIL__TRANSPORT", "smtp".to_string()),
        ("LYCEUM_MAIL__SMTP_URL", smtp_url.to_string()),
    ]
    .map(|(k, v)| (k.to_string(), v));
    Settings::load_from(Some(empty.path()), env).expect("smtp settings load")
}

fn email(to: &str, subject: &str) -> Email {
    Email {
        to: to.into(),
        subject: subject.into(),
        text: "Hello Ada,\n\n.a line that starts with a dot\nThe Lyceum team\n".into(),
        html: "<p>Hello <b>Ada</b>,</p>\n<p>The Lyceum team</p>\n".into(),
        unsubscribe: None,
    }
}

/// The header value of `name` in the header block (before the first blank line).
fn header<'a>(message: &'a str, name: &str) -> Option<&'a str> {
    let head = message.split("\n\n").next().unwrap_or_default();
    head.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

#[tokio::test]
async fn delivers_a_multipart_message_to_a_real_smtp_server() {
    if !aiosmtpd_installed() {
        lyceum_platform::testing::skip(SKIPPED);
        return;
    }
    let server = SmtpServer::start();
    let data = tempfile::tempdir().expect("temp dir");
    let settings = smtp_settings(&format!("smtp://127.0.0.1:{}", server.port), data.path());
    let mailer = mail::from_settings(&settings).expect("smtp mailer");

    let sent =
        tokio::time::timeout(Duration::from_secs(20), mailer.send(email("ada@example.org", "Welcome to Lyceum")))
            .await
            .expect("send finishes within 20 s");
    sent.unwrap_or_else(|e| panic!("send failed: {e}\naiosmtpd log:\n{}", server.log()));

    let messages = server.messages();
    assert_eq!(messages.len(), 1, "one message stored; aiosmtpd log:\n{}", server.log());
    let m = &messages[0];
    assert_eq!(header(m, "To"), Some("ada@example.org"), "{m}");
    assert_eq!(header(m, "From"), Some("Lyceum <no-reply@localhost>"), "{m}");
    assert_eq!(header(m, "Subject"), Some("Welcome to Lyceum"), "{m}");
    assert!(header(m, "Message-ID").is_some_and(|id| id.starts_with('<')), "every message has a Message-ID: {m}");
    // The envelope, as the server saw it (added by aiosmtpd's handler).
    assert_eq!(header(m, "X-MailFrom"), Some("no-reply@localhost"), "{m}");
    assert_eq!(header(m, "X-RcptTo"), Some("ada@example.org"), "{m}");
    assert!(header(m, "Content-Type").is_some_and(|v| v.starts_with("multipart/alternative")), "{m}");

    // Plain text first, HTML last (the last alternative is the preferred one).
    let text_at = m.find("Content-Type: text/plain").unwrap_or_else(|| panic!("no text/plain part:\n{m}"));
    let html_at = m.find("Content-Type: text/html").unwrap_or_else(|| panic!("no text/html part:\n{m}"));
    assert!(text_at < html_at, "text/plain before text/html:\n{m}");
    let (text_part, html_part) = m.split_at(html_at);
    assert!(text_part.contains("Hello Ada,\n"), "{m}");
    // SMTP dot-stuffing round trip: the leading dot survives, not doubled.
    assert!(text_part.contains("\n.a line that starts with a dot\n"), "{m}");
    assert!(text_part.contains("The Lyceum team"), "{m}");
    assert!(html_part.contains("<p>Hello <b>Ada</b>,</p>"), "{m}");
    assert!(html_part.contains("<p>The Lyceum team</p>"), "{m}");

    // The same mailer delivers again (a pooled connection is reused or replaced).
    mailer.send(email("grace@example.org", "Second")).await.expect("second send");
    let messages = server.messages();
    assert_eq!(messages.len(), 2, "two messages stored");
    assert_eq!(header(&messages[1], "To"), Some("grace@example.org"), "{}", messages[1]);
    assert_eq!(header(&messages[1], "Subject"), Some("Second"), "{}", messages[1]);
}

/// Needs no server: the point is that nobody listens.
#[tokio::test]
async fn sending_to_a_closed_port_is_a_transport_error() {
    let data = tempfile::tempdir().expect("temp dir");
    let closed = ClosedPort::new();
    let settings = smtp_settings(&format!("smtp://127.0.0.1:{}", closed.port), data.path());
    let mailer = mail::from_settings(&settings).expect("smtp mailer");

    let sent = tokio::time::timeout(Duration::from_secs(20), mailer.send(email("ada@example.org", "Nobody home")))
        .await
        .expect("send gives up within 20 s");
    match sent {
        Err(MailError::Transport(message)) => assert!(!message.is_empty()),
        other => panic!("expected MailError::Transport, got {other:?}"),
    }
}

#[tokio::test]
async fn smtp_password_is_never_printed() {
    // Not a word that appears in the settings' field names (`storage.s3.secret_access_key`).
    let secret = "hunter2-smtp";
    let data = tempfile::tempdir().expect("temp dir");
    let port = 2525; // only parsed and printed here, never dialled
    let settings = smtp_settings(&format!("smtp://user:{secret}@127.0.0.1:{port}"), data.path());
    assert_eq!(settings.mail.smtp_url.expose(), format!("smtp://user:{secret}@127.0.0.1:{port}"));
    let debug = format!("{settings:?}");
    assert!(!debug.contains(secret), "settings Debug leaks the SMTP password: {debug}");
    assert!(!format!("{:#?}", settings.mail).contains(secret));

    let mailer = mail::from_settings(&settings).expect("smtp mailer");
    let debug = format!("{mailer:?}");
    assert!(!debug.contains(secret), "mailer Debug leaks the SMTP password: {debug}");

    // Against a real server, which offers no AUTH over plain text, so delivery
    // fails: the error that comes back must not carry the password either.
    if !aiosmtpd_installed() {
        lyceum_platform::testing::skip(SKIPPED);
        return;
    }
    let server = SmtpServer::start();
    let settings = smtp_settings(&format!("smtp://user:{secret}@127.0.0.1:{}", server.port), data.path());
    let mailer = mail::from_settings(&settings).expect("smtp mailer");
    let sent = tokio::time::timeout(Duration::from_secs(20), mailer.send(email("ada@example.org", "With credentials")))
        .await
        .expect("send finishes within 20 s");
    let e = sent.expect_err("the server offers no AUTH, so a send with credentials fails");
    let shown = format!("{e} / {e:?}");
    assert!(!shown.contains(secret), "mail error leaks the SMTP password: {shown}");
}
