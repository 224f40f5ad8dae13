-- accounts: changing one's e-mail address. A link to the new address carries
-- a token of the new purpose 'change_email', and the row keeps the address it
-- confirms (`new_email`). SQLite cannot alter a CHECK constraint, so the table
-- is rebuilt with every row kept (nothing references it; each migration runs
-- in one transaction).
CREATE TABLE email_tokens_rebuilt (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password', 'change_email')),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT,
    new_email  TEXT
);
INSERT INTO email_tokens_rebuilt (token_hash, user_id, purpose, created_at, expires_at, used_at)
    SELECT token_hash, user_id, purpose, created_at, expires_at, used_at FROM email_tokens;
DROP TABLE email_tokens;
ALTER TABLE email_tokens_rebuilt RENAME TO email_tokens;
CREATE INDEX email_tokens_user ON email_tokens (user_id, purpose);
