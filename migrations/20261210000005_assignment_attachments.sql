-- assignments: files the staff attach to an assignment's instructions (a
-- brief as PDF, starter files, a dataset; Moodle's "additional files").
-- The bytes are in storage under `storage_key` (an
-- `assignments/<assignment>/attachments/…` key made by the module); the type
-- was sniffed from the content. The course's staff and its enrolled
-- learners download them; the rows go with the assignment.
-- Portable SQL for SQLite and PostgreSQL.
CREATE TABLE assignment_attachments (
    id            TEXT PRIMARY KEY,
    assignment_id TEXT NOT NULL REFERENCES assignments (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          BIGINT NOT NULL,
    storage_key   TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);
CREATE INDEX assignment_attachments_assignment ON assignment_attachments (assignment_id, created_at);
