-- gradebook: each course's settings. A course without a row keeps the
-- defaults (the letter scale A ≥ 90 … F, a pass mark of 60 %, weighted
-- categories, a certificate at completion), so existing courses change
-- nothing. Portable SQL for SQLite and PostgreSQL.
CREATE TABLE gradebook_settings (
    course_id        TEXT PRIMARY KEY REFERENCES courses (id) ON DELETE CASCADE,
    -- The letter scale, highest first: a JSON array of {"letter", "min_percent"}.
    letters          TEXT NOT NULL,
    -- The course total (percent) a learner needs to pass.
    pass_percent     DOUBLE PRECISION NOT NULL,
    aggregation      TEXT NOT NULL CHECK (aggregation IN ('weighted', 'natural')),
    certificate_rule TEXT NOT NULL CHECK (certificate_rule IN ('completion', 'completion_and_pass')),
    updated_at       BIGINT NOT NULL
);
