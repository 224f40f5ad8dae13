-- Forum moderation (crates/forums): who did what to which thread or post,
-- and when. The rows carry their own marks too (`hidden_by`/`hidden_at` on
-- posts, `resolved_by`/`resolved_at` on flags); this log keeps every action,
-- including those a later one undoes (pin then unpin, hide then show).
CREATE TABLE forum_moderation_log (
    id        TEXT PRIMARY KEY,
    course_id TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    actor_id  TEXT NOT NULL,
    -- pin, unpin, lock, unlock, move, hide, unhide, dismiss
    action    TEXT NOT NULL,
    thread_id TEXT,
    post_id   TEXT,
    -- The reason of a hide or a dismissal, the forum a thread moved from and to.
    detail    TEXT NOT NULL DEFAULT '',
    at        BIGINT NOT NULL
);
CREATE INDEX forum_moderation_log_course ON forum_moderation_log (course_id, at);
