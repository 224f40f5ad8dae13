//! A course's gradebook settings: the defaults are the old behaviour, a
//! letter scale refused at the row that breaks it, a pass mark, the natural
//! aggregation and a custom scale reaching the grid, the CSV and the
//! learner's page; the settings page; every route tried with a learner,
//! another course's instructor and a stranger — both backends.

use crate::{common, enrollment_kit};

use common::{Backend, Reply, TestClient, spawn};
use lyceum_platform::auth::Role;
use reqwest::Method;
use serde_json::{Value, json};

async fn put(client: &TestClient, path: &str, body: Value) -> Reply {
    client.send(Method::PUT, path, Some(&body)).await
}

fn scale(rows: &[(&str, f64)]) -> Value {
    rows.iter().map(|(l, m)| json!({"letter": l, "min_percent": m})).collect()
}

async fn settings_change_the_letters_the_pass_mark_and_the_aggregation(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, learner_id) = app.signed_in("zoe@example.org", Role::Learner).await;
    let (other_teacher, _) = app.signed_in("alan@example.org", Role::Instructor).await;
    let (stranger, _) = app.signed_in("stranger@example.org", Role::Learner).await;
    let (course, slug) = enrollment_kit::published(&teacher, "Settings", json!({})).await;
    enrollment_kit::add_to_roster(&teacher, &course, "zoe@example.org").await;
    let path = format!("/api/v1/courses/{course}/gradebook/settings");

    let defaults = teacher.get(&path).await;
    assert_eq!(defaults.status, 200, "{}", defaults.text);
    let defaults = defaults.json();
    assert_eq!(defaults["letters"], scale(&[("A", 90.0), ("B", 80.0), ("C", 70.0), ("D", 60.0), ("F", 0.0)]));
    assert_eq!(
        (&defaults["pass_percent"], &defaults["aggregation"], &defaults["certificate_rule"]),
        (&json!(60.0), &json!("weighted"), &json!("completion"))
    );

    // Refusals name the row.
    let body = |letters: Value, pass: f64| json!({"letters": letters, "pass_percent": pass, "aggregation": "natural", "certificate_rule": "completion"});
    let dup = put(&teacher, &path, body(scale(&[("A", 50.0), ("A", 0.0)]), 50.0)).await;
    dup.assert_problem(422, "validation");
    assert_eq!(dup.error_fields(), ["letters[1]"]);
    assert!(dup.text.contains("Row 2"), "{}", dup.text);
    let up = put(&teacher, &path, body(scale(&[("A", 50.0), ("B", 70.0), ("C", 0.0)]), 50.0)).await;
    assert_eq!(up.error_fields(), ["letters[1]"], "not descending");
    let no_bottom = put(&teacher, &path, body(scale(&[("Pass", 50.0), ("Merit", 10.0)]), 50.0)).await;
    assert_eq!(no_bottom.error_fields(), ["letters[1]"], "the last minimum is 0");
    assert_eq!(put(&teacher, &path, body(json!([]), 50.0)).await.error_fields(), ["letters"]);
    assert_eq!(put(&teacher, &path, body(scale(&[("P", 0.0)]), 101.0)).await.error_fields(), ["pass_percent"]);
    assert_eq!(teacher.get(&path).await.json()["aggregation"], "weighted", "nothing kept from a refusal");

    // Two categories, one drop: natural sums the kept points over their maximums.
    let categories = format!("/api/v1/courses/{course}/grade-categories");
    let quizzes =
        teacher.post(&categories, json!({"name": "Quizzes", "weight": 90, "drop_lowest": 1})).await.json()["id"]
            .as_str()
            .unwrap()
            .to_string();
    let mut items = Vec::new();
    for (title, max) in [("Q1", 10.0), ("Q2", 10.0), ("Essay", 100.0)] {
        let made = teacher
            .post(&format!("/api/v1/courses/{course}/grade-items"), json!({"title": title, "max_points": max}))
            .await;
        items.push(made.json()["id"].as_str().unwrap().to_string());
    }
    for item in &items[..2] {
        let body = json!({"category_id": quizzes});
        let patched = teacher.send(Method::PATCH, &format!("/api/v1/grade-items/{item}"), Some(&body)).await;
        assert_eq!(patched.status, 200);
    }
    for (item, points) in items.iter().zip([2.0, 8.0, 70.0]) {
        let path = format!("/api/v1/grade-items/{item}/grades/{learner_id}");
        assert_eq!(put(&teacher, &path, json!({"points": points})).await.status, 200);
    }
    // Weighted: 0.9 × 80 + 0.1 × 70 = 79 → C.
    let grid = format!("/api/v1/courses/{course}/gradebook");
    let row = teacher.get(&grid).await.json()["rows"][0].clone();
    assert_eq!((row["total"].as_f64(), row["letter"].as_str()), (Some(79.0), Some("C")), "{row}");
    let saved = put(&teacher, &path, body(scale(&[("Très bien", 75.0), ("Bien", 70.5), ("Échec", 0.0)]), 72.0)).await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    assert_eq!(teacher.get(&path).await.json()["letters"][1], json!({"letter": "Bien", "min_percent": 70.5}));
    // Natural: (8 + 70) of (10 + 100) = 70.91 % (the 2 still dropped) → "Bien".
    let row = teacher.get(&grid).await.json()["rows"][0].clone();
    assert_eq!((row["total"].as_f64(), row["letter"].as_str()), (Some(70.91), Some("Bien")), "{row}");
    let own = learner.get(&format!("/api/v1/courses/{course}/grades/me")).await.json();
    assert_eq!((own["total"].as_f64(), own["letter"].as_str()), (Some(70.91), Some("Bien")), "{own}");
    let csv = teacher.get(&format!("{grid}.csv")).await.text;
    assert!(csv.contains(",70.91,Bien\r\n"), "{csv}");
    assert!(learner.get(&format!("/learn/{slug}/grades")).await.text.contains("Bien"));

    for client in [&learner, &other_teacher, &stranger] {
        assert_eq!(client.get(&path).await.status, 404);
        assert_eq!(put(client, &path, body(scale(&[("X", 0.0)]), 1.0)).await.status, 404);
        assert_eq!(client.get(&format!("/teach/courses/{course}/gradebook/settings")).await.status, 404);
    }
    assert_eq!(app.client().get(&path).await.status, 401);
    assert_eq!(teacher.get(&path).await.json()["pass_percent"], 72.0, "nobody else changed it");
    app.stop().await;
}

