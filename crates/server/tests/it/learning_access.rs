//! Who may open a lesson, its media and its progress: the lesson access rule
//! across course states and viewers (staff, enrolled, stranger, anonymous,
//! previews), lesson media with ranges, and no IDOR on any learning route.

use crate::{common, courses_kit, enrollment_kit, learning_kit};

use common::{Backend, TestClient, spawn};
use courses_kit as kit;
use learning_kit as lk;
use lyceum_platform::auth::Role;
use serde_json::json;

/// (page, media, progress PUT, course progress GET) statuses of `lesson` for `client`.
async fn reach(client: &TestClient, c: &lk::Course, lesson: &str) -> (u16, u16, u16, u16) {
    let page = client.get(&format!("/learn/{}/lessons/{lesson}", c.slug)).await.status.as_u16();
    let media = client.get(&format!("/lessons/{lesson}/media")).await.status.as_u16();
    let put = lk::put_progress(client, lesson, json!({"completed": false})).await.status.as_u16();
    let course = client.get(&format!("/api/v1/progress/courses/{}", c.id)).await.status.as_u16();
    (page, media, put, course)
}

async fn access_follows_course_state_and_enrollment(backend: Backend) {
    let app = spawn(backend).await;
    let (owner, _) = app.signed_in("grace@example.org", Role::Instructor).await;
    let (learner, _) = app.signed_in("ada@example.org", Role::Learner).await;
    let (stranger, _) = app.signed_in("eve@example.org", Role::Learner).await;
    let (admin, _) = app.signed_in("root@example.org", Role::Admin).await;
    let anonymous = app.client();
    let c = lk::course_with(
        &owner,
        "Access course",
        &[(
            "One",
            vec![
                json!({"title": "Preview", "body": "open", "is_preview": true}),
                json!({"title": "Notes", "kind": "file"}),
            ],
        )],
    )
    .await;
    let (preview, file) = (c.lessons[0].clone(), c.lessons[1].clone());
    let up = kit::upload(&owner, &format!("/api/v1/lessons/{file}/media"), "media", kit::PDF.to_vec(), "n.pdf").await;
    assert_eq!(up.status, 200, "{}", up.text);
    enrollment_kit::add_to_roster(&owner, &c.id, "ada@example.org").await;

    // Draft: only staff; enrolled learners, strangers and previews see nothing.
    assert_eq!(reach(&owner, &c, &file).await.0, 200);
    assert_eq!(reach(&admin, &c, &file).await.0, 200);
    for (who, client) in [("enrolled", &learner), ("stranger", &stranger)] {
        let (page, media, put, course) = reach(client, &c, &file).await;
        assert_eq!((page, media, put, course), (404, 404, 404, 404), "{who} in a draft");
    }
    assert_eq!(anonymous.get(&format!("/learn/{}/lessons/{preview}", c.slug)).await.status, 404, "draft preview");

    // Published: enrolled learners see all; strangers are told to enroll; previews are open.
    lk::publish(&owner, &c.id).await;
    assert_eq!(reach(&learner, &c, &file).await, (200, 200, 200, 200));
    let (page, media, put, course) = reach(&stranger, &c, &file).await;
    assert_eq!((page, media, put, course), (403, 403, 403, 403));
    let refused = stranger.get(&format!("/lessons/{file}/media")).await;
    assert!(refused.text.contains("Enroll in this course to open this lesson"), "{}", refused.text);
    lk::put_progress(&stranger, &file, json!({"completed": true})).await.assert_problem(403, "enrollment-required");
    assert_eq!(stranger.get(&format!("/learn/{}/lessons/{preview}", c.slug)).await.status, 200);
    assert_eq!(anonymous.get(&format!("/learn/{}/lessons/{preview}", c.slug)).await.status, 200, "anonymous preview");
    // The refused lesson page is the course's way in, not a dead end.
    let locked = anonymous.get(&format!("/learn/{}/lessons/{file}", c.slug)).await;
    assert_eq!(locked.status, 403);
    let back = format!("/login?next=%2Flearn%2F{}%2Flessons%2F{file}", c.slug);
    assert!(locked.text.contains(&back), "sign in and come back: {}", locked.text);
    assert!(locked.text.contains(&format!("href=\"/courses/{}\"", c.slug)), "the course page is linked");
    let offer = stranger.get(&format!("/learn/{}/lessons/{file}", c.slug)).await;
    assert!(offer.text.contains(&format!("action=\"/courses/{}/enroll\"", c.slug)), "{}", offer.text);
    assert_eq!(anonymous.get(&format!("/lessons/{file}/media")).await.status, 403);
    // A preview opens the lesson, not progress: only enrolled learners record it.
    lk::put_progress(&stranger, &preview, json!({"completed": true})).await.assert_problem(403, "enrollment-required");
    // Staff see everything but record no progress unless enrolled.
    let (page, media, put, course) = reach(&owner, &c, &file).await;
    assert_eq!((page, media, put, course), (200, 200, 403, 200));
    assert_eq!(reach(&admin, &c, &file).await.0, 200);

    // Archived: enrolled learners keep their access; to everyone else it is gone.
    owner.post(&format!("/api/v1/courses/{}/archive", c.id), json!({})).await;
    assert_eq!(reach(&learner, &c, &file).await, (200, 200, 200, 200));
    assert_eq!(reach(&stranger, &c, &file).await, (404, 404, 404, 404));
    assert_eq!(anonymous.get(&format!("/learn/{}/lessons/{preview}", c.slug)).await.status, 404);
    assert_eq!(reach(&owner, &c, &file).await.0, 200);
    app.stop().await;
}

