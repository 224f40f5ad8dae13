//! The gradebook: a quiz's and an assignment's grades arrive through their
//! events and fill the staff's grid and the learner's own page; manual
//! items, overrides with a note, hidden items, the total and letter, the
//! CSV in several scripts; every id route tried with a learner, another
//! course's instructor and a stranger — both backends.

use crate::{common, courses_kit, enrollment_kit, quiz_kit};

use common::{Backend, Reply, TestClient, spawn};
use lyceum_platform::auth::Role;
use reqwest::Method;
use serde_json::{Value, json};

async fn put(client: &TestClient, path: &str, body: Value) -> Reply {
    client.send(Method::PUT, path, Some(&body)).await
}

async fn grades_arrive_from_activities_and_staff_adjust_them(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, learner_id) = app.signed_in("zoe@example.org", Role::Learner).await;
    let (other_teacher, _) = app.signed_in("alan@example.org", Role::Instructor).await;
    let (stranger, _) = app.signed_in("stranger@example.org", Role::Learner).await;
    let (course, slug) = enrollment_kit::published(&teacher, "Grades", json!({})).await;
    let module = courses_kit::module(&teacher, &course, "Week 1").await;
    enrollment_kit::add_to_roster(&teacher, &course, "zoe@example.org").await;
    let grid = format!("/api/v1/courses/{course}/gradebook");
    let empty = teacher.get(&grid).await;
    assert_eq!(empty.status, 200, "{}", empty.text);
    assert_eq!(empty.json()["items"], json!([]));
    assert_eq!(empty.json()["rows"][0]["total"], Value::Null, "no grade, no total");

    // A quiz answered right: 100 %.
    let question = quiz_kit::gift_question(&teacher, &course, "::Sky::The sky is blue. {T}").await;
    let quiz = quiz_kit::quiz(&teacher, &course, &module, json!({}), &[&question]).await;
    let started = learner.post(&format!("/api/v1/quizzes/{}/attempts", quiz["id"].as_str().unwrap()), json!({})).await;
    let attempt = started.json()["attempt"]["id"].as_str().unwrap().to_string();
    let answers = json!({"answers": [{"slot": 0, "response": {"type": "true_false", "value": true}}]});
    assert_eq!(put(&learner, &format!("/api/v1/quizzes/attempts/{attempt}/answers"), answers).await.status, 200);
    assert_eq!(learner.post(&format!("/api/v1/quizzes/attempts/{attempt}/submit"), json!({})).await.status, 200);

    // An assignment graded 30 of 50.
    let made = teacher
        .post("/api/v1/assignments", json!({"module_id": module, "title": "Essay", "settings": {"max_points": 50}}))
        .await;
    let assignment = made.json()["id"].as_str().unwrap().to_string();
    let mine = format!("/api/v1/assignments/{assignment}/submission");
    put(&learner, &mine, json!({"text": "Words."})).await;
    let sid = learner.post(&format!("{mine}/submit"), json!({})).await.json()["submission"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        put(&teacher, &format!("/api/v1/assignment-submissions/{sid}/grade"), json!({"points": 30})).await.status,
        200
    );
    app.drain_jobs().await;

    let filled = teacher.get(&grid).await.json();
    let titles: Vec<&str> = filled["items"].as_array().unwrap().iter().map(|i| i["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Check-up", "Essay"], "{filled}");
    let row = &filled["rows"][0];
    assert_eq!((row["grades"][0]["points"].as_f64(), row["grades"][1]["points"].as_f64()), (Some(100.0), Some(30.0)));
    assert_eq!((row["total"].as_f64(), row["letter"].as_str()), (Some(86.67), Some("B")), "130 of 150");

    // A manual item, an override with its note, a hidden item.
    let items = format!("/api/v1/courses/{course}/grade-items");
    teacher.post(&items, json!({"title": "", "max_points": 10})).await.assert_problem(422, "validation");
    teacher.post(&items, json!({"title": "Talk", "max_points": 0})).await.assert_problem(422, "validation");
    let talk = teacher.post(&items, json!({"title": "Participation", "max_points": 10})).await;
    assert_eq!(talk.status, 201, "{}", talk.text);
    let talk = talk.json()["id"].as_str().unwrap().to_string();
    let essay_item = filled["items"][1]["id"].as_str().unwrap().to_string();
    let quiz_item = filled["items"][0]["id"].as_str().unwrap().to_string();
    let grade = |item: &str| format!("/api/v1/grade-items/{item}/grades/{learner_id}");
    put(&teacher, &grade(&talk), json!({"points": 11})).await.assert_problem(422, "validation");
    assert_eq!(put(&teacher, &grade(&talk), json!({"points": 9})).await.status, 200);
    let overridden = put(&teacher, &grade(&essay_item), json!({"points": 45, "note": "Regraded after appeal"})).await;
    assert_eq!(overridden.status, 200, "{}", overridden.text);
    assert_eq!(
        (overridden.json()["points"].as_f64(), overridden.json()["original"].as_f64()),
        (Some(45.0), Some(30.0))
    );
    let quiz_path = format!("/api/v1/grade-items/{quiz_item}");
    assert_eq!(teacher.send(Method::PATCH, &quiz_path, Some(&json!({"hidden": true}))).await.status, 200);
    teacher
        .send(Method::PATCH, &quiz_path, Some(&json!({"title": "Renamed"})))
        .await
        .assert_problem(409, "activity-item");
    teacher.delete(&format!("/api/v1/grade-items/{quiz_item}")).await.assert_problem(409, "activity-item");
    let stranger_grade =
        format!("/api/v1/grade-items/{talk}/grades/{}", app.create_user("nobody@example.org", Role::Learner).await);
    put(&teacher, &stranger_grade, json!({"points": 1})).await.assert_problem(422, "validation");

    // The learner sees the visible items only, with what counts.
    let own = learner.get(&format!("/api/v1/courses/{course}/grades/me")).await.json();
    let titles: Vec<&str> = own["items"].as_array().unwrap().iter().map(|i| i["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Essay", "Participation"], "the hidden quiz is not shown: {own}");
    assert_eq!((own["grades"][0]["points"].as_f64(), own["total"].as_f64()), (Some(45.0), Some(90.0)), "{own}");
    assert!(own["grades"][0].get("note").is_none() && own["grades"][0].get("original").is_none(), "{own}");
    let page = learner.get(&format!("/learn/{slug}/grades")).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains("Participation") && page.text.contains("90 %") && !page.text.contains("Check-up"));

    // Nobody else reaches any of it.
    for client in [&learner, &other_teacher, &stranger] {
        assert_eq!(client.get(&grid).await.status, 404);
        assert_eq!(client.get(&format!("{grid}.csv")).await.status, 404);
        assert_eq!(client.post(&items, json!({"title": "Mine", "max_points": 5})).await.status, 404);
        assert_eq!(put(client, &grade(&talk), json!({"points": 10})).await.status, 404);
        assert_eq!(
            client
                .send(Method::PATCH, &format!("/api/v1/grade-items/{talk}"), Some(&json!({"hidden": true})))
                .await
                .status,
            404
        );
        assert_eq!(client.delete(&format!("/api/v1/grade-items/{talk}")).await.status, 404);
        assert_eq!(client.get(&format!("/teach/courses/{course}/gradebook")).await.status, 404);
        assert_eq!(client.get(&format!("/teach/grade-items/{talk}")).await.status, 404);
    }
    for client in [&other_teacher, &stranger] {
        assert_eq!(client.get(&format!("/api/v1/courses/{course}/grades/me")).await.status, 404);
    }
    app.stop().await;
}

