//! Catalog reads are cached, and a course change shows at once: in the
//! process that made it (in-process cache), and in another process sharing
//! the database and Redis (the generation lives in Redis).

use crate::{catalog_kit, common};

use catalog_kit as kit;
use common::{Backend, TestApp, TestClient, spawn};
use lyceum_platform::auth::Role;
use serde_json::json;

/// Renames the course behind the application's back: a read that still shows
/// the old title was served from the cache.
async fn rename_in_sql(app: &TestApp, id: &str, title: &str) {
    sqlx::query("UPDATE courses SET title = $2 WHERE id = $1")
        .bind(id)
        .bind(title)
        .execute(app.state().db.pool())
        .await
        .unwrap();
}

async fn titles_everywhere(c: &TestClient, slug: &str) -> (Vec<String>, String, String) {
    let list = kit::titles(c, "").await;
    let api = c.get(&format!("/api/v1/catalog/courses/{slug}")).await;
    let page = c.get(&format!("/courses/{slug}")).await;
    let detail =
        if api.status == 200 { api.json()["title"].as_str().unwrap().to_string() } else { api.status.to_string() };
    let page = if page.status == 200 { page.text } else { page.status.to_string() };
    (list, detail, page)
}

/// Reads through `reader` see `writer`'s changes at once.
async fn changes_show_at_once(app: &TestApp, writer: &TestClient, reader: &TestClient) {
    let (id, slug) = kit::published(writer, json!({"title": "Cached course"})).await;
    let (list, detail, page) = titles_everywhere(reader, &slug).await;
    assert_eq!((list, detail.as_str()), (vec!["Cached course".to_string()], "Cached course"));
    assert!(page.contains("<h1>Cached course</h1>"));

    rename_in_sql(app, &id, "Renamed behind the cache").await;
    let (list, detail, page) = titles_everywhere(reader, &slug).await;
    assert_eq!((list, detail.as_str()), (vec!["Cached course".to_string()], "Cached course"), "served from the cache");
    assert!(page.contains("<h1>Cached course</h1>"));

    assert_eq!(writer.patch(&format!("/api/v1/courses/{id}"), json!({"title": "Edited title"})).await.status, 200);
    let (list, detail, page) = titles_everywhere(reader, &slug).await;
    assert_eq!((list, detail.as_str()), (vec!["Edited title".to_string()], "Edited title"), "the edit shows at once");
    assert!(page.contains("<h1>Edited title</h1>"));
    assert_eq!(kit::titles(reader, "q=edited").await, ["Edited title"], "and is searchable at once");

    assert_eq!(writer.post(&format!("/api/v1/courses/{id}/unpublish"), json!({})).await.status, 200);
    let (list, detail, page) = titles_everywhere(reader, &slug).await;
    assert_eq!(
        (list.len(), detail.as_str(), page.as_str()),
        (0, "404 Not Found", "404 Not Found"),
        "unpublished: gone"
    );
    assert!(kit::titles(reader, "q=edited").await.is_empty());

    assert_eq!(writer.post(&format!("/api/v1/courses/{id}/publish"), json!({})).await.status, 200);
    assert_eq!(kit::titles(reader, "q=edited").await, ["Edited title"]);
    let cats = reader.get("/api/v1/catalog/categories").await.json();
    assert!(cats["items"].as_array().unwrap().iter().all(|c| c["course_count"] == 0));
    assert_eq!(writer.patch(&format!("/api/v1/courses/{id}"), json!({"category": "design"})).await.status, 200);
    let cats = reader.get("/api/v1/catalog/categories").await.json();
    let design = cats["items"].as_array().unwrap().iter().find(|c| c["slug"] == "design").unwrap().clone();
    assert_eq!(design["course_count"], 1, "category counts follow");

    assert_eq!(writer.delete(&format!("/api/v1/courses/{id}")).await.status, 204);
    assert!(kit::titles(reader, "").await.is_empty() && kit::titles(reader, "q=edited").await.is_empty());
    assert_eq!(reader.get(&format!("/courses/{slug}")).await.status, 404);
}

async fn a_change_shows_at_once_through_the_in_process_cache(backend: Backend) {
    let app = spawn(backend).await;
    assert_eq!(app.state().cache.kind(), "memory");
    let (author, _) = app.signed_in("grace@example.org", Role::Instructor).await;
    changes_show_at_once(&app, &author, &app.client()).await;
    app.stop().await;
}

/// Two processes on one database and one Redis: an edit through the first
/// shows at once when reading through the second.
async fn a_change_shows_at_once_in_another_process_through_redis(backend: Backend) {
    let Some((first, second)) = common::replicas_sharing_redis(backend, "the Redis cache").await else { return };
    assert_eq!((first.state().cache.kind(), second.state().cache.kind()), ("redis", "redis"));
    let (author, _) = first.signed_in("grace@example.org", Role::Instructor).await;
    changes_show_at_once(&first, &author, &second.client()).await;
    second.stop().await;
    first.stop().await;
}

on_both_backends!(
    a_change_shows_at_once_through_the_in_process_cache,
    a_change_shows_at_once_in_another_process_through_redis
);
