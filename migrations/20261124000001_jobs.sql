-- jobs: the transactional outbox and work queue. A service inserts a row in the
-- same transaction as the change that causes it; workers claim rows with a lease.
-- Counters are BIGINT (not INTEGER) so both backends decode them as i64 through sqlx's Any driver.
CREATE TABLE jobs (
    id           TEXT PRIMARY KEY,
    queue        TEXT NOT NULL,
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL,           -- JSON
    -- Set for kinds whose duplicates merge: one pending job per (kind, key).
    dedupe_key   TEXT,
    state        TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'dead')),
    attempts     BIGINT NOT NULL DEFAULT 0,
    max_attempts BIGINT NOT NULL,
    run_at       BIGINT NOT NULL,         -- not before (epoch ms); pushed back by retries
    locked_until BIGINT,                  -- lease end while running; expired = claimable again
    locked_by    TEXT,
    last_error   TEXT,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    finished_at  BIGINT
);
-- Claiming: due queued jobs, and running jobs whose lease ran out, per queue.
CREATE INDEX jobs_claim ON jobs (state, queue, run_at);
CREATE INDEX jobs_kind ON jobs (kind, state);
-- Merging: while one job for (kind, key) is pending or running, enqueuing another is a no-op.
CREATE UNIQUE INDEX jobs_dedupe_key ON jobs (kind, dedupe_key)
    WHERE dedupe_key IS NOT NULL AND state IN ('queued', 'running');
