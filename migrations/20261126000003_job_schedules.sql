-- job_schedules: when each periodic job is next due. Worker processes tick
-- every schedule; the one whose conditional UPDATE moves `next_run_at` past
-- now enqueues the run (in the same transaction), so each period runs once
-- however many workers there are.
CREATE TABLE job_schedules (
    name        TEXT PRIMARY KEY,     -- the job kind
    next_run_at BIGINT NOT NULL,      -- epoch ms
    last_run_at BIGINT,
    updated_at  BIGINT NOT NULL
);
