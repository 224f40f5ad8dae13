//! The catalog's full-text search: the portable `course_search` table (one
//! plain-text document per published course) and, over it, the engine's own
//! index — SQLite FTS5 or PostgreSQL `tsvector`. [`Engine`] is the one place
//! that knows the difference: the index's DDL, the query syntax and the
//! ranked match. Everything else (the document, when it is written) is shared.

use lyceum_platform::db::{self, Backend, Db};
use sqlx::AnyConnection;

/// Rewrites `course_id`'s search document in the caller's transaction: the
/// current text when the course is published, nothing otherwise (so a course
/// leaves search results in the same commit that unpublishes or deletes it).
pub async fn refresh(conn: &mut AnyConnection, course_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM course_search WHERE course_id = $1").bind(course_id).execute(&mut *conn).await?;
    let tags: Vec<String> = super::courses::tags(conn, course_id).await?;
    sqlx::query(
        "INSERT INTO course_search (course_id, title, summary, description, tags, updated_at) \
         SELECT id, title, summary, description_md, $2, $3 FROM courses WHERE id = $1 AND state = 'published'",
    )
    .bind(course_id)
    .bind(tags.join(" "))
    .bind(db::now_ms())
    .execute(conn)
    .await?;
    Ok(())
}

/// Which full-text engine the database has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// SQLite FTS5 (`course_fts`), BM25 ranking.
    Fts5,
    /// PostgreSQL `tsvector` with `ts_rank`.
    Tsvector,
}

/// SQLite: an FTS5 table holding a copy of each document, kept in step by
/// triggers, so every write to `course_search` (including the cascade of a
/// course delete) updates the index in the same transaction. `course_id` is
/// stored, not indexed.
const FTS5_DDL: &[&str] = &[
    "CREATE VIRTUAL TABLE IF NOT EXISTS course_fts USING fts5(course_id UNINDEXED, title, summary, description, tags, \
     tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS course_search_fts_insert AFTER INSERT ON course_search BEGIN \
     INSERT INTO course_fts (course_id, title, summary, description, tags) \
     VALUES (new.course_id, new.title, new.summary, new.description, new.tags); END",
    "CREATE TRIGGER IF NOT EXISTS course_search_fts_delete AFTER DELETE ON course_search BEGIN \
     DELETE FROM course_fts WHERE course_id = old.course_id; END",
    "CREATE TRIGGER IF NOT EXISTS course_search_fts_update AFTER UPDATE ON course_search BEGIN \
     DELETE FROM course_fts WHERE course_id = old.course_id; \
     INSERT INTO course_fts (course_id, title, summary, description, tags) \
     VALUES (new.course_id, new.title, new.summary, new.description, new.tags); END",
];

/// PostgreSQL: a stored generated column weighting title (A) over tags and
/// summary (B) over description (C), and its GIN index. The `simple`
/// configuration (no stemming, no stop words) matches SQLite's tokenizer.
const TSVECTOR_DDL: &[&str] = &[
    "SELECT pg_advisory_xact_lock(7261128000002)",
    "ALTER TABLE course_search ADD COLUMN IF NOT EXISTS document tsvector GENERATED ALWAYS AS ( \
     setweight(to_tsvector('simple'::regconfig, title), 'A') || \
     setweight(to_tsvector('simple'::regconfig, tags), 'B') || \
     setweight(to_tsvector('simple'::regconfig, summary), 'B') || \
     setweight(to_tsvector('simple'::regconfig, description), 'C')) STORED",
    "CREATE INDEX IF NOT EXISTS course_search_document ON course_search USING GIN (document)",
];

/// Longest search query we accept, in characters.
pub const QUERY_MAX: usize = 200;
/// At most this many words of a query are used.
pub const TERMS_MAX: usize = 12;

impl Engine {
    pub fn of(db: &Db) -> Self {
        match db.backend() {
            Backend::Sqlite => Engine::Fts5,
            Backend::Postgres => Engine::Tsvector,
        }
    }

    /// The engine's query for `terms` (from [`terms`]): every word must match,
    /// each as a prefix, so "rus prog" finds "Rust programming".
    pub fn query_text(self, terms: &[String]) -> String {
        match self {
            Engine::Fts5 => terms.iter().map(|t| format!("\"{t}\"*")).collect::<Vec<_>>().join(" "),
            Engine::Tsvector => terms.iter().map(|t| format!("{t}:*")).collect::<Vec<_>>().join(" & "),
        }
    }

    /// A subquery `(course_id, score)` of the documents matching the query
    /// bound at `param` (a `$n` placeholder). `score` is an integer, higher is
    /// better (the rank scaled by 10^12), so it can be a keyset cursor key.
    pub fn matches(self, param: &str) -> String {
        match self {
            // bm25() is lower-is-better; column weights: course_id (unindexed), title, summary, description, tags.
            Engine::Fts5 => format!(
                "SELECT course_id, CAST(-bm25(course_fts, 0.0, 10.0, 4.0, 1.0, 5.0) * 1000000000000.0 AS INTEGER) AS score \
                 FROM course_fts WHERE course_fts MATCH {param}"
            ),
            Engine::Tsvector => format!(
                "SELECT course_id, CAST(ts_rank(document, query)::float8 * 1000000000000.0 AS BIGINT) AS score \
                 FROM course_search, to_tsquery('simple', {param}) query WHERE document @@ query"
            ),
        }
    }
}

/// The words of a search query, lower-cased: runs of letters and digits.
/// Nothing else reaches the engine's query syntax, so no input can break it.
pub fn terms(query: &str) -> Vec<String> {
    query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .take(TERMS_MAX)
        .collect()
}

/// Creates the engine's index if it is missing and indexes published courses
/// that have no document yet (courses published before the index existed).
/// Idempotent; run after the migrations, wherever the database is migrated.
pub async fn ensure_index(db: &Db) -> Result<(), sqlx::Error> {
    let ddl = match Engine::of(db) {
        Engine::Fts5 => FTS5_DDL,
        Engine::Tsvector => TSVECTOR_DDL,
    };
    let mut tx = db.begin().await?;
    for statement in ddl {
        sqlx::query(*statement).execute(&mut *tx).await?;
    }
    let missing: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM courses WHERE state = 'published' \
         AND NOT EXISTS (SELECT 1 FROM course_search s WHERE s.course_id = courses.id)",
    )
    .fetch_all(&mut *tx)
    .await?;
    for id in &missing {
        refresh(&mut tx, id).await?;
    }
    tx.commit().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_hold_only_words() {
        let t = terms("Rust\" OR title:*  (prög) -x");
        assert_eq!(t, ["rust", "or", "title", "prög", "x"]);
        assert_eq!(Engine::Fts5.query_text(&t[..2]), "\"rust\"* \"or\"*");
        assert_eq!(Engine::Tsvector.query_text(&t[..2]), "rust:* & or:*");
        assert!(terms("?!").is_empty());
    }
}
