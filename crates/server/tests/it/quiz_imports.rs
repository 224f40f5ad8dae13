//! Importing a large file in the background: the request answers at once
//! (`202`, or the page's redirect to the progress page), batches import the
//! questions with their progress, a batch run twice imports once, the report
//! lists what could not be read by line; only the course's staff follow it.

use crate::{common, courses_kit, enrollment_kit};

use common::{Backend, TestClient, spawn};
use lyceum_platform::{auth::Role, jobs::Job};
use lyceum_quizzes::service::imports::{Batch, ImportBatch};
use serde_json::{Value, json};

/// A GIFT file of `n` questions in one category; question `broken` (from 1)
/// has no right answer. Questions are one line each, a blank line between them.
fn big_gift(n: usize, broken: usize) -> String {
    let mut text = String::from("$CATEGORY: $course$/top/Drill\n\n");
    for i in 1..=n {
        if i == broken {
            text.push_str(&format!("::Q{i}::Which is right? {{~A ~B}}\n\n"));
        } else {
            text.push_str(&format!("::Q{i}::Is {i} less than {}? {{T}}\n\n", i + 1));
        }
    }
    text
}

/// The line of question `i` in `big_gift`.
fn line_of(i: usize) -> i64 {
    2 * i as i64 + 1
}

async fn questions_in(client: &TestClient, course: &str, category: &str) -> i64 {
    let tree = client.get(&format!("/api/v1/courses/{course}/question-categories")).await.json();
    let items = tree["items"].as_array().unwrap();
    items.iter().find(|c| c["name"] == category).map_or(0, |c| c["question_count"].as_i64().unwrap())
}

async fn a_large_file_is_imported_in_the_background_with_its_progress(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let course = courses_kit::course(&teacher, "Arithmetic").await;
    let text = big_gift(450, 300);
    let started = teacher
        .post(&format!("/api/v1/courses/{course}/questions/import"), json!({"format": "gift", "text": text}))
        .await;
    assert_eq!(started.status, 202, "{}", started.text);
    let import: Value = started.json();
    let url = import["url"].as_str().unwrap().to_string();
    assert_eq!(started.header("location"), url);
    assert_eq!(
        (import["state"].as_str(), import["total"].as_i64(), import["done"].as_i64()),
        (Some("running"), Some(449), Some(0))
    );
    assert_eq!(import["problems"][0]["line"].as_i64(), Some(line_of(300)), "the parser's problems are known at once");

    // Two workers on the same batch (a message delivered twice), then a late
    // third delivery: the questions go in once, whichever commits first.
    let batch = Batch { import_id: import["id"].as_str().unwrap().to_string(), from: Some(0) };
    let (a, b) =
        tokio::join!(ImportBatch::run(app.state(), batch.clone()), ImportBatch::run(app.state(), batch.clone()));
    a.expect("first run");
    b.expect("second run");
    ImportBatch::run(app.state(), batch).await.expect("late repeat");
    let midway = teacher.get(&url).await.json();
    assert_eq!((midway["state"].as_str(), midway["done"].as_i64()), (Some("running"), Some(100)), "{midway}");
    assert_eq!(questions_in(&teacher, &course, "Drill").await, 100);

    app.drain_jobs().await;
    let done = teacher.get(&url).await.json();
    assert_eq!(
        (done["state"].as_str(), done["done"].as_i64(), done["imported"].as_i64()),
        (Some("finished"), Some(449), Some(449)),
        "{done}"
    );
    assert!(done["finished_at"].is_string());
    assert_eq!(done["problems"].as_array().unwrap().len(), 1);
    assert_eq!(questions_in(&teacher, &course, "Drill").await, 449);

    let small = teacher
        .post(&format!("/api/v1/courses/{course}/questions/import"), json!({"format": "gift", "text": big_gift(3, 0)}))
        .await;
    assert_eq!(
        (small.status.as_u16(), small.json()["imported"].as_i64()),
        (200, Some(3)),
        "a small file answers at once"
    );
    app.stop().await;
}

async fn the_page_follows_the_import_and_shows_its_report(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (other, _) = app.signed_in("other@example.org", Role::Instructor).await;
    let (learner, _) = app.signed_in("learner@example.org", Role::Learner).await;
    let (course, _) = enrollment_kit::published(&teacher, "Arithmetic", json!({})).await;
    enrollment_kit::add_to_roster(&teacher, &course, "learner@example.org").await;
    let csrf = teacher.page_csrf(&format!("/teach/courses/{course}/questions")).await;
    let part = reqwest::multipart::Part::bytes(big_gift(250, 7).into_bytes()).file_name("drill.txt");
    let form = reqwest::multipart::Form::new().text("csrf", csrf).text("format", "gift").part("file", part);
    let path = format!("/teach/courses/{course}/questions/import");
    let sent = TestClient::reply(teacher.http.post(teacher.url(&path)).multipart(form).send().await.unwrap()).await;
    assert_eq!(sent.status, 303, "{}", sent.text);
    let page_path = sent.header("location").to_string();
    assert!(page_path.starts_with("/teach/question-imports/"), "{page_path}");

    let running = teacher.get(&page_path).await;
    assert!(running.text.contains("Importing…") && running.text.contains("http-equiv=\"refresh\""), "{}", running.text);
    assert!(running.text.contains("0 / 249"), "{}", running.text);
    let id = page_path.trim_start_matches("/teach/question-imports/");
    for client in [&other, &learner] {
        assert_eq!(client.get(&page_path).await.status, 404);
        assert_eq!(client.get(&format!("/api/v1/question-imports/{id}")).await.status, 404);
    }
    assert_eq!(app.client().get(&format!("/api/v1/question-imports/{id}")).await.status, 401);

    app.drain_jobs().await;
    let finished = teacher.get(&page_path).await;
    assert!(finished.text.contains("Import finished") && !finished.text.contains("http-equiv=\"refresh\""));
    assert!(finished.text.contains("249 question(s) imported"), "{}", finished.text);
    assert!(finished.text.contains(&format!("Line {}:", line_of(7))), "{}", finished.text);
    app.stop().await;
}

on_both_backends!(
    a_large_file_is_imported_in_the_background_with_its_progress,
    the_page_follows_the_import_and_shows_its_report,
);
