//! A write transaction, and SQLite's in-process write queue.
//!
//! SQLite has one writer at a time. Left to its busy handler, waiting writers
//! sleep in growing steps and take the lock in no particular order, so under
//! contention some wait far longer than the rest (a p99 of 0.5–0.8 s at 64
//! concurrent writers, `docs/benchmarks.md`). This process's writers instead
//! queue, in arrival order, for its one writer connection.
//!
//! One connection for every write also keeps that connection's page cache
//! valid from one transaction to the next: in WAL mode a connection drops its
//! cache whenever another connection has written since its last transaction,
//! so writes spread over the pool re-read the pages they touch each time.

use std::{
    ops::{Deref, DerefMut},
    sync::Arc,
    time::Duration,
};

use sqlx::{Any, AnyConnection, AnyPool, Executor, Transaction, pool::PoolConnection};
use tokio::sync::{Mutex, OwnedMutexGuard};

/// One transaction: on PostgreSQL a pooled one; on SQLite one on this
/// process's writer connection, whose turn it holds until it ends (commit,
/// rollback or drop).
///
/// Dereferences to the connection, so `&mut *tx` is what repositories take.
pub struct Tx {
    inner: Inner,
}

enum Inner {
    Pooled(Transaction<'static, Any>),
    Writer(WriterTurn),
}

/// The writer connection while it is this transaction's. `slot` is always
/// Some (taken only by `drop`), and holds a connection while `open`.
struct WriterTurn {
    slot: Option<OwnedMutexGuard<Option<AnyConnection>>>,
    open: bool,
}

impl WriterTurn {
    fn slot(&mut self) -> &mut Option<AnyConnection> {
        self.slot.as_mut().expect("taken only by drop")
    }

    fn conn(&self) -> &AnyConnection {
        self.slot.as_ref().and_then(|s| s.as_ref()).expect("an open turn holds a connection")
    }

    fn conn_mut(&mut self) -> &mut AnyConnection {
        self.slot().as_mut().expect("an open turn holds a connection")
    }

    /// COMMIT or ROLLBACK; the transaction is over either way (a failed end
    /// discards the connection, which rolls back what it held).
    async fn end(mut self, sql: &'static str) -> Result<(), sqlx::Error> {
        self.open = false;
        finish(self.slot(), sql).await
    }
}

/// Runs `sql` on the writer connection; an error discards the connection
/// (closing it rolls back an open transaction) and the next writer opens
/// another, so no writer inherits a connection in doubt.
async fn finish(slot: &mut Option<AnyConnection>, sql: &'static str) -> Result<(), sqlx::Error> {
    let Some(conn) = slot.as_mut() else { return Ok(()) };
    let result = conn.execute(sql).await.map(drop);
    if result.is_err() {
        *slot = None;
    }
    result
}

impl Drop for WriterTurn {
    /// Dropped open (an error, an early return, a cancelled request): the
    /// rollback runs in a task that holds the turn until it is done, so the
    /// next writer begins on a connection with no transaction open.
    fn drop(&mut self) {
        let (true, Some(mut slot)) = (self.open, self.slot.take()) else { return };
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => drop(runtime.spawn(async move { finish(&mut slot, "ROLLBACK").await })),
            Err(_) => *slot = None,
        }
    }
}

impl Tx {
    pub(super) fn pooled(inner: Transaction<'static, Any>) -> Self {
        Self { inner: Inner::Pooled(inner) }
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self.inner {
            Inner::Pooled(tx) => tx.commit().await,
            Inner::Writer(turn) => turn.end("COMMIT").await,
        }
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        match self.inner {
            Inner::Pooled(tx) => tx.rollback().await,
            Inner::Writer(turn) => turn.end("ROLLBACK").await,
        }
    }
}

impl Deref for Tx {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        match &self.inner {
            Inner::Pooled(tx) => tx,
            Inner::Writer(turn) => turn.conn(),
        }
    }
}

impl DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        match &mut self.inner {
            Inner::Pooled(tx) => tx,
            Inner::Writer(turn) => turn.conn_mut(),
        }
    }
}

impl std::fmt::Debug for Tx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tx").field("queued", &matches!(self.inner, Inner::Writer(_))).finish()
    }
}

/// A connection for writes that are one statement each, with no transaction
/// around them (a job claim, a lease renewal): on SQLite the writer
/// connection, holding the write turn as a transaction does, so these writes
/// also queue in arrival order instead of meeting the writer in SQLite's busy
/// handler; on PostgreSQL a pooled connection. Hold it for the statement only.
pub struct AutoCommit {
    inner: AutoInner,
}

