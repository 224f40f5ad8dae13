-- catalog search: the search document of every PUBLISHED course, as plain
-- text. `courses::repo::search::refresh` rewrites a course's row in the
-- transaction of every authoring change (and deletes it when the course leaves
-- the catalog), so search never shows a draft, archived or deleted course.
--
-- This file is portable; the engine's full-text index over it is not, and is
-- created idempotently at start-up by `courses::repo::search::ensure_index`:
-- SQLite: an FTS5 table `course_fts` kept in step by triggers on this table;
-- PostgreSQL: a generated, weighted `document tsvector` column with a GIN index.
CREATE TABLE course_search (
    course_id   TEXT PRIMARY KEY REFERENCES courses (id) ON DELETE CASCADE,
    title       TEXT NOT NULL,
    summary     TEXT NOT NULL,
    description TEXT NOT NULL,
    -- The course's tags separated by spaces.
    tags        TEXT NOT NULL,
    updated_at  BIGINT NOT NULL
);
