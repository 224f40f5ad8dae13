-- gradebook: a course's grade items and each learner's grade in them.
-- Portable SQL for SQLite and PostgreSQL.

-- A grade item: a quiz's or an assignment's (made when its first grade
-- arrives through their events; `source_id` is the quiz's or assignment's
-- id), or a manual one the staff add ("participation"; `source_id` is the
-- item's own id, so the pair is unique for every item).
CREATE TABLE grade_items (
    id         TEXT PRIMARY KEY,
    course_id  TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    source     TEXT NOT NULL CHECK (source IN ('quiz', 'assignment', 'manual')),
    source_id  TEXT NOT NULL,
    title      TEXT NOT NULL,
    max_points DOUBLE PRECISION NOT NULL,
    -- Hidden items are not shown to learners and not counted in their total.
    hidden     BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX grade_items_source_key ON grade_items (source, source_id);
CREATE INDEX grade_items_course ON grade_items (course_id, created_at);

-- One learner's grade in one item: `points` as the activity reported it (or
-- as the staff entered it, for a manual item); an override replaces it, with
-- a note saying why.
CREATE TABLE grade_entries (
    item_id         TEXT NOT NULL REFERENCES grade_items (id) ON DELETE CASCADE,
    user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    points          DOUBLE PRECISION,
    override_points DOUBLE PRECISION,
    override_note   TEXT NOT NULL DEFAULT '',
    updated_at      BIGINT NOT NULL,
    PRIMARY KEY (item_id, user_id)
);
CREATE INDEX grade_entries_user ON grade_entries (user_id);