async fn the_csv_opens_in_a_spreadsheet_with_every_script(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (course, _) = enrollment_kit::published(&teacher, "Scripts", json!({})).await;
    let names = ["Zoë Ñandú", "李小龍", "Ахмед", "=cmd|' /C calc'!A0"];
    let mut ids = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let email = format!("learner{i}@example.org");
        let id = app.create_user(&email, Role::Learner).await;
        sqlx::query("UPDATE users SET display_name = $1 WHERE id = $2")
            .bind(name)
            .bind(&id)
            .execute(app.state().db.pool())
            .await
            .unwrap();
        enrollment_kit::add_to_roster(&teacher, &course, &email).await;
        ids.push(id);
    }
    let item = teacher
        .post(&format!("/api/v1/courses/{course}/grade-items"), json!({"title": "Oral, part 1", "max_points": 20}))
        .await;
    let item = item.json()["id"].as_str().unwrap().to_string();
    assert_eq!(
        put(&teacher, &format!("/api/v1/grade-items/{item}/grades/{}", ids[1]), json!({"points": 17.5})).await.status,
        200
    );
    let csv = teacher.get(&format!("/api/v1/courses/{course}/gradebook.csv")).await;
    assert_eq!(csv.status, 200);
    assert_eq!(csv.header("content-type"), "text/csv; charset=utf-8");
    assert!(csv.header("content-disposition").starts_with("attachment"), "a download");
    assert!(csv.text.starts_with('\u{feff}'), "a byte-order mark");
    let lines: Vec<&str> = csv.text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "Name,E-mail,\"Oral, part 1 / 20\",Total %,Letter");
    assert_eq!(lines.len(), 5, "{}", csv.text);
    assert!(lines.contains(&"李小龍,learner1@example.org,17.5,87.5,B"), "{}", csv.text);
    assert!(lines.iter().any(|l| l.starts_with("Zoë Ñandú,")) && lines.iter().any(|l| l.starts_with("Ахмед,")));
    assert!(lines.iter().any(|l| l.starts_with("'=cmd|' /C calc'!A0,")), "a formula is defused: {}", csv.text);
    app.stop().await;
}

