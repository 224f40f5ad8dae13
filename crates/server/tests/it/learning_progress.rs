//! Progress: percentages per module and course, resume positions, the
//! continue lesson, completion issuing exactly one certificate (also when the
//! last two lessons complete at once), the certificate's public page and
//! notification, the staff progress table, and the learner's pages.

use crate::{common, courses_kit, enrollment_kit, learning_kit};

use common::{Backend, TestClient, spawn};
use learning_kit as lk;
use lyceum_platform::auth::Role;
use serde_json::json;

/// Module 1: a (text), b (video); module 2: c (text); published, with `learner` enrolled.
async fn three_lessons(owner: &TestClient, learner: &str, title: &str) -> lk::Course {
    let c = lk::course_with(
        owner,
        title,
        &[
            (
                "First",
                vec![
                    lk::text("a"),
                    json!({"title": "b", "kind": "video", "video_url": "https://videos.example/b.mp4"}),
                ],
            ),
            ("Second", vec![lk::text("c")]),
        ],
    )
    .await;
    lk::publish(owner, &c.id).await;
    enrollment_kit::add_to_roster(owner, &c.id, learner).await;
    c
}

async fn percentages_positions_and_continue(backend: Backend) {
    let app = spawn(backend).await;
    let (owner, _) = app.signed_in("grace@example.org", Role::Instructor).await;
    let (learner, _) = app.signed_in("ada@example.org", Role::Learner).await;
    let c = three_lessons(&owner, "ada@example.org", "Progress course").await;
    let (a, b, lc) = (&c.lessons[0], &c.lessons[1], &c.lessons[2]);
    let path = format!("/api/v1/progress/courses/{}", c.id);

    let fresh = learner.get(&path).await.json();
    assert_eq!((fresh["percent"].as_u64(), fresh["total_lessons"].as_u64()), (Some(0), Some(3)));
    assert_eq!(fresh["continue_lesson_id"], json!(a), "a new learner starts at the first lesson");
    let start = learner.get(&format!("/learn/{}", c.slug)).await;
    assert_eq!(start.status, 303, "{}", start.text);
    assert_eq!(start.header("location"), format!("/learn/{}/lessons/{a}", c.slug));

    // A video position: saved, resumed, and the video becomes the lesson to continue.
    let media = format!("/api/v1/lessons/{b}/media");
    let up = courses_kit::upload(&owner, &media, "media", courses_kit::MP4.to_vec(), "b.mp4").await;
    assert_eq!(up.status, 200, "{}", up.text);
    let saved = lk::put_progress(&learner, b, json!({"position_seconds": 42})).await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    assert_eq!(
        (saved.json()["position_seconds"].as_i64(), saved.json()["completed"].as_bool()),
        (Some(42), Some(false))
    );
    let now = learner.get(&path).await.json();
    assert_eq!(now["positions"][b], 42);
    assert_eq!(now["continue_lesson_id"], json!(b), "the lesson last worked on, unfinished");
    let page = learner.get(&format!("/learn/{}/lessons/{b}", c.slug)).await;
    assert!(page.text.contains("data-position=\"42\""), "the page resumes the video");
    assert!(page.text.contains(&format!("data-progress-url=\"/api/v1/progress/lessons/{b}\"")));

    // Validation: positions only on videos, in range; something must be sent.
    let bad = lk::put_progress(&learner, a, json!({"position_seconds": 10})).await;
    assert_eq!((bad.status.as_u16(), bad.error_fields()), (422, vec!["position_seconds".to_string()]));
    assert_eq!(lk::put_progress(&learner, b, json!({"position_seconds": -1})).await.status, 422);
    assert_eq!(lk::put_progress(&learner, b, json!({"position_seconds": 90_000})).await.status, 422);
    assert_eq!(lk::put_progress(&learner, b, json!({})).await.error_fields(), vec!["completed".to_string()]);
    assert_eq!(lk::put_progress(&learner, b, json!({"completed": "yes"})).await.status, 422);

    // Completing a: 1/3, module 1 at 50%; continue moves past the completed lesson.
    let done = lk::complete(&learner, a).await;
    assert_eq!(done["course"]["percent"], 33);
    let modules: Vec<u64> =
        done["course"]["modules"].as_array().unwrap().iter().map(|m| m["percent"].as_u64().unwrap()).collect();
    assert_eq!(modules, [50, 0]);
    assert_eq!(done["course"]["continue_lesson_id"], json!(b));
    let done = lk::complete(&learner, b).await;
    assert_eq!((done["course"]["percent"].as_u64(), done["position_seconds"].as_i64()), (Some(67), Some(42)));
    assert_eq!(done["course"]["continue_lesson_id"], json!(lc));
    assert_eq!(done["course"]["completed_lesson_ids"], json!([a, b]));
    assert_eq!(done["course_just_completed"], false);
    assert!(done["course"]["certificate_url"].is_null());

    // Un-completing is allowed and counts down.
    let undone = lk::put_progress(&learner, a, json!({"completed": false})).await.json();
    assert_eq!(undone["course"]["percent"], 33);
    lk::complete(&learner, a).await;

    let mine = learner.get("/api/v1/progress/courses").await.json();
    let item = &mine["items"][0];
    assert_eq!((item["slug"].as_str(), item["percent"].as_u64()), (Some(c.slug.as_str()), Some(67)));
    assert_eq!(item["continue_lesson_id"], json!(lc));
    assert_eq!(item["continue_url"], format!("/learn/{}/lessons/{lc}", c.slug));
    assert_eq!(
        learner.get(&format!("/learn/{}", c.slug)).await.header("location"),
        format!("/learn/{}/lessons/{lc}", c.slug)
    );

    // Another learner's progress is theirs alone.
    let (other, _) = app.signed_in("bob@example.org", Role::Learner).await;
    enrollment_kit::add_to_roster(&owner, &c.id, "bob@example.org").await;
    assert_eq!(other.get(&path).await.json()["percent"], 0);
    assert!(other.get("/api/v1/progress/courses").await.json()["items"][0]["last_activity_at"].is_null());
    app.stop().await;
}

