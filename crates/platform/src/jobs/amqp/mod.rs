//! RabbitMQ scale-out, on when `amqp.url` is set.
//!
//! The `jobs` table stays the outbox and the source of truth. A [`Relay`] hands
//! due rows to the broker (persistent messages, publisher confirms; a row is
//! marked `relayed_until` only after its confirm), and [`Worker::spawn_amqp`]'s
//! consumers take deliveries with manual ack and bounded prefetch, claim the row
//! by id and run it through the same [`Worker::execute`] path as the SQL
//! workers. A message only says "look at job X": whether it runs is decided by
//! the row (`repo::claim_by_id`), so duplicates and stale messages are harmless.
//! Delayed retry goes through the outbox: a failed job is queued again with a
//! later `run_at` and republished when due. When the broker is down, nothing is
//! marked and everything waits in the table.

mod consumer;
mod relay;

use std::time::Duration;

/// The client, re-exported so tests and tools talk to the broker with the same version.
pub use lapin;
use lapin::{
    Channel, Connection, ConnectionProperties, ExchangeKind,
    options::{
        ExchangeDeclareOptions, ExchangeDeleteOptions, QueueBindOptions, QueueDeclareOptions, QueueDeleteOptions,
    },
    types::{AMQPValue, FieldTable},
};
use serde::{Deserialize, Serialize};
use tokio::{sync::watch, task::JoinSet};

pub use relay::{Relay, RelayError};

use super::{
    Worker,
    pool::{Phase, Pool},
};

/// No connect or confirm wait lasts longer: a broker that accepts TCP but never
/// answers must not stall the relay (and, on PostgreSQL, its open transaction).
const BROKER_TIMEOUT: Duration = Duration::from_secs(15);

/// The broker's names, all under one prefix (so test runs and deployments sharing a broker stay apart).
#[derive(Debug, Clone)]
pub struct Topology {
    prefix: String,
}

impl Topology {
    pub fn new(prefix: impl Into<String>) -> Self {
        Self { prefix: prefix.into() }
    }

    /// The direct exchange jobs are published to, routed by queue name.
    pub fn exchange(&self) -> String {
        format!("{}.jobs", self.prefix)
    }

    /// The broker queue holding messages of job queue `queue`.
    pub fn queue(&self, queue: &str) -> String {
        format!("{}.jobs.{queue}", self.prefix)
    }

    /// The dead-letter exchange (fanout) and the one queue bound to it.
    pub fn dead(&self) -> String {
        format!("{}.dead", self.prefix)
    }

    /// Declares the exchanges, the dead-letter queue and the queues of `queues`;
    /// idempotent, so every connection does it.
    pub async fn declare(&self, channel: &Channel, queues: &[&str]) -> lapin::Result<()> {
        let durable = ExchangeDeclareOptions { durable: true, ..Default::default() };
        let queue_options = QueueDeclareOptions { durable: true, ..Default::default() };
        channel.exchange_declare(self.dead().into(), ExchangeKind::Fanout, durable, FieldTable::default()).await?;
        channel.queue_declare(self.dead().into(), queue_options, FieldTable::default()).await?;
        channel
            .queue_bind(
                self.dead().into(),
                self.dead().into(),
                "".into(),
                QueueBindOptions::default(),
                FieldTable::default(),
            )
            .await?;
        channel.exchange_declare(self.exchange().into(), ExchangeKind::Direct, durable, FieldTable::default()).await?;
        for queue in queues {
            self.declare_queue(channel, queue).await?;
        }
        Ok(())
    }

    /// Declares the broker queue of job queue `queue` and binds it to the exchange.
    pub async fn declare_queue(&self, channel: &Channel, queue: &str) -> lapin::Result<()> {
        let options = QueueDeclareOptions { durable: true, ..Default::default() };
        let mut arguments = FieldTable::default();
        // Messages a consumer rejects (not a job reference) land in the dead-letter queue.
        arguments.insert("x-dead-letter-exchange".into(), AMQPValue::LongString(self.dead().into()));
        channel.queue_declare(self.queue(queue).into(), options, arguments).await?;
        channel
            .queue_bind(
                self.queue(queue).into(),
                self.exchange().into(),
                queue.into(),
                QueueBindOptions::default(),
                FieldTable::default(),
            )
            .await
    }

