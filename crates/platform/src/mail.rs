//! The mail port: modules hand an [`Email`] to a [`Mailer`]. Adapters: `.eml`
//! files under `<data dir>/mail/` (default) and SMTP (lettre).

use std::{path::PathBuf, sync::Arc};

use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{
        Body, Mailbox, MultiPart,
        header::{ContentTransferEncoding, Header, HeaderName, HeaderValue},
    },
};

use crate::config::{MailTransport, Settings};

#[derive(Debug, Clone)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// An `https://…` URL that unsubscribes the recipient from this kind of
    /// message with one POST (RFC 8058). When set, the message carries
    /// `List-Unsubscribe: <url>` and `List-Unsubscribe-Post: List-Unsubscribe=One-Click`,
    /// so mail clients can offer their own "unsubscribe" button.
    pub unsubscribe: Option<String>,
}

/// `List-Unsubscribe` (RFC 2369): the URL in angle brackets.
#[derive(Debug, Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }
    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(s.trim().trim_start_matches('<').trim_end_matches('>').to_string()))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), format!("<{}>", self.0))
    }
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058): the URL
/// above unsubscribes on a POST with no further step.
#[derive(Debug, Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_string())
    }
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
    let mut builder = Message::builder().from(from.clone()).to(to).subject(email.subject).message_id(None);
    if let Some(url) = email.unsubscribe {
        builder = builder.header(ListUnsubscribe(url)).header(ListUnsubscribePost);
    }
    builder
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
    /// Takes any executor, so a handler can record it in the transaction that
    /// also marks what the e-mail covered.
    pub async fn record_sent<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
        conn: E,
        key: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO mail_deliveries (delivery_key, sent_at) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(key)
            .bind(db::now_ms())
            .execute(conn)
            .await
            .map(drop)
    }
}
