//! Assignments graded with a course's marking guide (points and a comment
//! per criterion, scaled to the maximum) or scale (a level the learner sees
//! by name, worth points by its position, no late penalty); settings that
//! only name a rubric keep working; every definition route tried with a
//! learner, another course's instructor and a stranger — both backends.

use crate::{
    assignments::{DAY_MS, class, create, now_ms, put, rfc3339, upload},
    common::{Backend, Reply},
    courses_kit, enrollment_kit,
};

use serde_json::{Value, json};

fn id_of(reply: &Reply) -> String {
    assert!(reply.status.is_success(), "{}", reply.text);
    reply.json()["id"].as_str().unwrap().to_string()
}

/// Submits some text as `c.learner` and returns the submission's id.
async fn hand_in(c: &crate::assignments::Class, assignment: &str) -> String {
    let mine = format!("/api/v1/assignments/{assignment}/submission");
    assert_eq!(put(&c.learner, &mine, json!({"text": "My work."})).await.status, 200);
    let done = c.learner.post(&format!("{mine}/submit"), json!({})).await;
    assert_eq!(done.status, 200, "{}", done.text);
    done.json()["submission"]["id"].as_str().unwrap().to_string()
}

/// Nobody but the course's staff reaches a definition: 404 on every route.
async fn only_the_staff_reach(c: &crate::assignments::Class, api: &str, id: &str, body: Value) {
    let list = format!("/api/v1/courses/{}/{api}", c.course);
    for client in [&c.learner, &c.other_teacher, &c.stranger] {
        assert_eq!(client.get(&list).await.status, 404);
        assert_eq!(client.post(&list, body.clone()).await.status, 404);
        assert_eq!(client.get(&format!("/api/v1/{api}/{id}")).await.status, 404);
        assert_eq!(put(client, &format!("/api/v1/{api}/{id}"), body.clone()).await.status, 404);
        assert_eq!(client.delete(&format!("/api/v1/{api}/{id}")).await.status, 404);
        assert_eq!(client.get(&format!("/teach/{}/{id}", api)).await.status, 404);
    }
    assert_eq!(c.app.client().get(&format!("/api/v1/{api}/{id}")).await.status, 401);
}

