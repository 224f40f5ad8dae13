-- accounts: users, sessions, API tokens, e-mail tokens.
-- Portable SQL for SQLite and PostgreSQL: TEXT ids (UUID v7), BIGINT epoch-ms times.
CREATE TABLE users (
    id                TEXT PRIMARY KEY,
    email             TEXT NOT NULL,
    password_hash     TEXT NOT NULL,
    display_name      TEXT NOT NULL,
    -- Lower-cased by the application: SQLite's LOWER() folds ASCII only.
    display_name_folded TEXT NOT NULL,
    role              TEXT NOT NULL CHECK (role IN ('admin', 'instructor', 'learner')),
    locale            TEXT NOT NULL DEFAULT 'en',
    time_zone         TEXT NOT NULL DEFAULT 'UTC',
    email_verified_at BIGINT,
    disabled_at       BIGINT,
    -- Set when the password was generated for the user (the first admin's):
    -- it must be changed before anything else.
    password_change_due_at BIGINT,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE INDEX users_created ON users (created_at, id);

CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,
    -- What the user sees and revokes by; the secret's hash never leaves the server.
    public_id    TEXT NOT NULL,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    user_agent   TEXT NOT NULL DEFAULT '',
    ip           TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX sessions_public_id_key ON sessions (public_id);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT,
    expires_at   BIGINT,
    revoked_at   BIGINT
);
CREATE UNIQUE INDEX api_tokens_hash_key ON api_tokens (token_hash);
CREATE INDEX api_tokens_user ON api_tokens (user_id, created_at);

-- Single-use links sent by e-mail (verification, password reset); only the hash is kept.
CREATE TABLE email_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX email_tokens_user ON email_tokens (user_id, purpose);
