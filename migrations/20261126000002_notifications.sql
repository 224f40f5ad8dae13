-- notifications: in-app notices, per-user channel preferences, unsubscribe tokens.
-- Portable SQL for SQLite and PostgreSQL: TEXT ids, BIGINT epoch-ms times.
CREATE TABLE notifications (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- A kind id from the code's table (`account.welcome`); title and body are
    -- translated from it when shown, so each reader sees their own language.
    kind        TEXT NOT NULL,
    -- Free text a sender added (the admin test message); shown under the body.
    message     TEXT NOT NULL DEFAULT '',
    -- Where the notice points (a local path), or ''.
    link        TEXT NOT NULL DEFAULT '',
    -- The channel in force when it was created: `digest` ones wait for the daily digest.
    channel     TEXT NOT NULL CHECK (channel IN ('in_app', 'email', 'digest')),
    -- What caused it (`<job kind>:<event or request id>`): a second delivery
    -- of the same job inserts nothing.
    source_key  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    read_at     BIGINT,
    digested_at BIGINT
);
CREATE UNIQUE INDEX notifications_source_key ON notifications (source_key);
-- The list (newest first, keyset) and the header's unread count.
CREATE INDEX notifications_user_created ON notifications (user_id, created_at, id);
CREATE INDEX notifications_user_read ON notifications (user_id, read_at);
-- The daily digest's scan: only rows still waiting for it.
CREATE INDEX notifications_digest ON notifications (channel, digested_at);

-- Only choices that differ from a kind's default are stored.
CREATE TABLE notification_preferences (
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    channel    TEXT NOT NULL CHECK (channel IN ('in_app', 'email', 'digest', 'off')),
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- One-click unsubscribe links (RFC 8058), one per e-mail sent. Only the
-- token's SHA-256 is stored; `scope` is a kind id, or `digest` for the digest.
CREATE TABLE notification_unsubscribe_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    scope      TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX notification_unsubscribe_tokens_user ON notification_unsubscribe_tokens (user_id);
