-- Forum notifications (crates/forums, crates/notifications): threads a member
-- muted, one-click unsubscribe links of forum e-mails, and what a notice
-- about a forum post carries besides its kind.

-- A thread a member stopped following although its forum (or the
-- announcements, which every learner follows) would notify them: the
-- thread's "unsubscribe" when the subscription is not the thread's own.
-- Subscribing to the thread again removes the mute.
CREATE TABLE forum_thread_mutes (
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    thread_id  TEXT NOT NULL REFERENCES forum_threads (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, thread_id)
);
CREATE INDEX forum_thread_mutes_thread ON forum_thread_mutes (thread_id, user_id);

-- One-click unsubscribe links of forum e-mails (RFC 8058), one per e-mail:
-- only the token's SHA-256 is stored (as notification_unsubscribe_tokens).
CREATE TABLE forum_unsubscribe_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    thread_id  TEXT NOT NULL REFERENCES forum_threads (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);

-- Notifications (crates/notifications): what a notice is about (`{subject}`
-- of its title: a thread's title), who did it (`{actor}`: a post's author)
-- and, for forum posts, the thread (its e-mail's one-click unsubscribe).
ALTER TABLE notifications ADD COLUMN subject TEXT NOT NULL DEFAULT '';
ALTER TABLE notifications ADD COLUMN actor TEXT NOT NULL DEFAULT '';
ALTER TABLE notifications ADD COLUMN thread_id TEXT;
