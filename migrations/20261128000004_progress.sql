-- progress: lesson completion and resume positions, per-course progress
-- (last activity, completion) and certificates of completion.
-- Portable SQL for SQLite and PostgreSQL.

-- One row per learner and lesson they have worked on.
CREATE TABLE lesson_progress (
    user_id          TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    lesson_id        TEXT NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    -- Denormalised from the lesson so per-course counts need no join.
    course_id        TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    completed_at     BIGINT,
    -- Video lessons: where playback resumes.
    position_seconds BIGINT NOT NULL DEFAULT 0 CHECK (position_seconds >= 0),
    updated_at       BIGINT NOT NULL,
    PRIMARY KEY (user_id, lesson_id)
);
-- Per-course counts for one learner, and the staff table's GROUP BY over a page of learners.
CREATE INDEX lesson_progress_course_user ON lesson_progress (course_id, user_id);

-- One row per learner and course they have worked in. Every progress write
-- upserts this row first, so on PostgreSQL concurrent writes of one learner
-- in one course queue on its row lock (SQLite serialises writers anyway):
-- the "is every lesson complete?" check then sees the other write, and the
-- last two lessons completed at once still complete the course.
CREATE TABLE course_progress (
    user_id          TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id        TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    -- The lesson last worked on (position saved or completion changed): "continue".
    last_lesson_id   TEXT REFERENCES lessons (id) ON DELETE SET NULL,
    last_activity_at BIGINT NOT NULL,
    -- When every lesson was first complete; kept if lessons are added later.
    completed_at     BIGINT,
    PRIMARY KEY (user_id, course_id)
);

-- Certificates of completion: one per learner and course, issued in the
-- transaction that completes the course. The learner's name and the course
-- title are copied at issue, so a certificate keeps saying what was certified
-- (and outlives the course: course_id is cleared if the course is deleted).
CREATE TABLE certificates (
    id           TEXT PRIMARY KEY,
    -- Public verification code: 128 random bits in base32 (26 characters).
    code         TEXT NOT NULL,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id    TEXT REFERENCES courses (id) ON DELETE SET NULL,
    learner_name TEXT NOT NULL,
    course_title TEXT NOT NULL,
    issued_at    BIGINT NOT NULL
);
CREATE UNIQUE INDEX certificates_code_key ON certificates (code);
CREATE UNIQUE INDEX certificates_user_course_key ON certificates (user_id, course_id);
CREATE INDEX certificates_user_issued ON certificates (user_id, issued_at);
