//! The relay: publishes due outbox rows to the broker and marks a row relayed
//! only after the broker confirmed its message.

use std::{collections::HashSet, time::Duration};

use lapin::{
    BasicProperties, Channel, Confirmation, Connection, PublisherConfirm,
    options::{BasicPublishOptions, ConfirmSelectOptions},
};
use sqlx::AnyConnection;
use tokio::sync::{Mutex, watch};

use super::{BROKER_TIMEOUT, Backoff, Topology, close, connect, encode};
use crate::{
    AppState,
    db::{self, Backend},
    jobs::{
        WAKE, Worker,
        pool::Phase,
        repo::{self, Relayable},
    },
};

/// Why a relay round did not hand everything over. Nothing unconfirmed is marked,
/// so every case is retried by a later round.
#[derive(Debug, thiserror::Error)]
pub enum RelayError {
    #[error("broker: {0}")]
    Broker(#[from] lapin::Error),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("the broker did not confirm in time")]
    Timeout,
    #[error("the broker refused {0} message(s) (nack or no queue bound for the job's queue)")]
    Refused(usize),
}

/// An open connection, its confirm-mode channel, and the job queues declared on it.
struct Link {
    connection: Connection,
    channel: Channel,
    declared: HashSet<String>,
}

impl Link {
    fn usable(&self) -> bool {
        self.connection.status().connected() && self.channel.status().connected()
    }
}

/// Hands due jobs to the broker. One per process; several processes may relay
/// at once on PostgreSQL (rows are locked while in hand). Cheap to create; it
/// connects on first use and reconnects after any failure.
pub struct Relay {
    state: AppState,
    queues: Vec<&'static str>,
    topology: Topology,
    batch: i64,
    timeout_ms: i64,
    link: Mutex<Option<Link>>,
}

impl Relay {
    /// A relay for `worker`'s state and queues, configured by `[amqp]`.
    pub fn new(worker: &Worker) -> Self {
        let amqp = &worker.state.settings.amqp;
        Self {
            state: worker.state.clone(),
            queues: worker.registry().queues(),
            topology: Topology::new(amqp.prefix.clone()),
            batch: i64::from(amqp.relay_batch.max(1)),
            timeout_ms: i64::try_from(amqp.relay_timeout_secs.saturating_mul(1000)).unwrap_or(i64::MAX / 2),
            link: Mutex::new(None),
        }
    }

    /// One round: publishes up to `relay_batch` due jobs and marks those the
    /// broker confirmed; returns how many it confirmed. Unconfirmed jobs stay
    /// unmarked; after a broker error or timeout the connection is dropped and
    /// the next round reconnects. The test driver, and the body of [`Relay::run`].
    pub async fn relay_once(&self) -> Result<usize, RelayError> {
        let mut link = self.link.lock().await;
        let result = self.relay_on(&mut link).await;
        if result.is_err() {
            metrics::counter!("jobs_relay_failures_total").increment(1);
        }
        if let Err(RelayError::Broker(_) | RelayError::Timeout) = result
            && let Some(broken) = link.take()
        {
            close(&broken.connection).await;
        }
        result
    }

    async fn relay_on(&self, link: &mut Option<Link>) -> Result<usize, RelayError> {
        if !link.as_ref().is_some_and(Link::usable) {
            if let Some(old) = link.take() {
                close(&old.connection).await;
            }
            *link = Some(self.open().await?);
        }
        self.round(link.as_mut().expect("opened above")).await
    }

    /// Closes the broker connection (the next round would open a new one).
    pub async fn close(&self) {
        if let Some(link) = self.link.lock().await.take() {
            close(&link.connection).await;
        }
    }

