//! Importing manual grades from a CSV: the export's shape with a byte-order
//! mark or none, comma or semicolon, names in several scripts; the preview's
//! changes, refused rows and ignored columns; the apply in one transaction,
//! refused (409) when grades changed since the preview; the page's upload →
//! preview → apply; every route tried with a learner, another course's
//! instructor and a stranger — both backends.

use crate::{common, enrollment_kit};

use common::{Backend, TestClient, spawn};
use lyceum_platform::auth::Role;
use reqwest::Method;
use serde_json::{Value, json};

async fn item(teacher: &TestClient, course: &str, title: &str, max: f64) -> String {
    let made = teacher
        .post(&format!("/api/v1/courses/{course}/grade-items"), json!({"title": title, "max_points": max}))
        .await;
    assert_eq!(made.status, 201, "{}", made.text);
    made.json()["id"].as_str().unwrap().to_string()
}

async fn name(app: &common::TestApp, id: &str, name: &str) {
    sqlx::query("UPDATE users SET display_name = $1 WHERE id = $2")
        .bind(name)
        .bind(id)
        .execute(app.state().db.pool())
        .await
        .unwrap();
}

async fn a_csv_is_previewed_then_applied_once(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, li) = app.signed_in("li@example.org", Role::Learner).await;
    let (other_teacher, _) = app.signed_in("alan@example.org", Role::Instructor).await;
    let (stranger, _) = app.signed_in("stranger@example.org", Role::Learner).await;
    let (course, _) = enrollment_kit::published(&teacher, "Import", json!({})).await;
    let zoe = app.create_user("zoe@example.org", Role::Learner).await;
    let gone = app.create_user("gone@example.org", Role::Learner).await;
    name(&app, &li, "李小龍").await;
    name(&app, &zoe, "Zoë Ñandú").await;
    for email in ["li@example.org", "zoe@example.org", "gone@example.org"] {
        enrollment_kit::add_to_roster(&teacher, &course, email).await;
    }
    assert_eq!(teacher.delete(&format!("/api/v1/courses/{course}/roster/{gone}")).await.status, 204);
    let oral = item(&teacher, &course, "Oral, part 1", 20.0).await;
    let talk = item(&teacher, &course, "Talk", 10.0).await;
    let grade = format!("/api/v1/grade-items/{talk}/grades/{zoe}");
    assert_eq!(teacher.send(Method::PUT, &grade, Some(&json!({"points": 4}))).await.status, 200);

    // The export itself reads back (nothing changes).
    let export = teacher.get(&format!("/api/v1/courses/{course}/gradebook.csv")).await.text;
    let preview = format!("/api/v1/courses/{course}/gradebook/import/preview");
    let apply = format!("/api/v1/courses/{course}/gradebook/import/apply");
    let same = teacher.post(&preview, json!({"csv": export})).await;
    assert_eq!(same.status, 200, "{}", same.text);
    assert_eq!((same.json()["changes"].as_array().unwrap().len(), &same.json()["unchanged"]), (0, &json!(1)));

    // A semicolon file with a byte-order mark, decimal commas and refusals.
    let csv = "\u{feff}Name;E-mail;Oral, part 1 / 20;Talk;Mood;Total %\r\n\
               李小龍;LI@example.org;17,5;;;\r\n\
               Zoë Ñandú;zoe@example.org;12;11;;\r\n\
               Gone;gone@example.org;3;;;\r\n\
               X;nobody@example.org;3;;;\r\n\
               Zoë again;zoe@example.org;lots;;;\r\n";
    let previewed = teacher.post(&preview, json!({"csv": csv})).await;
    assert_eq!(previewed.status, 200, "{}", previewed.text);
    let p = previewed.json();
    let changes: Vec<(&str, &str, Value, f64)> = p["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap(),
                c["item_title"].as_str().unwrap(),
                c["old"].clone(),
                c["new"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        [("李小龍", "Oral, part 1", Value::Null, 17.5), ("Zoë Ñandú", "Oral, part 1", Value::Null, 12.0)]
    );
    let problems: Vec<(u64, &str)> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["line"].as_u64().unwrap(), e["problem"].as_str().unwrap()))
        .collect();
    assert_eq!(
        problems,
        [(1, "unknown_column"), (3, "out_of_range"), (4, "not_enrolled"), (5, "unknown_email"), (6, "duplicate_row")]
    );
    assert_eq!(p["errors"][1]["message"], "give points from 0 to 10");
    let ignored: Vec<&str> = p["ignored"].as_array().unwrap().iter().map(|i| i["column"].as_str().unwrap()).collect();
    assert_eq!(ignored, ["Name", "Total %"]);
    let digest = p["digest"].as_str().unwrap().to_string();
    let grid = format!("/api/v1/courses/{course}/gradebook");
    assert!(teacher.get(&grid).await.text.contains("\"total\":40"), "nothing written by the preview");

    // Nobody else previews or applies.
    for client in [&learner, &other_teacher, &stranger] {
        assert_eq!(client.post(&preview, json!({"csv": csv})).await.status, 404);
        assert_eq!(client.post(&apply, json!({"csv": csv, "digest": digest})).await.status, 404);
        assert_eq!(client.get(&format!("/teach/courses/{course}/gradebook/import")).await.status, 404);
    }
    // A grade changed since the preview: refused, nothing written.
    let oral_grade = format!("/api/v1/grade-items/{oral}/grades/{zoe}");
    assert_eq!(teacher.send(Method::PUT, &oral_grade, Some(&json!({"points": 1}))).await.status, 200);
    teacher.post(&apply, json!({"csv": csv, "digest": digest})).await.assert_problem(409, "stale-preview");
    let row_of =
        |grid: &Value, who: &str| grid["rows"].as_array().unwrap().iter().find(|r| r["user_id"] == who).cloned();
    let now = teacher.get(&grid).await.json();
    assert_eq!(row_of(&now, &li).unwrap()["grades"][0]["points"], Value::Null, "the transaction wrote nothing");
    // Previewed again, applied.
    let fresh = teacher.post(&preview, json!({"csv": csv})).await.json();
    assert_eq!(fresh["changes"][1]["old"], 1.0);
    let applied = teacher.post(&apply, json!({"csv": csv, "digest": fresh["digest"]})).await;
    assert_eq!(applied.status, 200, "{}", applied.text);
    assert_eq!(applied.json()["applied"], 2);
    let now = teacher.get(&grid).await.json();
    assert_eq!(row_of(&now, &li).unwrap()["grades"][0]["points"], 17.5);
    assert_eq!(row_of(&now, &zoe).unwrap()["grades"][0]["points"], 12.0);
    assert_eq!(row_of(&now, &zoe).unwrap()["grades"][1]["points"], 4.0, "the refused 11 left the 4");
    teacher.post(&preview, json!({"csv": "Name,Talk\nA,1\n"})).await.assert_problem(422, "validation");
    assert_eq!(teacher.post(&preview, json!({"csv": ""})).await.error_fields(), ["file"]);
    app.stop().await;
}