async fn a_marking_guide_gives_points_and_a_comment_per_criterion(backend: Backend) {
    let c = class(backend).await;
    let guides = format!("/api/v1/courses/{}/marking-guides", c.course);
    let text = "Clarity | 10 | Is the argument easy to follow?\nSources | 5";
    let bad = c.teacher.post(&guides, json!({"title": "G", "text": "Clarity | 10\nSources | lots"})).await;
    bad.assert_problem(422, "validation");
    assert_eq!(bad.error_fields(), ["criteria"]);
    assert!(bad.text.contains("Line 2"), "the line is named: {}", bad.text);
    let made = c.teacher.post(&guides, json!({"title": "Essay <guide>", "text": text})).await;
    assert_eq!(made.status, 201, "{}", made.text);
    assert_eq!(made.json()["max_points"], 15.0);
    let guide = id_of(&made);
    only_the_staff_reach(&c, "marking-guides", &guide, json!({"title": "x", "text": text})).await;
    assert_eq!(c.teacher.get(&format!("/api/v1/rubrics/{guide}")).await.status, 404, "a guide is no rubric");

    // The settings name the method and a guide of the course.
    let theirs = enrollment_kit::published(&c.other_teacher, "Elsewhere", json!({})).await.0;
    let theirs = c
        .other_teacher
        .post(&format!("/api/v1/courses/{theirs}/marking-guides"), json!({"title": "T", "text": text}))
        .await;
    let rubric = c
        .teacher
        .post(&format!("/api/v1/courses/{}/rubrics", c.course), json!({"title": "R", "text": "A | x = 0 | y = 1"}))
        .await;
    for grading_id in [Value::Null, json!(id_of(&theirs)), json!(id_of(&rubric))] {
        let settings = json!({"grading_method": "guide", "grading_id": grading_id});
        let refused = c
            .teacher
            .post("/api/v1/assignments", json!({"module_id": c.module, "title": "X", "settings": settings}))
            .await;
        refused.assert_problem(422, "validation");
        assert_eq!(refused.error_fields(), ["settings.grading_id"], "{grading_id}");
    }
    let a = create(&c, "Essay", json!({"grading_method": "guide", "grading_id": guide, "max_points": 30})).await;
    assert_eq!((a["settings"]["grading_method"].as_str(), a["settings"]["rubric_id"].as_str()), (Some("guide"), None));
    let id = a["id"].as_str().unwrap().to_string();
    let sid = hand_in(&c, &id).await;

    let grade = format!("/api/v1/assignment-submissions/{sid}/grade");
    let one = json!({"guide": [{"points": 7.5, "comment": "Clear"}]});
    assert_eq!(put(&c.teacher, &grade, one).await.error_fields(), ["guide"]);
    let over = json!({"guide": [{"points": 10.5}, {"points": 1}]});
    assert_eq!(put(&c.teacher, &grade, over).await.error_fields(), ["guide.0.points"]);
    let decimals = json!({"guide": [{"points": 1}, {"points": 1.125}]});
    assert_eq!(put(&c.teacher, &grade, decimals).await.error_fields(), ["guide.1.points"]);
    let marks =
        json!({"guide": [{"points": 7.5, "comment": "Clear <b>mostly</b>"}, {"points": 5}], "feedback": "Good."});
    let graded = put(&c.teacher, &grade, marks).await;
    assert_eq!(graded.status, 200, "{}", graded.text);
    assert_eq!(graded.json()["points"].as_f64(), Some(25.0), "12.5 of 15, scaled to 30");
    let seen = c.learner.get(&format!("/api/v1/assignment-submissions/{sid}")).await.json();
    assert_eq!(seen["guide"][0], json!({"points": 7.5, "comment": "Clear <b>mostly</b>"}), "{seen}");
    c.teacher.delete(&format!("/api/v1/marking-guides/{guide}")).await.assert_problem(409, "guide-in-use");

    // The pages: a points field and a comment per criterion; the learner's marks escaped.
    let grading = format!("/teach/assignment-submissions/{sid}");
    let page = c.teacher.get(&grading).await.text;
    assert!(page.contains("name=\"guide.1.comment\"") && page.contains("Is the argument easy to follow?"), "{page}");
    let csrf = c.teacher.page_csrf(&grading).await;
    let refused = c.teacher.form(&grading, &[("csrf", &csrf), ("guide.0.points", "11"), ("guide.1.points", "5")]).await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(refused.text.contains("Give points from 0 to 10"), "{}", refused.text);
    let saved = c
        .teacher
        .form(
            &grading,
            &[("csrf", &csrf), ("guide.0.points", "10"), ("guide.0.comment", "Vivid"), ("guide.1.points", "2,5")],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.text);
    let learner_page = c.learner.get(&format!("/assignments/{id}")).await.text;
    assert!(learner_page.contains("25 / 30") && learner_page.contains("2.5 / 5"), "{learner_page}");
    assert!(learner_page.contains("Essay &#60;guide&#62;") && learner_page.contains("Vivid"), "{learner_page}");
    assert!(!learner_page.contains("Is the argument easy to follow?"), "the grader's description is the grader's");
    let list = c.teacher.get(&format!("/teach/courses/{}/marking-guides", c.course)).await;
    assert!(list.text.contains("Essay &#60;guide&#62;"), "{}", list.text);
    let csrf = c.teacher.page_csrf(&format!("/teach/courses/{}/marking-guides", c.course)).await;
    let bad_page = c
        .teacher
        .form(
            &format!("/teach/courses/{}/marking-guides", c.course),
            &[("csrf", &csrf), ("title", "G"), ("text", "| 3")],
        )
        .await;
    assert!(bad_page.status == 422 && bad_page.text.contains("Line 1"), "{}", bad_page.text);
    c.app.stop().await;
}

