//! `/api/v1/admin/jobs`: admins see jobs by state and kind, with payload and
//! last error, and retry or discard dead ones; nobody else gets in.

use crate::{common, jobs_kit};

use common::Backend;
use jobs_kit::*;
use lyceum_platform::auth::Role;

/// A job of a kind no worker knows, run until it is dead.
async fn dead_job(app: &common::TestApp, key: Option<&str>) -> String {
    let payload = Tag { key: key.map(str::to_string), ..tag() };
    let id = enqueue::<Unknown>(app, &payload).await.expect("enqueued");
    let worker = worker(app);
    for _ in 0..2 {
        sqlx::query("UPDATE jobs SET run_at = 0 WHERE id = $1").bind(&id).execute(app.state().db.pool()).await.unwrap();
        worker.run_until_idle().await.unwrap();
    }
    assert_eq!(row(app, &id).await.state, "dead");
    id
}

async fn admins_list_jobs_by_state_and_kind_and_see_one_in_full(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, _) = app.signed_in("root@example.org", Role::Admin).await;
    let dead = dead_job(&app, None).await;
    let queued = enqueue::<Count>(&app, &Tag { id: "pay-1".into(), key: None }).await.unwrap();
    enqueue::<Count>(&app, &tag()).await.unwrap();

    let all = admin.get("/api/v1/admin/jobs").await.json();
    assert_eq!(all["items"].as_array().unwrap().len(), 3, "{all}");
    let only_dead = admin.get("/api/v1/admin/jobs?state=dead").await.json();
    assert_eq!(only_dead["items"][0]["id"], dead.as_str());
    assert_eq!(only_dead["items"].as_array().unwrap().len(), 1);
    let counts = admin.get("/api/v1/admin/jobs?kind=test.count&limit=1").await.json();
    assert_eq!(counts["items"].as_array().unwrap().len(), 1);
    let cursor = counts["next_cursor"].as_str().expect("a second page");
    let next = admin.get(&format!("/api/v1/admin/jobs?kind=test.count&limit=1&cursor={cursor}")).await.json();
    assert_eq!(next["items"].as_array().unwrap().len(), 1);
    assert!(next.get("next_cursor").is_none_or(|c| c.is_null()), "{next}");
    assert_eq!(next["items"][0]["id"], queued.as_str(), "newest first");

    let one = admin.get(&format!("/api/v1/admin/jobs/{queued}")).await.json();
    assert_eq!((one["kind"].as_str(), one["state"].as_str()), (Some("test.count"), Some("queued")));
    assert_eq!(one["payload"]["id"], "pay-1");
    let gone = admin.get(&format!("/api/v1/admin/jobs/{dead}")).await.json();
    assert!(gone["last_error"].as_str().unwrap().contains("no handler for job kind"), "{gone}");
    assert_eq!(gone["attempts"], 2);

    admin.get("/api/v1/admin/jobs?state=lost").await.assert_problem(422, "validation");
    admin.get("/api/v1/admin/jobs/nope").await.assert_problem(404, "not-found");
    app.stop().await;
}

async fn a_dead_job_is_retried_with_a_fresh_budget_or_discarded(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, _) = app.signed_in("root@example.org", Role::Admin).await;
    let dead = dead_job(&app, None).await;
    let retried = admin.post(&format!("/api/v1/admin/jobs/{dead}/retry"), serde_json::json!({})).await;
    assert_eq!(retried.status, 200, "{}", retried.text);
    assert_eq!((retried.json()["state"].as_str(), retried.json()["attempts"].as_i64()), (Some("queued"), Some(0)));
    admin
        .post(&format!("/api/v1/admin/jobs/{dead}/retry"), serde_json::json!({}))
        .await
        .assert_problem(409, "job-not-dead");
    admin.delete(&format!("/api/v1/admin/jobs/{dead}")).await.assert_problem(409, "job-not-dead");

    let other = dead_job(&app, None).await;
    assert_eq!(admin.delete(&format!("/api/v1/admin/jobs/{other}")).await.status, 204);
    admin.get(&format!("/api/v1/admin/jobs/{other}")).await.assert_problem(404, "not-found");
    app.stop().await;
}

