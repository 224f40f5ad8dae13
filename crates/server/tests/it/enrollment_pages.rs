//! Enrollment pages: the course page's enroll / unenroll forms (free, paid,
//! full) and the staff roster page (list, add by e-mail, remove with
//! confirmation), on both backends.

use crate::{common, enrollment_kit};

use common::{Backend, spawn};
use enrollment_kit::{counter, published, rows};
use lyceum_platform::auth::Role;
use serde_json::json;

on_both_backends!(
    enroll_and_unenroll_from_the_course_page,
    paid_and_full_courses_explain_themselves,
    staff_roster_page
);

fn flash(reply: &common::Reply) -> String {
    reply.header("set-cookie").split(';').next().unwrap_or("").to_string()
}

async fn enroll_and_unenroll_from_the_course_page(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, _) = app.signed_in("learner@example.org", Role::Learner).await;
    let (course, slug) = published(&teacher, "Page course", json!({"seat_limit": 3})).await;
    let csrf = learner.page_csrf("/notifications").await;

    let enrolled = learner.form(&format!("/courses/{slug}/enroll"), &[("csrf", &csrf)]).await;
    assert_eq!(enrolled.status, 303, "{}", enrolled.text);
    assert_eq!(enrolled.header("location"), format!("/learn/{slug}"));
    assert!(flash(&enrolled).contains("enrollment.flash.enrolled"), "{}", flash(&enrolled));
    assert_eq!(counter(&app, &course).await, 1);
    let again = learner.form(&format!("/courses/{slug}/enroll"), &[("csrf", &csrf)]).await;
    assert!(flash(&again).contains("already_enrolled"));

    let missing = learner.form(&format!("/courses/{slug}/enroll"), &[]).await;
    assert_eq!(missing.status, 403, "no CSRF token, no enrollment");

    // Both the course page and "My courses" lead to leaving; leaving asks first.
    let leave = format!("href=\"/courses/{slug}/unenroll\"");
    assert!(learner.get(&format!("/courses/{slug}")).await.text.contains(&leave), "course page links to leaving");
    assert!(learner.get("/my/courses").await.text.contains(&leave), "my courses links to leaving");
    let confirm = learner.get(&format!("/courses/{slug}/unenroll")).await;
    assert_eq!(confirm.status, 200);
    assert!(confirm.text.contains("Leave this course?") && confirm.text.contains("Page course"));
    assert!(confirm.text.contains("someone else may take yours"), "seat warning on limited courses");
    let left = learner.form(&format!("/courses/{slug}/unenroll"), &[("csrf", &csrf)]).await;
    assert_eq!(left.status, 303);
    assert_eq!(left.header("location"), format!("/courses/{slug}"));
    assert_eq!(rows(&app, &course, "active").await, 0);
    assert_eq!(counter(&app, &course).await, 0);
    assert_eq!(learner.get(&format!("/courses/{slug}/unenroll")).await.status, 404, "not enrolled any more");

    let anonymous = app.client().form(&format!("/courses/{slug}/enroll"), &[("csrf", &csrf)]).await;
    // A visitor with no session has no CSRF cookie either: the form is refused before the handler.
    assert_eq!(anonymous.status, 403, "anonymous visitors are not enrolled");
    assert_eq!(rows(&app, &course, "active").await, 0);
    app.stop().await;
}

async fn paid_and_full_courses_explain_themselves(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, _) = app.signed_in("learner@example.org", Role::Learner).await;
    let (_, paid) = published(&teacher, "Paid page course", json!({"price_minor": 1999, "currency": "USD"})).await;
    let (full_id, full) = published(&teacher, "Full page course", json!({"seat_limit": 1})).await;
    teacher.post(&format!("/api/v1/courses/{full_id}/roster"), json!({"email": "teacher@example.org"})).await;
    let csrf = learner.page_csrf("/notifications").await;

    let reply = learner.form(&format!("/courses/{paid}/enroll"), &[("csrf", &csrf)]).await;
    assert_eq!(reply.status, 303, "a paid course leads to its checkout");
    assert_eq!(reply.header("location"), format!("/checkout/{paid}"));
    let checkout = learner.get(&format!("/checkout/{paid}")).await;
    assert!(checkout.text.contains("$19.99") && checkout.text.contains(&format!("href=\"/courses/{paid}\"")));

    let reply = learner.form(&format!("/courses/{full}/enroll"), &[("csrf", &csrf)]).await;
    assert_eq!(reply.status, 303);
    assert_eq!(reply.header("location"), format!("/courses/{full}"));
    assert!(flash(&reply).contains("enrollment.flash.full"), "{}", flash(&reply));
    app.stop().await;
}

async fn staff_roster_page(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, learner_id) = app.signed_in("learner@example.org", Role::Learner).await;
    let (course, _) = published(&teacher, "Roster course", json!({})).await;
    let page_url = format!("/teach/courses/{course}/roster");

    let editor = teacher.get(&format!("/teach/courses/{course}")).await;
    assert!(editor.text.contains(&format!("href=\"{page_url}\"")), "the editor links to the roster");

    let empty = teacher.get(&page_url).await;
    assert_eq!(empty.status, 200);
    assert!(empty.text.contains("Nobody has enrolled yet."));
    let csrf = teacher.page_csrf(&page_url).await;

    let refused = teacher.form(&page_url, &[("csrf", &csrf), ("email", "nobody@example.org")]).await;
    assert_eq!(refused.status, 422);
    assert!(refused.text.contains("There is no account with this address."), "{}", refused.text);
    let added = teacher.form(&page_url, &[("csrf", &csrf), ("email", "learner@example.org")]).await;
    assert_eq!(added.status, 303, "{}", added.text);
    let listed = teacher.get(&page_url).await;
    assert!(listed.text.contains("learner@example.org") && listed.text.contains("Active"), "{}", listed.text);

    let remove_url = format!("{page_url}/{learner_id}/remove");
    let confirm = teacher.get(&remove_url).await;
    assert_eq!(confirm.status, 200);
    assert!(confirm.text.contains("Remove this learner?"));
    let removed = teacher.form(&remove_url, &[("csrf", &csrf)]).await;
    assert_eq!(removed.status, 303);
    assert_eq!(rows(&app, &course, "active").await, 0);
    assert_eq!(teacher.get(&remove_url).await.status, 404, "nobody to remove any more");

    // Not staff: the roster page is refused like the editor (403 for a published course).
    assert_eq!(learner.get(&page_url).await.status, 403);
    let learner_csrf = learner.page_csrf("/notifications").await;
    let forged = learner.form(&page_url, &[("csrf", &learner_csrf), ("email", "learner@example.org")]).await;
    assert_eq!(forged.status, 403);
    assert_eq!(rows(&app, &course, "active").await, 0);
    app.stop().await;
}
