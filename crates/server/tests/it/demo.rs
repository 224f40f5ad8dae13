//! `serve --demo` (setting `demo`): the demo accounts and catalog are loaded
//! through the same services real users go through, before the first request
//! is served, and a load an earlier start left unfinished is completed, never
//! duplicated.

use crate::common;

use common::{Backend, TestApp, TestClient, spawn_with};
use lyceum::demo::{ACCOUNTS, Loaded};
use serde_json::{Value, json};

async fn spawn_demo(backend: Backend) -> TestApp {
    spawn_with(backend, |s| s.demo = true).await
}

/// Stops the server and starts it again on the same database with `--demo`.
async fn restart(app: &mut TestApp) -> Loaded {
    let running = app.running.take().expect("running");
    let mut settings = running.state.settings.clone();
    running.stop().await.expect("clean shutdown");
    settings.public_url = "http://127.0.0.1:0".into();
    let running = lyceum::start(settings).await.expect("restart with the demo");
    app.url = running.url();
    let loaded = running.demo.expect("the demo was loaded");
    app.running = Some(running);
    loaded
}

/// The demo instructor's courses, as the API lists them.
async fn demo_courses(app: &TestApp) -> (TestClient, Vec<Value>) {
    let mut instructor = app.client();
    instructor.login(ACCOUNTS[0].email, ACCOUNTS[0].password).await;
    let reply = instructor.get("/api/v1/courses?limit=100").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let courses = reply.json()["items"].as_array().unwrap().clone();
    (instructor, courses)
}

fn published(courses: &[Value]) -> Vec<&Value> {
    courses.iter().filter(|c| c["state"] == "published").collect()
}

async fn serves_the_whole_demo_from_the_first_request(backend: Backend) {
    let app = spawn_demo(backend).await;
    let loaded = app.running.as_ref().unwrap().demo.expect("the demo was loaded");
    assert_eq!(loaded, Loaded { created: 13, repaired: 0, kept: 0 });

    // The very first request after `start` returned already sees all of it.
    let (instructor, courses) = demo_courses(&app).await;
    let published = published(&courses);
    assert_eq!(published.len(), 12, "{courses:?}");
    assert_eq!(courses.len(), 13, "one draft shows the editor at work");
    assert!(published.iter().all(|c| c["cover_url"].is_string()), "every course has a cover");
    let mut categories = std::collections::HashSet::new();
    let (mut paid, mut lessons) = (0, 0);
    for c in &published {
        let detail = instructor.get(&format!("/api/v1/courses/{}", c["id"].as_str().unwrap())).await.json();
        categories.insert(detail["category"]["slug"].to_string());
        paid += usize::from(detail["price_minor"].as_i64().unwrap() > 0);
        lessons +=
            detail["modules"].as_array().unwrap().iter().map(|m| m["lessons"].as_array().unwrap().len()).sum::<usize>();
    }
    assert!(categories.len() >= 5, "several categories: {categories:?}");
    assert!((1..12).contains(&paid), "free and paid courses: {paid} paid");
    assert!(lessons >= 40, "{lessons} lessons");
    let rust = courses.iter().find(|c| c["slug"] == "rust-from-scratch").expect("the Rust course");
    let bank = instructor.get(&format!("/api/v1/courses/{}/questions", rust["id"].as_str().unwrap())).await.json();
    let names: Vec<&str> = bank["items"].as_array().unwrap().iter().filter_map(|q| q["name"].as_str()).collect();
    assert_eq!(names.len(), 7, "the demo question bank: {bank}");
    assert!(names.contains(&"Build and run"), "the ordering question, which GIFT cannot hold: {names:?}");
    let quizzes = instructor.get(&format!("/api/v1/courses/{}/quizzes", rust["id"].as_str().unwrap())).await.json();
    let titles: Vec<&str> = quizzes["items"].as_array().unwrap().iter().filter_map(|q| q["title"].as_str()).collect();
    assert_eq!(titles, ["Ownership check", "Warm-up"], "the demo quizzes: {quizzes}");
    let listed = instructor.get(&format!("/api/v1/courses/{}/assignments", rust["id"].as_str().unwrap())).await.json();
    let assignment = listed["items"][0]["id"].as_str().expect("the demo assignment").to_string();
    let queue = instructor.get(&format!("/api/v1/assignments/{assignment}/submissions")).await.json();
    let items = queue["items"].as_array().unwrap();
    let graded = items.iter().filter(|s| s["graded"] == true).count();
    assert_eq!((items.len(), graded), (3, 2), "three classmates submitted, two were graded: {queue}");

    // Lively forums: an announcement, threads in the general and module forums, replies, an accepted answer.
    let rust_id = rust["id"].as_str().unwrap();
    let forums = instructor.get(&format!("/api/v1/forums/courses/{rust_id}")).await.json();
    let count = |kind: &str| -> i64 {
        let of_kind = forums["items"].as_array().unwrap().iter().filter(|f| f["kind"] == kind);
        of_kind.map(|f| f["thread_count"].as_i64().unwrap()).sum()
    };
    assert_eq!((count("announcements"), count("general")), (1, 1), "{forums}");
    assert!(count("module") >= 2, "threads in the module forums: {forums}");
    let mut question = None;
    for forum in forums["items"].as_array().unwrap().iter().filter(|f| f["kind"] == "module") {
        let listed = instructor.get(&format!("/api/v1/forums/{}/threads", forum["id"].as_str().unwrap())).await.json();
        let asked = listed["items"].as_array().unwrap().iter().find(|t| t["kind"] == "question");
        question = question.or_else(|| asked.map(|t| t["id"].as_str().unwrap().to_string()));
    }
    let question = question.expect("a question in a module forum");
    let thread = instructor.get(&format!("/api/v1/forums/threads/{question}?page=1")).await.json();
    let posts = thread["posts"].as_array().unwrap();
    assert!(posts.len() >= 3 && posts.iter().any(|p| p["accepted"] == true), "answered and accepted: {thread}");
    let authors: std::collections::HashSet<&str> = posts.iter().filter_map(|p| p["author_id"].as_str()).collect();
    assert!(authors.len() >= 3, "several demo learners take part: {thread}");

    let mut learner = app.client();
    let reply = learner.login(ACCOUNTS[1].email, ACCOUNTS[1].password).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let reply = learner.post("/api/v1/courses", json!({"title": "Not mine"})).await;
    assert_eq!(reply.status, 403, "the demo learner is a learner");
    app.stop().await;
}