enum AutoInner {
    Pooled(PoolConnection<Any>),
    Writer(OwnedMutexGuard<Option<AnyConnection>>),
}

impl AutoCommit {
    pub(super) fn pooled(conn: PoolConnection<Any>) -> Self {
        Self { inner: AutoInner::Pooled(conn) }
    }
}

impl Deref for AutoCommit {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        match &self.inner {
            AutoInner::Pooled(conn) => conn,
            AutoInner::Writer(slot) => slot.as_ref().expect("a turn holds a connection"),
        }
    }
}

impl DerefMut for AutoCommit {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        match &mut self.inner {
            AutoInner::Pooled(conn) => conn,
            AutoInner::Writer(slot) => slot.as_mut().expect("a turn holds a connection"),
        }
    }
}

/// The writer's page cache (8 MiB). Larger than a reader's: it stays valid
/// from one write to the next (only this connection writes), so it holds the
/// pages writes keep touching — indexes, the tables' last pages.
const WRITER_CACHE: &str = "PRAGMA cache_size = -8192";

/// SQLite's writers, one at a time in arrival order (tokio's mutex is fair),
/// each on the one writer connection. The connection is taken from the pool
/// (detached: the pool opens another for readers) at the first write, and
/// again after an error discarded it.
#[derive(Debug)]
pub(super) struct WriteQueue {
    writer: Arc<Mutex<Option<AnyConnection>>>,
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
        Self { writer: Arc::new(Mutex::new(None)), timeout }
    }

    /// Waits for the turn (at most the busy timeout), then `BEGIN IMMEDIATE`
    /// on the writer connection.
    pub(super) async fn begin(&self, pool: &AnyPool) -> Result<Tx, sqlx::Error> {
        let mut turn = WriterTurn { slot: Some(self.turn(pool).await?), open: true };
        // From here a drop rolls back, even one while BEGIN is on its way.
        if let Err(err) = turn.conn_mut().execute("BEGIN IMMEDIATE").await {
            turn.open = false;
            *turn.slot() = None;
            return Err(err);
        }
        Ok(Tx { inner: Inner::Writer(turn) })
    }

    /// Waits for the turn (at most the busy timeout): the writer connection,
    /// with no transaction open.
    async fn turn(&self, pool: &AnyPool) -> Result<OwnedMutexGuard<Option<AnyConnection>>, sqlx::Error> {
        let timed_out = || sqlx::Error::Io(std::io::Error::new(std::io::ErrorKind::TimedOut, QueueTimedOut));
        let mut slot =
            tokio::time::timeout(self.timeout, self.writer.clone().lock_owned()).await.map_err(|_| timed_out())?;
        if slot.is_none() {
            let mut conn = pool.acquire().await?.detach();
            conn.execute(WRITER_CACHE).await?;
            *slot = Some(conn);
        }
        Ok(slot)
    }

    /// The writer connection for statements that commit on their own.
    pub(super) async fn autocommit(&self, pool: &AnyPool) -> Result<AutoCommit, sqlx::Error> {
        Ok(AutoCommit { inner: AutoInner::Writer(self.turn(pool).await?) })
    }

    /// Closes the writer connection (at shutdown), after the writer holding it.
    pub(super) async fn close(&self) {
        if let Some(conn) = self.writer.lock().await.take() {
            let _ = sqlx::Connection::close(conn).await;
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

    /// Every write transaction runs on the one writer connection (whose page
    /// cache then stays valid): a setting only its connection has (the page
    /// cache's size) is there in the next transaction, not in a pooled reader.
    #[tokio::test]
    async fn writes_share_one_connection() {
        let dir = tempfile::tempdir().unwrap();
        let db = sqlite(&dir).await;
        let cache_size = "PRAGMA cache_size";
        let mut tx = db.begin().await.unwrap();
        sqlx::query("PRAGMA cache_size = -1234").execute(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
        let mut tx = db.begin().await.unwrap();
        let writer: i64 = sqlx::query_scalar(cache_size).fetch_one(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(writer, -1234);
        let mut auto = db.autocommit().await.unwrap();
        let single: i64 = sqlx::query_scalar(cache_size).fetch_one(&mut *auto).await.unwrap();
        drop(auto);
        assert_eq!(single, -1234, "single statements write on the writer connection too");
        let reader: i64 = sqlx::query_scalar(cache_size).fetch_one(db.pool()).await.unwrap();
        assert_ne!(reader, -1234, "a pooled reader is another connection");
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