async fn the_page_uploads_previews_and_applies(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (course, _) = enrollment_kit::published(&teacher, "Import page", json!({})).await;
    let ahmed = app.create_user("ahmed@example.org", Role::Learner).await;
    name(&app, &ahmed, "Ахмед <b>").await;
    enrollment_kit::add_to_roster(&teacher, &course, "ahmed@example.org").await;
    item(&teacher, &course, "Talk", 10.0).await;
    let page = format!("/teach/courses/{course}/gradebook/import");
    assert!(teacher.get(&format!("/teach/courses/{course}/gradebook")).await.text.contains(&page), "linked");
    let csrf = teacher.page_csrf(&page).await;
    let upload = |bytes: Vec<u8>| {
        let part = reqwest::multipart::Part::bytes(bytes).file_name("grades.csv");
        reqwest::multipart::Form::new().text("csrf", csrf.clone()).part("file", part)
    };
    let sent = teacher.http.post(teacher.url(&page)).multipart(upload(b"E-mail,Talk\nahmed@example.org,8\n".to_vec()));
    let previewed = TestClient::reply(sent.send().await.unwrap()).await;
    assert_eq!(previewed.status, 200, "{}", previewed.text);
    assert!(
        previewed.text.contains("Ахмед &#60;b&#62;") && previewed.text.contains("<strong>8</strong>"),
        "{}",
        previewed.text
    );
    let digest =
        previewed.text.split("name=\"digest\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let latin1 = teacher.http.post(teacher.url(&page)).multipart(upload(b"E-mail,Talk\n\xe9@x.org,1\n".to_vec()));
    let refused = TestClient::reply(latin1.send().await.unwrap()).await;
    assert_eq!(refused.status, 422);
    assert!(refused.text.contains("not UTF-8"), "{}", refused.text);
    let stale = teacher
        .form(
            &format!("{page}/apply"),
            &[("csrf", &csrf), ("csv", "E-mail,Talk\nahmed@example.org,8\n"), ("digest", "0")],
        )
        .await;
    assert_eq!((stale.status.as_u16(), stale.header("location")), (303, page.as_str()), "back, with the reason");
    let applied = teacher
        .form(
            &format!("{page}/apply"),
            &[("csrf", &csrf), ("csv", "E-mail,Talk\nahmed@example.org,8\n"), ("digest", &digest)],
        )
        .await;
    assert_eq!(applied.status, 303, "{}", applied.text);
    let grid = teacher.get(&format!("/api/v1/courses/{course}/gradebook")).await.json();
    assert_eq!(grid["rows"][0]["grades"][0]["points"], 8.0);
    app.stop().await;
}

on_both_backends!(a_csv_is_previewed_then_applied_once, the_page_uploads_previews_and_applies);