async fn the_pages_add_an_item_and_grade_a_learner(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, learner_id) = app.signed_in("zoe@example.org", Role::Learner).await;
    let (course, slug) = enrollment_kit::published(&teacher, "Pages", json!({})).await;
    enrollment_kit::add_to_roster(&teacher, &course, "zoe@example.org").await;
    let grid = format!("/teach/courses/{course}/gradebook");
    let csrf = teacher.page_csrf(&grid).await;
    let title = "<b>Lab</b> & talk";
    let added =
        teacher.form(&format!("{grid}/items"), &[("csrf", &csrf), ("title", title), ("max_points", "10")]).await;
    assert_eq!(added.status, 303, "{}", added.text);
    let item = added.header("location").to_string();
    assert!(item.starts_with("/teach/grade-items/"), "{item}");
    let refused =
        teacher.form(&format!("{grid}/items"), &[("csrf", &csrf), ("title", "x"), ("max_points", "lots")]).await;
    assert_eq!(refused.status, 303, "back to the grid with the reason");
    let saved = teacher.form(&format!("{item}/grades/{learner_id}"), &[("csrf", &csrf), ("points", "7,5")]).await;
    assert_eq!(saved.status, 303, "{}", saved.text);
    let page = teacher.get(&grid).await.text;
    assert!(page.contains("&#60;b&#62;Lab&#60;/b&#62; &#38; talk") && page.contains("7.5"), "escaped, graded: {page}");
    assert!(page.contains("75 %"), "{page}");
    let own = learner.get(&format!("/learn/{slug}/grades")).await.text;
    assert!(own.contains("7.5") && own.contains("75 %") && !own.contains("<b>Lab"), "{own}");
    app.stop().await;
}

