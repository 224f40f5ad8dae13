-- gradebook: categories. A course's items may be grouped in categories, each
-- worth a share of the course total (`weight`, percent) and dropping its
-- learners' lowest grades (`drop_lowest`); items outside every category form
-- one more group worth what the categories leave of 100 %. An extra-credit
-- item adds its points to its group without adding to the maximum.
CREATE TABLE grade_categories (
    id          TEXT PRIMARY KEY,
    course_id   TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    weight      DOUBLE PRECISION NOT NULL,
    drop_lowest BIGINT NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL
);
CREATE INDEX grade_categories_course ON grade_categories (course_id, created_at);

ALTER TABLE grade_items ADD COLUMN category_id TEXT REFERENCES grade_categories (id) ON DELETE SET NULL;
ALTER TABLE grade_items ADD COLUMN extra_credit BIGINT NOT NULL DEFAULT 0;
