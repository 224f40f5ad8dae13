//! The staff's grid sorted by name, by course total or by one item's grade,
//! both ways, a page at a time (learners without a grade last either way);
//! the page's sortable headers (aria-sort) and its keyboard script; a bad
//! sort refused; every sort tried with a learner, another course's
//! instructor and a stranger — both backends.

use crate::{common, enrollment_kit};

use common::{Backend, TestClient, spawn};
use lyceum_platform::auth::Role;
use reqwest::Method;
use serde_json::{Value, json};

async fn names(client: &TestClient, path: &str) -> (Vec<String>, Value) {
    let reply = client.get(path).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let body = reply.json();
    let names = body["rows"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap().to_string()).collect();
    (names, body["next_cursor"].clone())
}

async fn the_grid_sorts_by_name_total_or_item(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, _) = app.signed_in("learner@example.org", Role::Learner).await;
    let (other_teacher, _) = app.signed_in("alan@example.org", Role::Instructor).await;
    let (stranger, _) = app.signed_in("stranger@example.org", Role::Learner).await;
    let (course, _) = enrollment_kit::published(&teacher, "Sorting", json!({})).await;
    let made = |title: &'static str, max: f64| {
        let (teacher, course) = (&teacher, &course);
        async move {
            let made = teacher
                .post(&format!("/api/v1/courses/{course}/grade-items"), json!({"title": title, "max_points": max}))
                .await;
            made.json()["id"].as_str().unwrap().to_string()
        }
    };
    let (talk, essay) = (made("Talk", 10.0).await, made("Essay", 100.0).await);
    // (name, talk, essay): totals 80 %, 50 %, 95 %, none.
    let people =
        [("Zoë", Some(8.0), None), ("bob", Some(2.0), Some(58.0)), ("Ахмед", None, Some(95.0)), ("李小龍", None, None)];
    for (i, (name, t, e)) in people.iter().enumerate() {
        let email = format!("l{i}@example.org");
        let id = app.create_user(&email, Role::Learner).await;
        sqlx::query("UPDATE users SET display_name = $1 WHERE id = $2")
            .bind(name)
            .bind(&id)
            .execute(app.state().db.pool())
            .await
            .unwrap();
        enrollment_kit::add_to_roster(&teacher, &course, &email).await;
        for (item, points) in [(&talk, t), (&essay, e)] {
            if let Some(p) = points {
                let path = format!("/api/v1/grade-items/{item}/grades/{id}");
                assert_eq!(teacher.send(Method::PUT, &path, Some(&json!({"points": p}))).await.status, 200);
            }
        }
    }
    let grid = format!("/api/v1/courses/{course}/gradebook");
    assert_eq!(names(&teacher, &format!("{grid}?sort=name")).await.0, ["bob", "Zoë", "Ахмед", "李小龍"]);
    assert_eq!(names(&teacher, &format!("{grid}?sort=name&dir=desc")).await.0, ["李小龍", "Ахмед", "Zoë", "bob"]);
    assert_eq!(names(&teacher, &format!("{grid}?sort=total&dir=desc")).await.0, ["Ахмед", "Zoë", "bob", "李小龍"]);
    assert_eq!(names(&teacher, &format!("{grid}?sort=total")).await.0, ["bob", "Zoë", "Ахмед", "李小龍"], "none last");
    let by_talk = names(&teacher, &format!("{grid}?sort=item:{talk}&dir=desc")).await.0;
    assert_eq!(by_talk, ["Zoë", "bob", "Ахмед", "李小龍"], "ungraded last, by name");
    // A page at a time, the cursor carrying on in the same order.
    let (first, next) = names(&teacher, &format!("{grid}?sort=total&dir=desc&limit=3")).await;
    assert_eq!(first, ["Ахмед", "Zoë", "bob"]);
    let next = next.as_str().unwrap().to_string();
    let (rest, end) = names(&teacher, &format!("{grid}?sort=total&dir=desc&limit=3&cursor={next}")).await;
    assert_eq!((rest, end), (vec!["李小龍".to_string()], Value::Null));
    let row = teacher.get(&format!("{grid}?sort=total&dir=desc&limit=1")).await.json()["rows"][0].clone();
    assert_eq!((row["email"].as_str(), row["total"].as_f64()), (Some("l2@example.org"), Some(95.0)), "{row}");

    teacher.get(&format!("{grid}?sort=age")).await.assert_problem(422, "validation");
    assert_eq!(teacher.get(&format!("{grid}?sort=total&dir=up")).await.error_fields(), ["sort"]);
    assert_eq!(teacher.get(&format!("{grid}?sort=item:nope")).await.error_fields(), ["sort"]);
    assert_eq!(teacher.get(&format!("{grid}?sort=name&cursor=x")).await.error_fields(), ["cursor"]);
    for client in [&learner, &other_teacher, &stranger] {
        assert_eq!(client.get(&format!("{grid}?sort=name")).await.status, 404);
        assert_eq!(client.get(&format!("{grid}?sort=item:{talk}")).await.status, 404);
        assert_eq!(client.get(&format!("/teach/courses/{course}/gradebook?sort=total")).await.status, 404);
    }

    // The page: sortable headers, cells that open their item, the script.
    let page = teacher.get(&format!("/teach/courses/{course}/gradebook?sort=total&dir=asc")).await;
    assert_eq!(page.status, 200, "{}", page.text);
    let text = page.text;
    assert!(text.contains("aria-sort=\"ascending\"><a href=\"?sort=total&#38;dir=desc\""), "{text}");
    assert!(text.contains("aria-sort=\"none\"><a href=\"?sort=name&#38;dir=asc\""), "{text}");
    assert!(text.contains(&format!("?sort=item:{talk}&#38;dir=asc")), "{text}");
    assert!(text.contains(&format!("data-href=\"/teach/grade-items/{essay}\"")), "{text}");
    assert!(text.find("bob").unwrap() < text.find("Zoë").unwrap(), "in total order");
    let script = text.split("<script src=\"/assets/gradebook-grid.").nth(1).expect("the grid's script");
    let script = format!("/assets/gradebook-grid.{}", script.split('"').next().unwrap());
    let js = app.client().get(&script).await;
    assert_eq!((js.status.as_u16(), js.header("content-type")), (200, "text/javascript; charset=utf-8"));
    assert!(js.text.contains("ArrowDown") && js.header("cache-control").contains("immutable"));
    app.stop().await;
}

on_both_backends!(the_grid_sorts_by_name_total_or_item);