/// Leaving a course (through the enrollment API) closes its lessons, media and
/// progress at once; enrolling again opens them.
async fn a_cancelled_enrollment_loses_access(backend: Backend) {
    let app = spawn(backend).await;
    let (owner, _) = app.signed_in("grace@example.org", Role::Instructor).await;
    let (learner, _) = app.signed_in("ada@example.org", Role::Learner).await;
    let c =
        lk::course_with(&owner, "Leaving course", &[("One", vec![json!({"title": "Notes", "kind": "file"})])]).await;
    let file = c.lessons[0].clone();
    let up = kit::upload(&owner, &format!("/api/v1/lessons/{file}/media"), "media", kit::PDF.to_vec(), "n.pdf").await;
    assert_eq!(up.status, 200, "{}", up.text);
    lk::publish(&owner, &c.id).await;
    let joined = learner.post("/api/v1/enrollments", json!({"course_id": c.id})).await;
    assert_eq!(joined.status, 201, "{}", joined.text);
    assert_eq!(reach(&learner, &c, &file).await, (200, 200, 200, 200));

    let enrollment = joined.json()["id"].as_str().unwrap().to_string();
    let left = learner.delete(&format!("/api/v1/enrollments/{enrollment}")).await;
    assert!(left.status.is_success(), "{} {}", left.status, left.text);
    assert_eq!(reach(&learner, &c, &file).await, (403, 403, 403, 403), "cancelled");

    assert!(learner.post("/api/v1/enrollments", json!({"course_id": c.id})).await.status.is_success());
    assert_eq!(reach(&learner, &c, &file).await, (200, 200, 200, 200), "enrolled again");
    app.stop().await;
}

/// A lesson id of another course, under this course's slug, and ids that do not exist.
async fn ids_of_other_courses_are_not_found(backend: Backend) {
    let app = spawn(backend).await;
    let (owner, _) = app.signed_in("grace@example.org", Role::Instructor).await;
    let (learner, _) = app.signed_in("ada@example.org", Role::Learner).await;
    let mine = lk::course_with(&owner, "Mine", &[("M", vec![lk::text("A")])]).await;
    let other = lk::course_with(&owner, "Other", &[("M", vec![lk::text("B")])]).await;
    lk::publish(&owner, &mine.id).await;
    lk::publish(&owner, &other.id).await;
    enrollment_kit::add_to_roster(&owner, &mine.id, "ada@example.org").await;

    let crossed = learner.get(&format!("/learn/{}/lessons/{}", mine.slug, other.lessons[0])).await;
    assert_eq!(crossed.status, 404, "another course's lesson under my course's slug");
    assert_eq!(lk::put_progress(&learner, &other.lessons[0], json!({"completed": true})).await.status, 403);
    assert_eq!(learner.get(&format!("/api/v1/progress/courses/{}", other.id)).await.status, 403);
    assert_eq!(learner.get(&format!("/learn/{}", other.slug)).await.status, 403);
    for path in ["/learn/nope/lessons/nope", "/lessons/nope/media", "/api/v1/progress/courses/nope", "/learn/nope"] {
        assert_eq!(learner.get(path).await.status, 404, "{path}");
    }
    assert_eq!(lk::put_progress(&learner, "nope", json!({"completed": true})).await.status, 404);
    app.stop().await;
}

