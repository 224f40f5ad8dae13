//! The benchmarks' yardstick (not a test): the least a server on this stack
//! can do per request, measured in the same run as Lyceum so its paths are
//! reported as ratios that hold however loaded the machine is.
//!
//! `bench_reference ADDR DATABASE_URL` serves
//! - `/bare`: a bare axum handler;
//! - `/static`: a ~20 KB HTML page from memory;
//! - `/select/{id}`: one primary-key SELECT through the same sqlx `Any` pool
//!   Lyceum uses (`lyceum_platform::db::Db`: SQLite in WAL mode, or PostgreSQL),
//!   over a table of 10,000 rows it creates when missing.

use std::{net::SocketAddr, time::Duration};

use axum::{
    Router,
    extract::{Path, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use lyceum_platform::db::Db;

/// The server's allocator, so the yardstick measures the same stack.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ROWS: i64 = 10_000;

#[derive(Clone)]
struct Reference {
    db: Db,
    page: bytes::Bytes,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let addr: SocketAddr = args.next().unwrap_or_else(|| "127.0.0.1:18190".into()).parse()?;
    let url = args.next().unwrap_or_else(|| "sqlite://bench-reference.db?mode=rwc".into());
    let db = Db::connect_url(&url, 16, Duration::from_secs(5), Duration::from_secs(10)).await?;
    fill(&db).await?;
    let reference = Reference { db, page: static_page().into() };
    let app = Router::new()
        .route("/bare", get(|| async { "ok" }))
        .route("/static", get(serve_static))
        .route("/select/{id}", get(select))
        .with_state(reference);
    let listener = tokio::net::TcpListener::bind(addr).await?;
    println!("reference server on http://{addr}");
    axum::serve(listener, app).await?;
    Ok(())
}

/// The table the SELECT reads: created and filled once, in one transaction.
async fn fill(db: &Db) -> anyhow::Result<()> {
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS bench_reference (id BIGINT PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL)",
    )
    .execute(db.pool())
    .await?;
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM bench_reference").fetch_one(db.pool()).await?;
    if count >= ROWS {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM bench_reference").execute(&mut *tx).await?;
    for id in 1..=ROWS {
        sqlx::query("INSERT INTO bench_reference (id, title, body) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(format!("Row {id}"))
            .bind("A short body of text, as a lesson title or a user row would be.")
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn serve_static(State(r): State<Reference>) -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], r.page.clone()).into_response()
}

async fn select(State(r): State<Reference>, Path(id): Path<i64>) -> Response {
    let row: Result<Option<(String, String)>, _> =
        sqlx::query_as("SELECT title, body FROM bench_reference WHERE id = $1")
            .bind(id)
            .fetch_optional(r.db.pool())
            .await;
    match row {
        Ok(Some((title, body))) => format!("{title}: {body}").into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

/// About 20 KB of HTML, the size of a catalog page.
fn static_page() -> String {
    let mut page = String::from("<!doctype html><html lang=en><head><title>Reference</title></head><body><main>");
    let mut n = 0;
    while page.len() < 20_000 {
        n += 1;
        page.push_str(&format!(
            "<article class=card><h2><a href=\"/courses/course-{n}\">Course {n}</a></h2>\
             <p>A summary of the course, one or two sentences long, as on a catalog card.</p></article>"
        ));
    }
    page.push_str("</main></body></html>");
    page
}
