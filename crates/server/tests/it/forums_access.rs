//! Who may see a course's forums follows the course as it changes, though
//! the forum pages decide it from caches (the forum row, the course's
//! content, the enrollment): a deleted module takes its forum with it, a
//! removed co-instructor is no longer staff and a learner who leaves is
//! out — at once, each after the forum was read (and cached). Authors'
//! names are cached too: a renamed member shows under the new name at once.
//! Both backends.

use crate::{common, enrollment_kit, forums_kit};

use common::Backend;
use forums_kit::class;
use lyceum_platform::auth::Role;
use serde_json::json;

on_both_backends!(
    a_deleted_module_takes_its_forum_at_once,
    access_follows_the_instructor_list_and_the_enrollment_at_once,
    a_renamed_member_shows_under_the_new_name_at_once,
);

async fn a_deleted_module_takes_its_forum_at_once(backend: Backend) {
    let c = class(backend).await;
    let forum = c.forum("module").await;
    let thread = c.thread(&c.ada, &forum, "What moves?", "And what is copied?").await;
    let paths = [format!("/api/v1/forums/{forum}/threads"), format!("/api/v1/forums/threads/{thread}")];
    for path in &paths {
        assert_eq!(c.ada.get(path).await.status, 200, "{path} before");
    }
    let deleted = c.teacher.delete(&format!("/api/v1/modules/{}?force=true", c.module)).await;
    assert_eq!(deleted.status, 204, "{}", deleted.text);
    for path in &paths {
        assert_eq!(c.ada.get(path).await.status, 404, "{path} after, for a learner");
        assert_eq!(c.teacher.get(path).await.status, 404, "{path} after, for the teacher");
    }
    let general = c.forum("general").await;
    assert_eq!(c.ada.get(&format!("/api/v1/forums/{general}/threads")).await.status, 200, "the others stay");
    c.app.stop().await;
}

async fn access_follows_the_instructor_list_and_the_enrollment_at_once(backend: Backend) {
    let c = class(backend).await;
    let forum = c.forum("general").await;
    let threads = format!("/api/v1/forums/{forum}/threads");
    let (co, co_id) = c.app.signed_in("grace@example.org", Role::Instructor).await;
    assert_eq!(co.get(&threads).await.status, 404, "not yet a teacher of the course");
    let added = c.teacher.post(&format!("/api/v1/courses/{}/instructors", c.course), json!({"user_id": co_id})).await;
    assert!(added.status.is_success(), "{}", added.text);
    assert_eq!(co.get(&threads).await.status, 200, "a co-instructor at once");
    assert_eq!(c.forums(&co).await["role"], "staff");
    let removed = c.teacher.delete(&format!("/api/v1/courses/{}/instructors/{co_id}", c.course)).await;
    assert!(removed.status.is_success(), "{}", removed.text);
    assert_eq!(co.get(&threads).await.status, 404, "removed: out at once");

    let (carol, _) = c.app.signed_in("carol@example.org", Role::Learner).await;
    let enrolled = enrollment_kit::enroll(&carol, &c.course).await;
    assert_eq!(enrolled.status, 201, "{}", enrolled.text);
    assert_eq!(carol.get(&threads).await.status, 200, "enrolled: in");
    let enrollment = enrolled.json()["id"].as_str().unwrap().to_string();
    let left = carol.delete(&format!("/api/v1/enrollments/{enrollment}")).await;
    assert_eq!(left.status, 200, "{}", left.text);
    assert_eq!(carol.get(&threads).await.status, 404, "left: out at once");
    c.app.stop().await;
}

async fn a_renamed_member_shows_under_the_new_name_at_once(backend: Backend) {
    let c = class(backend).await;
    let forum = c.forum("general").await;
    let thread = c.thread(&c.ada, &forum, "Lifetimes", "Why `'a`?").await;
    c.reply(&c.bob, &thread, "Because of the borrow.").await;
    let author = |listed: &serde_json::Value| listed["items"][0]["author_name"].as_str().unwrap().to_string();
    let before = c.bob.get(&format!("/api/v1/forums/{forum}/threads")).await.json();
    let old_name = author(&before);
    assert_eq!(c.read(&c.bob, &thread, Some(1)).await["posts"][0]["author_name"], old_name.as_str());
    let renamed = c.ada.patch("/api/v1/users/me", json!({"display_name": "Ada Lovelace"})).await;
    assert_eq!(renamed.status, 200, "{}", renamed.text);
    let after = c.bob.get(&format!("/api/v1/forums/{forum}/threads")).await.json();
    assert_eq!(author(&after), "Ada Lovelace", "the list, at once (was {old_name})");
    let read = c.read(&c.bob, &thread, Some(1)).await;
    assert_eq!(read["posts"][0]["author_name"], "Ada Lovelace", "her post, at once");
    c.app.stop().await;
}