async fn completing_the_course_issues_one_certificate(backend: Backend) {
    let app = spawn(backend).await;
    let (owner, _) = app.signed_in("grace@example.org", Role::Instructor).await;
    for round in 0..3 {
        let email = format!("ada{round}@example.org");
        let (learner, _) = app.signed_in(&email, Role::Learner).await;
        let c = three_lessons(&owner, &email, &format!("Race course {round}")).await;
        lk::complete(&learner, &c.lessons[0]).await;
        // The last two lessons completed at the same time: exactly one completes the course.
        let (x, y) = tokio::join!(lk::complete(&learner, &c.lessons[1]), lk::complete(&learner, &c.lessons[2]));
        let just: Vec<bool> = [&x, &y].iter().map(|r| r["course_just_completed"].as_bool().unwrap()).collect();
        assert_eq!(just.iter().filter(|j| **j).count(), 1, "round {round}: {x} / {y}");
        let certificates = learner.get("/api/v1/certificates").await.json();
        assert_eq!(certificates["items"].as_array().unwrap().len(), 1, "round {round}");
        let after = learner.get(&format!("/api/v1/progress/courses/{}", c.id)).await.json();
        assert_eq!(after["percent"], 100);
        assert!(after["completed_at"].is_string());
    }
    let count: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM certificates").fetch_one(app.state().db.pool()).await.unwrap();
    assert_eq!(count, 3);
    // `course.completed` went out once per learner: its one subscriber has three deliveries.
    let deliveries: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE kind = 'notifications.course_completed'")
        .fetch_one(app.state().db.pool())
        .await
        .unwrap();
    assert_eq!(deliveries, 3);
    app.stop().await;
}