    /// Deletes everything [`Topology::declare`] made, messages included (tests clean up with it).
    pub async fn delete(&self, channel: &Channel, queues: &[&str]) -> lapin::Result<()> {
        for queue in queues {
            channel.queue_delete(self.queue(queue).into(), QueueDeleteOptions::default()).await?;
        }
        channel.queue_delete(self.dead().into(), QueueDeleteOptions::default()).await?;
        channel.exchange_delete(self.exchange().into(), ExchangeDeleteOptions::default()).await?;
        channel.exchange_delete(self.dead().into(), ExchangeDeleteOptions::default()).await?;
        Ok(())
    }
}

/// Connects with a time limit (see [`BROKER_TIMEOUT`]).
pub async fn connect(url: &str) -> lapin::Result<Connection> {
    match tokio::time::timeout(BROKER_TIMEOUT, Connection::connect(url, ConnectionProperties::default())).await {
        Ok(result) => result,
        Err(_) => Err(std::io::Error::new(std::io::ErrorKind::TimedOut, "connecting to the broker timed out").into()),
    }
}

/// Closes a connection politely, without waiting long on a broken one.
async fn close(connection: &Connection) {
    let _ = tokio::time::timeout(Duration::from_secs(2), connection.close(200, "bye".into())).await;
}

/// A message body: which job to look at. Everything else is in the row.
#[derive(Serialize, Deserialize)]
struct Message {
    id: String,
}

pub(crate) fn encode(id: &str) -> Vec<u8> {
    serde_json::to_vec(&Message { id: id.to_string() }).expect("a string serialises")
}

/// The job id of a message body, if it is one of ours.
pub(crate) fn decode(body: &[u8]) -> Option<String> {
    serde_json::from_slice::<Message>(body).ok().map(|m| m.id).filter(|id| !id.is_empty())
}

/// Bounded exponential backoff for reconnecting: 0.5 s, 1 s, 2 s … 30 s.
#[derive(Debug)]
struct Backoff(Duration);

impl Backoff {
    const FIRST: Duration = Duration::from_millis(500);
    const MAX: Duration = Duration::from_secs(30);

    fn new() -> Self {
        Self(Self::FIRST)
    }

    fn next(&mut self) -> Duration {
        let delay = self.0;
        self.0 = (self.0 * 2).min(Self::MAX);
        delay
    }

    fn reset(&mut self) {
        self.0 = Self::FIRST;
    }
}

impl Worker {
    /// Starts the broker mode of `[jobs]`/`[amqp]`: one relay loop and consumers
    /// running up to `tasks` jobs at once (0: nothing). Stopped like the SQL pool.
    pub fn spawn_amqp(self, tasks: usize) -> Pool {
        self.spawn_broker(tasks, true)
    }

    /// Consumers only, without a relay (tests drive [`Relay::relay_once`] themselves).
    pub fn spawn_consumers(self, tasks: usize) -> Pool {
        self.spawn_broker(tasks, false)
    }

    fn spawn_broker(self, tasks: usize, relay: bool) -> Pool {
        let (phase, _) = watch::channel(Phase::Run);
        let mut set = JoinSet::new();
        if tasks > 0 {
            if relay {
                set.spawn(Relay::new(&self).run(phase.subscribe()));
            }
            set.spawn(consumer::Consumers::new(self, tasks).run(phase.subscribe()));
        }
        Pool { phase, tasks: set }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_round_trip_and_foreign_ones_are_refused() {
        assert_eq!(decode(&encode("abc")).as_deref(), Some("abc"));
        assert_eq!(decode(b"abc"), None);
        assert_eq!(decode(br#"{"id":""}"#), None);
        assert_eq!(decode(br#"{"job":"x"}"#), None);
    }

    #[test]
    fn backoff_doubles_to_a_cap_and_resets() {
        let mut b = Backoff::new();
        let delays: Vec<u64> = (0..9).map(|_| b.next().as_millis() as u64).collect();
        assert_eq!(delays, [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
        b.reset();
        assert_eq!(b.next(), Duration::from_millis(500));
    }

    #[test]
    fn names_share_the_prefix() {
        let t = Topology::new("lyceum");
        assert_eq!(
            (t.exchange(), t.queue("mail"), t.dead()),
            ("lyceum.jobs".into(), "lyceum.jobs.mail".into(), "lyceum.dead".into())
        );
    }
}
