-- enrollment: the module takes ownership of its table. `enrollments` was
-- first created by the courses migration (20261127000001), written before
-- the enrollment module existed; applied migrations are never rewritten, so
-- the table is rebuilt here, where it now belongs, with the same columns,
-- constraints and indexes and every row kept. Safe on an existing database of
-- either engine: nothing references `enrollments`, and each migration runs in
-- one transaction, so a failure leaves the old table as it was.
CREATE TABLE enrollments_rebuilt (
    id         TEXT PRIMARY KEY,
    course_id  TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status     TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
INSERT INTO enrollments_rebuilt (id, course_id, user_id, status, created_at, updated_at)
    SELECT id, course_id, user_id, status, created_at, updated_at FROM enrollments;
DROP TABLE enrollments;
ALTER TABLE enrollments_rebuilt RENAME TO enrollments;

-- One row per learner and course (concurrent enrollments make one row).
CREATE UNIQUE INDEX enrollments_course_user_key ON enrollments (course_id, user_id);
-- A learner's enrollments, newest first ("my courses").
CREATE INDEX enrollments_user ON enrollments (user_id, created_at);
-- A course's roster and progress table, newest first.
CREATE INDEX enrollments_course_created ON enrollments (course_id, created_at, id);
