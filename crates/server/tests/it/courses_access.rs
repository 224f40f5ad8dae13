//! Who may author what (no IDOR on any route that takes an id), co-instructors,
//! admins, sanitised markdown, and the /teach pages.

use crate::{common, courses_kit};

use common::{Backend, TestClient, spawn};
use courses_kit as kit;
use lyceum_platform::auth::Role;
use reqwest::Method;
use serde_json::json;

/// Every authoring route that takes an id, called by `client` on another's objects.
async fn every_route(client: &TestClient, course: &str, module: &str, lesson: &str, owner: &str) -> Vec<(String, u16)> {
    let body = json!({"title": "Hijacked"});
    let calls: Vec<(Method, String, Option<serde_json::Value>)> = vec![
        (Method::GET, format!("/api/v1/courses/{course}"), None),
        (Method::PATCH, format!("/api/v1/courses/{course}"), Some(body.clone())),
        (Method::POST, format!("/api/v1/courses/{course}/publish"), Some(json!({}))),
        (Method::POST, format!("/api/v1/courses/{course}/archive"), Some(json!({}))),
        (Method::POST, format!("/api/v1/courses/{course}/unpublish"), Some(json!({}))),
        (Method::GET, format!("/api/v1/courses/{course}/instructors"), None),
        (Method::POST, format!("/api/v1/courses/{course}/instructors"), Some(json!({"user_id": owner}))),
        (Method::DELETE, format!("/api/v1/courses/{course}/instructors/{owner}"), None),
        (Method::POST, format!("/api/v1/courses/{course}/modules"), Some(body.clone())),
        (Method::PUT, format!("/api/v1/courses/{course}/modules/order"), Some(json!({"ids": [module]}))),
        (Method::PATCH, format!("/api/v1/modules/{module}"), Some(body.clone())),
        (Method::POST, format!("/api/v1/modules/{module}/lessons"), Some(body.clone())),
        (Method::PUT, format!("/api/v1/modules/{module}/lessons/order"), Some(json!({"ids": [lesson]}))),
        (Method::GET, format!("/api/v1/lessons/{lesson}"), None),
        (Method::PATCH, format!("/api/v1/lessons/{lesson}"), Some(body.clone())),
        (Method::DELETE, format!("/api/v1/lessons/{lesson}"), None),
        (Method::DELETE, format!("/api/v1/modules/{module}"), None),
        (Method::DELETE, format!("/api/v1/courses/{course}"), None),
    ];
    let mut out = Vec::new();
    for (method, path, body) in calls {
        let reply = client.send(method.clone(), &path, body.as_ref()).await;
        out.push((format!("{method} {path}"), reply.status.as_u16()));
    }
    let cover =
        kit::upload(client, &format!("/api/v1/courses/{course}/cover"), "cover", kit::png(10, 10), "c.png").await;
    out.push(("PUT cover".into(), cover.status.as_u16()));
    let media =
        kit::upload(client, &format!("/api/v1/lessons/{lesson}/media"), "media", kit::PDF.to_vec(), "a.pdf").await;
    out.push(("PUT media".into(), media.status.as_u16()));
    for page in [
        format!("/teach/courses/{course}"),
        format!("/teach/lessons/{lesson}"),
        format!("/teach/courses/{course}/delete"),
    ] {
        out.push((format!("page {page}"), client.get(&page).await.status.as_u16()));
    }
    out
}

async fn other_instructors_cannot_reach_a_course(backend: Backend) {
    let app = spawn(backend).await;
    let (owner, owner_id) = app.signed_in("grace@example.org", Role::Instructor).await;
    let (mallory, _) = app.signed_in("mallory@example.org", Role::Instructor).await;
    let (course, module, lesson) = kit::outline(&owner, "Private draft").await;

    for (call, status) in every_route(&mallory, &course, &module, &lesson, &owner_id).await {
        assert_eq!(status, 404, "a draft is invisible to other instructors: {call}");
    }
    owner.post(&format!("/api/v1/courses/{course}/publish"), json!({})).await;
    for (call, status) in every_route(&mallory, &course, &module, &lesson, &owner_id).await {
        assert_eq!(status, 403, "a published course can be seen but not edited: {call}");
    }
    let mine = owner.get(&format!("/api/v1/courses/{course}")).await.json();
    assert_eq!(mine["title"], "Private draft");
    assert_eq!(mine["modules"][0]["lessons"].as_array().unwrap().len(), 1, "nothing was deleted");
    assert!(mallory.get("/api/v1/courses").await.json()["items"].as_array().unwrap().is_empty());
    app.stop().await;
}