async fn retrying_is_refused_while_an_equal_job_is_pending(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, _) = app.signed_in("root@example.org", Role::Admin).await;
    let dead = dead_job(&app, Some("course-7")).await;
    enqueue::<Unknown>(&app, &Tag::keyed(&tag().id, "course-7")).await.expect("the key is free once dead");
    admin
        .post(&format!("/api/v1/admin/jobs/{dead}/retry"), serde_json::json!({}))
        .await
        .assert_problem(409, "conflict");
    assert_eq!(row(&app, &dead).await.state, "dead");
    app.stop().await;
}

async fn only_admins_see_jobs(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("t@example.org", Role::Instructor).await;
    teacher.get("/api/v1/admin/jobs").await.assert_problem(403, "forbidden");
    teacher.post("/api/v1/admin/jobs/x/retry", serde_json::json!({})).await.assert_problem(403, "forbidden");
    app.client().get("/api/v1/admin/jobs").await.assert_problem(401, "unauthorized");
    app.stop().await;
}

async fn the_jobs_page_lists_shows_and_mends_dead_jobs(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, _) = app.signed_in("root@example.org", Role::Admin).await;
    let dead = dead_job(&app, None).await;
    enqueue::<Count>(&app, &Tag { id: "pay-<b>".into(), key: None }).await.unwrap();

    let list = admin.get("/admin/jobs?state=dead").await;
    assert_eq!(list.status, 200);
    assert!(list.text.contains(&format!("/admin/jobs/{dead}")), "the dead job is linked");
    assert!(list.text.contains("no handler for job kind"), "its last error is shown");
    assert!(!list.text.contains("test.count"), "filtered by state");
    assert!(admin.get("/admin/jobs?kind=test.count").await.text.contains("test.count"));
    assert_eq!(admin.get("/admin/jobs?state=lost").await.status, 422);

    let detail = admin.get(&format!("/admin/jobs/{dead}")).await;
    assert!(detail.text.contains("Retry") && detail.text.contains("Discard"), "actions for a dead job");

    let csrf = admin.page_csrf(&format!("/admin/jobs/{dead}")).await;
    let retried = admin.form(&format!("/admin/jobs/{dead}/retry"), &[("csrf", &csrf)]).await;
    assert_eq!(retried.status, 303);
    assert_eq!(row(&app, &dead).await.state, "queued");
    let again = admin.form(&format!("/admin/jobs/{dead}/retry"), &[("csrf", &csrf)]).await;
    assert_eq!(again.status, 303, "not dead any more: an error flash, not an error page");
    assert!(admin.get(&format!("/admin/jobs/{dead}")).await.text.contains("flash-error"));
    assert!(!admin.get(&format!("/admin/jobs/{dead}")).await.text.contains("Discard"), "no actions while queued");

    let other = dead_job(&app, None).await;
    let discarded = admin.form(&format!("/admin/jobs/{other}/discard"), &[("csrf", &csrf)]).await;
    assert_eq!(discarded.status, 303);
    assert_eq!(admin.get(&format!("/admin/jobs/{other}")).await.status, 404);
    app.stop().await;
}

async fn the_jobs_page_payload_is_escaped_and_admin_only(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, _) = app.signed_in("root@example.org", Role::Admin).await;
    let id = enqueue::<Count>(&app, &Tag { id: "<script>alert(1)</script>".into(), key: None }).await.unwrap();
    let detail = admin.get(&format!("/admin/jobs/{id}")).await.text;
    assert!(detail.contains("alert(1)") && !detail.contains("<script>alert"), "payload shown, escaped");

    let (teacher, _) = app.signed_in("t@example.org", Role::Instructor).await;
    assert_eq!(teacher.get("/admin/jobs").await.status, 403);
    assert_eq!(teacher.get(&format!("/admin/jobs/{id}")).await.status, 403);
    let anonymous = app.client().get("/admin/jobs").await;
    assert_eq!(anonymous.status, 303);
    assert!(anonymous.header("location").starts_with("/login?next="));
    app.stop().await;
}

on_both_backends!(
    the_jobs_page_lists_shows_and_mends_dead_jobs,
    the_jobs_page_payload_is_escaped_and_admin_only,
    admins_list_jobs_by_state_and_kind_and_see_one_in_full,
    a_dead_job_is_retried_with_a_fresh_budget_or_discarded,
    retrying_is_refused_while_an_equal_job_is_pending,
    only_admins_see_jobs,
);