async fn a_scale_grade_is_a_level_worth_points_by_its_position(backend: Backend) {
    let c = class(backend).await;
    let scales = format!("/api/v1/courses/{}/scales", c.course);
    let bad = c.teacher.post(&scales, json!({"title": "S", "text": "Only"})).await;
    bad.assert_problem(422, "validation");
    assert_eq!(bad.error_fields(), ["levels"]);
    let made = c.teacher.post(&scales, json!({"title": "Competence", "text": "Not yet, Competent, Excellent"})).await;
    assert_eq!(made.json()["levels"], json!(["Not yet", "Competent", "Excellent"]));
    let scale = id_of(&made);
    only_the_staff_reach(&c, "scales", &scale, json!({"title": "x", "text": "a, b"})).await;

    // Submitted two days late, with a 10 % daily penalty: a scale takes none.
    let settings = json!({"grading_method": "scale", "grading_id": scale, "max_points": 50, "pass_points": 25,
        "completion": "passed", "due_at": rfc3339(now_ms() - 2 * DAY_MS + 60_000), "late_penalty_percent": 10});
    let a = create(&c, "Presentation", settings).await;
    let id = a["id"].as_str().unwrap().to_string();
    let lesson = a["lesson_id"].as_str().unwrap().to_string();
    let sid = hand_in(&c, &id).await;
    let grade = format!("/api/v1/assignment-submissions/{sid}/grade");
    assert_eq!(put(&c.teacher, &grade, json!({"scale_level": 3})).await.error_fields(), ["scale"]);
    assert_eq!(put(&c.teacher, &grade, json!({"points": 50})).await.error_fields(), ["scale"]);
    let graded = put(&c.teacher, &grade, json!({"scale_level": 1})).await;
    assert_eq!(graded.status, 200, "{}", graded.text);
    assert_eq!((graded.json()["points"].as_f64(), graded.json()["grade"].as_f64()), (Some(25.0), Some(25.0)));
    assert_eq!(c.learner.get(&format!("/api/v1/assignment-submissions/{sid}")).await.json()["scale_level"], 1);
    c.app.drain_jobs().await;
    let completed = "SELECT COUNT(*) FROM lesson_progress WHERE lesson_id = $1 AND completed_at IS NOT NULL";
    assert_eq!(courses_kit::count(&c.app, completed, &lesson).await, 1, "the middle level is the pass mark");
    let page = c.learner.get(&format!("/assignments/{id}")).await.text;
    assert!(page.contains("<strong>Competent</strong>") && !page.contains("25 / 50"), "the level, not points: {page}");
    c.teacher.delete(&format!("/api/v1/scales/{scale}")).await.assert_problem(409, "scale-in-use");

    // The grading page: a radio per level.
    let grading = format!("/teach/assignment-submissions/{sid}");
    assert!(c.teacher.get(&grading).await.text.contains("name=\"scale\" value=\"2\""));
    let csrf = c.teacher.page_csrf(&grading).await;
    assert_eq!(c.teacher.form(&grading, &[("csrf", &csrf), ("scale", "2")]).await.status, 303);
    assert!(c.learner.get(&format!("/assignments/{id}")).await.text.contains("<strong>Excellent</strong>"));

    // The settings page: one select for the method and its definition.
    let manage = format!("/teach/assignments/{id}");
    let text = c.teacher.get(&manage).await.text;
    assert!(text.contains(&format!("value=\"scale:{scale}\" selected")), "{text}");
    let csrf = c.teacher.page_csrf(&manage).await;
    let fields = [
        ("csrf", csrf.as_str()),
        ("max_points", "50"),
        ("max_files", "1"),
        ("online_text", "on"),
        ("grading", "guide:nope"),
    ];
    let refused = c.teacher.form(&format!("{manage}/settings"), &fields).await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    c.app.stop().await;
}

async fn settings_that_only_name_a_rubric_keep_grading_with_it(backend: Backend) {
    let c = class(backend).await;
    let rubric = c
        .teacher
        .post(&format!("/api/v1/courses/{}/rubrics", c.course), json!({"title": "R", "text": "A | x = 0 | y = 4"}))
        .await;
    let rubric = id_of(&rubric);
    let a = create(&c, "Old client", json!({"rubric_id": rubric, "max_points": 8})).await;
    assert_eq!(
        (a["settings"]["grading_method"].as_str(), a["settings"]["grading_id"].as_str()),
        (Some("rubric"), Some(rubric.as_str()))
    );
    let id = a["id"].as_str().unwrap().to_string();
    // Settings stored before the method was named carry only `rubric_id`.
    let stored = json!({"rubric_id": rubric, "max_points": 8.0}).to_string();
    let pool = c.app.state().db.pool();
    sqlx::query("UPDATE assignments SET settings = $1 WHERE id = $2")
        .bind(&stored)
        .bind(&id)
        .execute(pool)
        .await
        .unwrap();
    let read = c.teacher.get(&format!("/api/v1/assignments/{id}")).await.json();
    assert_eq!(read["settings"]["grading_method"], "rubric", "{read}");
    let sid = hand_in(&c, &id).await;
    let graded = put(&c.teacher, &format!("/api/v1/assignment-submissions/{sid}/grade"), json!({"rubric": [1]})).await;
    assert_eq!(graded.json()["points"].as_f64(), Some(8.0), "{}", graded.text);
    c.teacher.delete(&format!("/api/v1/rubrics/{rubric}")).await.assert_problem(409, "rubric-in-use");
    // An explicit method wins over a `rubric_id` left in the body.
    let body = json!({"settings": {"rubric_id": rubric, "grading_method": "points", "max_points": 8}});
    let changed = put(&c.teacher, &format!("/api/v1/assignments/{id}"), body).await;
    assert_eq!(changed.json()["settings"]["grading_method"], "points", "{}", changed.text);
    assert_eq!(c.teacher.delete(&format!("/api/v1/rubrics/{rubric}")).await.status, 204);
    c.app.stop().await;
}

