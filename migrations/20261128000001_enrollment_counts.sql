-- Active enrollments per course, kept by the enrollment service in the same
-- transaction as the enrollment row. A conditional UPDATE on this counter
-- (`... WHERE seat_limit IS NULL OR enrolled_count < seat_limit`) is what
-- holds seat limits under concurrency on both engines, and the catalog sorts
-- "most enrolled" by it without counting rows.
ALTER TABLE courses ADD COLUMN enrolled_count BIGINT NOT NULL DEFAULT 0;
