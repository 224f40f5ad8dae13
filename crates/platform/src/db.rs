//! The relational database: SQLite (embedded) or PostgreSQL, behind sqlx's
//! `Any` driver so every query and migration is written once. SQL uses `$1`
//! placeholders (both engines accept them), TEXT ids, BIGINT epoch-millisecond
//! timestamps and integers instead of booleans.

use std::{future::Future, path::Path, str::FromStr, sync::Arc, time::Duration};

use sqlx::{
    Any, AnyConnection, AnyPool, Connection, Executor,
    any::{AnyConnectOptions, AnyPoolOptions},
    pool::PoolConnection,
};

use crate::config::Settings;

mod args;
mod tx;
pub use args::Args;
use tx::WriteQueue;
pub use tx::{AutoCommit, Tx};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The page cache of a pooled (reading) SQLite connection, in KiB. Small: in
/// WAL mode a reader drops its cache whenever the writer has committed since
/// its last read, so under writes it rarely outlives a request (the OS keeps
/// the file's pages); 16 readers at SQLite's default 2 MiB were 32 MiB of RSS.
const READER_CACHE_KIB: u32 = 512;

/// How long a pooled PostgreSQL connection may sit idle before it is pinged
/// on its way out of the pool (see `connect_url`).
const PING_IDLE_AFTER: Duration = Duration::from_secs(1);

/// A cloneable handle to the connection pool.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    /// SQLite only: this process's writers, served one at a time in arrival order.
    writers: Option<Arc<WriteQueue>>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("cannot open the database ({backend})")]
    Open { backend: &'static str, source: sqlx::Error },
    #[error("cannot create the directory {0} for the SQLite database: {1}")]
    Dir(String, std::io::Error),
}

impl Db {
    pub async fn connect(settings: &Settings) -> Result<Self, ConnectError> {
        Self::connect_url(
            settings.database_url.expose(),
            settings.database.max_connections,
            Duration::from_secs(settings.database.acquire_timeout_secs),
            Duration::from_secs(settings.database.busy_timeout_secs),
        )
        .await
    }

    /// `busy_timeout` (SQLite only) is how long a transaction waits for the
    /// write lock before it fails with "database is locked".
    pub async fn connect_url(
        url: &str,
        max_connections: u32,
        acquire_timeout: Duration,
        busy_timeout: Duration,
    ) -> Result<Self, ConnectError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") { Backend::Sqlite } else { Backend::Postgres };
        if backend == Backend::Sqlite {
            ensure_sqlite_dir(url)?;
        }
        let name = match backend {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        };
        let open = |source| ConnectError::Open { backend: name, source };
        let options = AnyConnectOptions::from_str(url).map_err(open)?;
        let sqlite_pragmas = format!(
            "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = {}; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; \
             PRAGMA cache_size = -{READER_CACHE_KIB};",
            busy_timeout.as_millis()
        );
        // One direct connection first: an unreachable server is reported with
        // its real cause at once, not as a pool time-out seconds later.
        AnyConnection::connect_with(&options).await.map_err(open)?.close().await.map_err(open)?;
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(acquire_timeout)
            // A pooled PostgreSQL connection may have been dropped by the server
            // or the network while idle: one idle for a while is pinged before
            // it is handed out (a failed ping discards it and the pool takes
            // another). Not every acquire: sqlx already pings each connection
            // as it goes back to the pool, so one idle for less than
            // `PING_IDLE_AFTER` answered a moment ago, and a second ping would
            // add a round trip to every request. An in-process SQLite
            // connection cannot be dropped.
            .test_before_acquire(false)
            .before_acquire(move |conn, meta| {
                Box::pin(async move {
                    if backend == Backend::Postgres && meta.idle_for >= PING_IDLE_AFTER {
                        conn.ping().await?;
                    }
                    Ok(true)
                })
            })
            .after_connect(move |conn, _| {
                let pragmas = sqlx::AssertSqlSafe(sqlite_pragmas.clone());
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the writer; busy_timeout makes a
                        // writer wait for the lock instead of failing at once (see `begin`).
                        conn.execute(pragmas).await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(open)?;
        let writers = (backend == Backend::Sqlite).then(|| Arc::new(WriteQueue::new(busy_timeout)));
        Ok(Self { pool, backend, writers })
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Starts a transaction — the one way to, since every transaction in
    /// Lyceum writes (reads that need no lock use `pool()` directly).
    ///
    /// On SQLite it is `BEGIN IMMEDIATE`: the write lock is taken now, waiting
    /// up to `busy_timeout` behind the current writer. A plain (deferred)
    /// `BEGIN` would take it only at the first write, and a transaction that
    /// read first (an access check, a preference) holds a snapshot that a
    /// writer committing meanwhile makes stale: its first write then fails at
    /// once with SQLITE_BUSY, without waiting. So statements in a transaction
    /// may come in any order. On PostgreSQL a plain `BEGIN`: row locks queue
    /// writers there.
    ///
    /// On SQLite a transaction first waits for its turn in this process's
    /// write queue (first come, first served; at most `busy_timeout`), so the
    /// process's writers never meet in SQLite's busy handler, whose sleeps
    /// grow and which serves nobody in order — the source of a long write
    /// tail under contention. The turn is held until commit or rollback; the
    /// busy handler still arbitrates between processes (a `lyceum worker`).
    /// Every turn writes on the same connection, taken out of the pool once,
    /// so queued writers hold no connection that readers need and the
    /// writer's page cache stays warm (see `tx`).
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        match &self.writers {
            Some(queue) => queue.begin(&self.pool).await,
            None => Ok(Tx::pooled(self.pool.begin().await?)),
        }
    }

    /// A connection for writes of one statement each, outside a transaction
    /// (see [`AutoCommit`]): on SQLite they take the write turn too.
    pub async fn autocommit(&self) -> Result<AutoCommit, sqlx::Error> {
        match &self.writers {
            Some(queue) => queue.autocommit(&self.pool).await,
            None => Ok(AutoCommit::pooled(self.pool.acquire().await?)),
        }
    }

    /// A cheap round trip, for `/readyz`.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map(|_| ())
    }

