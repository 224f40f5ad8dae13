//! Migrations that change a table's shape on a database already in use keep
//! every row: each is run here on a database migrated to the version before
//! it, with rows written the way the older code wrote them.

use crate::common;

use std::time::Duration;

use common::Backend;
use lyceum_platform::db::Db;
use sqlx::migrate::Migrator;

/// The enrollment migration that rebuilds `enrollments` (moving it from the
/// courses module's migration to the enrollment module's).
const ENROLLMENT_REBUILD: i64 = 20261204000001;

/// A database migrated up to (not including) `version`, and a way to drop it.
async fn database_before(backend: Backend, version: i64) -> (Db, tempfile::TempDir, Option<(String, String)>) {
    let dir = tempfile::tempdir().unwrap();
    let (url, pg) = match backend {
        Backend::Sqlite => (format!("sqlite://{}?mode=rwc", dir.path().join("old.db").display()), None),
        Backend::Postgres => {
            let base = common::postgres_url().unwrap();
            let name = format!("lyceum_test_{}", uuid::Uuid::new_v4().simple());
            common::admin_query(&base, &format!("CREATE DATABASE {name}")).await;
            (common::with_database(&base, &name), Some((base, name)))
        }
    };
    let db = Db::connect_url(&url, 2, Duration::from_secs(10), Duration::from_secs(10)).await.unwrap();
    let mut older =
        Migrator::new(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations")).await.unwrap();
    older.migrations = older.migrations.iter().filter(|m| m.version < version).cloned().collect::<Vec<_>>().into();
    older.run(db.pool()).await.unwrap();
    (db, dir, pg)
}

async fn exec(db: &Db, sql: &'static str) {
    sqlx::raw_sql(sql).execute(db.pool()).await.unwrap();
}

async fn enrollments_rebuilt_with_every_row(backend: Backend) {
    let (db, _dir, pg) = database_before(backend, ENROLLMENT_REBUILD).await;
    exec(
        &db,
        "INSERT INTO users (id, email, password_hash, display_name, display_name_folded, role, created_at, updated_at) VALUES \
           ('u1', 'a@example.com', 'x', 'Ada', 'ada', 'learner', 1, 1), \
           ('u2', 'b@example.com', 'x', 'Bo', 'bo', 'learner', 1, 1); \
         INSERT INTO courses (id, slug, title, state, created_by, created_at, updated_at) VALUES \
           ('c1', 'one', 'One', 'published', 'u1', 1, 1), ('c2', 'two', 'Two', 'published', 'u1', 1, 1); \
         INSERT INTO enrollments (id, course_id, user_id, status, created_at, updated_at) VALUES \
           ('e1', 'c1', 'u1', 'active', 10, 11), ('e2', 'c1', 'u2', 'cancelled', 20, 21), \
           ('e3', 'c2', 'u1', 'active', 30, 31);",
    )
    .await;

    lyceum::app::MIGRATOR.run(db.pool()).await.expect("the rebuild applies on a database in use");

    let rows: Vec<(String, String, String, String, i64, i64)> =
        sqlx::query_as("SELECT id, course_id, user_id, status, created_at, updated_at FROM enrollments ORDER BY id")
            .fetch_all(db.pool())
            .await
            .unwrap();
    let expected = [
        ("e1", "c1", "u1", "active", 10, 11),
        ("e2", "c1", "u2", "cancelled", 20, 21),
        ("e3", "c2", "u1", "active", 30, 31),
    ];
    let expected: Vec<(String, String, String, String, i64, i64)> = expected
        .iter()
        .map(|(a, b, c, d, e, f)| (a.to_string(), b.to_string(), c.to_string(), d.to_string(), *e, *f))
        .collect();
    assert_eq!(rows, expected, "every enrollment kept as it was");

    // The constraints came along: one row per learner and course, a known status, and
    // the rows go with their course.
    let duplicate = sqlx::query(
        "INSERT INTO enrollments (id, course_id, user_id, status, created_at, updated_at) VALUES ('e4', 'c1', 'u1', 'active', 1, 1)",
    )
    .execute(db.pool())
    .await;
    assert!(db_error_is(&duplicate, "unique"), "the unique (course, learner) index holds: {duplicate:?}");
    let bad_status = sqlx::query(
        "INSERT INTO enrollments (id, course_id, user_id, status, created_at, updated_at) VALUES ('e5', 'c2', 'u2', 'paused', 1, 1)",
    )
    .execute(db.pool())
    .await;
    assert!(db_error_is(&bad_status, "check"), "the status CHECK holds: {bad_status:?}");
    exec(&db, "DELETE FROM courses WHERE id = 'c1'").await;
    let left: Vec<String> =
        sqlx::query_scalar("SELECT id FROM enrollments ORDER BY id").fetch_all(db.pool()).await.unwrap();
    assert_eq!(left, vec!["e3".to_string()], "a course's enrollments are deleted with it");

    db.close().await;
    if let Some((base, name)) = pg {
        common::admin_query(&base, &format!("DROP DATABASE {name}")).await;
    }
}

/// Whether `result` failed with a database constraint error of `kind`.
fn db_error_is(result: &Result<sqlx::any::AnyQueryResult, sqlx::Error>, kind: &str) -> bool {
    let Err(sqlx::Error::Database(e)) = result else { return false };
    match kind {
        "unique" => e.is_unique_violation(),
        _ => e.is_check_violation(),
    }
}

on_both_backends!(enrollments_rebuilt_with_every_row);
