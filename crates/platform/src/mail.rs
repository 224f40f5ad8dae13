//! The mail port: modules hand an [`Email`] to a [`Mailer`]. Adapters: `.eml`
//! files under `<data dir>/mail/` (default) and SMTP (lettre).

use std::{path::PathBuf, sync::Arc};

use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Body, Mailbox, MultiPart, header::ContentTransferEncoding},
};

use crate::config::{MailTransport, Settings};

#[derive(Debug, Clone)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("invalid address: {0}")]
    Address(String),
    #[error("could not build the message: {0}")]
    Build(String),
    #[error("could not deliver the message: {0}")]
    Transport(String),
}

pub trait Mailer: Send + Sync + std::fmt::Debug {
    fn send(&self, email: Email) -> futures::future::BoxFuture<'_, Result<(), MailError>>;
}

pub type SharedMailer = Arc<dyn Mailer>;

const SMTP_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

pub fn from_settings(settings: &Settings) -> Result<SharedMailer, MailError> {
    let from: Mailbox = settings.mail.from.parse().map_err(|_| MailError::Address(settings.mail.from.clone()))?;
    Ok(match settings.mail.transport {
        MailTransport::File => Arc::new(FileMailer { dir: settings.mail_dir(), from }),
        MailTransport::Smtp => {
            let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(settings.mail.smtp_url.expose())
                .map_err(|e| MailError::Transport(format!("mail.smtp_url: {e}")))?
                // Shorter than the request timeout, so a silent mail host fails the send, not the request.
                .timeout(Some(SMTP_TIMEOUT))
                .build();
            Arc::new(SmtpMailer { transport, from })
        }
    })
}

/// How message bodies are encoded.
#[derive(Clone, Copy)]
enum Bodies {
    /// lettre's choice: quoted-printable once a line reaches 76 characters (safe for any relay).
    ForTransport,
    /// 8bit with lines up to 998 characters, so a raw `.eml` opened in a text
    /// editor shows links whole and clickable (the file transport is read by people).
    ForReading,
}

fn build(from: &Mailbox, email: Email, bodies: Bodies) -> Result<Message, MailError> {
    let to: Mailbox = email.to.parse().map_err(|_| MailError::Address(email.to.clone()))?;
    let body = |text: String| match bodies {
        Bodies::ForTransport => Body::new(text),
        Bodies::ForReading => readable(text),
    };
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(email.subject)
        .message_id(None)
        .multipart(MultiPart::alternative_plain_html(body(email.text), body(email.html)))
        .map_err(|e| MailError::Build(e.to_string()))
}

fn readable(text: String) -> Body {
    let crlf = text.replace("\r\n", "\n").replace('\n', "\r\n");
    if crlf.split("\r\n").all(|line| line.len() <= 998) {
        Body::dangerous_pre_encoded(crlf.into_bytes(), ContentTransferEncoding::EightBit)
    } else {
        Body::new(text)
    }
}

/// Writes each message as an RFC 5322 `.eml` file a mail client can open.
#[derive(Debug)]
pub struct FileMailer {
    dir: PathBuf,
    from: Mailbox,
}

impl Mailer for FileMailer {
    fn send(&self, email: Email) -> futures::future::BoxFuture<'_, Result<(), MailError>> {
        Box::pin(async move {
            let (to, subject) = (email.to.clone(), email.subject.clone());
            let message = build(&self.from, email, Bodies::ForReading)?;
            tokio::fs::create_dir_all(&self.dir).await.map_err(|e| MailError::Transport(e.to_string()))?;
            let name = format!("{}-{}.eml", jiff::Timestamp::now().strftime("%Y%m%dT%H%M%S"), uuid::Uuid::now_v7());
            let path = self.dir.join(name);
            tokio::fs::write(&path, message.formatted()).await.map_err(|e| MailError::Transport(e.to_string()))?;
            tracing::info!(%to, %subject, path = %path.display(), "e-mail written to file");
            Ok(())
        })
    }
}

#[derive(Debug)]
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer for SmtpMailer {
    fn send(&self, email: Email) -> futures::future::BoxFuture<'_, Result<(), MailError>> {
        Box::pin(async move {
            let message = build(&self.from, email, Bodies::ForTransport)?;
            self.transport.send(message).await.map_err(|e| MailError::Transport(e.to_string()))?;
            Ok(())
        })
    }
}

/// Idempotent sending from at-least-once jobs: a handler skips its e-mail when
/// its delivery key (derived from the job's identity) is already recorded, and
/// records the key right after a successful send. A crash between the send and
/// the record can still send twice; nothing else can.
pub mod deliveries {
    use sqlx::AnyPool;

    use crate::db;

    /// Whether the e-mail with this key was already sent.
    pub async fn is_sent(pool: &AnyPool, key: &str) -> Result<bool, sqlx::Error> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM mail_deliveries WHERE delivery_key = $1")
            .bind(key)
            .fetch_one(pool)
            .await?;
        Ok(n > 0)
    }

    /// Records that the e-mail with this key was sent (a second record is a no-op).
    pub async fn record_sent(pool: &AnyPool, key: &str) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO mail_deliveries (delivery_key, sent_at) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(key)
            .bind(db::now_ms())
            .execute(pool)
            .await
            .map(drop)
    }
}
