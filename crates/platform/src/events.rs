//! Domain events and their observers, on top of the jobs queue.
//!
//! A module publishes an [`Event`] inside the transaction of the change it
//! reports; [`publish`] enqueues one job per subscriber of that event name, so
//! the event and its consequences commit or roll back together, and each
//! observer runs (and retries) on its own. Modules subscribe through the one
//! [`JobRegistry`] the server builds; no module calls another's handlers.

use serde::{Deserialize, Serialize, de::DeserializeOwned};
use sqlx::AnyConnection;

use crate::{
    AppState, db,
    jobs::{Job, JobRegistry, Subscriber, WAKE, Wants, repo},
};

/// Something that happened, named stably (`user.registered`): the name is how
/// subscribers find it and is stored in job rows, so never rename one in use.
/// The payload is visible to admins in the jobs API: never put a secret in it.
pub trait Event: Serialize + DeserializeOwned + Send + 'static {
    const NAME: &'static str;
}

/// One delivery of an event to one subscriber: the payload of its job.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Delivery<E> {
    /// Fresh for each publish, shared by its subscribers.
    pub event_id: String,
    pub event: E,
}

impl<E> Delivery<E> {
    /// An idempotency key for subscriber `kind`: the same when this job is
    /// delivered again, different for any other subscriber or publish.
    pub fn key(&self, kind: &str) -> String {
        format!("{kind}:{}", self.event_id)
    }
}

impl JobRegistry {
    /// Every event with a subscriber, and the job kinds that observe it (for
    /// the test that keeps `docs/architecture.md`'s event list true).
    pub fn subscriptions(&self) -> Vec<(&'static str, Vec<&'static str>)> {
        let mut all: Vec<_> =
            self.subscribers.iter().map(|(event, subs)| (*event, subs.iter().map(|s| s.kind).collect())).collect();
        all.sort();
        all
    }

    /// Registers job `J` as an observer of event `E`: each publish of `E`
    /// enqueues one `J` with the event as its [`Delivery`].
    pub fn subscribe<E: Event, J: Job<Payload = Delivery<E>>>(&mut self) -> &mut Self {
        self.add_subscriber::<E, J>(None)
    }

    /// [`Self::subscribe`] for an observer with nothing to do for some events
    /// (a notice only when a person graded): `wants` is asked at publish, and
    /// an event it refuses enqueues no job. A job row costs two writes (its
    /// claim and its end) however little it does, and under a burst those
    /// writes queue with the requests' for the database.
    pub fn subscribe_when<E: Event, J: Job<Payload = Delivery<E>>>(&mut self, wants: fn(&E) -> bool) -> &mut Self {
        let wants = move |event: &dyn std::any::Any| event.downcast_ref::<E>().is_none_or(wants);
        self.add_subscriber::<E, J>(Some(std::sync::Arc::new(wants)))
    }

    fn add_subscriber<E: Event, J: Job<Payload = Delivery<E>>>(&mut self, wants: Option<Wants>) -> &mut Self {
        self.register::<J>();
        let subscriber = Subscriber { kind: J::KIND, queue: J::QUEUE, max_attempts: J::MAX_ATTEMPTS.max(1), wants };
        self.subscribers.entry(E::NAME).or_default().push(subscriber);
        self
    }
}

/// Publishes `event` on `conn`, which should be the caller's open transaction;
/// returns how many subscriber jobs were enqueued (0 when nobody listens, or
/// no listener wants this one).
pub async fn publish<E: Event>(state: &AppState, conn: &mut AnyConnection, event: &E) -> Result<usize, sqlx::Error> {
    let subscribers: Vec<&Subscriber> = state
        .jobs
        .subscribers
        .get(E::NAME)
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter(|s| s.wants.as_ref().is_none_or(|wants| wants(event as &dyn std::any::Any)))
        .collect();
    if subscribers.is_empty() {
        return Ok(0);
    }
    let delivery = Delivery { event_id: db::new_id(), event };
    let payload = serde_json::to_string(&delivery).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let run_at = db::now_ms();
    for s in &subscribers {
        let job = repo::NewJob {
            queue: s.queue,
            kind: s.kind,
            payload: &payload,
            dedupe_key: None,
            max_attempts: i64::from(s.max_attempts),
            run_at,
        };
        repo::insert(&mut *conn, &job).await?;
    }
    WAKE.notify_waiters();
    Ok(subscribers.len())
}
