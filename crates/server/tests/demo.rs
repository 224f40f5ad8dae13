//! `serve --demo` on an empty database: the demo accounts and catalog appear
//! once, through the same services real users go through.

mod common;

use common::{Backend, spawn};
use serde_json::json;

async fn loads_the_demo_catalog_once(backend: Backend) {
    let app = spawn(backend).await;
    let accounts = lyceum::demo::seed(app.state()).await.unwrap().expect("first seed creates the accounts");
    assert!(lyceum::demo::seed(app.state()).await.unwrap().is_none(), "a second start seeds nothing");

    let mut instructor = app.client();
    let reply = instructor.login(accounts[0].email, accounts[0].password).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let reply = instructor.get("/api/v1/courses?limit=100").await;
    let courses = reply.json()["items"].as_array().unwrap().clone();
    let published: Vec<_> = courses.iter().filter(|c| c["state"] == "published").collect();
    assert_eq!(published.len(), 12, "{}", reply.text);
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

    let mut learner = app.client();
    let reply = learner.login(accounts[1].email, accounts[1].password).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let reply = learner.post("/api/v1/courses", json!({"title": "Not mine"})).await;
    assert_eq!(reply.status, 403, "the demo learner is a learner");
    app.stop().await;
}

on_both_backends!(loads_the_demo_catalog_once);