    pub async fn close(&self) {
        if let Some(queue) = &self.writers {
            queue.close().await;
        }
        self.pool.close().await;
    }
}

/// Where a read that is usually answered from the cache gets its connection
/// on a miss: a connection the caller already holds, or a [`LazyConn`] that
/// takes one from the pool only then (a hot path whose reads all hit takes
/// none: no pool round, no return to it).
pub trait ConnSource: Send {
    fn conn(&mut self) -> impl Future<Output = Result<&mut AnyConnection, sqlx::Error>> + Send;
}

impl ConnSource for AnyConnection {
    async fn conn(&mut self) -> Result<&mut AnyConnection, sqlx::Error> {
        Ok(self)
    }
}

impl ConnSource for PoolConnection<Any> {
    async fn conn(&mut self) -> Result<&mut AnyConnection, sqlx::Error> {
        Ok(&mut **self)
    }
}

/// A pooled connection taken on first use and kept for the next.
pub struct LazyConn<'a> {
    pool: &'a AnyPool,
    taken: Option<PoolConnection<Any>>,
}

impl<'a> LazyConn<'a> {
    pub fn new(db: &'a Db) -> Self {
        Self { pool: &db.pool, taken: None }
    }
}

impl ConnSource for LazyConn<'_> {
    async fn conn(&mut self) -> Result<&mut AnyConnection, sqlx::Error> {
        if self.taken.is_none() {
            self.taken = Some(self.pool.acquire().await?);
        }
        Ok(self.taken.as_deref_mut().expect("taken above"))
    }
}

fn ensure_sqlite_dir(url: &str) -> Result<(), ConnectError> {
    let path = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let path = path.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return Ok(());
    }
    match Path::new(path).parent() {
        Some(dir) if !dir.as_os_str().is_empty() => {
            std::fs::create_dir_all(dir).map_err(|e| ConnectError::Dir(dir.display().to_string(), e))
        }
        _ => Ok(()),
    }
}

/// Milliseconds since the Unix epoch: how every timestamp is stored.
pub fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

/// A stored timestamp as RFC 3339 (UTC), the format of every API timestamp.
pub fn rfc3339(epoch_ms: i64) -> String {
    jiff::Timestamp::from_millisecond(epoch_ms).map(|t| t.to_string()).unwrap_or_default()
}

/// A new time-ordered id (UUID v7), stored as TEXT.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// True when `err` is a unique-constraint violation on either backend.
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(e) if e.is_unique_violation())
}

/// True when PostgreSQL refused a text value it cannot store (a NUL character:
/// SQLSTATE 22021), which is bad input, not a fault. Inputs are checked before
/// they reach the database; this is the net under the checks.
pub fn is_unstorable_text(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(e) if e.code().as_deref() == Some("22021"))
}

/// True when `err` is SQLite's "database is locked" (SQLITE_BUSY and its
/// extended codes): the write lock was not free within the busy timeout — or
/// this process's write queue did not reach the transaction within it.
pub fn is_busy(err: &sqlx::Error) -> bool {
    const SQLITE_BUSY: i32 = 5;
    if tx::is_queue_timeout(err) {
        return true;
    }
    let sqlx::Error::Database(e) = err else { return false };
    if e.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_none() {
        return false; // PostgreSQL's codes are SQLSTATEs, another numbering
    }
    // Extended result codes keep the primary code in their low byte.
    e.code().and_then(|c| c.parse::<i32>().ok()).is_some_and(|c| c & 0xff == SQLITE_BUSY)
}

/// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern.
pub fn like_pattern(needle: &str) -> String {
    let mut out = String::with_capacity(needle.len() + 2);
    out.push('%');
    for c in needle.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.extend(c.to_lowercase());
    }
    out.push('%');
    out
}
