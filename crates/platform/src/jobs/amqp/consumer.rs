//! Broker consumers: manual ack, bounded prefetch, at most `tasks` jobs at once.
//! A delivery is only a pointer to a row; the row decides whether anything runs.

use std::sync::Arc;

use futures::StreamExt;
use lapin::{
    BasicProperties, Channel,
    message::Delivery,
    options::{
        BasicAckOptions, BasicCancelOptions, BasicConsumeOptions, BasicNackOptions, BasicQosOptions, BasicRejectOptions,
    },
    types::{AMQPValue, FieldTable},
};
use tokio::{
    sync::{OwnedSemaphorePermit, Semaphore, watch},
    task::JoinSet,
};

use super::{Backoff, Topology, close, connect, decode, encode};
use crate::jobs::{
    Worker,
    pool::{Phase, aborted},
    repo,
    worker::Ended,
};

/// The consumers of one process, across reconnects.
pub(super) struct Consumers {
    worker: Worker,
    topology: Topology,
    prefetch: u16,
    permits: Arc<Semaphore>,
    /// Jobs in hand; they outlive a broken connection (their ack then fails and
    /// the broker redelivers, which the row turns into a no-op).
    running: JoinSet<()>,
}

impl Consumers {
    pub(super) fn new(worker: Worker, tasks: usize) -> Self {
        let amqp = &worker.state.settings.amqp;
        Self {
            topology: Topology::new(amqp.prefix.clone()),
            prefetch: amqp.prefetch.max(1),
            permits: Arc::new(Semaphore::new(tasks.max(1))),
            running: JoinSet::new(),
            worker,
        }
    }

    /// Consumes until the pool stops, reconnecting with backoff; then lets
    /// the jobs in hand finish (or be released when the grace is over).
    pub(super) async fn run(mut self, mut phase: watch::Receiver<Phase>) {
        let mut backoff = Backoff::new();
        while *phase.borrow_and_update() == Phase::Run {
            match self.session(&mut phase, &mut backoff).await {
                Ok(()) => break,
                Err(e) => {
                    let pause = backoff.next();
                    tracing::warn!(error = %e, retry_in = ?pause, "job consumer lost the broker; reconnecting");
                    tokio::select! {
                        () = tokio::time::sleep(pause) => {}
                        _ = phase.changed() => {}
                    }
                }
            }
        }
        while self.running.join_next().await.is_some() {}
    }

    /// One connection: consume every queue until stopped (Ok) or the connection fails (Err).
    async fn session(&mut self, phase: &mut watch::Receiver<Phase>, backoff: &mut Backoff) -> lapin::Result<()> {
        let connection = connect(self.worker.state.settings.amqp.url.expose()).await?;
        let channel = connection.create_channel().await?;
        let queues = self.worker.registry().queues();
        self.topology.declare(&channel, &queues).await?;
        // Per consumer: how many unacknowledged messages the broker sends ahead.
        channel.basic_qos(self.prefetch, BasicQosOptions::default()).await?;
        let mut consumers = Vec::with_capacity(queues.len());
        for queue in &queues {
            let tag = format!("{}.{queue}", self.worker.id());
            let options = BasicConsumeOptions { no_ack: false, ..Default::default() };
            consumers.push(
                channel
                    .basic_consume(self.topology.queue(queue).into(), tag.into(), options, FieldTable::default())
                    .await?,
            );
        }
        let tags: Vec<_> = consumers.iter().map(lapin::Consumer::tag).collect();
        let mut deliveries = futures::stream::select_all(consumers);
        backoff.reset();
        let ended = loop {
            let stopping = phase.wait_for(|p| *p != Phase::Run);
            let permit = tokio::select! {
                permit = self.permits.clone().acquire_owned() => permit.expect("never closed"),
                _ = stopping => break Ok(()),
            };
            let stopping = phase.wait_for(|p| *p != Phase::Run);
            let delivery = tokio::select! {
                delivery = deliveries.next() => delivery,
                _ = stopping => break Ok(()),
            };
            match delivery {
                Some(Ok(delivery)) => {
                    let (worker, topology) = (self.worker.clone(), self.topology.clone());
                    self.running.spawn(handle(worker, channel.clone(), topology, delivery, phase.clone(), permit));
                }
                Some(Err(e)) => break Err(e),
                None => break Err(std::io::Error::other("the broker ended the consumers").into()),
            }
            while self.running.try_join_next().is_some() {}
        };
        if ended.is_ok() {
            // Stop deliveries first; what was prefetched but not started goes back
            // to the queue when the connection closes (never acked).
            for tag in tags {
                let _ = channel.basic_cancel(tag, BasicCancelOptions::default()).await;
            }
            while self.running.join_next().await.is_some() {}
        }
        close(&connection).await;
        ended
    }
}