async fn lesson_media_is_served_with_ranges_to_those_allowed(backend: Backend) {
    let app = spawn(backend).await;
    let (owner, _) = app.signed_in("grace@example.org", Role::Instructor).await;
    let (learner, _) = app.signed_in("ada@example.org", Role::Learner).await;
    let c = lk::course_with(
        &owner,
        "Media course",
        &[(
            "M",
            vec![
                json!({"title": "Talk", "kind": "video"}),
                json!({"title": "Slides", "kind": "file"}),
                json!({"title": "Teaser", "kind": "video", "is_preview": true}),
            ],
        )],
    )
    .await;
    let (video, file, teaser) = (c.lessons[0].clone(), c.lessons[1].clone(), c.lessons[2].clone());
    for (lesson, bytes, name) in [
        (&video, kit::MP4, "talk.mp4"),
        (&file, kit::PDF, "Slides – week 1 \"final\".pdf"),
        (&teaser, kit::MP4, "teaser.mp4"),
    ] {
        let up = kit::upload(&owner, &format!("/api/v1/lessons/{lesson}/media"), "media", bytes.to_vec(), name).await;
        assert_eq!(up.status, 200, "{}", up.text);
    }
    lk::publish(&owner, &c.id).await;
    enrollment_kit::add_to_roster(&owner, &c.id, "ada@example.org").await;

    let whole = learner.get(&format!("/lessons/{video}/media")).await;
    assert_eq!(whole.status, 200);
    assert_eq!(whole.text.as_bytes(), kit::MP4);
    assert_eq!(whole.header("content-type"), "video/mp4");
    assert!(whole.header("cache-control").starts_with("private"), "{}", whole.header("cache-control"));
    assert_eq!(whole.header("accept-ranges"), "bytes");
    assert!(whole.header("content-disposition").is_empty(), "videos play inline");
    let etag = whole.header("etag").to_string();
    assert!(!etag.is_empty());

    let url = learner.url(&format!("/lessons/{video}/media"));
    let part = learner.raw(learner.http.get(&url).header("range", "bytes=4-7")).await;
    assert_eq!(part.status, 206);
    assert_eq!(part.text, "ftyp");
    assert_eq!(part.header("content-range"), format!("bytes 4-7/{}", kit::MP4.len()));
    let cached = learner.raw(learner.http.get(&url).header("if-none-match", &etag)).await;
    assert_eq!(cached.status, 304);
    let head = learner.raw(learner.http.head(&url)).await;
    assert_eq!((head.status.as_u16(), head.text.as_str()), (200, ""));
    assert_eq!(head.header("content-length"), kit::MP4.len().to_string());

    let download = learner.get(&format!("/lessons/{file}/media")).await;
    assert_eq!(download.status, 200);
    assert_eq!(
        download.header("content-disposition"),
        "attachment; filename=\"Slides _ week 1 final.pdf\"; \
         filename*=UTF-8''Slides%20%E2%80%93%20week%201%20final.pdf",
        "the stored name (quotes dropped on upload), ASCII fallback and exact UTF-8"
    );

    let anonymous = app.client();
    assert_eq!(anonymous.get(&format!("/lessons/{teaser}/media")).await.status, 200, "preview media for anyone");
    let range = anonymous
        .raw(anonymous.http.get(anonymous.url(&format!("/lessons/{teaser}/media"))).header("range", "bytes=0-3"))
        .await;
    assert_eq!(range.status, 206);
    assert_eq!(anonymous.get(&format!("/lessons/{video}/media")).await.status, 403);
    let no_file = lk::course_with(&owner, "No files", &[("M", vec![lk::text("T")])]).await;
    assert_eq!(
        owner.get(&format!("/lessons/{}/media", no_file.lessons[0])).await.status,
        404,
        "a text lesson has no media"
    );
    app.stop().await;
}