/// An interrupted load (as an older version left when a write broke it, or a
/// crash midway): one course back in draft with its lessons missing, the last
/// two never created. The next `--demo` start completes it, and later starts
/// change nothing.
async fn completes_an_unfinished_demo_and_never_duplicates(backend: Backend) {
    let mut app = spawn_demo(backend).await;
    app.exec("UPDATE courses SET state = 'draft', published_at = NULL WHERE slug = 'linear-algebra-intuition'").await;
    app.exec("DELETE FROM lessons WHERE course_id IN (SELECT id FROM courses WHERE slug = 'linear-algebra-intuition')")
        .await;
    app.exec("DELETE FROM courses WHERE slug IN ('probabilites-pour-tous', 'advanced-rust-patterns')").await;
    assert_eq!(published(&demo_courses(&app).await.1).len(), 10, "the simulated interruption");

    assert_eq!(restart(&mut app).await, Loaded { created: 2, repaired: 1, kept: 10 });
    for _ in 0..2 {
        let (_, courses) = demo_courses(&app).await;
        assert_eq!((published(&courses).len(), courses.len()), (12, 13), "{courses:?}");
        let mut slugs: Vec<_> = courses.iter().map(|c| c["slug"].as_str().unwrap()).collect();
        slugs.sort_unstable();
        slugs.dedup();
        assert_eq!(slugs.len(), 13, "no demo course twice");
        let pool = app.state().db.pool();
        let submitted: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM assignment_submissions").fetch_one(pool).await.unwrap();
        let assignments: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM assignments").fetch_one(pool).await.unwrap();
        assert_eq!((assignments, submitted), (1, 3), "no demo assignment or submission twice");
        let threads: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM forum_threads").fetch_one(pool).await.unwrap();
        let posts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM forum_posts").fetch_one(pool).await.unwrap();
        assert_eq!((threads, posts), (4, 11), "no demo thread or post twice");
        assert_eq!(restart(&mut app).await, Loaded { created: 0, repaired: 0, kept: 13 });
    }
    app.stop().await;
}

on_both_backends!(serves_the_whole_demo_from_the_first_request, completes_an_unfinished_demo_and_never_duplicates);
