-- quizzes: files. Images shown in question texts (uploaded to a course's
-- bank, or embedded in an imported Moodle XML file), and the files a learner
-- attaches to an essay answer. The bytes are in storage under `storage_key`
-- (a `quizzes/…` key made by the module, never from the client's name); the
-- row is the file's owner, its type (sniffed from the content on upload) and
-- the client's name, kept for display and export only.
CREATE TABLE question_files (
    id           TEXT PRIMARY KEY,
    course_id    TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    storage_key  TEXT NOT NULL,
    uploaded_by  TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX question_files_course ON question_files (course_id, created_at);

-- A file attached to the answer to one slot of an attempt (essays).
CREATE TABLE quiz_answer_files (
    id           TEXT PRIMARY KEY,
    attempt_id   TEXT NOT NULL REFERENCES quiz_attempts (id) ON DELETE CASCADE,
    slot         BIGINT NOT NULL,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    storage_key  TEXT NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX quiz_answer_files_attempt ON quiz_answer_files (attempt_id, slot, created_at);
