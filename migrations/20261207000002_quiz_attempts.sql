-- quizzes: quizzes, learners' attempts and their answers, per-learner
-- overrides. Portable SQL for SQLite and PostgreSQL.

-- A quiz is the activity of one lesson (`lessons.activity = 'quiz'`), so it
-- sits in the outline beside lessons and counts for progress through it.
-- `settings` and `slots` are JSON this module writes and validates
-- (lyceum_quizzes::settings): they are read whole, never queried into.
CREATE TABLE quizzes (
    id         TEXT PRIMARY KEY,
    course_id  TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    lesson_id  TEXT NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    settings   TEXT NOT NULL,
    slots      TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX quizzes_lesson_key ON quizzes (lesson_id);
CREATE INDEX quizzes_course ON quizzes (course_id);

-- One attempt of one learner. `questions` pins what the attempt shows, drawn
-- at its start: per slot the question, its version, its layout and its mark
-- (JSON), so editing the bank never changes an attempt under way.
CREATE TABLE quiz_attempts (
    id            TEXT PRIMARY KEY,
    quiz_id       TEXT NOT NULL REFERENCES quizzes (id) ON DELETE CASCADE,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    number        BIGINT NOT NULL,
    -- in_progress → submitted (waits for a manual grade) → graded; or straight to graded.
    state         TEXT NOT NULL CHECK (state IN ('in_progress', 'submitted', 'graded')),
    questions     TEXT NOT NULL,
    started_at    BIGINT NOT NULL,
    -- The server's clock is the only clock: NULL when the quiz has no time
    -- limit and no close date.
    deadline_at   BIGINT,
    submitted_at  BIGINT,
    -- Set when the deadline job submitted it (the browser was gone).
    timed_out     BIGINT NOT NULL DEFAULT 0,
    -- Marks earned (sum over slots) once submitted; max_marks from the pinned slots.
    marks         DOUBLE PRECISION,
    max_marks     DOUBLE PRECISION NOT NULL,
    -- Questions still waiting for a person (essays).
    ungraded      BIGINT NOT NULL DEFAULT 0,
    updated_at    BIGINT NOT NULL
);
CREATE UNIQUE INDEX quiz_attempts_number_key ON quiz_attempts (quiz_id, user_id, number);
-- One open attempt per learner and quiz: a double-clicked start finds the first.
CREATE UNIQUE INDEX quiz_attempts_open_key ON quiz_attempts (quiz_id, user_id) WHERE state = 'in_progress';
CREATE INDEX quiz_attempts_user ON quiz_attempts (user_id, started_at);
CREATE INDEX quiz_attempts_quiz_state ON quiz_attempts (quiz_id, state, submitted_at);

-- A learner's answer to one slot, saved as they go, and its outcome once graded.
CREATE TABLE quiz_answers (
    attempt_id TEXT NOT NULL REFERENCES quiz_attempts (id) ON DELETE CASCADE,
    slot       BIGINT NOT NULL,
    response   TEXT NOT NULL,
    -- JSON lyceum_assessment::Outcome; NULL until graded (or checked, in immediate feedback).
    outcome    TEXT,
    -- Immediate feedback: a checked answer is final.
    checked    BIGINT NOT NULL DEFAULT 0,
    graded_by  TEXT REFERENCES users (id) ON DELETE SET NULL,
    graded_at  BIGINT,
    saved_at   BIGINT NOT NULL,
    PRIMARY KEY (attempt_id, slot)
);

-- Accommodations for one learner: another close date, more time, more attempts.
CREATE TABLE quiz_overrides (
    quiz_id            TEXT NOT NULL REFERENCES quizzes (id) ON DELETE CASCADE,
    user_id            TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    close_at           BIGINT,
    time_limit_minutes BIGINT,
    attempts_allowed   BIGINT,
    updated_at         BIGINT NOT NULL,
    PRIMARY KEY (quiz_id, user_id)
);
