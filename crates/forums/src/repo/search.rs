//! Search within a course's forums: the portable `forum_post_search` table
//! (one document per visible post: its thread's title and its text) and,
//! over it, the engine's own index, like the catalog's
//! (`lyceum_courses::repo::search`): SQLite FTS5 `forum_fts` kept in step by
//! triggers, or a PostgreSQL generated `tsvector` with a GIN index.

use lyceum_platform::db::{Backend, Db};
use sqlx::AnyConnection;

/// Rewrites the post's document in the caller's transaction: its current
/// text when it is visible (live, not hidden, its thread live), nothing otherwise.
pub async fn refresh(conn: &mut AnyConnection, post_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM forum_post_search WHERE post_id = $1").bind(post_id).execute(&mut *conn).await?;
    sqlx::query(
        "INSERT INTO forum_post_search (post_id, thread_id, course_id, title, body) \
         SELECT p.id, p.thread_id, p.course_id, t.title, p.body_md FROM forum_posts p \
         JOIN forum_threads t ON t.id = p.thread_id \
         WHERE p.id = $1 AND p.deleted_at IS NULL AND p.hidden_at IS NULL AND t.deleted_at IS NULL",
    )
    .bind(post_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Rewrites the documents of every post of a thread (its title changed, or it was deleted).
pub async fn refresh_thread(conn: &mut AnyConnection, thread_id: &str) -> Result<(), sqlx::Error> {
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM forum_posts WHERE thread_id = $1")
        .bind(thread_id)
        .fetch_all(&mut *conn)
        .await?;
    for id in &ids {
        refresh(conn, id).await?;
    }
    Ok(())
}

const FTS5_DDL: &[&str] = &[
    "CREATE VIRTUAL TABLE IF NOT EXISTS forum_fts USING fts5(post_id UNINDEXED, course_id UNINDEXED, title, body, \
     tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS forum_post_search_fts_insert AFTER INSERT ON forum_post_search BEGIN \
     INSERT INTO forum_fts (post_id, course_id, title, body) VALUES (new.post_id, new.course_id, new.title, new.body); END",
    "CREATE TRIGGER IF NOT EXISTS forum_post_search_fts_delete AFTER DELETE ON forum_post_search BEGIN \
     DELETE FROM forum_fts WHERE post_id = old.post_id; END",
];

const TSVECTOR_DDL: &[&str] = &[
    "SELECT pg_advisory_xact_lock(7261216000001)",
    "ALTER TABLE forum_post_search ADD COLUMN IF NOT EXISTS document tsvector GENERATED ALWAYS AS ( \
     setweight(to_tsvector('simple'::regconfig, title), 'A') || \
     setweight(to_tsvector('simple'::regconfig, body), 'B')) STORED",
    "CREATE INDEX IF NOT EXISTS forum_post_search_document ON forum_post_search USING GIN (document)",
];

/// Creates the engine's index if it is missing. Idempotent; run after the migrations.
pub async fn ensure_index(db: &Db) -> Result<(), sqlx::Error> {
    let ddl = match db.backend() {
        Backend::Sqlite => FTS5_DDL,
        Backend::Postgres => TSVECTOR_DDL,
    };
    let mut tx = db.begin().await?;
    for statement in ddl {
        sqlx::query(*statement).execute(&mut *tx).await?;
    }
    tx.commit().await
}

/// One ranked match.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Hit {
    pub post_id: String,
    pub thread_id: String,
    pub title: String,
    pub body: String,
}

/// The course's documents matching every term (each as a prefix), best
/// first, at most `limit` from `offset`. `terms` hold only letters and digits.
pub async fn find(
    conn: &mut AnyConnection,
    backend: Backend,
    course_id: &str,
    terms: &[String],
    offset: i64,
    limit: i64,
) -> Result<Vec<Hit>, sqlx::Error> {
    let sql = match backend {
        Backend::Sqlite => {
            "SELECT s.post_id, s.thread_id, s.title, s.body, \
             CAST(-bm25(forum_fts, 0.0, 0.0, 5.0, 1.0) * 1000000000000.0 AS INTEGER) AS score \
             FROM forum_fts JOIN forum_post_search s ON s.post_id = forum_fts.post_id \
             WHERE forum_fts MATCH $2 AND s.course_id = $1 ORDER BY score DESC, s.post_id LIMIT $3 OFFSET $4"
        }
        Backend::Postgres => {
            "SELECT s.post_id, s.thread_id, s.title, s.body, \
             CAST(ts_rank(s.document, q)::float8 * 1000000000000.0 AS BIGINT) AS score \
             FROM forum_post_search s, to_tsquery('simple', $2) q \
             WHERE s.course_id = $1 AND s.document @@ q ORDER BY score DESC, s.post_id LIMIT $3 OFFSET $4"
        }
    };
    let query = match backend {
        Backend::Sqlite => terms.iter().map(|t| format!("\"{t}\"*")).collect::<Vec<_>>().join(" "),
        Backend::Postgres => terms.iter().map(|t| format!("{t}:*")).collect::<Vec<_>>().join(" & "),
    };
    sqlx::query_as(sql).bind(course_id).bind(query).bind(limit).bind(offset).fetch_all(conn).await
}