/// Claims the delivery's job and runs it, then acks. Not claimable (done, dead,
/// running under a live lease, not due yet) → ack and drop: the row is the
/// truth, and the relay publishes again when the job is due. Not a job of ours
/// → rejected without requeue, so it goes to the dead-letter queue. The permit
/// is held throughout: it bounds how many jobs this process runs at once.
async fn handle(
    worker: Worker,
    channel: Channel,
    topology: Topology,
    delivery: Delivery,
    phase: watch::Receiver<Phase>,
    _permit: OwnedSemaphorePermit,
) {
    let pool = worker.state.db.pool();
    let Some(id) = decode(&delivery.data) else {
        tracing::warn!(routing_key = %delivery.routing_key, "message is not a job reference; dead-lettered");
        return reject(&delivery).await;
    };
    let claimed = match repo::claim_by_id(&worker.state.db, &id, worker.id(), worker.lease_ms()).await {
        Ok(claimed) => claimed,
        Err(e) => return requeue_later(&delivery, &id, &e).await,
    };
    let Some(job) = claimed else {
        return match repo::exists(pool, &id).await {
            Ok(false) => {
                tracing::warn!(job = %id, "message names no job; dead-lettered");
                reject(&delivery).await
            }
            Ok(true) => ack(&delivery).await,
            Err(e) => requeue_later(&delivery, &id, &e).await,
        };
    };
    let (queue, kind) = (job.queue.clone(), job.kind.clone());
    match worker.execute(job, aborted(phase)).await {
        Ok(Ended::Dead(error)) => dead_copy(&channel, &topology, &id, &queue, &kind, &error).await,
        Ok(_) => {}
        Err(e) => tracing::warn!(job = %id, error = %e, "could not record a job outcome"),
    }
    // Acked whatever the outcome: a retry is republished by the relay when due.
    ack(&delivery).await;
}

/// The database failed us: give the message back after a pause, so a database
/// outage does not spin messages between broker and consumer.
async fn requeue_later(delivery: &Delivery, id: &str, error: &sqlx::Error) {
    tracing::warn!(job = %id, %error, "could not claim a delivered job; requeued");
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    if let Err(e) = delivery.acker.nack(BasicNackOptions { requeue: true, ..Default::default() }).await {
        tracing::debug!(error = %e, "nack failed; the broker redelivers when the connection closes");
    }
}

async fn ack(delivery: &Delivery) {
    if let Err(e) = delivery.acker.ack(BasicAckOptions::default()).await {
        tracing::debug!(error = %e, "ack failed; the broker will redeliver, and the row makes that a no-op");
    }
}

async fn reject(delivery: &Delivery) {
    if let Err(e) = delivery.acker.reject(BasicRejectOptions { requeue: false }).await {
        tracing::debug!(error = %e, "reject failed");
    }
}

/// Best effort: a copy of a dead job's message in the dead-letter queue, so
/// broker operators see it too. The row (state `dead`, `last_error`) is the record.
async fn dead_copy(channel: &Channel, topology: &Topology, id: &str, queue: &str, kind: &str, error: &str) {
    let mut headers = FieldTable::default();
    headers.insert("x-lyceum-kind".into(), AMQPValue::LongString(kind.into()));
    headers.insert("x-lyceum-error".into(), AMQPValue::LongString(error.into()));
    let properties = BasicProperties::default()
        .with_delivery_mode(2)
        .with_message_id(id.into())
        .with_content_type("application/json".into())
        .with_headers(headers);
    let published =
        channel.basic_publish(topology.dead().into(), queue.into(), Default::default(), &encode(id), properties).await;
    if let Err(e) = published {
        tracing::warn!(job = %id, error = %e, "could not copy a dead job to the dead-letter queue");
    }
}