async fn the_settings_page_shows_the_scale_and_refuses_a_row(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (other_teacher, _) = app.signed_in("alan@example.org", Role::Instructor).await;
    let (course, _) = enrollment_kit::published(&teacher, "Settings page", json!({})).await;
    let grid = teacher.get(&format!("/teach/courses/{course}/gradebook")).await.text;
    let page_path = format!("/teach/courses/{course}/gradebook/settings");
    assert!(grid.contains(&page_path), "the grid links to its settings");
    let page = teacher.get(&page_path).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains("Letter scale") && page.text.contains("value=\"A\""), "{}", page.text);
    let csrf = teacher.page_csrf(&page_path).await;
    let refused = teacher
        .form(
            &page_path,
            &[
                ("csrf", &csrf),
                ("letter_0", "<b>Top</b>"),
                ("min_0", "50"),
                ("letter_1", "Low"),
                ("min_1", "60"),
                ("letter_2", "Zero"),
                ("min_2", "0"),
                ("pass_percent", "50"),
                ("aggregation", "natural"),
                ("certificate_rule", "completion_and_pass"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(refused.text.contains("Row 2 of the letter scale"), "{}", refused.text);
    assert!(refused.text.contains("&#60;b&#62;Top") && !refused.text.contains("<b>Top"), "escaped, kept as typed");
    let saved = teacher
        .form(
            &page_path,
            &[
                ("csrf", &csrf),
                ("letter_0", "Pass"),
                ("min_0", "50,5"),
                ("letter_1", ""),
                ("min_1", ""),
                ("letter_2", "Fail"),
                ("min_2", "0"),
                ("pass_percent", "50,5"),
                ("aggregation", "natural"),
                ("certificate_rule", "completion_and_pass"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.text);
    let now = teacher.get(&format!("/api/v1/courses/{course}/gradebook/settings")).await.json();
    assert_eq!(now["letters"], scale(&[("Pass", 50.5), ("Fail", 0.0)]), "the blank row dropped");
    assert_eq!((&now["aggregation"], &now["certificate_rule"]), (&json!("natural"), &json!("completion_and_pass")));
    let csrf = other_teacher.page_csrf("/my/courses").await;
    let theirs = other_teacher.form(&page_path, &[("csrf", &csrf), ("letter_0", "X"), ("min_0", "0")]).await;
    assert_eq!(theirs.status, 404);
    app.stop().await;
}

on_both_backends!(
    settings_change_the_letters_the_pass_mark_and_the_aggregation,
    the_settings_page_shows_the_scale_and_refuses_a_row
);