    /// Relays until the pool stops: at once when this process enqueues, else
    /// every `jobs.poll_interval_ms`; after a failure, with growing pauses.
    pub(in crate::jobs) async fn run(self, mut phase: watch::Receiver<Phase>) {
        let poll = Duration::from_millis(self.state.settings.jobs.poll_interval_ms.max(1));
        let mut backoff = Backoff::new();
        while *phase.borrow_and_update() == Phase::Run {
            let woken = WAKE.notified();
            let pause = match self.relay_once().await {
                Ok(n) if n as i64 >= self.batch => {
                    backoff.reset();
                    continue;
                }
                Ok(_) => {
                    backoff.reset();
                    None
                }
                Err(e) => {
                    let pause = backoff.next();
                    tracing::warn!(error = %e, retry_in = ?pause, "job relay failed; jobs stay in the outbox");
                    Some(pause)
                }
            };
            tokio::select! {
                () = woken, if pause.is_none() => {
                    // The wake comes from inside the enqueuing transaction; let it commit.
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
                () = tokio::time::sleep(pause.unwrap_or(poll)) => {}
                _ = phase.changed() => {}
            }
        }
        self.close().await;
    }

    async fn open(&self) -> Result<Link, RelayError> {
        let connection = connect(self.state.settings.amqp.url.expose()).await?;
        let channel = connection.create_channel().await?;
        self.topology.declare(&channel, &self.queues).await?;
        channel.confirm_select(ConfirmSelectOptions::default()).await?;
        let declared = self.queues.iter().map(|q| (*q).to_string()).collect();
        Ok(Link { connection, channel, declared })
    }

    /// PostgreSQL: pick, publish and mark in one transaction, so rows in hand
    /// are locked against other relays. SQLite (one process) needs no lock and
    /// must not hold a write transaction across network waits.
    async fn round(&self, link: &mut Link) -> Result<usize, RelayError> {
        let db = &self.state.db;
        let (confirmed, refused) = match db.backend() {
            Backend::Postgres => {
                let mut tx = db.begin().await?;
                let counts = self.publish_due(&mut tx, Backend::Postgres, link).await?;
                tx.commit().await?;
                counts
            }
            Backend::Sqlite => {
                let mut conn = db.pool().acquire().await?;
                self.publish_due(&mut conn, Backend::Sqlite, link).await?
            }
        };
        metrics::counter!("jobs_relayed_total").increment(confirmed as u64);
        match refused {
            0 => Ok(confirmed),
            n => Err(RelayError::Refused(n)),
        }
    }

    /// Returns (confirmed, refused).
    async fn publish_due(
        &self,
        conn: &mut AnyConnection,
        backend: Backend,
        link: &mut Link,
    ) -> Result<(usize, usize), RelayError> {
        let due = repo::pick_relayable(conn, backend, db::now_ms(), self.batch).await?;
        if due.is_empty() {
            return Ok((0, 0));
        }
        let mut pending = Vec::with_capacity(due.len());
        for job in &due {
            // A queue this process has no handlers for (another release may have
            // them) still gets a broker queue, where its jobs wait for a consumer.
            if !link.declared.contains(&job.queue) {
                self.topology.declare_queue(&link.channel, &job.queue).await?;
                link.declared.insert(job.queue.clone());
            }
            pending.push(self.publish(&link.channel, job).await?);
        }
        let until = db::now_ms() + self.timeout_ms;
        let (mut confirmed, mut refused) = (0, 0);
        for (job, confirm) in due.iter().zip(pending) {
            let confirmation =
                tokio::time::timeout(BROKER_TIMEOUT, confirm).await.map_err(|_| RelayError::Timeout)??;
            if let Confirmation::Ack(None) = confirmation {
                // False when a consumer already claimed it: nothing left to remember.
                repo::mark_relayed(conn, job, until).await?;
                confirmed += 1;
            } else {
                tracing::warn!(job = %job.id, queue = %job.queue, ?confirmation, "broker did not take a job");
                refused += 1;
            }
        }
        Ok((confirmed, refused))
    }

    async fn publish(&self, channel: &Channel, job: &Relayable) -> Result<PublisherConfirm, RelayError> {
        let properties = BasicProperties::default()
            .with_delivery_mode(2) // persistent: survives a broker restart
            .with_message_id(job.id.clone().into())
            .with_content_type("application/json".into());
        // Mandatory: a job whose queue has no bound broker queue comes back
        // instead of vanishing, and stays in the outbox.
        let options = BasicPublishOptions { mandatory: true, ..Default::default() };
        let body = encode(&job.id);
        let publish = channel.basic_publish(
            self.topology.exchange().into(),
            job.queue.clone().into(),
            options,
            &body,
            properties,
        );
        Ok(tokio::time::timeout(BROKER_TIMEOUT, publish).await.map_err(|_| RelayError::Timeout)??)
    }
}
