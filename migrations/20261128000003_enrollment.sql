-- enrollment: the Idempotency-Key store (a platform piece the enrollment
-- routes are the first to use; payments will be next). The enrollments table
-- itself and courses.enrolled_count come from the courses migrations.
--
-- One row per (user, key): the fingerprint of the first request (method,
-- path and body), and once it finished successfully its status and body to
-- replay. `status` is NULL while the first request runs; `locked_until`
-- frees a key whose request died mid-way. Rows expire after 24 hours and a
-- scheduled job deletes them.
CREATE TABLE idempotency_keys (
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    idem_key     TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    status       BIGINT,
    body         TEXT,
    locked_until BIGINT NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    PRIMARY KEY (user_id, idem_key)
);
CREATE INDEX idempotency_keys_expires ON idempotency_keys (expires_at);

-- Staff rosters list a course's enrollments newest first.
CREATE INDEX enrollments_course_created ON enrollments (course_id, created_at, id);
