//! The bank under concurrent writes, on both backends: edits racing on one
//! question each get their own version number (the counter is bumped in SQL,
//! `current_version + 1 … RETURNING`), and imports racing on one course make
//! each category once (`ON CONFLICT DO NOTHING` on the name index, then read).

use crate::{common, courses_kit, quiz_kit};

use common::{Backend, spawn};
use futures::future::join_all;
use lyceum_platform::auth::Role;
use quiz_kit::{GIFT_FILE, question};
use reqwest::Method;
use serde_json::json;

const RACERS: usize = 8;

async fn racing_edits_each_get_a_version(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let course = courses_kit::course(&teacher, "Geography").await;
    let id = question(&teacher, &course, "Capital").await;
    let path = format!("/api/v1/questions/{id}");
    let edits = (0..RACERS).map(|n| {
        let body = json!({"gift": format!("::Capital {n}::Capital of France? {{=Paris ~Lyon}}")});
        let (teacher, path) = (&teacher, &path);
        async move { teacher.send(Method::PUT, path, Some(&body)).await }
    });
    for reply in join_all(edits).await {
        assert_eq!(reply.status, 200, "{}", reply.text);
    }
    let versions = teacher.get(&format!("{path}/versions")).await.json();
    let mut numbers: Vec<i64> =
        versions["items"].as_array().unwrap().iter().map(|v| v["version"].as_i64().unwrap()).collect();
    numbers.sort();
    assert_eq!(numbers, (1..=RACERS as i64 + 1).collect::<Vec<_>>(), "every edit is one version, none twice");
    assert_eq!(teacher.get(&path).await.json()["version"], RACERS as i64 + 1);
    app.stop().await;
}

async fn racing_imports_make_each_category_once(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let course = courses_kit::course(&teacher, "Geography").await;
    let path = format!("/api/v1/courses/{course}/questions/import");
    let imports = (0..4).map(|_| teacher.post(&path, json!({"format": "gift", "text": GIFT_FILE})));
    for reply in join_all(imports).await {
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_eq!(reply.json()["imported"], 5);
    }
    let tree = teacher.get(&format!("/api/v1/courses/{course}/question-categories")).await.json();
    let names: Vec<&str> = tree["items"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Geography", "Asia", "Europe"]);
    let counts: i64 = tree["items"].as_array().unwrap().iter().map(|c| c["question_count"].as_i64().unwrap()).sum();
    assert_eq!(counts, 20);
    app.stop().await;
}

on_both_backends!(racing_edits_each_get_a_version, racing_imports_make_each_category_once);
