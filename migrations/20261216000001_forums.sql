-- Forums (crates/forums): a course's forums, their threads and posts, what
-- each member has read, subscriptions, reactions, flags and the history of
-- edits. Posts live in the relational database with the engine's full-text
-- index over `forum_post_search` (created at start-up like the catalog's:
-- SQLite FTS5 `forum_fts`, PostgreSQL a generated `tsvector`).
-- Flags stored as 0/1 BIGINT, times as epoch milliseconds.

-- Every course has a general and an announcements forum, and one forum per
-- module (created with the module, deleted with it). A module forum's title
-- is its module's.
CREATE TABLE forum_forums (
    id         TEXT PRIMARY KEY,
    course_id  TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('general', 'announcements', 'module')),
    module_id  TEXT REFERENCES course_modules (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    CHECK ((kind = 'module') = (module_id IS NOT NULL))
);
CREATE INDEX forum_forums_course ON forum_forums (course_id);
CREATE UNIQUE INDEX forum_forums_module ON forum_forums (module_id);
CREATE UNIQUE INDEX forum_forums_course_kind ON forum_forums (course_id, kind) WHERE kind <> 'module';

-- A thread: its first post is the opening post (seq 1). `last_seq` is the
-- seq of its newest post, so a member's unread count is `last_seq - read`.
CREATE TABLE forum_threads (
    id               TEXT PRIMARY KEY,
    forum_id         TEXT NOT NULL REFERENCES forum_forums (id) ON DELETE CASCADE,
    course_id        TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    author_id        TEXT NOT NULL REFERENCES users (id),
    title            TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('discussion', 'question')),
    pinned           BIGINT NOT NULL DEFAULT 0,
    locked           BIGINT NOT NULL DEFAULT 0,
    -- An announcement whose e-mail nobody can turn off.
    important        BIGINT NOT NULL DEFAULT 0,
    accepted_post_id TEXT,
    reply_count      BIGINT NOT NULL DEFAULT 0,
    last_seq         BIGINT NOT NULL DEFAULT 0,
    last_post_at     BIGINT NOT NULL,
    last_author_id   TEXT,
    created_at       BIGINT NOT NULL,
    deleted_at       BIGINT
);
-- The forum's list: pinned first, then latest activity.
CREATE INDEX forum_threads_list ON forum_threads (forum_id, pinned, last_post_at);
CREATE INDEX forum_threads_course ON forum_threads (course_id, last_post_at);

-- A post, numbered within its thread. Flat: a reply may quote one post
-- (`quote_of`) instead of nesting under it. `body_html` is the sanitised
-- rendering made when the post is saved.
CREATE TABLE forum_posts (
    id            TEXT PRIMARY KEY,
    thread_id     TEXT NOT NULL REFERENCES forum_threads (id) ON DELETE CASCADE,
    course_id     TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    seq           BIGINT NOT NULL,
    author_id     TEXT NOT NULL REFERENCES users (id),
    body_md       TEXT NOT NULL,
    body_html     TEXT NOT NULL,
    quote_of      TEXT,
    helpful_count BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    edited_at     BIGINT,
    edited_by     TEXT,
    deleted_at    BIGINT,
    deleted_by    TEXT,
    hidden_at     BIGINT,
    hidden_by     TEXT,
    hidden_reason TEXT
);
CREATE UNIQUE INDEX forum_posts_seq ON forum_posts (thread_id, seq);
CREATE INDEX forum_posts_author ON forum_posts (author_id, created_at);

-- The text a post had before each edit (shown to staff).
CREATE TABLE forum_post_edits (
    id        TEXT PRIMARY KEY,
    post_id   TEXT NOT NULL REFERENCES forum_posts (id) ON DELETE CASCADE,
    body_md   TEXT NOT NULL,
    edited_by TEXT NOT NULL,
    edited_at BIGINT NOT NULL
);
CREATE INDEX forum_post_edits_post ON forum_post_edits (post_id, edited_at);

-- "Helpful": one per member and post.
CREATE TABLE forum_reactions (
    post_id    TEXT NOT NULL REFERENCES forum_posts (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (post_id, user_id)
);

-- How far a member has read a thread (the seq of the last post they saw).
CREATE TABLE forum_reads (
    user_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    thread_id TEXT NOT NULL REFERENCES forum_threads (id) ON DELETE CASCADE,
    last_seq  BIGINT NOT NULL,
    read_at   BIGINT NOT NULL,
    PRIMARY KEY (user_id, thread_id)
);

-- A member's visits to a forum: threads started after `previous_at` are
-- "new since your last visit". A visit within 30 minutes of the last one
-- continues it.
CREATE TABLE forum_visits (
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    forum_id    TEXT NOT NULL REFERENCES forum_forums (id) ON DELETE CASCADE,
    previous_at BIGINT NOT NULL,
    last_at     BIGINT NOT NULL,
    PRIMARY KEY (user_id, forum_id)
);

-- Subscriptions to a forum or to a thread.
CREATE TABLE forum_subscriptions (
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('forum', 'thread')),
    subject_id   TEXT NOT NULL,
    course_id    TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (user_id, subject_kind, subject_id)
);
CREATE INDEX forum_subscriptions_subject ON forum_subscriptions (subject_kind, subject_id, user_id);

-- A member's forum preferences (absent: the defaults).
CREATE TABLE forum_preferences (
    user_id        TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    auto_subscribe BIGINT NOT NULL DEFAULT 1
);

-- A member's report of a post; open until staff hide the post or dismiss it.
CREATE TABLE forum_flags (
    id          TEXT PRIMARY KEY,
    post_id     TEXT NOT NULL REFERENCES forum_posts (id) ON DELETE CASCADE,
    course_id   TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reason      TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    resolved_at BIGINT,
    resolved_by TEXT,
    resolution  TEXT CHECK (resolution IS NULL OR resolution IN ('hidden', 'dismissed'))
);
CREATE UNIQUE INDEX forum_flags_once ON forum_flags (post_id, user_id);
CREATE INDEX forum_flags_open ON forum_flags (course_id, resolved_at, created_at);

-- The search document of every visible post: its thread's title and its
-- text. Rewritten in the transaction of every change to the post.
CREATE TABLE forum_post_search (
    post_id   TEXT PRIMARY KEY REFERENCES forum_posts (id) ON DELETE CASCADE,
    thread_id TEXT NOT NULL,
    course_id TEXT NOT NULL,
    title     TEXT NOT NULL,
    body      TEXT NOT NULL
);
CREATE INDEX forum_post_search_course ON forum_post_search (course_id);
