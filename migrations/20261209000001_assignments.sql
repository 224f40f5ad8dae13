-- assignments: work a learner hands in (text, files) and a person grades.
-- Portable SQL for SQLite and PostgreSQL.

-- An assignment is the activity of one lesson (`lessons.activity =
-- 'assignment'`), so it sits in the outline beside lessons and quizzes and
-- completes its lesson by its rule (submitted, or graded with a pass).
-- `settings` is JSON this module writes and validates
-- (lyceum_assignments::model::Settings), read whole, never queried into.
-- `released_at`: when the staff released the grades of an assignment whose
-- grades are released all at once (NULL: not yet, or released as graded).
CREATE TABLE assignments (
    id          TEXT PRIMARY KEY,
    course_id   TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    lesson_id   TEXT NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    settings    TEXT NOT NULL,
    released_at BIGINT,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE UNIQUE INDEX assignments_lesson_key ON assignments (lesson_id);
CREATE INDEX assignments_course ON assignments (course_id);

-- One learner's submission to one assignment: a draft until submitted.
-- `late_ms` is how long after the learner's due date (theirs: an extension
-- moves it) the submit came; the penalty is computed from it at grading.
-- `points` is the grader's mark before the late penalty, `grade` after it.
CREATE TABLE assignment_submissions (
    id              TEXT PRIMARY KEY,
    assignment_id   TEXT NOT NULL REFERENCES assignments (id) ON DELETE CASCADE,
    user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    state           TEXT NOT NULL CHECK (state IN ('draft', 'submitted')),
    text_md         TEXT NOT NULL DEFAULT '',
    submitted_at    BIGINT,
    late_ms         BIGINT NOT NULL DEFAULT 0,
    statement_at    BIGINT,
    points          DOUBLE PRECISION,
    grade           DOUBLE PRECISION,
    feedback_md     TEXT NOT NULL DEFAULT '',
    graded_by       TEXT REFERENCES users (id) ON DELETE SET NULL,
    graded_at       BIGINT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE UNIQUE INDEX assignment_submissions_learner_key ON assignment_submissions (assignment_id, user_id);
-- The grading queue: by state, oldest submit first.
CREATE INDEX assignment_submissions_queue ON assignment_submissions (assignment_id, state, submitted_at);
CREATE INDEX assignment_submissions_user ON assignment_submissions (user_id);

-- A file of a submission. The bytes are in storage under `storage_key` (an
-- `assignments/…` key made by the module); the type was sniffed from the
-- content; the client's name is kept for display and download only.
CREATE TABLE assignment_files (
    id            TEXT PRIMARY KEY,
    submission_id TEXT NOT NULL REFERENCES assignment_submissions (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          BIGINT NOT NULL,
    storage_key   TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);
CREATE INDEX assignment_files_submission ON assignment_files (submission_id, created_at);

-- A learner's own due date (and so cut-off) for one assignment.
CREATE TABLE assignment_extensions (
    assignment_id TEXT NOT NULL REFERENCES assignments (id) ON DELETE CASCADE,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    due_at        BIGINT NOT NULL,
    granted_by    TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (assignment_id, user_id)
);
