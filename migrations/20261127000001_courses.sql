-- courses: catalog categories, courses and their outline (modules, lessons),
-- instructors, tags and enrollments. Portable SQL for SQLite and PostgreSQL:
-- TEXT ids, BIGINT epoch-ms times, money as BIGINT minor units (never floats).
CREATE TABLE categories (
    id       TEXT PRIMARY KEY,
    slug     TEXT NOT NULL,
    name     TEXT NOT NULL,
    position BIGINT NOT NULL
);
CREATE UNIQUE INDEX categories_slug_key ON categories (slug);

INSERT INTO categories (id, slug, name, position) VALUES
    ('cat-programming', 'programming', 'Programming', 1),
    ('cat-data-science', 'data-science', 'Data Science', 2),
    ('cat-design', 'design', 'Design', 3),
    ('cat-business', 'business', 'Business', 4),
    ('cat-languages', 'languages', 'Languages', 5),
    ('cat-mathematics', 'mathematics', 'Mathematics', 6);

CREATE TABLE courses (
    id             TEXT PRIMARY KEY,
    slug           TEXT NOT NULL,
    title          TEXT NOT NULL,
    summary        TEXT NOT NULL DEFAULT '',
    description_md TEXT NOT NULL DEFAULT '',
    cover_key      TEXT,
    category_id    TEXT REFERENCES categories (id) ON DELETE SET NULL,
    level          TEXT NOT NULL DEFAULT 'beginner' CHECK (level IN ('beginner', 'intermediate', 'advanced')),
    -- BCP 47 tag, normalised by the application (en, pt-BR).
    language       TEXT NOT NULL DEFAULT 'en',
    price_minor    BIGINT NOT NULL DEFAULT 0 CHECK (price_minor >= 0),
    -- ISO 4217, upper case; NULL exactly when the course is free.
    currency       TEXT,
    seat_limit     BIGINT CHECK (seat_limit IS NULL OR seat_limit >= 1),
    state          TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'published', 'archived')),
    -- Time of the latest publication; cleared when a course goes back to draft.
    published_at   BIGINT,
    created_by     TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    CHECK ((price_minor = 0 AND currency IS NULL) OR (price_minor > 0 AND currency IS NOT NULL))
);
CREATE UNIQUE INDEX courses_slug_key ON courses (slug);
CREATE INDEX courses_state_published ON courses (state, published_at);
CREATE INDEX courses_category ON courses (category_id, state);
CREATE INDEX courses_created ON courses (created_at, id);

CREATE TABLE course_tags (
    course_id TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    tag       TEXT NOT NULL,
    PRIMARY KEY (course_id, tag)
);
CREATE INDEX course_tags_tag ON course_tags (tag);

CREATE TABLE course_instructors (
    course_id TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    user_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role      TEXT NOT NULL CHECK (role IN ('owner', 'co')),
    added_at  BIGINT NOT NULL,
    PRIMARY KEY (course_id, user_id)
);
CREATE INDEX course_instructors_user ON course_instructors (user_id);

CREATE TABLE course_modules (
    id         TEXT PRIMARY KEY,
    course_id  TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    position   BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX course_modules_course ON course_modules (course_id, position);

CREATE TABLE lessons (
    id               TEXT PRIMARY KEY,
    module_id        TEXT NOT NULL REFERENCES course_modules (id) ON DELETE CASCADE,
    -- Denormalised from the module so access checks and counts need no join.
    course_id        TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    title            TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('text', 'video', 'file')),
    body_md          TEXT NOT NULL DEFAULT '',
    video_url        TEXT,
    media_key        TEXT,
    media_type       TEXT,
    media_size       BIGINT,
    file_name        TEXT,
    duration_minutes BIGINT NOT NULL DEFAULT 0 CHECK (duration_minutes >= 0 AND duration_minutes <= 1440),
    is_preview       BIGINT NOT NULL DEFAULT 0,
    position         BIGINT NOT NULL,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
CREATE INDEX lessons_module ON lessons (module_id, position);
CREATE INDEX lessons_course ON lessons (course_id);

-- Enrollment (issue 4, item 4) fills this table; authoring counts it to warn
-- before a course with learners is deleted.
CREATE TABLE enrollments (
    id         TEXT PRIMARY KEY,
    course_id  TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status     TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX enrollments_course_user_key ON enrollments (course_id, user_id);
CREATE INDEX enrollments_user ON enrollments (user_id, created_at);