async fn categories_weigh_the_total_drop_the_lowest_and_count_extra_credit(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, learner_id) = app.signed_in("zoe@example.org", Role::Learner).await;
    let (other_teacher, _) = app.signed_in("alan@example.org", Role::Instructor).await;
    let (course, _) = enrollment_kit::published(&teacher, "Weights", json!({})).await;
    enrollment_kit::add_to_roster(&teacher, &course, "zoe@example.org").await;
    let categories = format!("/api/v1/courses/{course}/grade-categories");
    teacher.post(&categories, json!({"name": "Quizzes", "weight": 140})).await.assert_problem(422, "validation");
    teacher
        .post(&categories, json!({"name": "Quizzes", "weight": 40, "drop_lowest": 50}))
        .await
        .assert_problem(422, "validation");
    assert_eq!(other_teacher.post(&categories, json!({"name": "Mine", "weight": 10})).await.status, 404);
    let quizzes = teacher.post(&categories, json!({"name": "Quizzes", "weight": 40, "drop_lowest": 1})).await;
    assert_eq!(quizzes.status, 201, "{}", quizzes.text);
    let quizzes = quizzes.json()["id"].as_str().unwrap().to_string();
    let essays = teacher.post(&categories, json!({"name": "Essays", "weight": 60})).await.json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let item = |title: &'static str, max: f64| {
        let teacher = &teacher;
        let course = &course;
        async move {
            let made = teacher
                .post(&format!("/api/v1/courses/{course}/grade-items"), json!({"title": title, "max_points": max}))
                .await;
            made.json()["id"].as_str().unwrap().to_string()
        }
    };
    let (q1, q2, essay, bonus) =
        (item("Q1", 10.0).await, item("Q2", 10.0).await, item("Essay", 100.0).await, item("Bonus", 5.0).await);
    let patch = |id: String, body: Value| {
        let teacher = &teacher;
        async move { teacher.send(Method::PATCH, &format!("/api/v1/grade-items/{id}"), Some(&body)).await }
    };
    assert_eq!(patch(q1.clone(), json!({"category_id": quizzes})).await.status, 200);
    assert_eq!(patch(q2.clone(), json!({"category_id": quizzes})).await.status, 200);
    assert_eq!(patch(essay.clone(), json!({"category_id": essays})).await.status, 200);
    assert_eq!(patch(bonus.clone(), json!({"category_id": essays, "extra_credit": true})).await.status, 200);
    let (other_course, _) = enrollment_kit::published(&other_teacher, "Elsewhere", json!({})).await;
    let theirs = other_teacher
        .post(&format!("/api/v1/courses/{other_course}/grade-categories"), json!({"name": "T", "weight": 5}))
        .await;
    let theirs = theirs.json()["id"].as_str().unwrap().to_string();
    patch(q1.clone(), json!({"category_id": theirs})).await.assert_problem(422, "validation");
    for (id, points) in [(&q1, 2.0), (&q2, 9.0), (&essay, 70.0), (&bonus, 5.0)] {
        let path = format!("/api/v1/grade-items/{id}/grades/{learner_id}");
        assert_eq!(put(&teacher, &path, json!({"points": points})).await.status, 200);
    }
    // Quizzes: 2 dropped, 9 of 10 → 90 %; essays: (70 + 5 extra) of 100 → 75 %; 0.4 × 90 + 0.6 × 75 = 81.
    let grid = teacher.get(&format!("/api/v1/courses/{course}/gradebook")).await.json();
    assert_eq!(grid["rows"][0]["total"].as_f64(), Some(81.0), "{grid}");
    assert_eq!(grid["categories"].as_array().unwrap().len(), 2);
    assert_eq!(learner.get(&format!("/api/v1/courses/{course}/grades/me")).await.json()["total"].as_f64(), Some(81.0));
    assert_eq!(
        put(&other_teacher, &format!("/api/v1/grade-categories/{quizzes}"), json!({"name": "X", "weight": 1}))
            .await
            .status,
        404
    );
    assert_eq!(other_teacher.delete(&format!("/api/v1/grade-categories/{quizzes}")).await.status, 404);
    // Without the quizzes category its items are loose: worth 100 − 60 = 40, no drop → 11 of 20.
    assert_eq!(teacher.delete(&format!("/api/v1/grade-categories/{quizzes}")).await.status, 204);
    let grid = teacher.get(&format!("/api/v1/courses/{course}/gradebook")).await.json();
    assert_eq!(grid["rows"][0]["total"].as_f64(), Some(67.0), "0.4 × 55 + 0.6 × 75: {grid}");
    let page = teacher.get(&format!("/teach/courses/{course}/gradebook")).await.text;
    assert!(page.contains("Essays") && page.contains("extra credit"), "{page}");
    app.stop().await;
}

/// A quiz's and an assignment's items exist from the activity's creation,
/// before any grade, and follow a changed maximum.
async fn items_appear_with_their_activities(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (course, _) = enrollment_kit::published(&teacher, "Grades", json!({})).await;
    let module = courses_kit::module(&teacher, &course, "Week 1").await;
    app.create_user("learner@example.org", Role::Learner).await;
    enrollment_kit::add_to_roster(&teacher, &course, "learner@example.org").await;
    let question = quiz_kit::gift_question(&teacher, &course, "::Sky::The sky is blue. {T}").await;
    quiz_kit::quiz(&teacher, &course, &module, json!({}), &[&question]).await;
    let made = teacher
        .post("/api/v1/assignments", json!({"module_id": module, "title": "Essay", "settings": {"max_points": 50}}))
        .await;
    let assignment = made.json()["id"].as_str().unwrap().to_string();
    app.drain_jobs().await;
    let grid = format!("/api/v1/courses/{course}/gradebook");
    let items = |grid: &Value| -> Vec<(String, f64)> {
        let items = grid["items"].as_array().unwrap().iter();
        items.map(|i| (i["title"].as_str().unwrap().to_string(), i["max_points"].as_f64().unwrap())).collect()
    };
    let before = teacher.get(&grid).await.json();
    assert_eq!(items(&before), [("Check-up".to_string(), 100.0), ("Essay".to_string(), 50.0)], "{before}");
    assert_eq!(before["rows"][0]["total"], Value::Null, "no grade yet, no total");
    let settings = json!({"settings": {"max_points": 40}});
    assert_eq!(put(&teacher, &format!("/api/v1/assignments/{assignment}"), settings).await.status, 200);
    app.drain_jobs().await;
    assert_eq!(items(&teacher.get(&grid).await.json())[1], ("Essay".to_string(), 40.0), "the maximum follows");
    app.stop().await;
}

on_both_backends!(
    items_appear_with_their_activities,
    grades_arrive_from_activities_and_staff_adjust_them,
    the_csv_opens_in_a_spreadsheet_with_every_script,
    the_pages_add_an_item_and_grade_a_learner,
    categories_weigh_the_total_drop_the_lowest_and_count_extra_credit
);
