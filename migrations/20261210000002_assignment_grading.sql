-- assignments: grading methods beyond points and rubrics, and feedback files.

-- A course's marking guides and scales live beside its rubrics: the same
-- shape (a title and a JSON definition this module writes and validates:
-- lyceum_assignments::{rubric, guide, scale}), told apart by `kind`. Rows
-- written before are rubrics. A submission keeps the marks its method
-- records in `rubric_marks` (JSON): a level per rubric criterion, points
-- and a comment per guide criterion, or the one scale level chosen.
ALTER TABLE assignment_rubrics ADD COLUMN kind TEXT NOT NULL DEFAULT 'rubric';
DROP INDEX assignment_rubrics_course;
CREATE INDEX assignment_rubrics_course ON assignment_rubrics (course_id, kind, created_at);

-- Files a grader attaches to a submission's feedback. The bytes are in
-- storage under `storage_key` (an `assignments/…/feedback/…` key made by
-- the module); the type was sniffed from the content. The learner sees them
-- with the feedback, once the grade is visible to them.
CREATE TABLE assignment_feedback_files (
    id            TEXT PRIMARY KEY,
    submission_id TEXT NOT NULL REFERENCES assignment_submissions (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          BIGINT NOT NULL,
    storage_key   TEXT NOT NULL,
    uploaded_by   TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at    BIGINT NOT NULL
);
CREATE INDEX assignment_feedback_files_submission ON assignment_feedback_files (submission_id, created_at);
