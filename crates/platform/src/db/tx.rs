//! A write transaction, and SQLite's in-process write queue.
//!
//! SQLite has one writer at a time. Left to its busy handler, waiting writers
//! sleep in growing steps and take the lock in no particular order, so under
//! contention some wait far longer than the rest (a p99 of 0.5–0.8 s at 64
//! concurrent writers, `docs/benchmarks.md`). A FIFO semaphore in front of
//! `BEGIN IMMEDIATE` serves this process's writers in arrival order instead.

use std::{
    ops::{Deref, DerefMut},
    time::Duration,
};

use sqlx::{Any, AnyConnection, Transaction};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// One transaction; on SQLite it also holds this process's write turn, given
/// back when the transaction ends (commit, rollback or drop).
///
/// Dereferences to the connection, so `&mut *tx` is what repositories take.
pub struct Tx {
    // Declared first: dropped (rolled back) before the turn passes on.
    inner: Transaction<'static, Any>,
    _turn: Option<OwnedSemaphorePermit>,
}

impl Tx {
    pub(super) fn new(inner: Transaction<'static, Any>, turn: Option<OwnedSemaphorePermit>) -> Self {
        Self { inner, _turn: turn }
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.inner.commit().await
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.inner.rollback().await
    }
}

impl Deref for Tx {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        &self.inner
    }
}

impl DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.inner
    }
}

impl std::fmt::Debug for Tx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tx").field("queued", &self._turn.is_some()).finish()
    }
}

/// One writer at a time, in arrival order (tokio's semaphore is fair).
#[derive(Debug)]
pub(super) struct WriteQueue {
    turns: std::sync::Arc<Semaphore>,
    timeout: Duration,
}

/// The write queue did not reach a transaction within the busy timeout: the
/// same condition as SQLite's own "database is locked", reported the same way
/// (`db::is_busy`, a 503 with `Retry-After`).
#[derive(Debug, thiserror::Error)]
#[error("database is locked: no turn in the write queue within the busy timeout")]
struct QueueTimedOut;

pub(super) fn is_queue_timeout(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Io(e) if e.get_ref().is_some_and(|inner| inner.is::<QueueTimedOut>()))
}

impl WriteQueue {
    pub(super) fn new(timeout: Duration) -> Self {
        Self { turns: std::sync::Arc::new(Semaphore::new(1)), timeout }
    }

    pub(super) async fn turn(&self) -> Result<OwnedSemaphorePermit, sqlx::Error> {
        let timed_out = || sqlx::Error::Io(std::io::Error::new(std::io::ErrorKind::TimedOut, QueueTimedOut));
        match tokio::time::timeout(self.timeout, self.turns.clone().acquire_owned()).await {
            Ok(Ok(turn)) => Ok(turn),
            // The semaphore is never closed; a closed one would be a bug, reported as busy.
            Ok(Err(_)) | Err(_) => Err(timed_out()),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::{future::Future, pin::pin, task::Poll};

    use crate::db::Db;

    async fn sqlite(dir: &tempfile::TempDir) -> Db {
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("queue.db").display());
        let long = std::time::Duration::from_secs(30);
        Db::connect_url(&url, 4, long, long).await.unwrap()
    }

    /// Polls `fut` once: true while it is still waiting.
    async fn waiting<F: Future>(fut: std::pin::Pin<&mut F>) -> bool {
        let mut fut = Some(fut);
        std::future::poll_fn(|cx| Poll::Ready(fut.take().unwrap().poll(cx).is_pending())).await
    }

    /// Writers that arrive while one writes are served in arrival order: the
    /// first to queue begins when the holder commits, and a later one cannot
    /// overtake it however often it is polled.
    #[tokio::test]
    async fn writers_take_turns_in_arrival_order() {
        let dir = tempfile::tempdir().unwrap();
        let db = sqlite(&dir).await;
        let holder = db.begin().await.unwrap();
        let mut first = pin!(db.begin());
        let mut second = pin!(db.begin());
        assert!(waiting(first.as_mut()).await, "queued behind the holder");
        assert!(waiting(second.as_mut()).await, "queued behind the first");
        holder.commit().await.unwrap();
        assert!(waiting(second.as_mut()).await, "the second may not overtake the first");
        let first = first.await.unwrap();
        assert!(waiting(second.as_mut()).await, "the first now holds the turn");
        first.rollback().await.unwrap();
        second.await.unwrap().commit().await.unwrap();
    }

    /// A transaction dropped without commit gives its turn back (and its
    /// changes are rolled back).
    #[tokio::test]
    async fn a_dropped_transaction_gives_its_turn_back() {
        let dir = tempfile::tempdir().unwrap();
        let db = sqlite(&dir).await;
        let mut tx = db.begin().await.unwrap();
        sqlx::query("PRAGMA user_version = 7").execute(&mut *tx).await.unwrap();
        drop(tx);
        let mut tx = db.begin().await.unwrap();
        let version: i64 = sqlx::query_scalar("PRAGMA user_version").fetch_one(&mut *tx).await.unwrap();
        assert_eq!(version, 0);
        tx.commit().await.unwrap();
    }
}
