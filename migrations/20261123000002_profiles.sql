-- profiles: what a user tells others about themselves. A missing row means an empty profile.
CREATE TABLE profiles (
    user_id    TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    bio        TEXT NOT NULL DEFAULT '',
    avatar_key TEXT,
    updated_at BIGINT NOT NULL
);