/// The lesson view reads the course's content from the cache; every change
/// the authors make shows in it at once: a lesson's body, a module's title, a
/// new lesson in the outline, a co-instructor removed, the course unpublished.
async fn course_changes_show_in_the_lesson_view_at_once(backend: Backend) {
    let app = spawn(backend).await;
    let (owner, _) = app.signed_in("grace@example.org", Role::Instructor).await;
    let (co, co_id) = app.signed_in("alan@example.org", Role::Instructor).await;
    let (learner, _) = app.signed_in("ada@example.org", Role::Learner).await;
    let c = lk::course_with(&owner, "Cached content", &[("Basics", vec![lk::text("First"), lk::text("Second")])]).await;
    let added =
        owner.post(&format!("/api/v1/courses/{}/instructors", c.id), json!({"email": "alan@example.org"})).await;
    assert!(added.status.is_success(), "{}", added.text);
    lk::publish(&owner, &c.id).await;
    assert_eq!(learner.post("/api/v1/enrollments", json!({"course_id": c.id})).await.status, 201);
    let first = format!("/learn/{}/lessons/{}", c.slug, c.lessons[0]);
    let page = learner.get(&first).await;
    assert!(page.text.contains("About <strong>First</strong>") && page.text.contains("Basics"), "{}", page.text);
    assert_eq!(co.get(&first).await.status, 200, "a co-instructor opens it");

    let edit = owner.patch(&format!("/api/v1/lessons/{}", c.lessons[0]), json!({"body": "Now **edited**."})).await;
    assert_eq!(edit.status, 200, "{}", edit.text);
    let renamed = owner.patch(&format!("/api/v1/modules/{}", c.modules[0]), json!({"title": "Foundations"})).await;
    assert_eq!(renamed.status, 200, "{}", renamed.text);
    let third = kit::lesson(&owner, &c.modules[0], lk::text("Third")).await;
    let page = learner.get(&first).await;
    assert!(page.text.contains("Now <strong>edited</strong>."), "the new body: {}", page.text);
    assert!(page.text.contains("Foundations") && !page.text.contains("Basics"), "the new module title");
    assert!(page.text.contains(&format!("/lessons/{third}")), "the new lesson in the outline");

    let removed = owner.delete(&format!("/api/v1/courses/{}/instructors/{co_id}", c.id)).await;
    assert!(removed.status.is_success(), "{}", removed.text);
    assert_eq!(co.get(&first).await.status, 403, "no longer staff, not enrolled");

    assert_eq!(owner.post(&format!("/api/v1/courses/{}/unpublish", c.id), json!({})).await.status, 200);
    assert_eq!(learner.get(&first).await.status, 404, "a course back in draft is hidden from learners");
    app.stop().await;
}

/// The lesson view keeps "enrolled" answers in the cache; with replicas
/// sharing the database and Redis, a learner removed through one replica is
/// refused at once on another that had just let them in.
async fn a_removed_learner_is_cut_off_on_every_replica(backend: Backend) {
    let Some((first, second)) = common::replicas_sharing_redis(backend, "replicas sharing Redis").await else { return };
    let (learner, _) = second.signed_in("ada@example.org", Role::Learner).await;
    let (owner, _) = first.signed_in("grace@example.org", Role::Instructor).await;
    let c = lk::course_with(&owner, "Replicated course", &[("One", vec![lk::text("Notes")])]).await;
    lk::publish(&owner, &c.id).await;
    let added = owner.post(&format!("/api/v1/courses/{}/roster", c.id), json!({"email": "ada@example.org"})).await;
    assert_eq!(added.status, 201, "{}", added.text);
    let lesson = format!("/learn/{}/lessons/{}", c.slug, c.lessons[0]);
    assert_eq!(learner.get(&lesson).await.status, 200, "enrolled, and the answer now cached");

    let enrollment = added.json()["id"].as_str().unwrap().to_string();
    let removed = owner.delete(&format!("/api/v1/enrollments/{enrollment}")).await;
    assert_eq!(removed.status, 200, "{}", removed.text);
    assert_eq!(learner.get(&lesson).await.status, 403, "removed through the other replica");
    second.stop().await;
    first.stop().await;
}

on_both_backends!(
    course_changes_show_in_the_lesson_view_at_once,
    access_follows_course_state_and_enrollment,
    a_cancelled_enrollment_loses_access,
    a_removed_learner_is_cut_off_on_every_replica,
    ids_of_other_courses_are_not_found,
    lesson_media_is_served_with_ranges_to_those_allowed,
);
