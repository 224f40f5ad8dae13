-- assignments: rubrics. A rubric is a course's (reusable across its
-- assignments): criteria, each with levels worth points, as JSON this module
-- writes and validates (lyceum_assignments::rubric), read whole. An
-- assignment graded with one names it in its settings; a submission keeps
-- the level chosen per criterion (`rubric_marks`, JSON) beside its points.
CREATE TABLE assignment_rubrics (
    id         TEXT PRIMARY KEY,
    course_id  TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    criteria   TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX assignment_rubrics_course ON assignment_rubrics (course_id, created_at);

ALTER TABLE assignment_submissions ADD COLUMN rubric_marks TEXT;
