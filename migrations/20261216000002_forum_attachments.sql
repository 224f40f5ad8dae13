-- Forums (crates/forums): files attached to a post (an opening post or a
-- reply), stored through the storage port under
-- `forums/<course>/<post>/<id>`. Shown and served only while their post is
-- visible to the viewer; a deleted post's files are no longer served.
CREATE TABLE forum_attachments (
    id           TEXT PRIMARY KEY,
    post_id      TEXT NOT NULL REFERENCES forum_posts (id) ON DELETE CASCADE,
    course_id    TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    uploader_id  TEXT NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    storage_key  TEXT NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX forum_attachments_post ON forum_attachments (post_id, created_at);
