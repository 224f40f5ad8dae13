-- quizzes: regrades after a question is fixed. A regrade is worked through by
-- a background job in batches; its row is the progress a page or the API
-- shows (done of total), and finished_at says it is over.
CREATE TABLE quiz_regrades (
    id           TEXT PRIMARY KEY,
    quiz_id      TEXT NOT NULL REFERENCES quizzes (id) ON DELETE CASCADE,
    -- NULL: every submitted attempt of the quiz; else just this one.
    attempt_id   TEXT REFERENCES quiz_attempts (id) ON DELETE CASCADE,
    requested_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    total        BIGINT NOT NULL,
    done         BIGINT NOT NULL DEFAULT 0,
    -- Attempts whose marks changed.
    changed      BIGINT NOT NULL DEFAULT 0,
    -- The last attempt worked on (attempts go by id), so a batch resumes after it.
    cursor_id    TEXT,
    requested_at BIGINT NOT NULL,
    finished_at  BIGINT
);
CREATE INDEX quiz_regrades_quiz ON quiz_regrades (quiz_id, requested_at);
