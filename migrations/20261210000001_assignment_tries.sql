-- assignments: tries after each grade. When an assignment lets a learner
-- try again after a grade they can see, starting a new try keeps the graded
-- try here as history, and the learner's submission row becomes the new
-- try's draft (holding a copy of the text and the files).
-- Portable SQL for SQLite and PostgreSQL.

-- A past try. `snapshot` is the submission row as it was graded, as JSON
-- this module writes (every grading column of the time, whatever columns
-- exist then); `grade` and `graded_at` are copied out of it for listing.
CREATE TABLE assignment_tries (
    id            TEXT PRIMARY KEY,
    submission_id TEXT NOT NULL REFERENCES assignment_submissions (id) ON DELETE CASCADE,
    try_number    BIGINT NOT NULL,
    submitted_at  BIGINT,
    late_ms       BIGINT NOT NULL DEFAULT 0,
    text_md       TEXT NOT NULL DEFAULT '',
    grade         DOUBLE PRECISION,
    graded_at     BIGINT,
    snapshot      TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);
-- One row per try: two "new try" racing cannot both keep the same try.
CREATE UNIQUE INDEX assignment_tries_number_key ON assignment_tries (submission_id, try_number);

-- A past try's files. The bytes stay where they were stored: the same
-- storage key as the file had in the submission (the new try's copy names
-- it too), so an object is deleted only when no row of either table names it.
CREATE TABLE assignment_try_files (
    try_id       TEXT NOT NULL REFERENCES assignment_tries (id) ON DELETE CASCADE,
    id           TEXT NOT NULL,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    storage_key  TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (try_id, id)
);
CREATE INDEX assignment_try_files_key ON assignment_try_files (storage_key);
CREATE INDEX assignment_files_key ON assignment_files (storage_key);