async fn feedback_files_reach_the_learner_only_with_their_released_grade(backend: Backend) {
    let c = class(backend).await;
    let a = create(&c, "Lab", json!({"release": "manual"})).await;
    let id = a["id"].as_str().unwrap().to_string();
    let sid = hand_in(&c, &id).await;
    let files = format!("/api/v1/assignment-submissions/{sid}/feedback/files");
    let pdf = b"%PDF-1.7\n1 0 obj <<>> endobj\n";
    let added = upload(&c.teacher, &files, "marked <up>.pdf", pdf).await;
    assert_eq!(added.status, 201, "{}", added.text);
    let url = added.json()["url"].as_str().unwrap().to_string();
    assert!(url.starts_with(&format!("/assignment-submissions/{sid}/feedback/files/")), "{url}");
    let exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00";
    upload(&c.teacher, &files, "run.exe", exe).await.assert_problem(415, "unsupported-media-type");
    assert_eq!(c.teacher.get(&url).await.status, 200);
    let grading = c.teacher.get(&format!("/teach/assignment-submissions/{sid}")).await.text;
    assert!(grading.contains(&format!("href=\"{url}\"")) && !grading.contains("<up>"), "escaped: {grading}");

    // Before the release the learner sees none; nobody else ever reaches them.
    assert_eq!(c.learner.get(&files).await.json()["items"], json!([]));
    assert_eq!(c.learner.get(&url).await.status, 404, "not before the grade is visible");
    assert_eq!(
        put(&c.teacher, &format!("/api/v1/assignment-submissions/{sid}/grade"), json!({"points": 70})).await.status,
        200
    );
    assert_eq!(c.learner.get(&url).await.status, 404, "graded but not released");
    for client in [&c.other_learner, &c.other_teacher, &c.stranger, &c.learner] {
        assert_eq!(upload(client, &files, "x.pdf", pdf).await.status, 404);
        assert_eq!(
            client.delete(&url.replace("/assignment-submissions/", "/api/v1/assignment-submissions/")).await.status,
            404
        );
    }
    for client in [&c.other_learner, &c.other_teacher, &c.stranger] {
        assert_eq!(client.get(&files).await.status, 404);
        assert_eq!(client.get(&url).await.status, 404);
    }
    assert_eq!(c.app.client().get(&url).await.status, 404);
    // Only submitted work takes feedback files.
    let other = format!("/api/v1/assignments/{id}/submission");
    assert_eq!(put(&c.other_learner, &other, json!({"text": "draft"})).await.status, 200);
    let draft = c.other_learner.get(&other).await.json()["submission"]["id"].as_str().unwrap().to_string();
    let to_draft = format!("/api/v1/assignment-submissions/{draft}/feedback/files");
    upload(&c.teacher, &to_draft, "x.pdf", pdf).await.assert_problem(409, "not-submitted");

    assert_eq!(c.teacher.post(&format!("/api/v1/assignments/{id}/release"), json!({})).await.status, 200);
    assert_eq!(c.learner.get(&files).await.json()["items"][0]["url"], url.as_str());
    let fetched = c.learner.get(&url).await;
    assert_eq!(fetched.status, 200);
    assert!(fetched.header("content-disposition").starts_with("attachment"), "a download");
    let page = c.learner.get(&format!("/assignments/{id}")).await.text;
    assert!(page.contains(&format!("href=\"{url}\"")), "{page}");
    for client in [&c.other_learner, &c.other_teacher, &c.stranger] {
        assert_eq!(client.get(&url).await.status, 404, "never another's");
    }

    // Ten at most; the page's form adds one too.
    for n in 1..10 {
        assert_eq!(upload(&c.teacher, &files, &format!("n{n}.txt"), b"notes\n").await.status, 201);
    }
    let full = upload(&c.teacher, &files, "more.txt", b"notes\n").await;
    full.assert_problem(422, "validation");
    assert_eq!(full.error_fields(), ["file"]);
    let api_url = url.replace("/assignment-submissions/", "/api/v1/assignment-submissions/");
    assert_eq!(c.teacher.delete(&api_url).await.status, 204);
    assert_eq!(c.learner.get(&url).await.status, 404, "removed");
    let paged =
        upload(&c.teacher, &format!("/teach/assignment-submissions/{sid}/feedback/files"), "p.txt", b"p\n").await;
    assert_eq!(paged.status, 303, "{}", paged.text);
    assert_eq!(c.teacher.get(&files).await.json()["items"].as_array().unwrap().len(), 10);
    c.app.stop().await;
}

on_both_backends!(
    a_marking_guide_gives_points_and_a_comment_per_criterion,
    a_scale_grade_is_a_level_worth_points_by_its_position,
    settings_that_only_name_a_rubric_keep_grading_with_it,
    feedback_files_reach_the_learner_only_with_their_released_grade
);
