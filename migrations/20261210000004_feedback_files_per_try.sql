-- A feedback file belongs to the try it was given on: NULL is the current
-- try; starting a new try (tries after each grade) stamps the graded try's
-- number on its feedback files, which then show with that try's history.
ALTER TABLE assignment_feedback_files ADD COLUMN try_number BIGINT;
