-- quizzes: a course's question bank. A question is a row that names its
-- current version; every edit adds a row to `question_versions` (as Moodle 4
-- does), so attempts (next) can pin the version they were shown.

CREATE TABLE question_categories (
    id         TEXT PRIMARY KEY,
    course_id  TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    -- NULL: a top-level category of the course.
    parent_id  TEXT REFERENCES question_categories (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    position   BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
-- One name per parent. NULL never equals NULL in a unique index, so the
-- top level is keyed as '' (both engines index expressions).
CREATE UNIQUE INDEX question_categories_name_key
    ON question_categories (course_id, (COALESCE(parent_id, '')), name);

CREATE TABLE questions (
    id              TEXT PRIMARY KEY,
    course_id       TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    -- A category is deleted only when it holds no live question; the deleted
    -- (soft) ones go with it.
    category_id     TEXT NOT NULL REFERENCES question_categories (id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    kind            TEXT NOT NULL,
    current_version BIGINT NOT NULL,
    created_by      TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    deleted_at      BIGINT
);
-- A course's bank, newest first (keyset pages).
CREATE INDEX questions_course_created ON questions (course_id, created_at, id);
CREATE INDEX questions_category ON questions (category_id);

CREATE TABLE question_versions (
    question_id TEXT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    version     BIGINT NOT NULL,
    -- The serde JSON of `lyceum_assessment::Question`, answers included.
    data        TEXT NOT NULL,
    created_by  TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (question_id, version)
);