async fn certificates_are_public_verified_and_notified(backend: Backend) {
    let app = spawn(backend).await;
    let (owner, _) = app.signed_in("grace@example.org", Role::Instructor).await;
    let (learner, _) = app.signed_in("ada@example.org", Role::Learner).await;
    let c = three_lessons(&owner, "ada@example.org", "Certified course").await;
    for lesson in &c.lessons {
        lk::complete(&learner, lesson).await;
    }
    let mine = learner.get("/api/v1/certificates").await.json();
    let cert = &mine["items"][0];
    let code = cert["code"].as_str().unwrap().to_string();
    assert_eq!(code.len(), 26);
    assert_eq!(cert["url"], format!("/certificates/{code}"));
    assert_eq!(
        (cert["course_title"].as_str(), cert["learner_name"].as_str()),
        (Some("Certified course"), Some("Test User"))
    );

    // Repeats change nothing: completing again, or un-completing and completing, issues no second one.
    lk::complete(&learner, &c.lessons[2]).await;
    lk::put_progress(&learner, &c.lessons[2], json!({"completed": false})).await;
    let again = lk::complete(&learner, &c.lessons[2]).await;
    assert_eq!(again["course_just_completed"], false);
    assert_eq!(again["course"]["certificate_url"], format!("/certificates/{code}"));
    assert_eq!(learner.get("/api/v1/certificates").await.json()["items"].as_array().unwrap().len(), 1);

    // One notification, linking to the certificate.
    app.drain_jobs().await;
    let notes = learner.get("/api/v1/notifications").await.json();
    let completed: Vec<_> =
        notes["items"].as_array().unwrap().iter().filter(|n| n["kind"] == "course.completed").collect();
    assert_eq!(completed.len(), 1, "{notes}");
    assert_eq!(completed[0]["title"], "Congratulations — your certificate is ready");
    assert_eq!(completed[0]["link"], format!("/certificates/{code}"));

    // Anyone can verify it: the page (not indexed) and the API.
    let anonymous = app.client();
    let page = anonymous.get(&format!("/certificates/{code}")).await;
    assert_eq!(page.status, 200);
    assert_eq!(page.header("x-robots-tag"), "noindex");
    for text in ["Test User", "Certified course", "verified by Lyceum", "<meta name=\"robots\" content=\"noindex\">"] {
        assert!(page.text.contains(text), "certificate page shows {text}");
    }
    // Shared by its full address (to copy, to print, to LinkedIn), printed without the site's frame.
    assert!(page.text.contains(&format!("value=\"{}/certificates/{code}\"", app.url)), "{}", page.text);
    assert!(page.text.contains("data-print") && page.text.contains("linkedin.com/profile/add"));
    let stylesheet = page.text.split("href=\"").find(|s| s.contains("app.")).unwrap().split('"').next().unwrap();
    let css = anonymous.get(stylesheet).await;
    assert!(css.text.contains("@media print") && css.text.contains(".site-header, .site-footer"), "a print stylesheet");
    assert!(page.text.contains(&format!(r#"href="/certificates/{code}/pdf" download>Download PDF</a>"#)));
    let pdf = anonymous.get(&format!("/certificates/{code}/pdf")).await;
    assert_eq!((pdf.status.as_u16(), pdf.header("content-type")), (200, "application/pdf"));
    assert_eq!(pdf.header("content-disposition"), format!("attachment; filename=\"certificate-{code}.pdf\""));
    assert!(pdf.text.starts_with("%PDF-") && pdf.header("x-robots-tag") == "noindex");
    assert_eq!(anonymous.get(&format!("/certificates/{}/pdf", "a".repeat(26))).await.status, 404);
    let verified = anonymous.get(&format!("/api/v1/certificates/{code}")).await;
    assert_eq!(verified.status, 200);
    assert_eq!(
        (verified.json()["valid"].as_bool(), verified.json()["code"].as_str()),
        (Some(true), Some(code.as_str()))
    );
    assert_eq!(verified.json()["instructors"], json!(["Test User"]));
    let unknown = "a".repeat(26);
    anonymous.get(&format!("/api/v1/certificates/{unknown}")).await.assert_problem(404, "not-found");
    assert_eq!(anonymous.get(&format!("/certificates/{unknown}")).await.status, 404);
    assert_eq!(anonymous.get("/certificates/..%2Fetc").await.status, 404);
    assert_eq!(anonymous.get("/api/v1/certificates").await.status, 401);

    // Another learner's list does not hold it.
    let (other, _) = app.signed_in("bob@example.org", Role::Learner).await;
    assert!(other.get("/api/v1/certificates").await.json()["items"].as_array().unwrap().is_empty());

    // The learner's pages: 100% and the certificate link on the lesson and on My courses.
    let lesson = learner.get(&format!("/learn/{}/lessons/{}", c.slug, c.lessons[0])).await;
    assert!(lesson.text.contains(&format!("href=\"/certificates/{code}\"")));
    let my = learner.get("/my/courses").await;
    assert!(my.text.contains(&format!("href=\"/certificates/{code}\"")) && my.text.contains("100%"), "{}", my.text);
    app.stop().await;
}

async fn staff_table_pages_over_learners(backend: Backend) {
    let app = spawn(backend).await;
    let (owner, _) = app.signed_in("grace@example.org", Role::Instructor).await;
    let (other_teacher, _) = app.signed_in("alan@example.org", Role::Instructor).await;
    let c = lk::course_with(&owner, "Staff course", &[("M", vec![lk::text("a"), lk::text("b")])]).await;
    lk::publish(&owner, &c.id).await;
    let mut learners = Vec::new();
    // Enrolled one after the other: the table lists the newest first.
    for name in ["one", "two", "three"] {
        let email = format!("{name}@example.org");
        let (client, id) = app.signed_in(&email, Role::Learner).await;
        enrollment_kit::add_to_roster(&owner, &c.id, &email).await;
        learners.push((client, id));
    }
    lk::complete(&learners[0].0, &c.lessons[0]).await; // one: 1/2
    for lesson in &c.lessons {
        lk::complete(&learners[2].0, lesson).await; // three: 2/2, completed
    }

    let path = format!("/api/v1/courses/{}/progress", c.id);
    let first = owner.get(&format!("{path}?limit=2")).await;
    assert_eq!(first.status, 200, "{}", first.text);
    let first = first.json();
    let ids: Vec<&str> = first["items"].as_array().unwrap().iter().map(|r| r["user_id"].as_str().unwrap()).collect();
    assert_eq!(ids, [learners[2].1.as_str(), learners[1].1.as_str()], "newest enrollment first");
    assert_eq!(
        (first["items"][0]["completed_lessons"].as_i64(), first["items"][0]["percent"].as_u64()),
        (Some(2), Some(100))
    );
    assert!(first["items"][0]["completed_at"].is_string());
    assert_eq!(
        (first["items"][1]["completed_lessons"].as_i64(), first["items"][1]["total_lessons"].as_i64()),
        (Some(0), Some(2))
    );
    assert!(first["items"][1]["last_activity_at"].is_null());
    let cursor = first["next_cursor"].as_str().expect("a second page");
    let second = owner.get(&format!("{path}?limit=2&cursor={cursor}")).await.json();
    assert_eq!(second["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        (second["items"][0]["user_id"].as_str(), second["items"][0]["percent"].as_u64()),
        (Some(learners[0].1.as_str()), Some(50))
    );
    assert!(second.get("next_cursor").is_none());
    owner.get(&format!("{path}?cursor=bogus")).await.assert_problem(422, "validation");

    // Only the course's staff: learners and other instructors are refused (403 published, 404 draft).
    learners[0].0.get(&path).await.assert_problem(403, "forbidden");
    other_teacher.get(&path).await.assert_problem(403, "forbidden");
    let page = owner.get(&format!("/teach/courses/{}/progress", c.id)).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("2/2") && page.text.contains("1/2"), "{}", page.text);
    assert_eq!(other_teacher.get(&format!("/teach/courses/{}/progress", c.id)).await.status, 403);
    let editor = owner.get(&format!("/teach/courses/{}", c.id)).await;
    assert!(editor.text.contains(&format!("href=\"/teach/courses/{}/progress\"", c.id)), "the editor links the table");
    let draft = lk::course_with(&owner, "Draft course", &[("M", vec![lk::text("a")])]).await;
    assert_eq!(other_teacher.get(&format!("/api/v1/courses/{}/progress", draft.id)).await.status, 404);
    app.stop().await;
}

async fn lesson_pages_work_without_javascript(backend: Backend) {
    let app = spawn(backend).await;
    let (owner, _) = app.signed_in("grace@example.org", Role::Instructor).await;
    let (learner, _) = app.signed_in("ada@example.org", Role::Learner).await;
    let c = three_lessons(&owner, "ada@example.org", "Page course").await;
    let (a, b) = (&c.lessons[0], &c.lessons[1]);
    let path = format!("/learn/{}/lessons/{a}", c.slug);
    let page = learner.get(&path).await;
    assert_eq!(page.status, 200);
    for text in ["About <strong>a</strong>", "Mark as complete", "Course outline", "My courses", "<progress"] {
        assert!(page.text.contains(text), "lesson page shows {text}");
    }
    let csrf = learner.page_csrf(&path).await;
    let done = learner.form(&format!("/learn/lessons/{a}/complete"), &[("csrf", &csrf)]).await;
    assert_eq!(done.status, 303, "{}", done.text);
    assert_eq!(done.header("location"), format!("/learn/{}/lessons/{b}", c.slug), "on to the next lesson");
    let next = learner.get(&format!("/learn/{}/lessons/{b}", c.slug)).await;
    assert!(next.text.contains("✓"), "the outline ticks the completed lesson");
    assert!(next.text.contains("33%"));
    assert!(next.text.contains("learn.") && next.text.contains(".js"), "the position script is loaded");
    let forged = learner.form(&format!("/learn/lessons/{b}/complete"), &[("csrf", "forged")]).await;
    assert_eq!(forged.status, 403, "CSRF is checked");
    // A completed lesson can be reopened from its page, which stays where it is.
    let done_page = learner.get(&path).await;
    assert!(done_page.text.contains(&format!("action=\"/learn/lessons/{a}/incomplete\"")));
    let reopened = learner.form(&format!("/learn/lessons/{a}/incomplete"), &[("csrf", &csrf)]).await;
    assert_eq!((reopened.status.as_u16(), reopened.header("location")), (303, path.as_str()));
    assert!(learner.get(&path).await.text.contains("Mark as complete"), "back to not complete");
    learner.form(&format!("/learn/lessons/{a}/complete"), &[("csrf", &csrf)]).await;
    let my = learner.get("/my/courses").await;
    assert!(my.text.contains("Page course") && my.text.contains("33%"));
    // The home page is the learner's: the course to continue, where they stopped.
    let home = learner.get("/").await.text;
    assert!(home.contains("Continue learning") && home.contains("Page course") && home.contains("33%"), "{home}");
    assert!(home.contains(&format!("href=\"/learn/{}/lessons/{b}\"", c.slug)), "continues at the next lesson");
    let teaching = owner.get("/").await.text;
    assert!(teaching.contains("Your courses") && teaching.contains("Page course"), "{teaching}");
    assert_eq!(app.client().get("/my/courses").await.status, 303, "signed-out visitors sign in first");
    app.stop().await;
}

/// A YouTube or Vimeo address plays in the page on the provider's
/// privacy-enhanced player, which the CSP allows and nothing else; any other
/// address stays a link out.
async fn youtube_and_vimeo_lessons_play_in_the_page(backend: Backend) {
    let app = spawn(backend).await;
    let (owner, _) = app.signed_in("grace@example.org", Role::Instructor).await;
    let (learner, _) = app.signed_in("ada@example.org", Role::Learner).await;
    let clips = vec![
        json!({"title": "Tube", "kind": "video", "video_url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ"}),
        json!({"title": "Vim", "kind": "video", "video_url": "https://vimeo.com/76979871"}),
        json!({"title": "Elsewhere", "kind": "video", "video_url": "https://videos.example/intro.mp4"}),
    ];
    let c = lk::course_with(&owner, "Clips", &[("M", clips)]).await;
    lk::publish(&owner, &c.id).await;
    enrollment_kit::add_to_roster(&owner, &c.id, "ada@example.org").await;
    let page = async |i: usize| learner.get(&format!("/learn/{}/lessons/{}", c.slug, c.lessons[i])).await;

    let tube = page(0).await;
    assert!(tube.text.contains(r#"<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ""#), "{}", tube.text);
    let csp = tube.header("content-security-policy");
    let frame_src = csp.split(';').map(str::trim).find(|d| d.starts_with("frame-src")).expect("a frame-src directive");
    let allowed: Vec<&str> = frame_src.split_whitespace().skip(1).collect();
    assert_eq!(allowed, lyceum_courses::model::EMBED_HOSTS, "the CSP allows exactly the embed hosts");
    assert!(page(1).await.text.contains(r#"<iframe src="https://player.vimeo.com/video/76979871?dnt=1""#));
    let elsewhere = page(2).await.text;
    assert!(!elsewhere.contains("<iframe") && elsewhere.contains(r#"href="https://videos.example/intro.mp4""#));
    app.stop().await;
}

on_both_backends!(
    youtube_and_vimeo_lessons_play_in_the_page,
    percentages_positions_and_continue,
    completing_the_course_issues_one_certificate,
    certificates_are_public_verified_and_notified,
    staff_table_pages_over_learners,
    lesson_pages_work_without_javascript,
);
