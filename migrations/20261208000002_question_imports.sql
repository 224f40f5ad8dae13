-- quizzes: the import of a large file into a course's bank, worked through by
-- a background job in batches. The row is the import's progress (done of
-- total) and its report (imported, problems with their lines); the file is
-- kept in `body` until the import is over.
CREATE TABLE question_imports (
    id           TEXT PRIMARY KEY,
    course_id    TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    requested_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    format       TEXT NOT NULL,
    body         TEXT NOT NULL,
    -- The questions the file holds (read or not); done counts those worked through.
    total        BIGINT NOT NULL,
    done         BIGINT NOT NULL DEFAULT 0,
    imported     BIGINT NOT NULL DEFAULT 0,
    -- JSON [{"line", "message"}]: what could not be imported, by line.
    problems     TEXT NOT NULL,
    requested_at BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    finished_at  BIGINT
);
CREATE INDEX question_imports_course ON question_imports (course_id, requested_at);
