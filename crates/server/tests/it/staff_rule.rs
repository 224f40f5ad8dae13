//! The one staff rule (`courses::service::access::is_staff_given`) seen
//! through every surface that asks it: the catalog's draft preview, the
//! editor, the lesson view, the roster and the progress table. A
//! co-instructor demoted to learner, or removed from the course, loses all of
//! them on the next request; promoted again, has them back.

use crate::{common, learning_kit};

use common::{Backend, TestClient, spawn};
use learning_kit as lk;
use lyceum_platform::auth::Role;
use serde_json::json;

/// Statuses of (catalog draft preview, editor, lesson view, roster, progress table, question bank).
async fn surfaces(client: &TestClient, c: &lk::Course) -> [u16; 6] {
    let paths = [
        format!("/courses/{}", c.slug),
        format!("/api/v1/courses/{}", c.id),
        format!("/learn/{}/lessons/{}", c.slug, c.lessons[0]),
        format!("/api/v1/courses/{}/roster", c.id),
        format!("/api/v1/courses/{}/progress", c.id),
        format!("/api/v1/courses/{}/questions", c.id),
    ];
    let mut statuses = [0; 6];
    for (status, path) in statuses.iter_mut().zip(&paths) {
        *status = client.get(path).await.status.as_u16();
    }
    statuses
}

async fn staff_follows_the_role_and_the_instructor_list(backend: Backend) {
    let app = spawn(backend).await;
    let (owner, _) = app.signed_in("grace@example.org", Role::Instructor).await;
    let (admin, _) = app.signed_in("root@example.org", Role::Admin).await;
    let (co, co_id) = app.signed_in("co@example.org", Role::Instructor).await;
    let c = lk::course_with(&owner, "Draft course", &[("One", vec![lk::text("Intro")])]).await;
    let added = owner.post(&format!("/api/v1/courses/{}/instructors", c.id), json!({"user_id": co_id})).await;
    assert!(added.status.is_success(), "{}", added.text);
    let all = [200; 6];
    assert_eq!(surfaces(&co, &c).await, all, "a co-instructor is staff");

    let role = |role: &str| json!({ "role": role });
    let user = format!("/api/v1/admin/users/{co_id}");
    assert_eq!(admin.patch(&user, role("learner")).await.status, 200);
    assert_eq!(surfaces(&co, &c).await, [404; 6], "demoted: a draft does not exist for a learner");
    assert_eq!(admin.patch(&user, role("instructor")).await.status, 200);
    assert_eq!(surfaces(&co, &c).await, all, "promoted again");

    let removed = owner.delete(&format!("/api/v1/courses/{}/instructors/{co_id}", c.id)).await;
    assert!(removed.status.is_success(), "{}", removed.text);
    assert_eq!(surfaces(&co, &c).await, [404; 6], "removed from the course");
    assert_eq!(surfaces(&admin, &c).await, all, "administrators are staff of every course");
    app.stop().await;
}

on_both_backends!(staff_follows_the_role_and_the_instructor_list);