async fn learners_cannot_author(backend: Backend) {
    let app = spawn(backend).await;
    let (learner, _) = app.signed_in("ada@example.org", Role::Learner).await;
    learner.post("/api/v1/courses", json!({"title": "My course"})).await.assert_problem(403, "forbidden");
    learner.get("/api/v1/courses").await.assert_problem(403, "forbidden");
    assert_eq!(learner.get("/teach").await.status, 403);
    assert!(!learner.get("/").await.text.contains("href=\"/teach\""), "no Teach item for learners");
    let (instructor, _) = app.signed_in("grace@example.org", Role::Instructor).await;
    assert!(instructor.get("/").await.text.contains("href=\"/teach\""), "Teach item for instructors");
    app.client().get("/api/v1/courses").await.assert_problem(401, "unauthorized");
    app.stop().await;
}

async fn co_instructors_edit_and_the_owner_stays(backend: Backend) {
    let app = spawn(backend).await;
    let (owner, owner_id) = app.signed_in("grace@example.org", Role::Instructor).await;
    let (co, co_id) = app.signed_in("alan@example.org", Role::Instructor).await;
    let learner = app.create_user("ada@example.org", Role::Learner).await;
    let (course, _, lesson) = kit::outline(&owner, "Shared course").await;
    let url = format!("/api/v1/courses/{course}/instructors");

    let r = owner.post(&url, json!({"email": "ada@example.org"})).await;
    assert_eq!(r.error_fields(), ["email"], "learners cannot teach: {}", r.text);
    let r = owner.post(&url, json!({"user_id": learner})).await;
    assert_eq!(r.error_fields(), ["user_id"]);
    let r = owner.post(&url, json!({"email": "nobody@example.org"})).await;
    assert_eq!(r.error_fields(), ["email"]);
    let added = owner.post(&url, json!({"email": "alan@example.org"})).await;
    assert_eq!(added.status, 200, "{}", added.text);
    assert_eq!(added.json()["items"][1]["role"], "co");

    let edited = co.patch(&format!("/api/v1/lessons/{lesson}"), json!({"title": "Edited by co"})).await;
    assert_eq!(edited.status, 200, "{}", edited.text);
    assert_eq!(co.get("/api/v1/courses").await.json()["items"][0]["id"], course.as_str());
    co.delete(&format!("{url}/{owner_id}")).await.assert_problem(409, "owner-required");
    owner.delete(&format!("{url}/{owner_id}")).await.assert_problem(409, "owner-required");
    co.delete(&format!("/api/v1/courses/{course}")).await.assert_problem(403, "forbidden");

    assert_eq!(owner.delete(&format!("{url}/{co_id}")).await.status, 204);
    assert_eq!(co.get(&format!("/api/v1/courses/{course}")).await.status, 404, "removed co-instructor loses access");

    let (admin, _) = app.signed_in("root@example.org", Role::Admin).await;
    let r = admin.patch(&format!("/api/v1/courses/{course}"), json!({"summary": "Admin was here"})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(admin.get("/api/v1/courses").await.json()["items"].as_array().unwrap().len(), 1);
    assert_eq!(admin.get(&format!("/teach/courses/{course}")).await.status, 200);
    app.stop().await;
}

const EVIL: &str = "<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[x](javascript:alert(3))";

async fn no_script_reaches_a_browser(backend: Backend) {
    let app = spawn(backend).await;
    let (client, _) = app.signed_in("grace@example.org", Role::Instructor).await;
    let reply = client
        .post("/api/v1/courses", json!({"title": "<script>alert(0)</script>", "summary": "<img src=x onerror=alert(9)>", "description": EVIL}))
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let course = reply.json()["id"].as_str().unwrap().to_string();
    let module = kit::module(&client, &course, "<script>alert(4)</script>").await;
    let lesson = kit::lesson(&client, &module, json!({"title": "<img src=x onerror=alert(5)>", "body": EVIL})).await;

    let api = client.get(&format!("/api/v1/courses/{course}")).await.json();
    let lesson_json = client.get(&format!("/api/v1/lessons/{lesson}")).await.json();
    for html in [api["description_html"].as_str().unwrap(), lesson_json["body_html"].as_str().unwrap()] {
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }
    for page in [
        format!("/teach/courses/{course}"),
        format!("/teach/lessons/{lesson}"),
        "/teach".into(),
        format!("/teach/courses/{course}/delete"),
    ] {
        let text = client.get(&page).await.text;
        assert!(!text.contains("<script>alert"), "{page}: {text}");
        assert!(!text.contains("<img src=x onerror") && !text.contains("<img src=\"x\" onerror"), "{page}");
        assert!(!text.contains("href=\"javascript:"), "{page}");
        assert!(
            text.contains("&lt;script&gt;alert") || text.contains("&#60;script&#62;alert"),
            "titles are escaped on {page}"
        );
    }
    app.stop().await;
}

async fn the_teach_pages_author_a_course(backend: Backend) {
    let app = spawn(backend).await;
    let (client, _) = app.signed_in("grace@example.org", Role::Instructor).await;
    let csrf = client.page_csrf("/teach").await;
    let bad = client.form("/teach", &[("csrf", &csrf), ("title", "ab")]).await;
    assert_eq!(bad.status, 422);
    assert!(bad.text.contains("Use between 3 and 120 characters."));
    let created = client.form("/teach", &[("csrf", &csrf), ("title", "Page course")]).await;
    assert_eq!(created.status, 303, "{}", created.text);
    let editor = created.header("location").to_string();
    let id = editor.rsplit('/').next().unwrap().to_string();

    let publish = client.form(&format!("{editor}/state"), &[("csrf", &csrf), ("to", "published")]).await;
    assert_eq!(publish.status, 422);
    assert!(publish.text.contains("A course needs at least one lesson before it can be published."));

    let details = [
        ("csrf", csrf.as_str()),
        ("title", "Page course"),
        ("slug", "page-course"),
        ("summary", "S"),
        ("description", "D"),
        ("category", "design"),
        ("level", "advanced"),
        ("language", "en"),
        ("tags", "a, b"),
        ("price", "5"),
        ("currency", ""),
        ("seat_limit", "x"),
    ];
    let refused = client.form(&editor, &details).await;
    assert_eq!(refused.status, 422);
    assert!(refused.text.contains("Enter a whole number of seats"), "{}", refused.text);
    let mut fixed = details.to_vec();
    fixed.retain(|(k, _)| *k != "seat_limit" && *k != "currency");
    fixed.extend([("seat_limit", "10"), ("currency", "USD")]);
    assert_eq!(client.form(&editor, &fixed).await.status, 303);
    let json = client.get(&format!("/api/v1/courses/{id}")).await.json();
    assert_eq!((json["price_minor"].as_i64(), json["currency"].as_str()), (Some(500), Some("USD")));
    assert_eq!(json["category"]["slug"], "design");
    assert!(
        client
            .get(&editor)
            .await
            .text
            .contains(r#"name="price" type="text" inputmode="decimal" size="12" value="5.00""#)
    );
    // The price is typed in major units of the currency, with a decimal point or comma.
    let priced = |price: &'static str| {
        let mut fields = fixed.clone();
        fields.retain(|(k, _)| *k != "price");
        fields.push(("price", price));
        fields
    };
    assert_eq!(client.form(&editor, &priced("19,99")).await.status, 303);
    assert_eq!(client.get(&format!("/api/v1/courses/{id}")).await.json()["price_minor"], 1999);
    let refused = client.form(&editor, &priced("5.001")).await;
    assert_eq!(refused.status, 422);
    assert!(refused.text.contains("USD amounts have at most 2 decimals"), "{}", refused.text);
    assert!(refused.text.contains(
        r#"id="price" name="price" type="text" inputmode="decimal" size="12" value="5.001" aria-invalid="true""#
    ));

    client.form(&format!("{editor}/modules"), &[("csrf", &csrf), ("title", "M1")]).await;
    client.form(&format!("{editor}/modules"), &[("csrf", &csrf), ("title", "M2")]).await;
    let modules = client.get(&format!("/api/v1/courses/{id}")).await.json()["modules"].clone();
    let (m1, m2) = (modules[0]["id"].as_str().unwrap().to_string(), modules[1]["id"].as_str().unwrap().to_string());
    let moved = client.form(&format!("/teach/modules/{m2}/move"), &[("csrf", &csrf), ("direction", "up")]).await;
    assert_eq!(moved.status, 303);
    let modules = client.get(&format!("/api/v1/courses/{id}")).await.json()["modules"].clone();
    assert_eq!(modules[0]["id"], m2.as_str());

    let added = client.form(&format!("/teach/modules/{m1}/lessons"), &[("csrf", &csrf), ("title", "L1")]).await;
    let lesson_page = added.header("location").to_string();
    let saved = client
        .form(
            &lesson_page,
            &[
                ("csrf", &csrf),
                ("title", "L1"),
                ("kind", "video"),
                ("body", "b"),
                ("video_url", "https://v.example/x.mp4"),
                ("duration_minutes", "7"),
                ("is_preview", "on"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.text);
    let page = client.get(&lesson_page).await;
    assert!(page.text.contains("https://v.example/x.mp4") && page.text.contains("checked"));
    assert_eq!(client.form(&format!("{editor}/state"), &[("csrf", &csrf), ("to", "published")]).await.status, 303);
    let page = client.get(&editor).await;
    assert!(page.text.contains("L1") && page.text.contains("Published"));

    let confirm = client.get(&format!("{editor}/delete")).await;
    assert!(confirm.text.contains("This cannot be undone."));
    assert_eq!(client.form(&format!("{editor}/delete"), &[("csrf", &csrf)]).await.status, 303);
    assert_eq!(client.get(&editor).await.status, 404);
    app.stop().await;
}

on_both_backends!(
    other_instructors_cannot_reach_a_course,
    learners_cannot_author,
    co_instructors_edit_and_the_owner_stays,
    no_script_reaches_a_browser,
    the_teach_pages_author_a_course,
);
